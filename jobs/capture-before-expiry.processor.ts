import { createHash } from 'node:crypto';
import { UnrecoverableError, type Job } from 'bullmq';
import type { Services } from '../src/app/services';
import { ErrorCode } from '../src/common/error-code';
import { capturable, captureDeadline } from '../src/payments/payment-rules';
import type { CaptureBeforeExpiryData } from '../src/queues/queues';

/** Failures worth another try: Vipps busy or unreachable. Anything else will not change. */
const RETRYABLE = new Set([ErrorCode.VIPPS_UNAVAILABLE, ErrorCode.OPERATION_IN_PROGRESS, ErrorCode.RATE_LIMITED]);

/**
 * The idempotency key of the automatic capture, derived from the payment so a retried,
 * duplicated or resumed job captures once (STYLE 4). Under 40 characters whatever the reference.
 */
export function autoCaptureKey(msn: string, reference: string): string {
  return `auto-capture-${createHash('sha256').update(`${msn}:${reference}`).digest('hex').slice(0, 26)}`;
}

/**
 * Before a reservation expires (REFERENCE §9): capture what is left (policy CAPTURE) or warn
 * (policy NOTIFY), per merchant.
 */
export function captureBeforeExpiryProcessor(services: Services) {
  return async (job: Job<CaptureBeforeExpiryData>): Promise<string> => {
    const { msn, reference } = job.data;
    const payment = await services.paymentTracker.observe(msn, reference);
    if (!payment || capturable(payment) === 0) return 'nothing left to capture';
    const deadline = captureDeadline(payment);
    if (deadline && deadline.getTime() <= Date.now()) return 'deadline already passed';
    const merchant = services.config.vipps.merchants.find((m) => m.msn === msn);
    if (merchant?.capturePolicy !== 'CAPTURE') {
      await services.live.publish(`capture-warning:${msn}`, { reference, capturable: capturable(payment), deadline: deadline?.toISOString() ?? null });
      services.log.warn({ msn, reference, deadline }, 'reservation expires soon and the merchant captures by hand');
      return 'notified';
    }
    const outcome = await services.payments.capture(msn, reference, null, autoCaptureKey(msn, reference));
    const error = outcome.errors[0];
    if (!error) return 'captured';
    if (RETRYABLE.has(error.code)) throw new Error(`automatic capture not confirmed: ${error.code}`);
    throw new UnrecoverableError(`automatic capture refused: ${error.code}`);
  };
}
