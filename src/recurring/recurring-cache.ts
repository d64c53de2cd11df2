import type { Redis } from 'ioredis';
import type { Logger } from '../log/logger';
import type { RedisKeys } from '../redis/keys';
import { sharedMget } from '../redis/shared-mget';
import type { CacheMetrics, CacheName } from '../telemetry/metrics';
import { FINAL_AGREEMENT_STATUSES, FINAL_CHARGE_STATUSES, type AgreementRecord, type ChargeRecord } from './recurring-record';

/**
 * Read-through cache of Recurring reads. TTLs follow how soon Vipps can change a thing without us:
 * a PENDING agreement any second, an ACTIVE one when the user stops it in the app, charges around
 * their due date; final ones never. Every mutation (and the pollers) write through. Charge lists
 * hold ids only, so one write to a charge is seen by its list. Failures read as misses. Which
 * agreements a merchant has is not cached here: the registry indexes them by status.
 */
export function agreementTtlSeconds(a: AgreementRecord): number {
  if (FINAL_AGREEMENT_STATUSES.has(a.status)) return 24 * 3600;
  return a.status === 'PENDING' ? 5 : 300;
}

export function chargeTtlSeconds(c: ChargeRecord): number {
  if (FINAL_CHARGE_STATUSES.has(c.status)) return 24 * 3600;
  if (c.status === 'CHARGED' || c.status === 'PARTIALLY_REFUNDED') return 600;
  if (c.status === 'RESERVED' || c.status === 'PARTIALLY_CAPTURED') return 300;
  return 60;
}

/** New charges appear only on live agreements (and we add the ones we create ourselves). */
export function chargeListTtlSeconds(a: AgreementRecord | null): number {
  return a && FINAL_AGREEMENT_STATUSES.has(a.status) ? 3600 : 60;
}

export interface AgreementKey {
  msn: string;
  agreementId: string;
}

export interface ChargeKey extends AgreementKey {
  chargeId: string;
}

export class RecurringCache {
  /** Shared with every request in flight: one MGET per turn of the event loop. */
  private readonly read: (keys: readonly string[]) => Promise<(string | null)[]>;

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly log: Logger,
    private readonly metrics: CacheMetrics,
  ) {
    this.read = sharedMget(redis, log, 'recurring cache');
  }

  getAgreements(items: readonly AgreementKey[]): Promise<(AgreementRecord | null)[]> {
    return this.mget('agreement', items.map((i) => this.keys.agreementCache(i.msn, i.agreementId)));
  }

  getCharges(items: readonly ChargeKey[]): Promise<(ChargeRecord | null)[]> {
    return this.mget('charge', items.map((i) => this.keys.chargeCache(i.msn, i.agreementId, i.chargeId)));
  }

  getChargeLists(items: readonly AgreementKey[]): Promise<(string[] | null)[]> {
    return this.mget('charge_list', items.map((i) => this.keys.chargeListCache(i.msn, i.agreementId)));
  }

  async putAgreements(records: readonly AgreementRecord[]): Promise<void> {
    await this.write('agreement cache write', (multi) => {
      for (const a of records) multi.set(this.keys.agreementCache(a.merchantSerialNumber, a.agreementId), JSON.stringify(a), 'EX', agreementTtlSeconds(a));
    });
  }

  async putCharges(records: readonly ChargeRecord[]): Promise<void> {
    await this.write('charge cache write', (multi) => {
      for (const c of records) {
        multi.set(this.keys.chargeCache(c.merchantSerialNumber, c.agreementId, c.chargeId), JSON.stringify(c), 'EX', chargeTtlSeconds(c));
      }
    });
  }

  async putChargeList(key: AgreementKey, chargeIds: readonly string[], agreement: AgreementRecord | null): Promise<void> {
    await this.write('charge list cache write', (multi) => {
      multi.set(this.keys.chargeListCache(key.msn, key.agreementId), JSON.stringify(chargeIds), 'EX', chargeListTtlSeconds(agreement));
    });
  }

  /** A charge we just created joins its agreement's cached list (if one is cached). */
  addToChargeList(key: AgreementKey, chargeId: string): Promise<void> {
    return this.editList(this.keys.chargeListCache(key.msn, key.agreementId), (ids) => (ids.includes(chargeId) ? ids : [...ids, chargeId]));
  }

  /** Read-modify-write of a cached id list; a lost race only makes the list briefly stale. */
  private async editList(key: string, edit: (ids: string[]) => string[]): Promise<void> {
    try {
      const value = await this.redis.get(key);
      if (!value) return;
      const ids = JSON.parse(value) as string[];
      const next = edit(ids);
      if (next.length !== ids.length || next.some((id, i) => id !== ids[i])) await this.redis.set(key, JSON.stringify(next), 'KEEPTTL');
    } catch (error) {
      this.log.warn({ err: error }, 'recurring list cache edit failed');
    }
  }

  private async mget<T>(cache: CacheName, keys: string[]): Promise<(T | null)[]> {
    const values = await this.read(keys);
    this.metrics.record(cache, values);
    return values.map((v) => (v ? (JSON.parse(v) as T) : null));
  }

  private async write(what: string, fill: (multi: ReturnType<Redis['multi']>) => void): Promise<void> {
    try {
      const multi = this.redis.multi();
      fill(multi);
      await multi.exec();
    } catch (error) {
      this.log.warn({ err: error }, `${what} failed`);
    }
  }
}
