import { concurrencyLimit, SingleFlight } from '../common/concurrency';
import type { Logger } from '../log/logger';
import type { EpaymentClient } from '../vipps/epayment-client';
import { VippsNotFoundError } from '../vipps/errors';
import type { PaymentCache } from './payment-cache';
import { authorizedAt, firstCapturedAt, fromVipps, toEventRecord } from './payment-mapper';
import type { PaymentEventRecord, PaymentRecord } from './payment-record';
import type { PaymentRegistry } from './payment-registry';
import type { PaymentStore } from './payment-store';

export interface PaymentKey {
  msn: string;
  reference: string;
}

/** At most this many Vipps reads in flight per process (a cold page of 100 is 100 reads). */
const MAX_CONCURRENT_VIPPS_READS = 16;

/**
 * Reads payments: cache first (one MGET per batch), Vipps for misses (bounded concurrency, one
 * call per payment however many ask at once), kept by the PaymentStore.
 */
export class PaymentReader {
  private readonly limit = concurrencyLimit(MAX_CONCURRENT_VIPPS_READS);
  private readonly flights = new SingleFlight<PaymentRecord | null>();
  private readonly eventFlights = new SingleFlight<PaymentEventRecord[]>();

  constructor(
    private readonly vipps: EpaymentClient,
    private readonly cache: PaymentCache,
    private readonly registry: PaymentRegistry,
    private readonly store: PaymentStore,
    private readonly log: Logger,
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
   * Creates decided more than `graceMs` ago whose payment was never recorded: read from Vipps and
   * recorded (announced, followed) when Vipps has it; dropped when it does not after `giveUpMs`
   * (the create never reached Vipps). Returns how many were recorded.
   */
  async recordIntents(msn: string, now = Date.now(), graceMs = 60_000, giveUpMs = 3_600_000): Promise<number> {
    let recorded = 0;
    for (const { reference, atMs } of await this.registry.intents(msn, now - graceMs, 500)) {
      const payment = await this.refresh(msn, reference);
      // The intent goes only once the registry has the payment (created stores it, a repeat for the registry).
      if (payment) recorded += (await this.store.created(payment)) ? 1 : 0;
      else if (now - atMs > giveUpMs) await this.registry.fulfil(msn, reference);
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
    const needsAuthorizedAt = record.state === 'AUTHORIZED' && !record.authorizedAt && !record.captureGuaranteedUntil;
    // Read once per payment: the registry keeps it, and the first capture never changes.
    const needsCapturedAt = record.aggregate.captured > 0 && !record.capturedAt;
    if (needsAuthorizedAt || needsCapturedAt) {
      events = (await this.vipps.getPaymentEvents(msn, reference)).map(toEventRecord);
      record = { ...record, authorizedAt: record.authorizedAt ?? authorizedAt(events), capturedAt: firstCapturedAt(events) };
    }
    await this.store.store(record);
    if (events) await this.cache.putEvents(record, events);
    return record;
  }
}
