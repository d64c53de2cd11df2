import type { Redis } from 'ioredis';
import { configOrExit, type Config } from '../config/config';
import { createLogger, type Logger } from '../log/logger';
import { reportRedisErrors, workerRedis } from '../redis/client';
import { createVippsClient, type VippsClient } from '../vipps/vipps-client';
import { Metrics } from '../telemetry/metrics';
import { startTracing } from '../telemetry/tracing';
import { createServices, type Services } from './services';

export interface ProcessParts {
  config: Config;
  log: Logger;
  redis: Redis;
  vipps: VippsClient;
  services: Services;
  /** Closes the services, then the Redis connections, then exports the last spans. */
  close(): Promise<void>;
}

/**
 * What the API and the worker process both start with: configuration (or exit with its
 * problems), a logger, tracing when configured, Redis (`connect` picks the connection's
 * behaviour), the Vipps client and the services.
 */
export async function startProcess(
  role: 'api' | 'worker',
  connect: (url: string) => Redis,
  ready: (redis: Redis) => Promise<unknown> = async () => {},
): Promise<ProcessParts> {
  const config = configOrExit();
  const log = createLogger(config.logLevel);
  if (!config.redis.url) {
    log.fatal('REDIS_URL is not set. Start Redis and set REDIS_URL, or use npm start, which runs a private Redis.');
    process.exit(1);
  }
  // Before Redis: connections made while tracing is on give their commands spans.
  const { otlpEndpoint, serviceName } = config.tracing;
  const tracing = startTracing({ serviceName: serviceName ?? `vipps-graph-${role}`, endpoint: otlpEndpoint, log });
  const redis = connect(config.redis.url);
  const subscriber = workerRedis(config.redis.url);
  reportRedisErrors(redis, log, 'commands');
  reportRedisErrors(subscriber, log, 'subscriber');
  await ready(redis);
  // One registry for the process: the Vipps client and the services count into it.
  const metrics = new Metrics();
  const vipps = createVippsClient({ config, redis, log, metrics: metrics.vipps });
  const services = createServices({ config, redis, subscriber, vipps, log, metrics });
  const close = async () => {
    await services.close();
    subscriber.disconnect();
    redis.disconnect();
    // Last: the spans of everything above are exported before the process exits.
    await tracing?.shutdown();
  };
  return { config, log, redis, vipps, services, close };
}

export interface GracefulStop {
  /** Called at once: the API's `/readyz` turns 503 while everything else still serves. */
  draining?: () => void;
  /** Close listeners, finish what is in hand, close Redis. */
  stop: () => Promise<void>;
  shutdown: Config['shutdown'];
  log: Logger;
}

/**
 * On the first SIGINT or SIGTERM: `draining`, then `shutdown.graceSeconds` later `stop`, then
 * exit 0 (1 if `stop` failed). Load balancers take a few health checks to notice a 503, so the
 * listener stays open until then. Whatever is still running `shutdown.timeoutSeconds` after the
 * signal is abandoned: exit 1. A second signal is ignored; SIGKILL is what stops at once.
 */
export function stopOnSignals({ draining, stop, shutdown, log }: GracefulStop): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal, ...shutdown }, 'stopping');
    setTimeout(() => {
      log.error({ timeoutSeconds: shutdown.timeoutSeconds }, 'still draining at SHUTDOWN_TIMEOUT_SECONDS; exiting anyway');
      process.exit(1);
    }, shutdown.timeoutSeconds * 1000).unref();
    draining?.();
    setTimeout(() => {
      stop().then(
        () => {
          log.info('stopped');
          process.exit(0);
        },
        (error: unknown) => {
          log.error({ err: error }, 'stopping failed');
          process.exit(1);
        },
      );
    }, shutdown.graceSeconds * 1000);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}
