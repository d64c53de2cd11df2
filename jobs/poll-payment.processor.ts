import { DelayedError, type Job } from 'bullmq';
import type { Services } from '../src/app/services';
import { nextPollDelay } from '../src/queues/poll-cadence';
import type { PollPaymentData } from '../src/queues/queues';

/**
 * Looks at one payment until it leaves CREATED, never trusting webhooks alone (docs/vipps.md §12).
 * One job per payment: between looks the job moves itself back to the delayed set.
 */
export function pollPaymentProcessor(services: Services) {
  return async (job: Job<PollPaymentData>, token?: string): Promise<string> => {
    const { msn, reference, since, expiresAt } = job.data;
    const payment = await services.paymentReader.refresh(msn, reference);
    if (!payment) return 'unknown to Vipps';
    if (payment.state !== 'CREATED') return payment.state;
    const delay = nextPollDelay(Date.now(), since, expiresAt);
    if (delay === null) return 'gave up: still CREATED long after the window';
    await job.moveToDelayed(Date.now() + delay, token);
    throw new DelayedError();
  };
}
