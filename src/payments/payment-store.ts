import { storeThenAnnounce } from '../common/store-then-announce';
import type { Logger } from '../log/logger';
import type { PaymentCache } from './payment-cache';
import type { PaymentRecord } from './payment-record';
import type { PaymentRegistry } from './payment-registry';

/** Called after a payment changed, once its new state is stored (subscriptions, jobs). */
export type PaymentChanged = (p: PaymentRecord) => Promise<void>;

/**
 * Where every payment read from Vipps is kept, whoever read it: a query, a mutation, a poll, a
 * webhook. The registry decides atomically whether it moved; each move is announced once, after
 * it is stored (as AgreementStore and ChargeStore do for Recurring).
 */
export class PaymentStore {
  constructor(
    private readonly registry: PaymentRegistry,
    private readonly cache: PaymentCache,
    private readonly log: Logger,
    /** Told of each change once it is stored (subscriptions, jobs). */
    private readonly changed: PaymentChanged,
  ) {}

  /**
   * Keep a payment we now know the state of: registry and cache. Whoever learns of a change — a
   * query, a mutation, a poll, a webhook — it is announced here, once it is stored (docs/design.md, convention 9). A
   * record older than what we have (reads can race) is dropped. Returns whether the registry has
   * it: when Redis fails, nothing is cached or announced (the next read, poll or sweep stores it).
   * The same steps as the Recurring stores (`storeThenAnnounce`).
   */
  async store(p: PaymentRecord): Promise<boolean> {
    return storeThenAnnounce([p], {
      record: async (r) => {
        const outcome = await this.registry.record(r);
        return !outcome.written ? 'behind' : outcome.changed ? 'moved' : 'same';
      },
      // The record and the (now stale) event log are separate keys: written side by side.
      write: (current, moved) => Promise.all([this.cache.putMany(current), ...moved.map((m) => this.cache.forgetEvents(m.merchantSerialNumber, m.reference))]),
      announce: this.changed,
      describe: (r) => ({ reference: r.reference }),
      log: this.log,
    });
  }

  /** Before a create is sent: see `PaymentRegistry.intend` (throws when Redis does). */
  intend(msn: string, reference: string): Promise<void> {
    return this.registry.intend(msn, reference, Date.now());
  }

  /** After a create: the payment is recorded and its intent cleared, or the intent stays for the sweeper. */
  async created(p: PaymentRecord): Promise<boolean> {
    if (!(await this.store(p))) return false;
    await this.registry.fulfil(p.merchantSerialNumber, p.reference).catch((error: unknown) => this.log.warn({ err: error }, 'could not clear a payment intent; the sweeper clears it'));
    return true;
  }
}
