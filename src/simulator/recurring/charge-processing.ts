import { capturable, withEvent, type Charge, type Currency, type FailureReason } from './charge';
import { dateOf, isDueToday, isWithinVisibleWindow, lastRetryDate } from './due-date';

/**
 * What the clock does to charges (docs/vipps.md §10.7, §9, §14): PENDING → DUE when the due date is
 * near, payment on the due date with daily retries until due + retryDays, and release of
 * reservations nobody captured. Pure: the caller stores the result and publishes the outcomes.
 */

/** Test-environment amounts whose payment fails (docs/vipps.md §14), with the spec's failure reasons. */
export const MAGIC_FAILURES: Readonly<Record<number, { reason: FailureReason; description: string }>> = {
  151: { reason: 'user_action_required', description: 'Insufficient funds' },
  182: { reason: 'user_action_required', description: 'Refused by issuer' },
  183: { reason: 'non_technical_error', description: 'Suspected fraud' },
  184: { reason: 'user_action_required', description: 'Withdrawal amount limit exceeded' },
  186: { reason: 'user_action_required', description: 'Expired card' },
  187: { reason: 'user_action_required', description: 'Invalid card' },
  197: { reason: 'user_action_required', description: '3-D Secure denied' },
};

/** Uncaptured reservations are released after this many days (docs/vipps.md §9: Vipps 180, MobilePay 14). */
export const RESERVATION_DAYS: Readonly<Record<Currency, number>> = { NOK: 180, DKK: 14, EUR: 14 };
const DAY_MS = 86_400_000;

/** Something a webhook is sent for. */
export interface ChargeOutcome {
  event: 'reserved' | 'captured' | 'failed' | 'canceled';
  amount: number;
}

export interface Processed {
  charge: Charge;
  outcomes: ChargeOutcome[];
}

export interface PaymentTerms {
  /** The user's max amount on a VARIABLE agreement; null for other pricing types. */
  maxAmount: number | null;
  /** A fresh transaction id, used when money moves. */
  transactionId: () => string;
}

/** Why a payment attempt fails, or null when it succeeds. */
export function paymentFailure(charge: Charge, terms: PaymentTerms): { reason: FailureReason; description: string } | null {
  const magic = MAGIC_FAILURES[charge.amount];
  if (magic) return magic;
  if (terms.maxAmount !== null && charge.amount > terms.maxAmount) {
    return { reason: 'charge_amount_too_high', description: 'The amount is higher than the max amount the user has set' };
  }
  return null;
}

function systemKey(charge: Charge, what: string): string {
  // System-generated keys look like `chr-…-agr_…-ProcessPayment` (docs/vipps.md §6).
  return `${charge.id}-${charge.agreementId}-${what}`;
}

/**
 * One payment attempt: DIRECT_CAPTURE → CHARGED, RESERVE_CAPTURE → RESERVED. A failure keeps the
 * charge DUE for a retry unless `finalAttempt`, in which case it becomes FAILED.
 */
export function attemptPayment(charge: Charge, now: Date, terms: PaymentTerms, finalAttempt: boolean): Processed {
  const op = { now, idempotencyKey: systemKey(charge, 'ProcessPayment') };
  const failure = paymentFailure(charge, terms);
  if (failure) {
    const next = withEvent(charge, 'FAIL', charge.amount, op, false);
    next.lastAttemptDate = dateOf(now);
    if (!finalAttempt) return { charge: { ...next, status: 'DUE' }, outcomes: [] };
    return {
      charge: { ...next, status: 'FAILED', failureReason: failure.reason, failureDescription: failure.description },
      outcomes: [{ event: 'failed', amount: charge.amount }],
    };
  }
  if (charge.transactionType === 'DIRECT_CAPTURE') {
    const next = withEvent(charge, 'CAPTURE', charge.amount, op);
    next.summary.captured = charge.amount;
    return {
      charge: { ...next, status: 'CHARGED', transactionId: terms.transactionId(), capturedAt: now.getTime() },
      outcomes: [{ event: 'captured', amount: charge.amount }],
    };
  }
  const next = withEvent(charge, 'RESERVE', charge.amount, op);
  return {
    charge: { ...next, status: 'RESERVED', transactionId: terms.transactionId(), reservedAt: now.getTime() },
    outcomes: [{ event: 'reserved', amount: charge.amount }],
  };
}

/** Apply everything the clock has made due for one charge. */
export function advanceCharge(charge: Charge, now: Date, terms: PaymentTerms): Processed {
  let current = charge;
  const outcomes: ChargeOutcome[] = [];
  if (current.status === 'PENDING' && current.type === 'RECURRING' && isWithinVisibleWindow(current.due, now)) {
    current = { ...current, status: 'DUE' };
  }
  if (current.status === 'DUE' && isDueToday(current.due, now) && current.lastAttemptDate !== dateOf(now)) {
    // Attempts fail or succeed deterministically here, so after a clock jump one attempt
    // stands for all the days skipped.
    const finalAttempt = dateOf(now) >= lastRetryDate(current.due, current.retryDays);
    const processed = attemptPayment(current, now, terms, finalAttempt);
    current = processed.charge;
    outcomes.push(...processed.outcomes);
  }
  const released = releaseExpiredReservation(current, now);
  if (released) {
    current = released.charge;
    outcomes.push(...released.outcomes);
  }
  return { charge: current, outcomes };
}

/** Release an uncaptured reservation after the market's capture deadline. */
export function releaseExpiredReservation(charge: Charge, now: Date): Processed | null {
  if (charge.reservedAt === null) return null;
  if (charge.status !== 'RESERVED' && charge.status !== 'PARTIALLY_CAPTURED') return null;
  if (now.getTime() < charge.reservedAt + RESERVATION_DAYS[charge.currency] * DAY_MS) return null;
  const remainder = capturable(charge);
  const next = withEvent(charge, 'CANCEL', remainder, { now, idempotencyKey: systemKey(charge, 'ReservationExpired') });
  next.summary.cancelled += remainder;
  next.status = charge.status === 'RESERVED' ? 'CANCELLED' : 'CHARGED';
  return { charge: next, outcomes: [{ event: 'canceled', amount: remainder }] };
}
