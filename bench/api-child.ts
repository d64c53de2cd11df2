import { once } from 'node:events';
import type { Redis } from 'ioredis';
import { startApiServer, type ApiServer } from '../src/api/server';
import { createServices, type Services } from '../src/app/services';
import { loadConfig } from '../src/config/config';
import { freePort } from '../src/dev/free-port';
import { buildGraphQLSchema } from '../src/api/schema/schema';
import { createLogger } from '../src/log/logger';
import { startTracing, type Tracing } from '../src/telemetry/tracing';
import { apiRedis, workerRedis } from '../src/redis/client';
import { redisKeys } from '../src/redis/keys';
import { WEBHOOK_PATH } from '../src/webhooks/webhook-events';
import { ensureWebhooks } from '../src/webhooks/webhook-registration';
import { Metrics } from '../src/telemetry/metrics';
import { createVippsClient } from '../src/vipps/vipps-client';
import { serveRpc } from './ipc';

/**
 * An API process for the benchmarks, wired as `src/api/main.ts` wires `npm run start:api` against
 * a simulator that runs elsewhere (the benchmark's own process): createServices on the API's
 * Redis connection (after it is ready), startApiServer on PORT. Only the API lives here, as in
 * production. `env` adds to the configuration (e.g. RATE_LIMIT_PER_MINUTE).
 *
 * With `webhooks` (poller-load's webhooks-on variant), `ensureWebhooks` registers
 * `PUBLIC_URL/webhooks/vipps` with the simulator for every event. PUBLIC_URL points at this
 * process (a free loopback port picked first), so the receiver verifies the signatures the
 * simulator makes for that URL and enqueues the events for the worker process.
 */
let server: ApiServer | undefined;
let services: Services | undefined;
let redis: Redis | undefined;
let subscriber: Redis | undefined;
let tracing: Tracing | null = null;

serveRpc({
  start: async ({ redisUrl, prefix, simulatorUrl, env = {}, webhooks = false }: { redisUrl: string; prefix: string; simulatorUrl: string; env?: Record<string, string>; webhooks?: boolean }) => {
    const port = await freePort();
    const config = loadConfig({
      VIPPS_ENV: 'simulator',
      VIPPS_BASE_URL: simulatorUrl,
      REDIS_URL: redisUrl,
      REDIS_PREFIX: prefix,
      LOG_LEVEL: 'silent',
      PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      ...env,
    });
    const log = createLogger(config.logLevel);
    // As startProcess does, before Redis: its connections' commands get spans when tracing is on.
    tracing = startTracing({ serviceName: config.tracing.serviceName ?? 'vipps-graph-api', endpoint: config.tracing.otlpEndpoint, log });
    redis = apiRedis(redisUrl);
    subscriber = workerRedis(redisUrl);
    await once(redis, 'ready');
    // As startProcess does: one metrics registry for the Vipps client and the services, served on a free port.
    const metrics = new Metrics();
    const vipps = createVippsClient({ config, redis, log, metrics: metrics.vipps });
    services = createServices({ config, redis, subscriber, vipps, log, metrics });
    server = await startApiServer({ schema: buildGraphQLSchema(), services, redis, log, host: '127.0.0.1', port: config.port, metricsPort: 0 });
    const metricsUrl = server.metricsUrl;
    if (!webhooks) return { url: server.url, metricsUrl, webhookUrl: null };
    const webhookUrl = `${config.publicUrl}${WEBHOOK_PATH}`;
    await ensureWebhooks(vipps, redis, redisKeys(config.redis.prefix), config.vipps.merchants.map((m) => m.msn), webhookUrl, log);
    return { url: server.url, metricsUrl, webhookUrl };
  },
  cpu: () => process.cpuUsage(),
  stop: async () => {
    await server?.close();
    await services?.close();
    subscriber?.disconnect();
    redis?.disconnect();
    await tracing?.shutdown();
  },
});
