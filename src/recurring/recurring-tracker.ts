import type { AgreementChanged, ChargeChanged } from './agreement.service';
import type { RecurringCache } from './recurring-cache';
import type { RecurringReader } from './recurring-reader';
import type { AgreementRecord, ChargeRecord } from './recurring-record';
import { agreementVersion, chargeVersion } from './recurring-versions';

/**
 * Re-reads agreements and charges from Vipps (polls, webhooks, the sweeper) and reports what
 * moved. Vipps is the source of truth; a webhook only says where to look.
 */
export class RecurringTracker {
  constructor(
    private readonly reader: RecurringReader,
    private readonly cache: RecurringCache,
    private readonly agreementChanged: AgreementChanged,
    private readonly chargeChanged: ChargeChanged,
  ) {}

  async observeAgreement(msn: string, agreementId: string): Promise<AgreementRecord | null> {
    const [before] = await this.cache.getAgreements([{ msn, agreementId }]);
    const after = await this.reader.refreshAgreement(msn, agreementId);
    if (after && (!before || agreementVersion(before) !== agreementVersion(after))) {
      await this.agreementChanged(after);
      // Activation processes the initial charge; a stop cancels charges: look at them too.
      for (const charge of await this.reader.refreshChargeList(msn, agreementId)) await this.chargeChanged(charge);
    }
    return after;
  }

  async observeCharge(msn: string, agreementId: string, chargeId: string): Promise<ChargeRecord | null> {
    const [before] = await this.cache.getCharges([{ msn, agreementId, chargeId }]);
    const after = await this.reader.refreshCharge(msn, agreementId, chargeId);
    if (after && (!before || chargeVersion(before) !== chargeVersion(after))) await this.chargeChanged(after);
    return after;
  }
}
