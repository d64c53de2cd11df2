import type { Redis } from 'ioredis';
import { configOrExit, type Config } from '../config/config';
import { createLogger, type Logger } from '../log/logger';
import { reportRedisErrors, workerRedis } from '../redis/client';
import { createVippsClient, type VippsClient } from '../vipps/vipps-client';
import { createServices, type Services } from './services';

export interface ProcessParts {
  config: Config;
  log: Logger;
  redis: Redis;
  vipps: VippsClient;
  services: Services;
  /** Closes the services, then the Redis connections. */
  close(): Promise<void>;
}

/**
 * What the API and the worker process both start with: configuration (or exit with its
 * problems), a logger, Redis (`connect` picks the connection's behaviour), the Vipps client and
 * the services.
 */
export async function startProcess(connect: (url: string) => Redis, ready: (redis: Redis) => Promise<unknown> = async () => {}): Promise<ProcessParts> {
  const config = configOrExit();
  const log = createLogger(config.logLevel);
  if (!config.redis.url) {
    log.fatal('REDIS_URL is not set. Start Redis and set REDIS_URL, or use npm start, which runs a private Redis.');
    process.exit(1);
  }
  const redis = connect(config.redis.url);
  const subscriber = workerRedis(config.redis.url);
  reportRedisErrors(redis, log, 'commands');
  reportRedisErrors(subscriber, log, 'subscriber');
  await ready(redis);
  const vipps = createVippsClient({ config, redis, log });
  const services = createServices({ config, redis, subscriber, vipps, log });
  const close = async () => {
    await services.close();
    subscriber.disconnect();
    redis.disconnect();
  };
  return { config, log, redis, vipps, services, close };
}

/** Run `stop` once on SIGINT or SIGTERM, then exit. */
export function stopOnSignals(stop: () => Promise<void>): void {
  let stopping = false;
  const once = () => {
    if (stopping) return;
    stopping = true;
    void stop().finally(() => process.exit(0));
  };
  process.once('SIGINT', once);
  process.once('SIGTERM', once);
}
