import type { Redis } from 'ioredis';
import type { Logger } from '../log/logger';
import type { RedisKeys } from '../redis/keys';
import { sharedMget } from '../redis/shared-mget';
import type { CacheMetrics } from '../telemetry/metrics';
import { FINAL_STATES, type PaymentEventRecord, type PaymentRecord } from './payment-record';
import { capturable } from './payment-rules';

/**
 * Read-through cache of Vipps payment reads. TTLs follow how soon a payment can change: a
 * CREATED payment can be approved any second, an AUTHORIZED one with money left changes when
 * someone captures, a final one never changes. Every mutation, poll and webhook writes through.
 * Cache failures are logged and read as misses: they never fail a query.
 */
export function cacheTtlSeconds(p: PaymentRecord): number {
  if (FINAL_STATES.has(p.state)) return 24 * 3600;
  if (p.state === 'CREATED') return 5;
  return capturable(p) > 0 ? 60 : 600;
}

export class PaymentCache {
  /** Shared with every request in flight: one MGET per turn of the event loop (records, event logs). */
  private readonly read: (keys: readonly string[]) => Promise<(string | null)[]>;
  private readonly readEvents: (keys: readonly string[]) => Promise<(string | null)[]>;

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly log: Logger,
    private readonly metrics: CacheMetrics,
  ) {
    this.read = sharedMget(redis, log, 'payment cache');
    this.readEvents = sharedMget(redis, log, 'payment events cache');
  }

  /** Any number of payments in one MGET; `null` where not cached (or Redis failed). */
  async getMany(items: readonly { msn: string; reference: string }[]): Promise<(PaymentRecord | null)[]> {
    const values = await this.read(items.map((i) => this.keys.paymentCache(i.msn, i.reference)));
    this.metrics.record('payment', values);
    return values.map((v) => (v ? (JSON.parse(v) as PaymentRecord) : null));
  }

  async putMany(records: readonly PaymentRecord[]): Promise<void> {
    if (records.length === 0) return;
    try {
      const multi = this.redis.multi();
      for (const r of records) multi.set(this.keys.paymentCache(r.merchantSerialNumber, r.reference), JSON.stringify(r), 'EX', cacheTtlSeconds(r));
      await multi.exec();
    } catch (error) {
      this.log.warn({ err: error }, 'payment cache write failed');
    }
  }

  async getEvents(msn: string, reference: string): Promise<PaymentEventRecord[] | null> {
    const [value] = await this.readEvents([this.keys.paymentEventsCache(msn, reference)]);
    this.metrics.record('payment_events', [value]);
    return value ? (JSON.parse(value) as PaymentEventRecord[]) : null;
  }

  async putEvents(payment: PaymentRecord, events: readonly PaymentEventRecord[]): Promise<void> {
    try {
      await this.redis.set(
        this.keys.paymentEventsCache(payment.merchantSerialNumber, payment.reference),
        JSON.stringify(events),
        'EX',
        cacheTtlSeconds(payment),
      );
    } catch (error) {
      this.log.warn({ err: error }, 'payment events cache write failed');
    }
  }

  /** Drop the event log after a mutation; the next read fetches the new one. */
  async forgetEvents(msn: string, reference: string): Promise<void> {
    try {
      await this.redis.del(this.keys.paymentEventsCache(msn, reference));
    } catch (error) {
      this.log.warn({ err: error }, 'payment events cache delete failed');
    }
  }
}
