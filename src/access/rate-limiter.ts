import { randomBytes } from 'node:crypto';
import { GraphQLError } from 'graphql';
import type { Redis } from 'ioredis';
import type { Logger } from '../log/logger';
import type { RedisKeys } from '../redis/keys';

const WINDOW_MS = 60_000;
/** How long a replica may spend a lease of several requests; what is left then is dropped. */
const LEASE_MS = 1_000;
/** The most requests one lease carries (a busy key asks Redis about once a lease, not per request). */
const MAX_LEASE = 1_000;
/** Local per-key entries are swept when there are more than this (status tokens are one key per payment). */
const SWEEP_ABOVE = 10_000;

/**
 * Grants up to `want` requests from the key's rolling-minute budget as one lease. The key is a
 * sorted set of leases (member `<count>:<id>`, score = the latest time its requests can be
 * used); expired leases are dropped first, the rest summed. Near the limit a lease is at most a
 * quarter of what is left (at least 1), so replicas share the end of a minute and small limits
 * are counted one request at a time. Returns [granted, left, oldest score].
 */
const LEASE_SCRIPT = `
local key = KEYS[1]
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
local want = tonumber(ARGV[4])
local lease = tonumber(ARGV[5])
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
local used = 0
local members = redis.call('ZRANGE', key, 0, -1)
for i = 1, #members do
  used = used + (tonumber(string.match(members[i], '^(%d+):')) or 1)
end
local left = limit - used
local grant = math.min(want, left)
if grant > 1 then grant = math.max(1, math.min(grant, math.floor(left / 4))) end
if grant > 0 then
  local score = now
  if grant > 1 then score = now + lease end
  redis.call('ZADD', key, score, grant .. ':' .. ARGV[6])
  left = left - grant
else
  grant = 0
end
redis.call('PEXPIRE', key, window + lease)
local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
return {grant, left, oldest[2] or tostring(now)}
`;

type LeaseReply = [granted: number, left: number, oldest: string];
type LeaseRedis = Redis & {
  rateLimitLease(key: string, now: number, window: number, limit: number, want: number, leaseMs: number, id: string): Promise<LeaseReply>;
};

/** What this replica holds for one key. */
interface KeyState {
  /** Requests left in the current lease, usable until `leaseUntil`. */
  tokens: number;
  leaseUntil: number;
  /** When the current lease was granted, and how many of its requests were spent (size the next one). */
  leasedAt: number;
  spent: number;
  /** Size of the last lease asked for. */
  want: number;
  /** The budget is spent until then (nothing in Redis can free earlier); refused without asking. */
  refusedUntil: number;
  /** The lease request in flight; others for the same key wait for it. */
  pending: Promise<boolean> | null;
}

/**
 * A per-API-key budget of requests in any rolling minute, shared by every API replica through
 * Redis, and never exceeded. Requests are not counted one round trip each: a replica takes a
 * *lease* of several requests (one Lua call) and spends it locally for up to LEASE_MS.
 *
 * Why this stays exact: a lease is recorded with the score `grant time + LEASE_MS`, the latest
 * moment any of its requests can be spent, and Redis grants a lease only while the leases of the
 * last minute (by that score) leave room. (A lease of one request is recorded at its grant time
 * and spent at once, as a per-request counter would.) So every request spent inside any rolling minute was
 * counted in Redis within that minute. The trade-off is the other way: a lease a replica does not
 * spend within LEASE_MS is dropped, and those requests stay counted for the minute (a busy key may
 * be refused slightly before its nominal budget, never after). Leases start at one request, follow
 * what the key spent per LEASE_MS (growing at most twofold per lease), and are at most a quarter of what is left, so a key making
 * few requests, or any key near its limit, is counted one request per round trip — a limit of 5 a
 * minute answers the 6th request with 429 exactly as a per-request counter does.
 *
 * Refused requests are not counted; a refusal is remembered until the oldest lease leaves the
 * window, so a client that keeps calling while refused costs no Redis round trip. If Redis cannot
 * count, requests are let through: the cache and Vipps still protect themselves.
 */
export class RateLimiter {
  private readonly states = new Map<string, KeyState>();
  private readonly leaseIdPrefix = randomBytes(6).toString('hex');
  private leaseSeq = 0;

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly perMinute: number,
    private readonly log: Logger,
  ) {
    this.redis.defineCommand('rateLimitLease', { numberOfKeys: 1, lua: LEASE_SCRIPT });
  }

  /** Resolves (or returns) when the request may go on; throws RATE_LIMITED when the budget is spent. */
  take(keyId: string, now = Date.now()): Promise<void> | void {
    let state = this.states.get(keyId);
    if (state === undefined) {
      if (this.states.size >= SWEEP_ABOVE) this.sweep(now);
      state = { tokens: 0, leaseUntil: 0, leasedAt: 0, spent: 0, want: 0, refusedUntil: 0, pending: null };
      this.states.set(keyId, state);
    }
    if (state.tokens > 0 && now < state.leaseUntil) {
      state.tokens -= 1;
      state.spent += 1;
      return;
    }
    if (now < state.refusedUntil) throw this.refusal(Math.ceil((state.refusedUntil - now) / 1000));
    return this.takeSlow(keyId, state);
  }

  private async takeSlow(keyId: string, state: KeyState): Promise<void> {
    for (;;) {
      if (state.pending) {
        await state.pending;
      } else {
        const pending = this.lease(keyId, state);
        state.pending = pending;
        try {
          if (!(await pending)) return; // not counted (Redis unavailable): let through
        } finally {
          state.pending = null;
        }
      }
      const now = Date.now();
      if (state.tokens > 0 && now < state.leaseUntil) {
        state.tokens -= 1;
        state.spent += 1;
        return;
      }
      if (now < state.refusedUntil) throw this.refusal(Math.ceil((state.refusedUntil - now) / 1000));
    }
  }

  /** Asks Redis for a lease; false when it could not be counted. */
  private async lease(keyId: string, state: KeyState): Promise<boolean> {
    if (!(await this.connected())) return false;
    // About what this key spent in one LEASE_MS lately, growing at most twofold per lease.
    const now = Date.now();
    const elapsed = Math.min(LEASE_MS, Math.max(1, now - state.leasedAt));
    const rate = Math.ceil((state.spent * LEASE_MS) / elapsed);
    const want = Math.min(MAX_LEASE, Math.max(1, Math.min(rate, 2 * state.want)));
    let reply: LeaseReply;
    try {
      reply = await (this.redis as LeaseRedis).rateLimitLease(
        this.keys.rateLimit(keyId),
        now,
        WINDOW_MS,
        this.perMinute,
        want,
        LEASE_MS,
        `${this.leaseIdPrefix}.${(this.leaseSeq += 1)}`,
      );
    } catch (error) {
      this.log.warn({ err: error }, 'rate limit not counted: Redis unavailable');
      return false;
    }
    const granted = Number(reply[0]);
    state.want = Math.max(1, granted);
    state.spent = 0;
    if (granted > 0) {
      state.tokens = granted;
      state.leasedAt = now;
      state.leaseUntil = now + LEASE_MS;
      state.refusedUntil = 0;
    } else {
      state.tokens = 0;
      state.leaseUntil = 0;
      state.refusedUntil = Math.max(now + 1, Number(reply[2]) + WINDOW_MS);
    }
    return true;
  }

  private refusal(retryAfterSeconds: number): GraphQLError {
    const retryAfter = Math.max(1, retryAfterSeconds);
    return new GraphQLError(`This API key has used its ${this.perMinute} requests a minute. Try again in ${retryAfter} seconds.`, {
      extensions: { code: 'RATE_LIMITED', retryAfterSeconds: retryAfter, http: { status: 429, headers: new Map([['retry-after', String(retryAfter)]]) } },
    });
  }

  /** Drops keys with nothing to spend and nothing refused (their state is all in Redis). */
  private sweep(now: number): void {
    for (const [keyId, s] of this.states) {
      if (s.pending === null && (s.tokens === 0 || now >= s.leaseUntil) && now >= s.refusedUntil) this.states.delete(keyId);
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
