import type { components } from '../../vipps/generated/recurring';
import type { Currency } from '../../common/money';
import { recurringProblem } from '../problems';

/**
 * A Recurring charge and the merchant operations on it (docs/vipps.md §10.5, §10.7), as pure
 * functions: each takes a charge and returns the next one, or throws the Recurring problem Vipps
 * answers with. Time-driven processing lives in `charge-processing.ts`.
 */
type Schemas = components['schemas'];

export type ChargeStatus = Schemas['ChargeStatus'];
export type ChargeEvent = Schemas['ChargeEvent'];
export type ChargeSummary = Schemas['ChargeSummary'];
export type TransactionType = Schemas['transactionType'];
/** The stored spec predates `UNSCHEDULED` ([now], docs/vipps.md §10.4). */
export type ChargeType = Schemas['ChargeType'] | 'UNSCHEDULED';
export type FailureReason = NonNullable<Schemas['ChargeResponseV3']['failureReason']>;
/** The stored spec says NOK only; DKK and EUR are live today (docs/vipps.md §0). */
export type { Currency };

export interface Charge {
  id: string;
  agreementId: string;
  msn: string;
  amount: number;
  currency: Currency;
  description: string;
  /** `YYYY-MM-DD` (UTC); rendered as a date-time like Vipps does. */
  due: string;
  retryDays: number;
  type: ChargeType;
  transactionType: TransactionType;
  status: ChargeStatus;
  externalId: string | null;
  transactionId: string | null;
  failureReason: FailureReason | null;
  failureDescription: string | null;
  summary: ChargeSummary;
  history: ChargeEvent[];
  /** Epoch ms of the reservation, for the capture deadline (docs/vipps.md §9). */
  reservedAt: number | null;
  /** Epoch ms of the latest capture, for the 365-day refund window. */
  capturedAt: number | null;
  /** Simulator date of the latest failed attempt: a charge is tried at most once per day. */
  lastAttemptDate: string | null;
  createdAt: number;
}

/** Who asked and when: every operation is recorded in the charge history with its key. */
export interface OperationContext {
  now: Date;
  idempotencyKey: string;
}

export const MIN_CHARGE_AMOUNT = 100;
const REFUND_WINDOW_MS = 365 * 86_400_000;
/** Test-environment refund amounts that fail (docs/vipps.md §14). */
const FAILING_REFUNDS: Record<number, string> = {
  123: 'The refund cannot be made: the user has no account to receive it.',
  124: 'The refund period has expired.',
};

/** The amount still reserved and neither captured nor released. */
export function capturable(charge: Charge): number {
  if (charge.status !== 'RESERVED' && charge.status !== 'PARTIALLY_CAPTURED') return 0;
  return charge.amount - charge.summary.captured - charge.summary.cancelled;
}

export function refundable(charge: Charge): number {
  return charge.summary.captured - charge.summary.refunded;
}

export function withEvent(charge: Charge, event: ChargeEvent['event'], amount: number, op: OperationContext, success = true): Charge {
  return {
    ...charge,
    summary: { ...charge.summary },
    history: [...charge.history, { occurred: op.now.toISOString(), event, amount, idempotencyKey: op.idempotencyKey, success }],
  };
}

function stateProblem(identifier: string, operation: string, charge: Charge): never {
  // Since June 2026 Vipps puts the current charge status in `detail` (docs/vipps.md §5).
  throw recurringProblem(400, identifier, 'Bad Request', `Cannot ${operation} charge ${charge.id} with status ${charge.status}.`);
}

function tooHigh(operation: string, amount: number, limit: number): never {
  throw recurringProblem(400, 'charge-amount-too-high', 'Bad Request', `Cannot ${operation} ${amount}: at most ${limit} is available.`, [
    { field: 'amount', text: `must be at most ${limit}` },
  ]);
}

/** Capture part or all of a reserved RESERVE_CAPTURE charge. */
export function captureCharge(charge: Charge, amount: number, op: OperationContext): Charge {
  if (charge.transactionType !== 'RESERVE_CAPTURE') {
    throw recurringProblem(400, 'charge-capture-failed', 'Bad Request', `Cannot capture charge ${charge.id}: it is a DIRECT_CAPTURE charge (status ${charge.status}).`);
  }
  if (charge.status !== 'RESERVED' && charge.status !== 'PARTIALLY_CAPTURED') stateProblem('charge-capture-failed', 'capture', charge);
  const remaining = capturable(charge);
  if (amount > remaining) tooHigh('capture', amount, remaining);
  const next = withEvent(charge, 'CAPTURE', amount, op);
  next.summary.captured += amount;
  next.capturedAt = op.now.getTime();
  next.status = next.summary.captured === charge.amount ? 'CHARGED' : 'PARTIALLY_CAPTURED';
  return next;
}

/**
 * Cancel a charge not yet paid, or release what is left of a partial capture (the charge then
 * counts as CHARGED for the captured part).
 */
export function cancelCharge(charge: Charge, op: OperationContext): Charge {
  switch (charge.status) {
    case 'PENDING':
    case 'DUE':
    case 'RESERVED': {
      const next = withEvent(charge, 'CANCEL', charge.amount, op);
      next.summary.cancelled = charge.amount;
      next.status = 'CANCELLED';
      return next;
    }
    case 'PARTIALLY_CAPTURED': {
      const remainder = capturable(charge);
      const next = withEvent(charge, 'CANCEL', remainder, op);
      next.summary.cancelled += remainder;
      next.status = 'CHARGED';
      return next;
    }
    default:
      return stateProblem('cancel-charge-failed', 'cancel', charge);
  }
}

/** Refund part or all of what was captured, within 365 days of the capture. */
export function refundCharge(charge: Charge, amount: number, op: OperationContext): Charge {
  if (charge.status !== 'CHARGED' && charge.status !== 'PARTIALLY_REFUNDED') stateProblem('operation-failed', 'refund', charge);
  const available = refundable(charge);
  if (amount > available) tooHigh('refund', amount, available);
  const failing = FAILING_REFUNDS[amount];
  if (failing) throw recurringProblem(400, 'operation-failed', 'Bad Request', failing);
  if (charge.capturedAt !== null && op.now.getTime() - charge.capturedAt > REFUND_WINDOW_MS) {
    throw recurringProblem(400, 'operation-failed', 'Bad Request', `Cannot refund charge ${charge.id}: more than 365 days since capture.`);
  }
  const next = withEvent(charge, 'REFUND', amount, op);
  next.summary.refunded += amount;
  next.status = next.summary.refunded === next.summary.captured ? 'REFUNDED' : 'PARTIALLY_REFUNDED';
  return next;
}
