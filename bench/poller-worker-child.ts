import type { Redis } from 'ioredis';
import { startWorkers, type RunningWorkers } from '../jobs/worker';
import { createServices, type Services } from '../src/app/services';
import { loadConfig } from '../src/config/config';
import { createLogger } from '../src/log/logger';
import { workerRedis } from '../src/redis/client';
import { createVippsClient } from '../src/vipps/vipps-client';
import { serveRpc } from './ipc';

/**
 * The worker process of the poller benchmark, wired as `jobs/main.ts` wires `npm run
 * start:worker` (createServices on worker Redis connections, then `startWorkers` with its
 * defaults), configured from the benchmark's simulator, Redis and prefix instead of the
 * environment.
 */
let running: RunningWorkers | undefined;
let services: Services | undefined;
let redis: Redis | undefined;
let subscriber: Redis | undefined;

serveRpc({
  start: async ({ redisUrl, prefix, simulatorUrl, pollConcurrency }: { redisUrl: string; prefix: string; simulatorUrl: string; pollConcurrency?: number }) => {
    const config = loadConfig({ VIPPS_ENV: 'simulator', VIPPS_BASE_URL: simulatorUrl, REDIS_URL: redisUrl, REDIS_PREFIX: prefix, LOG_LEVEL: 'silent' });
    const log = createLogger(config.logLevel);
    redis = workerRedis(redisUrl);
    subscriber = workerRedis(redisUrl);
    services = createServices({ config, redis, subscriber, vipps: createVippsClient({ config, redis, log }), log });
    running = await startWorkers(services, redis, pollConcurrency ? { pollConcurrency } : {});
    return { queues: running.workers.map((w) => w.name) };
  },
  cpu: () => process.cpuUsage(),
  stop: async () => {
    await running?.close();
    await services?.close();
    subscriber?.disconnect();
    redis?.disconnect();
  },
});
