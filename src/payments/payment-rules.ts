import type { PaymentRecord, PaymentState } from './payment-record';

/**
 * Derived facts about a payment, from Vipps' state machine and money rules (docs/vipps.md §8, §9).
 * Pure functions: the GraphQL fields and the pre-checks of mutations use the same rules.
 */

const DAY_MS = 86_400_000;
/** Reservation lifetime per market when Vipps reports no `captureGuaranteedUntil` (docs/vipps.md §9). */
const CAPTURE_WINDOW_DAYS = { NOK: 180, DKK: 14, EUR: 14 } as const;
/** Vipps refuses a refund (6220) this long after the capture (docs/vipps.md §9). */
const REFUND_WINDOW_DAYS = 365;

export type PaymentAction = 'CAPTURE' | 'REFUND' | 'CANCEL';

/** Vipps' states, with AUTHORIZED told apart by where the money went (`paymentStatus`). */
export type PaymentStatus = PaymentState | 'PARTIALLY_CAPTURED' | 'CAPTURED' | 'PARTIALLY_REFUNDED' | 'REFUNDED' | 'CANCELLED';

/** Money reserved and not yet captured or released: A − C − X while AUTHORIZED. */
export function capturable(p: PaymentRecord): number {
  if (p.state !== 'AUTHORIZED') return 0;
  const { authorized, captured, cancelled } = p.aggregate;
  return Math.max(0, authorized - captured - cancelled);
}

/** Captured money not yet refunded: C − R. */
export function refundable(p: PaymentRecord): number {
  return Math.max(0, p.aggregate.captured - p.aggregate.refunded);
}

/** When the reservation ends: Vipps' guarantee if reported, else the market's window after authorization. */
export function captureDeadline(p: PaymentRecord): Date | null {
  if (p.state !== 'AUTHORIZED') return null;
  if (p.captureGuaranteedUntil) return new Date(p.captureGuaranteedUntil);
  if (!p.authorizedAt) return null;
  return new Date(Date.parse(p.authorizedAt) + CAPTURE_WINDOW_DAYS[p.amount.currency] * DAY_MS);
}

/** When refunds end: 365 days after the first capture; null while the capture time is unknown. */
export function refundDeadline(p: PaymentRecord): Date | null {
  return p.capturedAt ? new Date(Date.parse(p.capturedAt) + REFUND_WINDOW_DAYS * DAY_MS) : null;
}

export function availableActions(p: PaymentRecord, now: Date = new Date()): PaymentAction[] {
  const actions: PaymentAction[] = [];
  const deadline = captureDeadline(p);
  const open = deadline === null || deadline.getTime() > now.getTime();
  if (capturable(p) > 0 && open) actions.push('CAPTURE');
  const refundDue = refundDeadline(p);
  if (refundable(p) > 0 && (refundDue === null || refundDue.getTime() > now.getTime())) actions.push('REFUND');
  if (p.state === 'CREATED' || (capturable(p) > 0 && open)) actions.push('CANCEL');
  return actions;
}

/**
 * The payment's outcome in one word. Vipps keeps `state: AUTHORIZED` through captures, refunds
 * and cancels (they only change the aggregate), which surprises people reading it: the word
 * follows the money instead. Refunds outrank captures, captures outrank a released remainder.
 */
export function paymentStatus(p: PaymentRecord): PaymentStatus {
  if (p.state !== 'AUTHORIZED') return p.state;
  const { captured, refunded, cancelled } = p.aggregate;
  if (refunded > 0) return refunded >= captured ? 'REFUNDED' : 'PARTIALLY_REFUNDED';
  if (captured > 0) return capturable(p) > 0 ? 'PARTIALLY_CAPTURED' : 'CAPTURED';
  if (cancelled > 0) return 'CANCELLED';
  return 'AUTHORIZED';
}
