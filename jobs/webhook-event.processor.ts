import type { Job } from 'bullmq';
import type { Services } from '../src/app/services';
import type { WebhookEventData } from '../src/queues/queues';

/**
 * Applies a verified webhook: a hint to read the resource again from Vipps (docs/vipps.md §11), so
 * duplicates and events out of order are harmless.
 */
export function webhookEventProcessor(services: Services) {
  return async (job: Job<WebhookEventData>): Promise<string> => {
    const { msn, reference, agreementId, chargeId } = job.data;
    if (reference) {
      const payment = await services.paymentReader.refresh(msn, reference);
      return payment ? payment.state : 'unknown to Vipps';
    }
    if (agreementId && chargeId) {
      const charge = await services.recurringReader.refreshCharge(msn, agreementId, chargeId);
      return charge ? charge.status : 'unknown to Vipps';
    }
    if (agreementId) {
      const agreement = await services.recurringReader.refreshAgreement(msn, agreementId);
      if (!agreement) return 'unknown to Vipps';
      // Activation, a stop and expiry change the agreement's charges too.
      await services.recurringReader.refreshChargeList(msn, agreementId);
      return agreement.status;
    }
    return 'no resource to read';
  };
}
