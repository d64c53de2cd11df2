import type { Logger } from '../log/logger';
import type { RecurringCache } from './recurring-cache';
import type { AgreementRecord, AgreementStatus } from './recurring-record';
import type { RecurringRegistry } from './recurring-registry';
import { storeThenAnnounce } from '../common/store-then-announce';

/** Called once an agreement's change is stored (subscriptions, jobs). */
export type AgreementChanged = (a: AgreementRecord) => Promise<void>;

/**
 * Where every agreement read from Vipps is kept, whoever read it: a query, a mutation, a poll, a
 * webhook, the agreement page, a list refresh. Each change is announced once (see
 * `storeThenAnnounce`).
 */
export class AgreementStore {
  constructor(
    private readonly registry: RecurringRegistry,
    private readonly cache: RecurringCache,
    private readonly log: Logger,
    private readonly changed: AgreementChanged,
  ) {}

  /** One agreement, moved into the cached list of its status and out of the others. */
  async store(a: AgreementRecord): Promise<void> {
    await this.steps([a], (current) => (current.length > 0 ? Promise.all([this.cache.putAgreements(current), this.cache.moveInAgreementLists(a)]) : Promise.resolve()));
  }

  /** A merchant's agreements in one status, as Vipps listed them, with the list of their ids. */
  async storeListed(msn: string, status: AgreementStatus, records: readonly AgreementRecord[]): Promise<void> {
    await this.steps(records, (current) => Promise.all([this.cache.putAgreements(current), this.cache.putAgreementList(msn, status, records.map((a) => a.agreementId))]));
  }

  private steps(records: readonly AgreementRecord[], write: (current: readonly AgreementRecord[]) => Promise<unknown>): Promise<boolean> {
    return storeThenAnnounce(records, { record: (a) => this.registry.recordAgreement(a), write, announce: this.changed, describe: (a) => ({ agreementId: a.agreementId }), log: this.log });
  }
}
