import DataLoader from 'dataloader';
import type { Redis } from 'ioredis';
import type { Logger } from '../log/logger';

/**
 * Cache reads shared by every request in flight: the keys asked for in one turn of the event
 * loop go to Redis as one MGET, dispatched from setImmediate once the turn's I/O is handled.
 * Under load many requests reach their cache read in the same turn, and one MGET of all their
 * keys costs Redis and the client far less than one MGET each. Nothing is remembered between
 * reads. A failed MGET is logged once and reads as misses for everyone in it (`null`), so the
 * callers go to Vipps instead.
 */
export function sharedMget(redis: Redis, log: Logger, what: string): (keys: readonly string[]) => Promise<(string | null)[]> {
  const reads = new DataLoader<string, string | null>(
    (keys) =>
      redis.mget(keys as string[]).catch((error: unknown) => {
        log.warn({ err: error }, `${what} read failed; reading from Vipps`);
        return keys.map(() => null);
      }),
    { cache: false, maxBatchSize: 1000, batchScheduleFn: (dispatch) => setImmediate(dispatch) },
  );
  return async (keys) => {
    if (keys.length === 0) return [];
    const values = await reads.loadMany(keys);
    return values.map((value) => (typeof value === 'string' ? value : null));
  };
}
