import type { Logger } from '../log/logger';
import type { RecurringCache } from './recurring-cache';
import type { AgreementRecord } from './recurring-record';
import type { RecurringRegistry } from './recurring-registry';
import { storeThenAnnounce } from '../common/store-then-announce';

/** Called once an agreement's change is stored (subscriptions, jobs). */
export type AgreementChanged = (a: AgreementRecord) => Promise<void>;

/**
 * Where every agreement read from Vipps is kept, whoever read it: a query, a mutation, a poll, a
 * webhook, the agreement page, the sweeper's listing at Vipps. The registry moves it into the
 * index of its status in the same atomic step that compares its version, so `agreements(...)`
 * lists what was last stored; each change is announced once (see `storeThenAnnounce`).
 */
export class AgreementStore {
  constructor(
    private readonly registry: RecurringRegistry,
    private readonly cache: RecurringCache,
    private readonly log: Logger,
    private readonly changed: AgreementChanged,
  ) {}

  async store(a: AgreementRecord): Promise<void> {
    await this.storeAll([a]);
  }

  /** Many at once (a page of Vipps' agreement list). False when the registry could not be written. */
  storeAll(records: readonly AgreementRecord[]): Promise<boolean> {
    return storeThenAnnounce(records, {
      record: (a) => this.registry.recordAgreement(a),
      write: (current) => (current.length > 0 ? this.cache.putAgreements(current) : Promise.resolve()),
      announce: this.changed,
      describe: (a) => ({ agreementId: a.agreementId }),
      log: this.log,
    });
  }
}
