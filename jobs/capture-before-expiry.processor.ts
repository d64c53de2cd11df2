import { createHash } from 'node:crypto';
import { UnrecoverableError, type Job } from 'bullmq';
import type { Services } from '../src/app/services';
import { SYSTEM_CAPTURE_ACTOR } from '../src/audit/audit-entry';
import { ErrorCode } from '../src/common/error-code';
import { capturable, captureDeadline } from '../src/payments/payment-rules';
import { capturable as chargeCapturable, captureDeadline as chargeCaptureDeadline } from '../src/recurring/charge-rules';
import type { CaptureBeforeExpiryData } from '../src/queues/queues';

/** Failures worth another try: Vipps busy or unreachable. Anything else will not change. */
const RETRYABLE = new Set([ErrorCode.VIPPS_UNAVAILABLE, ErrorCode.OPERATION_IN_PROGRESS, ErrorCode.RATE_LIMITED]);

/**
 * The idempotency key of the automatic capture, derived from the payment so a retried,
 * duplicated or resumed job captures once (STYLE 4). Under 40 characters whatever the target
 * (a payment reference, or `agreementId/chargeId`).
 */
export function autoCaptureKey(msn: string, target: string): string {
  return `auto-capture-${createHash('sha256').update(`${msn}:${target}`).digest('hex').slice(0, 26)}`;
}

interface Reservation {
  /** For the warning's log line. */
  name: string;
  capturable: number;
  currency: string;
  deadline: Date | null;
  capture: (key: string) => Promise<{ errors: { code: ErrorCode }[] }>;
}

/** The reservation a job is about, read fresh from Vipps; null when nothing is left to capture. */
async function reservationOf(services: Services, data: CaptureBeforeExpiryData): Promise<Reservation | null> {
  const { msn, reference, agreementId, chargeId } = data;
  if (reference) {
    const payment = await services.paymentReader.refresh(msn, reference);
    if (!payment || capturable(payment) === 0) return null;
    return {
      name: `payment ${reference}`,
      capturable: capturable(payment),
      currency: payment.amount.currency,
      deadline: captureDeadline(payment),
      capture: (key) => services.payments.capture(SYSTEM_CAPTURE_ACTOR, msn, reference, null, key),
    };
  }
  if (!agreementId || !chargeId) return null;
  const charge = await services.recurringReader.refreshCharge(msn, agreementId, chargeId);
  if (!charge || chargeCapturable(charge) === 0) return null;
  return {
    name: `charge ${chargeId} of agreement ${agreementId}`,
    capturable: chargeCapturable(charge),
    currency: charge.currency,
    deadline: chargeCaptureDeadline(charge),
    capture: (key) => services.charges.capture(SYSTEM_CAPTURE_ACTOR, msn, agreementId, chargeId, null, null, key),
  };
}

/**
 * Before a reservation expires (REFERENCE §9): capture what is left (policy CAPTURE) or warn
 * (policy NOTIFY), per merchant. Payments and reserved Recurring charges alike.
 */
export function captureBeforeExpiryProcessor(services: Services) {
  return async (job: Job<CaptureBeforeExpiryData>): Promise<string> => {
    const { msn } = job.data;
    const reservation = await reservationOf(services, job.data);
    if (!reservation) return 'nothing left to capture';
    const { deadline } = reservation;
    if (deadline && deadline.getTime() <= Date.now()) return 'deadline already passed';
    const merchant = services.config.vipps.merchants.find((m) => m.msn === msn);
    if (merchant?.capturePolicy !== 'CAPTURE') {
      services.log.warn({ msn, what: reservation.name, deadline }, 'reservation expires soon and the merchant captures by hand');
      return 'notified';
    }
    const target = job.data.reference ?? `${job.data.agreementId}/${job.data.chargeId}`;
    const key = autoCaptureKey(msn, target);
    // Audited by the mutation frame, as SYSTEM_CAPTURE_ACTOR.
    const outcome = await reservation.capture(key);
    const error = outcome.errors[0];
    if (!error) return 'captured';
    if (RETRYABLE.has(error.code)) throw new Error(`automatic capture not confirmed: ${error.code}`);
    throw new UnrecoverableError(`automatic capture refused: ${error.code}`);
  };
}
