import { createServices } from '../src/app/services';
import { configOrExit } from '../src/config/config';
import { createLogger } from '../src/log/logger';
import { workerRedis } from '../src/redis/client';
import { createVippsClient } from '../src/vipps/vipps-client';
import { startWorkers } from './worker';

/** `npm run start:worker`: pollers, capture-before-expiry, webhook events and the sweeper. */
async function main(): Promise<void> {
  const config = configOrExit();
  const log = createLogger(config.logLevel);
  if (!config.redis.url) {
    log.fatal('REDIS_URL is not set. Start Redis and set REDIS_URL, or use npm start, which runs a private Redis.');
    process.exit(1);
  }
  const redis = workerRedis(config.redis.url);
  const subscriber = workerRedis(config.redis.url);
  const services = createServices({ config, redis, subscriber, vipps: createVippsClient({ config, redis, log }), log });
  const running = await startWorkers(services, redis);
  log.info({ queues: running.workers.map((w) => w.name) }, 'worker started');
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    log.info('worker stopping: finishing the jobs in hand');
    await running.close();
    await services.close();
    subscriber.disconnect();
    redis.disconnect();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

void main();
