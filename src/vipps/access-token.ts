import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { MerchantConfig } from '../config/config';
import type { Logger } from '../log/logger';
import type { RedisKeys } from '../redis/keys';
import { VippsConnectionError, vippsErrorFromResponse, VippsApiError } from './errors';
import { exchange, NoResponseError, sleep as realSleep, systemHeaders, type FetchFn, type SystemInfo } from './http-exchange';
import { DEFAULT_RETRY_POLICY, retryDecision, type RetryPolicy } from './retry';
import type { VippsMetrics } from '../telemetry/metrics';
import type { components } from './generated/access-token';

type TokenResponse = components['schemas']['AuthorizationTokenResponse'];

/**
 * Access tokens per merchant (docs/vipps.md §2), shared by every process through Redis so a fleet asks
 * Vipps for one token per merchant per lifetime, not one per process or request.
 *
 * Order of lookup: this process's memo, then Redis, then one refresh under a Redis lock
 * (`SET NX PX`). Callers that lose the lock wait a bounded time for the winner's token, then fetch
 * their own: several tokens may be valid at once, so that is only wasteful, never wrong. Redis
 * trouble never fails a call; it only costs a direct fetch.
 */
export interface AccessTokenOptions {
  baseUrl: string;
  system: SystemInfo;
  timeoutMs: number;
  maxRetries: number;
  log: Logger;
  keys: RedisKeys;
  /** Shared cache; without it each process fetches and memoizes its own tokens. */
  redis?: Redis;
  fetch?: FetchFn;
  /** Lock lifetime: longer than one token fetch, short enough that a crashed holder blocks no one for long (10 s). */
  lockTtlMs?: number;
  /** How long a caller that lost the lock waits for the winner's token before fetching itself (3 s). */
  lockWaitMs?: number;
  /** Poll interval while waiting for the lock holder (100 ms). */
  lockPollMs?: number;
  /** Any single Redis command slower than this counts as Redis being unavailable (1 s). */
  redisTimeoutMs?: number;
  retryPolicy?: RetryPolicy;
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  /** Times every token fetch, as the transport times the calls it makes with the token. */
  metrics?: VippsMetrics;
}

/** A token and where it came from; only a token that was not just fetched is worth refreshing after a 401. */
export interface TokenLease {
  token: string;
  source: 'memory' | 'redis' | 'fetched';
}

const REDIS_BACKOFF_MS = 5_000;
const TOKEN_ENDPOINT = { api: 'token', endpoint: '/accesstoken/get', method: 'POST' };

/** Deletes the key only if it still holds our value, so we never remove another process's lock or newer token. */
const COMPARE_AND_DELETE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

/**
 * Cache lifetime: the token's lifetime minus the smaller of 10 % and 5 minutes, so it is replaced
 * before Vipps stops accepting it (1 h in test → 55 min; 24 h in production → 23 h 55 min).
 */
export function tokenCacheTtlSeconds(expiresInSeconds: number): number {
  if (!Number.isFinite(expiresInSeconds) || expiresInSeconds <= 0) return 0;
  return Math.floor(expiresInSeconds - Math.min(expiresInSeconds * 0.1, 300));
}

export class AccessTokenProvider {
  private readonly memo = new Map<string, { token: string; expiresAtMs: number }>();
  private readonly inflight = new Map<string, Promise<TokenLease>>();
  /** After a Redis failure, skip Redis for a while so an outage costs one timeout, not one per command. */
  private redisDownUntil = 0;
  private readonly fetchFn: FetchFn;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;

  constructor(private readonly options: AccessTokenOptions) {
    this.fetchFn = options.fetch ?? fetch;
    this.sleep = options.sleep ?? realSleep;
    this.now = options.now ?? Date.now;
  }

  /** A usable token for the merchant; concurrent callers in this process share one lookup. */
  get(merchant: MerchantConfig): Promise<TokenLease> {
    const cached = this.memo.get(merchant.msn);
    if (cached && cached.expiresAtMs > this.now()) return Promise.resolve({ token: cached.token, source: 'memory' });
    const running = this.inflight.get(merchant.msn);
    if (running) return running;
    const lookup = this.load(merchant).finally(() => this.inflight.delete(merchant.msn));
    this.inflight.set(merchant.msn, lookup);
    return lookup;
  }

  /** Forget a token Vipps rejected (401), here and in Redis unless someone already replaced it. */
  async invalidate(merchant: MerchantConfig, token: string): Promise<void> {
    if (this.memo.get(merchant.msn)?.token === token) this.memo.delete(merchant.msn);
    await this.redisCall((redis) => redis.eval(COMPARE_AND_DELETE, 1, this.options.keys.accessToken(merchant.msn), token));
  }

  private async load(merchant: MerchantConfig): Promise<TokenLease> {
    const shared = await this.readShared(merchant.msn);
    if (shared) return shared;
    const lockKey = this.options.keys.accessTokenLock(merchant.msn);
    const lockValue = randomUUID();
    const locked = await this.redisCall((redis) => redis.set(lockKey, lockValue, 'PX', this.options.lockTtlMs ?? 10_000, 'NX'));
    if (locked === 'OK') {
      try {
        // Another process may have stored a token between our read and our lock.
        return (await this.readShared(merchant.msn)) ?? (await this.fetchAndStore(merchant));
      } finally {
        await this.redisCall((redis) => redis.eval(COMPARE_AND_DELETE, 1, lockKey, lockValue));
      }
    }
    if (locked === null) {
      const waited = await this.waitForHolder(merchant.msn);
      if (waited) return waited;
      this.options.log.warn({ msn: merchant.msn }, 'vipps access token: lock holder did not store a token in time; fetching directly');
    }
    return this.fetchAndStore(merchant);
  }

  private async waitForHolder(msn: string): Promise<TokenLease | undefined> {
    const deadline = this.now() + (this.options.lockWaitMs ?? 3_000);
    while (this.now() < deadline) {
      await this.sleep(this.options.lockPollMs ?? 100);
      const shared = await this.readShared(msn);
      if (shared) return shared;
    }
    return undefined;
  }

  private async readShared(msn: string): Promise<TokenLease | undefined> {
    const key = this.options.keys.accessToken(msn);
    const result = await this.redisCall((redis) => redis.pipeline().get(key).pttl(key).exec());
    const token = result?.[0]?.[1];
    const ttlMs = result?.[1]?.[1];
    if (typeof token !== 'string' || token === '') return undefined;
    // A key without TTL (-1) should not exist; trust it for a minute rather than forever.
    const lifetimeMs = typeof ttlMs === 'number' && ttlMs > 0 ? ttlMs : 60_000;
    this.memo.set(msn, { token, expiresAtMs: this.now() + lifetimeMs });
    return { token, source: 'redis' };
  }

  private async fetchAndStore(merchant: MerchantConfig): Promise<TokenLease> {
    const { token, ttlSeconds } = await this.fetchToken(merchant);
    if (ttlSeconds > 0) {
      this.memo.set(merchant.msn, { token, expiresAtMs: this.now() + ttlSeconds * 1000 });
      await this.redisCall((redis) => redis.set(this.options.keys.accessToken(merchant.msn), token, 'EX', ttlSeconds));
    }
    return { token, source: 'fetched' };
  }

  /** `POST /accesstoken/get`. It has no side effects, so every failure worth retrying is retried. */
  private async fetchToken(merchant: MerchantConfig): Promise<{ token: string; ttlSeconds: number }> {
    const path = '/accesstoken/get';
    const context = { api: 'token' as const, method: 'POST', path, msn: merchant.msn, secrets: [merchant.clientSecret, merchant.subscriptionKey] };
    const headers = {
      client_id: merchant.clientId,
      client_secret: merchant.clientSecret,
      'Ocp-Apim-Subscription-Key': merchant.subscriptionKey,
      'Merchant-Serial-Number': merchant.msn,
      ...systemHeaders(this.options.system),
    };
    for (let attempt = 1; ; attempt++) {
      let failure: Error;
      let outcome: { status?: number; networkError?: boolean; retryAfter?: number };
      const sentAt = performance.now();
      try {
        const response = await exchange(this.fetchFn, { url: `${this.options.baseUrl}${path}`, method: 'POST', headers, body: '', timeoutMs: this.options.timeoutMs });
        this.options.metrics?.observe(TOKEN_ENDPOINT, response.status, sentAt);
        if (response.status >= 200 && response.status < 300) return readToken(response.body, context);
        const refused = vippsErrorFromResponse(response.status, response.body, response.headers, context);
        failure = refused;
        outcome = { status: response.status, retryAfter: refused.retryAfterSeconds };
      } catch (error) {
        if (!(error instanceof NoResponseError)) throw error;
        this.options.metrics?.observe(TOKEN_ENDPOINT, error.timedOut ? 'timeout' : 'network_error', sentAt);
        failure = new VippsConnectionError({ ...context, timedOut: error.timedOut, cause: error.cause });
        outcome = { networkError: true };
      }
      const input = { method: 'POST', hasIdempotencyKey: false, idempotent: true, attempt, maxRetries: this.options.maxRetries, outcome };
      const decision = retryDecision(input, this.options.retryPolicy ?? DEFAULT_RETRY_POLICY, this.options.random);
      if (!decision.retry) {
        this.options.log.error({ msn: merchant.msn, method: 'POST', path, status: outcome.status, traceId: (failure as { traceId?: string }).traceId }, 'vipps access token request failed');
        throw failure;
      }
      await this.sleep(decision.delayMs);
    }
  }

  /** Runs one Redis command with a time limit; any failure means "no answer" and is logged, never thrown. */
  private async redisCall<T>(command: (redis: Redis) => Promise<T>): Promise<T | undefined> {
    const redis = this.options.redis;
    if (!redis || redis.status === 'end' || redis.status === 'close' || this.now() < this.redisDownUntil) return undefined;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('redis command timed out')), this.options.redisTimeoutMs ?? 1_000);
    });
    try {
      return await Promise.race([command(redis), timeout]);
    } catch (error) {
      this.redisDownUntil = this.now() + REDIS_BACKOFF_MS;
      this.options.log.warn({ err: error instanceof Error ? error.message : String(error) }, 'vipps access token: Redis unavailable, continuing without the shared cache');
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  }
}

function readToken(body: unknown, context: { api: 'token'; method: string; path: string; msn: string }): { token: string; ttlSeconds: number } {
  const response = body as Partial<TokenResponse> | undefined;
  if (typeof response?.access_token !== 'string' || response.access_token === '') {
    throw new VippsApiError({ ...context, status: 200, title: 'Access token response without access_token' });
  }
  // Numeric fields arrive as strings (docs/vipps.md §16). Without one, assume the shorter documented lifetime (test, 1 h).
  const expiresIn = Number.parseInt(String(response.expires_in ?? ''), 10);
  return { token: response.access_token, ttlSeconds: tokenCacheTtlSeconds(Number.isNaN(expiresIn) ? 3600 : expiresIn) };
}
