import type { Job } from 'bullmq';
import type { Services } from '../src/app/services';
import type { MerchantWebhookData } from '../src/queues/queues';

/** A failed try: BullMQ tries again after the job's backoff while it has tries left. */
class DeliveryFailed extends Error {
  override name = 'DeliveryFailed';
}

/**
 * One try of a merchant webhook delivery (src/merchant-webhooks/webhook-delivery.ts). The
 * schedule is the job's own (its attempts and backoff), so the delivery log's next retry is
 * the one BullMQ will make.
 */
export function merchantWebhookProcessor(services: Services) {
  return async (job: Job<MerchantWebhookData>): Promise<string> => {
    const backoff = job.opts.backoff;
    const baseDelayMs = typeof backoff === 'number' ? backoff : (backoff?.delay ?? 0);
    const result = await services.merchantWebhooks.delivery.attempt(job.data, job.attemptsMade + 1, { attempts: job.opts.attempts ?? 1, baseDelayMs });
    if (result.failed) throw new DeliveryFailed(result.summary);
    return result.summary;
  };
}
