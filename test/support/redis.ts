import { randomBytes } from 'node:crypto';
import { Redis, type RedisOptions } from 'ioredis';

/**
 * Redis for integration tests: the server the global setup started (or REDIS_URL). Tests share
 * it, so each test file works under its own key prefix and cleans up after itself.
 */
export function testRedisUrl(): string {
  const url = process.env.TEST_REDIS_URL;
  if (!url) throw new Error('TEST_REDIS_URL is not set: run integration tests through jest (the global setup starts Redis).');
  return url;
}

/** A new client on the test Redis; close it in `afterAll` (`await client.quit()`). */
export function testRedis(options: RedisOptions = {}): Redis {
  return new Redis(testRedisUrl(), { lazyConnect: false, ...options });
}

/**
 * A key prefix no other test file or run uses, e.g. `t:payments-cache:1f3a9c:`. Pass it (without
 * the trailing colon) as REDIS_PREFIX-like prefixes, BullMQ prefixes or queue names.
 */
export function uniquePrefix(name: string): string {
  const safe = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'test';
  return `t:${safe}:${randomBytes(3).toString('hex')}`;
}

/** Deletes every key under `prefix` (SCAN, not KEYS, so a shared server is not blocked). */
export async function deleteKeys(client: Redis, prefix: string): Promise<number> {
  let deleted = 0;
  let cursor = '0';
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    cursor = next;
    if (keys.length > 0) deleted += await client.unlink(...keys);
  } while (cursor !== '0');
  return deleted;
}
