import { concurrencyLimit, SingleFlight } from '../common/concurrency';
import type { Logger } from '../log/logger';
import type { EpaymentClient } from '../vipps/epayment-client';
import { VippsNotFoundError } from '../vipps/errors';
import type { PaymentCache } from './payment-cache';
import { authorizedAt, fromVipps, toEventRecord } from './payment-mapper';
import type { PaymentEventRecord, PaymentRecord } from './payment-record';
import type { PaymentRegistry } from './payment-registry';

/** Called after a payment changed, once its new state is stored (subscriptions, jobs). */
export type PaymentChanged = (p: PaymentRecord) => Promise<void>;

export interface PaymentKey {
  msn: string;
  reference: string;
}

/** At most this many Vipps reads in flight per process (a cold page of 100 is 100 reads). */
const MAX_CONCURRENT_VIPPS_READS = 16;

/**
 * Reads payments: cache first (one MGET per batch), Vipps for misses (bounded concurrency, one
 * call per payment however many ask at once), written back to the cache and the registry.
 */
export class PaymentReader {
  private readonly limit = concurrencyLimit(MAX_CONCURRENT_VIPPS_READS);
  private readonly flights = new SingleFlight<PaymentRecord | null>();
  private readonly eventFlights = new SingleFlight<PaymentEventRecord[]>();

  constructor(
    private readonly vipps: EpaymentClient,
    private readonly cache: PaymentCache,
    private readonly registry: PaymentRegistry,
    private readonly log: Logger,
    /** Told of each change once it is stored (subscriptions, jobs). */
    private readonly changed: PaymentChanged,
  ) {}

  async loadMany(keys: readonly PaymentKey[]): Promise<(PaymentRecord | null)[]> {
    const cached = await this.cache.getMany(keys);
    return Promise.all(keys.map((key, i) => cached[i] ?? this.refresh(key.msn, key.reference)));
  }

  /** Read one payment from Vipps and store what we learn; null when Vipps does not know it. */
  refresh(msn: string, reference: string): Promise<PaymentRecord | null> {
    return this.flights.share(`${msn}\u0000${reference}`, () => this.limit(() => this.fetch(msn, reference)));
  }

  async events(p: PaymentRecord): Promise<PaymentEventRecord[]> {
    const cached = await this.cache.getEvents(p.merchantSerialNumber, p.reference);
    if (cached) return cached;
    return this.eventFlights.share(`${p.merchantSerialNumber}\u0000${p.reference}`, async () => {
      const events = (await this.limit(() => this.vipps.getPaymentEvents(p.merchantSerialNumber, p.reference))).map(toEventRecord);
      await this.cache.putEvents(p, events);
      return events;
    });
  }

  /**
   * Keep a payment we now know the state of: registry and cache. Whoever learns of a change — a
   * query, a mutation, a poll, a webhook — it is announced here, once it is stored (STYLE 9). A
   * record older than what we have (reads can race) is dropped. Returns whether the registry has
   * it: when Redis fails, nothing is cached or announced (the next read, poll or sweep stores it).
   */
  async store(p: PaymentRecord): Promise<boolean> {
    let outcome;
    try {
      outcome = await this.registry.record(p);
    } catch (error) {
      this.log.error({ err: error, reference: p.reference }, 'payment registry write failed; the next read, poll or sweep records it');
      return false;
    }
    if (!outcome.written) return true;
    // The record and the (now stale) event log are separate keys: written side by side.
    await Promise.all([this.cache.putMany([p]), outcome.changed ? this.cache.forgetEvents(p.merchantSerialNumber, p.reference) : undefined]);
    if (!outcome.changed) return true;
    try {
      await this.changed(p);
    } catch (error) {
      this.log.error({ err: error, reference: p.reference }, 'could not announce a payment change; the sweeper schedules its jobs again');
    }
    return true;
  }

  /** Before a create is sent: see `PaymentRegistry.intend` (throws when Redis does). */
  intend(msn: string, reference: string): Promise<void> {
    return this.registry.intend(msn, reference, Date.now());
  }

  /** After a create: the payment is recorded, or the intent stays for the sweeper. */
  async created(p: PaymentRecord): Promise<void> {
    if (!(await this.store(p))) return;
    await this.registry.fulfil(p.merchantSerialNumber, p.reference).catch((error: unknown) => this.log.warn({ err: error }, 'could not clear a payment intent; the sweeper clears it'));
  }

  /**
   * Creates decided more than `graceMs` ago whose payment was never recorded: read from Vipps and
   * recorded (announced, followed) when Vipps has it; dropped when it does not after `giveUpMs`
   * (the create never reached Vipps). Returns how many were recorded.
   */
  async recordIntents(msn: string, now = Date.now(), graceMs = 60_000, giveUpMs = 3_600_000): Promise<number> {
    let recorded = 0;
    for (const { reference, atMs } of await this.registry.intents(msn, now - graceMs, 500)) {
      const payment = await this.refresh(msn, reference);
      if (payment || now - atMs > giveUpMs) await this.registry.fulfil(msn, reference);
      if (payment) recorded += 1;
    }
    return recorded;
  }

  private async fetch(msn: string, reference: string): Promise<PaymentRecord | null> {
    // What we recorded and what Vipps says are independent reads: make them at the same time.
    const meta = this.registry.meta(msn, reference).catch((error: unknown) => {
      this.log.warn({ err: error }, 'payment registry read failed');
      return null;
    });
    let response;
    try {
      response = await this.vipps.getPayment(msn, reference);
    } catch (error) {
      if (error instanceof VippsNotFoundError) return null;
      throw error;
    }
    const known = await meta;
    let record = fromVipps(msn, response, known, new Date());
    let events: PaymentEventRecord[] | null = null;
    if (record.state === 'AUTHORIZED' && !record.authorizedAt && !record.captureGuaranteedUntil) {
      events = (await this.vipps.getPaymentEvents(msn, reference)).map(toEventRecord);
      record = { ...record, authorizedAt: authorizedAt(events) };
    }
    await this.store(record);
    if (events) await this.cache.putEvents(record, events);
    return record;
  }
}
