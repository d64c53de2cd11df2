import { randomBytes } from 'node:crypto';
import { GraphQLError } from 'graphql';
import type { Redis } from 'ioredis';
import type { Logger } from '../log/logger';
import type { RedisKeys } from '../redis/keys';

const WINDOW_MS = 60_000;

/**
 * A per-API-key budget of requests in any rolling minute, counted in Redis (a sorted set of
 * request times per key) so every API replica shares it; one round trip per request. If Redis
 * cannot count, requests are let through: the cache and Vipps still protect themselves.
 */
export class RateLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly perMinute: number,
    private readonly log: Logger,
  ) {}

  async take(keyId: string, now = Date.now()): Promise<void> {
    if (!(await this.connected())) return;
    const key = this.keys.rateLimit(keyId);
    let count: number;
    let oldest: number;
    try {
      const replies = await this.redis
        .multi()
        .zremrangebyscore(key, '-inf', now - WINDOW_MS)
        .zadd(key, now, `${now}-${randomBytes(4).toString('hex')}`)
        .zcard(key)
        .zrange(key, 0, 0, 'WITHSCORES')
        .pexpire(key, WINDOW_MS)
        .exec();
      count = Number(replies?.[2]?.[1] ?? 0);
      oldest = Number((replies?.[3]?.[1] as string[] | undefined)?.[1] ?? now);
    } catch (error) {
      this.log.warn({ err: error }, 'rate limit not counted: Redis unavailable');
      return;
    }
    if (count > this.perMinute) {
      const retryAfter = Math.max(1, Math.ceil((oldest + WINDOW_MS - now) / 1000));
      throw new GraphQLError(`This API key has used its ${this.perMinute} requests a minute. Try again in ${retryAfter} seconds.`, {
        extensions: { code: 'RATE_LIMITED', retryAfterSeconds: retryAfter, http: { status: 429, headers: new Map([['retry-after', String(retryAfter)]]) } },
      });
    }
  }

  /** Waits briefly for the first connection; a connection that is down lets requests through. */
  private async connected(): Promise<boolean> {
    if (this.redis.status === 'ready') return true;
    if (this.redis.status !== 'connecting' && this.redis.status !== 'connect' && this.redis.status !== 'wait') return false;
    const ready = new Promise<boolean>((resolve) => this.redis.once('ready', () => resolve(true)));
    const late = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 500).unref());
    return Promise.race([ready, late]);
  }
}
