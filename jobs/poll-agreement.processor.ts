import { DelayedError, type Job } from 'bullmq';
import type { Services } from '../src/app/services';
import { nextPollDelay } from '../src/queues/poll-cadence';
import type { PollAgreementData } from '../src/queues/queues';

/** Looks at a PENDING agreement until the customer accepts, rejects or lets it expire. */
export function pollAgreementProcessor(services: Services) {
  return async (job: Job<PollAgreementData>, token?: string): Promise<string> => {
    const { msn, agreementId, since } = job.data;
    const agreement = await services.recurringReader.refreshAgreement(msn, agreementId);
    if (!agreement) return 'unknown to Vipps';
    if (agreement.status !== 'PENDING') {
      // Activation processes the initial charge; a rejection or expiry cancels it: look at the charges too.
      await services.recurringReader.refreshChargeList(msn, agreementId);
      return agreement.status;
    }
    const delay = nextPollDelay(Date.now(), since, null);
    if (delay === null) return 'gave up: still PENDING long after the window';
    await job.moveToDelayed(Date.now() + delay, token);
    throw new DelayedError();
  };
}
