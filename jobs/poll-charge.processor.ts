import { DelayedError, type Job } from 'bullmq';
import type { Services } from '../src/app/services';
import { nextChargePollDelay } from '../src/queues/poll-cadence';
import type { PollChargeData } from '../src/queues/queues';

/** Looks at a charge around its due date until Vipps has charged, reserved or failed it. */
export function pollChargeProcessor(services: Services) {
  return async (job: Job<PollChargeData>, token?: string): Promise<string> => {
    const { msn, agreementId, chargeId } = job.data;
    const charge = await services.recurringReader.refreshCharge(msn, agreementId, chargeId);
    if (!charge) return 'unknown to Vipps';
    const delay = nextChargePollDelay(charge, Date.now());
    if (delay === null) return charge.status;
    await job.moveToDelayed(Date.now() + delay, token);
    throw new DelayedError();
  };
}
