import type { Logger } from '../log/logger';
import type { AgreementKey, RecurringCache } from './recurring-cache';
import type { AgreementRecord, ChargeRecord } from './recurring-record';
import type { RecurringRegistry } from './recurring-registry';
import { storeThenAnnounce } from '../common/store-then-announce';

/** Called once a charge's change is stored (subscriptions, jobs). */
export type ChargeChanged = (c: ChargeRecord) => Promise<void>;

/**
 * Where every charge read from Vipps is kept, whoever read it: a query, a mutation, a poll, a
 * webhook, the agreement page, a list refresh. Each change is announced once (see
 * `storeThenAnnounce`); the registry also keeps the merchant's index of reserved charges.
 */
export class ChargeStore {
  constructor(
    private readonly registry: RecurringRegistry,
    private readonly cache: RecurringCache,
    private readonly log: Logger,
    private readonly changed: ChargeChanged,
  ) {}

  /** One charge; one we did not know of (just created, say) joins its agreement's cached list. */
  async store(c: ChargeRecord): Promise<void> {
    const agreement = { msn: c.merchantSerialNumber, agreementId: c.agreementId };
    await this.steps([c], (current) => (current.length > 0 ? Promise.all([this.cache.putCharges(current), this.cache.addToChargeList(agreement, c.chargeId)]) : Promise.resolve()));
  }

  /** All charges of an agreement, as Vipps listed them, with the list of their ids. */
  async storeListed(key: AgreementKey, records: readonly ChargeRecord[], agreement: AgreementRecord | null): Promise<void> {
    await this.steps(records, (current) => Promise.all([this.cache.putCharges(current), this.cache.putChargeList(key, records.map((c) => c.chargeId), agreement)]));
  }

  private steps(records: readonly ChargeRecord[], write: (current: readonly ChargeRecord[]) => Promise<unknown>): Promise<boolean> {
    return storeThenAnnounce(records, { record: (c) => this.registry.recordCharge(c), write, announce: this.changed, describe: (c) => ({ agreementId: c.agreementId, chargeId: c.chargeId }), log: this.log });
  }
}
