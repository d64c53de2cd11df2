import type { Redis } from 'ioredis';
import type { Logger } from '../log/logger';
import type { RedisKeys } from '../redis/keys';
import { canonicalJson } from './canonical-json';

/**
 * Our side of idempotency for mutations (docs/design.md §2), per merchant and key, kept 30 days:
 * - a new key runs the operation;
 * - the same key with the same input answers the stored outcome without acting again;
 * - the same key with another input is a conflict;
 * - once the Vipps request is decided it is stored before it is sent, so a retry after a crash
 *   or a timeout sends the very same request with the same key instead of deciding again
 *   (Vipps then answers with the outcome of the first one);
 * - a decision or a send abandoned for STALE_MS is taken over by exactly one of the callers that
 *   find it (compare-and-set); the others hear that it is in progress.
 * If Redis is unavailable the ledger does not step aside: `begin` and `sending` throw
 * `LedgerUnavailableError` and the operation is refused before anything is sent to Vipps, because
 * a key we cannot look up could be a replay of an operation that already moved money, and deciding
 * it again against the changed payment would answer a refusal for what happened.
 */
export type LedgerEntry<R, O> =
  | { state: 'deciding'; fingerprint: string; at: number }
  | { state: 'sending'; fingerprint: string; at: number; request: R }
  | { state: 'done'; fingerprint: string; at: number; outcome: O };

export type Begin<R, O> =
  | { kind: 'new' }
  | { kind: 'resume'; request: R }
  | { kind: 'replay'; outcome: O }
  | { kind: 'conflict' }
  | { kind: 'in-progress' };

const RETENTION_SECONDS = 30 * 86_400;
/** A decision or request older than this without an outcome is taken to have been interrupted. */
const STALE_MS = 30_000;
/**
 * Replaces the entry with ARGV[2] (kept ARGV[3] seconds) only if it still is exactly ARGV[1], the
 * JSON the caller read and decided on: of many callers finding an abandoned entry, one takes it
 * over. It touches only KEYS[1], so it runs on Redis Cluster as well.
 */
const TAKE_OVER = "if redis.call('get', KEYS[1]) == ARGV[1] then redis.call('set', KEYS[1], ARGV[2], 'EX', ARGV[3]) return 1 end return 0";
/** Reads before `begin` gives up: losing a takeover twice means others are on it (in progress). */
const BEGIN_ATTEMPTS = 2;

export function ledgerFingerprint(operation: string, input: unknown): string {
  return `${operation}:${canonicalJson(input)}`;
}

/** Pure: what a stored entry means for a new attempt with `fingerprint` at `now`. */
export function decide<R, O>(entry: LedgerEntry<R, O>, fingerprint: string, now: number): Begin<R, O> {
  if (entry.fingerprint !== fingerprint) return { kind: 'conflict' };
  if (entry.state === 'done') return { kind: 'replay', outcome: entry.outcome };
  if (now - entry.at < STALE_MS) return { kind: 'in-progress' };
  return entry.state === 'sending' ? { kind: 'resume', request: entry.request } : { kind: 'new' };
}

/** The ledger could not be read or written: the operation must not go ahead. */
export class LedgerUnavailableError extends Error {
  constructor(cause: unknown) {
    super('idempotency ledger unavailable', { cause });
  }
}

export class IdempotencyLedger {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly log: Logger,
  ) {}

  async begin<R, O>(msn: string, key: string, fingerprint: string): Promise<Begin<R, O>> {
    const redisKey = this.keys.idempotency(msn, key);
    const now = Date.now();
    try {
      const fresh: LedgerEntry<R, O> = { state: 'deciding', fingerprint, at: now };
      for (let attempt = 0; attempt < BEGIN_ATTEMPTS; attempt++) {
        const created = await this.redis.set(redisKey, JSON.stringify(fresh), 'EX', RETENTION_SECONDS, 'NX');
        if (created === 'OK') return { kind: 'new' };
        const stored = await this.redis.get(redisKey);
        if (!stored) continue; // released between the two: start over
        const entry = JSON.parse(stored) as LedgerEntry<R, O>;
        const verdict = decide(entry, fingerprint, now);
        if (verdict.kind !== 'new' && verdict.kind !== 'resume') return verdict;
        // A takeover claims the entry (a resume keeps the request, now being sent by us) only if
        // nobody changed it since our read; a GET then a SET let every concurrent caller take over.
        const claim: LedgerEntry<R, O> = verdict.kind === 'new' ? fresh : { ...entry, at: now };
        const taken = await this.redis.eval(TAKE_OVER, 1, redisKey, stored, JSON.stringify(claim), RETENTION_SECONDS);
        if (taken === 1) return verdict;
      }
      return { kind: 'in-progress' };
    } catch (error) {
      throw new LedgerUnavailableError(error);
    }
  }

  /** Record the request about to be sent; it is not sent unless this succeeds (throws LedgerUnavailableError). */
  async sending<R>(msn: string, key: string, fingerprint: string, request: R): Promise<void> {
    try {
      await this.set(msn, key, { state: 'sending', fingerprint, at: Date.now(), request });
    } catch (error) {
      throw new LedgerUnavailableError(error);
    }
  }

  /** Vipps did not confirm a sent request: make it resumable at once by a retry with the same key. */
  interrupted<R>(msn: string, key: string, fingerprint: string, request: R): Promise<void> {
    return this.setOrLog(msn, key, { state: 'sending', fingerprint, at: 0, request }, 'could not mark an unconfirmed request resumable; a retry resumes it in 30 s');
  }

  /**
   * Keep the outcome. When this fails after Vipps acted, the entry stays `sending`, so a retry with
   * the same key resumes: it sends the same request with the same key, and Vipps answers with what
   * it did the first time. The outcome is still returned to the caller.
   */
  done<O>(msn: string, key: string, fingerprint: string, outcome: O): Promise<void> {
    return this.setOrLog(msn, key, { state: 'done', fingerprint, at: Date.now(), outcome }, 'could not keep an outcome; a retry with the same key resumes and asks Vipps again');
  }

  /** Forget a key whose operation never reached Vipps, so the caller can retry it. */
  async release(msn: string, key: string): Promise<void> {
    try {
      await this.redis.del(this.keys.idempotency(msn, key));
    } catch (error) {
      this.log.warn({ err: error }, 'idempotency ledger release failed');
    }
  }

  private async set<R, O>(msn: string, key: string, entry: LedgerEntry<R, O>): Promise<void> {
    await this.redis.set(this.keys.idempotency(msn, key), JSON.stringify(entry), 'EX', RETENTION_SECONDS);
  }

  private async setOrLog<R, O>(msn: string, key: string, entry: LedgerEntry<R, O>, message: string): Promise<void> {
    try {
      await this.set(msn, key, entry);
    } catch (error) {
      this.log.error({ err: error }, message);
    }
  }
}
