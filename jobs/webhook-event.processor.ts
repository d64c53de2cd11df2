import type { Job } from 'bullmq';
import type { Services } from '../src/app/services';
import type { WebhookEventData } from '../src/queues/queues';

/**
 * Applies a verified webhook: a hint to read the resource again from Vipps (REFERENCE §11), so
 * duplicates and events out of order are harmless.
 */
export function webhookEventProcessor(services: Services) {
  return async (job: Job<WebhookEventData>): Promise<string> => {
    const { msn, reference } = job.data;
    if (reference) {
      const payment = await services.paymentTracker.observe(msn, reference);
      return payment ? payment.state : 'unknown to Vipps';
    }
    return 'no resource to read';
  };
}
