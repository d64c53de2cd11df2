import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from '../log/logger';
import { traceRedisCommands } from '../telemetry/redis-spans';

/**
 * Redis connections, whose commands make spans when tracing is on. The API's connection fails
 * fast (no offline queue, one retry, short command timeout) so a Redis outage degrades reads to
 * Vipps instead of hanging requests. Workers and subscribers wait for Redis instead (BullMQ
 * requires `maxRetriesPerRequest: null`).
 */
export function apiRedis(url: string, options: RedisOptions = {}): Redis {
  return traceRedisCommands(new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: 1000,
    // Commands issued in the same tick (many requests' cache reads under load) go out as one write.
    enableAutoPipelining: true,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
    ...options,
  }));
}

export function workerRedis(url: string, options: RedisOptions = {}): Redis {
  return traceRedisCommands(new Redis(url, { maxRetriesPerRequest: null, retryStrategy: (attempt) => Math.min(attempt * 200, 2000), ...options }));
}

/**
 * One warning when a connection fails and one line when it is back, instead of ioredis'
 * "Unhandled error event" with a stack trace on every reconnect attempt (no listener).
 */
export function reportRedisErrors(client: Redis, log: Logger, connection: string): void {
  let down = false;
  client.on('error', (error: Error) => {
    if (down) return;
    down = true;
    log.warn({ connection, error: error.message }, 'Redis connection failed; reconnecting');
  });
  client.on('ready', () => {
    if (!down) return;
    down = false;
    log.info({ connection }, 'Redis connection is back');
  });
}

/**
 * An ioredis failure that means Redis is not reachable now (fail-fast API connection: no offline
 * queue, bounded retries, command timeout), rather than a bug in a command.
 */
export function isRedisUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === 'MaxRetriesPerRequestError') return true;
  return /enableOfflineQueue|Connection is closed|Command timed out|ECONNREFUSED|ECONNRESET/.test(error.message);
}
