import { createHash } from 'node:crypto';
import { UnrecoverableError, type Job } from 'bullmq';
import type { Services } from '../src/app/services';
import { SYSTEM_CAPTURE_ACTOR } from '../src/audit/audit-entry';
import { ErrorCode } from '../src/common/error-code';
import { captureWarningEvent, captureWarningId } from '../src/merchant-events/change-events';
import type { MerchantEvent } from '../src/merchant-events/merchant-event';
import { capturable, captureDeadline } from '../src/payments/payment-rules';
import { capturable as chargeCapturable, captureDeadline as chargeCaptureDeadline } from '../src/recurring/charge-rules';
import type { CaptureBeforeExpiryData } from '../src/queues/queues';

/** Failures worth another try: Vipps busy or unreachable. Anything else will not change. */
const RETRYABLE = new Set([ErrorCode.VIPPS_UNAVAILABLE, ErrorCode.OPERATION_IN_PROGRESS, ErrorCode.RATE_LIMITED]);

/**
 * The idempotency key of the automatic capture, derived from the payment so a retried,
 * duplicated or resumed job captures once (docs/design.md, convention 4). Under 40 characters whatever the target
 * (a payment reference, or `agreementId/chargeId`).
 */
export function autoCaptureKey(msn: string, target: string): string {
  return `auto-capture-${createHash('sha256').update(`${msn}:${target}`).digest('hex').slice(0, 26)}`;
}

interface Reservation {
  deadline: Date | null;
  /** The warning to emit about it, with what is left to capture now. */
  warning: (deadline: string) => MerchantEvent;
  capture: (key: string) => Promise<{ errors: { code: ErrorCode }[] }>;
}

/** The reservation a job is about, read fresh from Vipps; null when nothing is left to capture. */
async function reservationOf(services: Services, data: CaptureBeforeExpiryData): Promise<Reservation | null> {
  const { msn, reference, agreementId, chargeId } = data;
  const threshold = data.threshold ?? 'first';
  if (reference) {
    const payment = await services.paymentReader.refresh(msn, reference);
    if (!payment || capturable(payment) === 0) return null;
    return {
      deadline: captureDeadline(payment),
      warning: (deadline) => captureWarningEvent({ payment }, threshold, { capturable: { value: capturable(payment), currency: payment.amount.currency }, deadline }),
      capture: (key) => services.payments.capture(SYSTEM_CAPTURE_ACTOR, msn, reference, null, key),
    };
  }
  if (!agreementId || !chargeId) return null;
  const charge = await services.recurringReader.refreshCharge(msn, agreementId, chargeId);
  if (!charge || chargeCapturable(charge) === 0) return null;
  return {
    deadline: chargeCaptureDeadline(charge),
    warning: (deadline) => captureWarningEvent({ charge }, threshold, { capturable: { value: chargeCapturable(charge), currency: charge.currency }, deadline }),
    capture: (key) => services.charges.capture(SYSTEM_CAPTURE_ACTOR, msn, agreementId, chargeId, null, null, key),
  };
}

/**
 * Before a reservation expires (docs/vipps.md §9), per merchant policy, payments and reserved
 * Recurring charges alike. At CAPTURE_MARGIN: capture what is left (CAPTURE) or emit
 * CAPTURE_DEADLINE_APPROACHING (NOTIFY). At CAPTURE_FINAL_MARGIN, whatever the policy: if money is
 * still left (not captured by hand, or the automatic capture did not go through), warn once more.
 * Each warning is emitted once per reservation and threshold (`CaptureWarnings`).
 */
export function captureBeforeExpiryProcessor(services: Services) {
  return async (job: Job<CaptureBeforeExpiryData>): Promise<string> => {
    const { msn } = job.data;
    const threshold = job.data.threshold ?? 'first';
    const merchant = services.config.vipps.merchants.find((m) => m.msn === msn);
    const warns = threshold === 'final' || merchant?.capturePolicy !== 'CAPTURE';
    const target = job.data.reference ?? `${job.data.agreementId}/${job.data.chargeId}`;
    // A job the sweeper rebuilt after it ran (completed jobs are removed) stops here, without a Vipps read.
    if (warns && (await services.captureWarnings.emitted(msn, captureWarningId(msn, target, job.data.deadline, threshold)))) return 'already warned';
    const reservation = await reservationOf(services, job.data);
    if (!reservation) return 'nothing left to capture';
    const { deadline } = reservation;
    if (deadline && deadline.getTime() <= Date.now()) return 'deadline already passed';
    if (warns) {
      // The id names the deadline the job was set for, as the check above did.
      const emitted = await services.captureWarnings.emitOnce(reservation.warning(job.data.deadline), deadline ?? new Date(job.data.deadline));
      return emitted ? 'warned' : 'already warned';
    }
    const key = autoCaptureKey(msn, target);
    // Audited by the mutation frame, as SYSTEM_CAPTURE_ACTOR.
    const outcome = await reservation.capture(key);
    const error = outcome.errors[0];
    if (!error) return 'captured';
    if (RETRYABLE.has(error.code)) throw new Error(`automatic capture not confirmed: ${error.code}`);
    throw new UnrecoverableError(`automatic capture refused: ${error.code}`);
  };
}
