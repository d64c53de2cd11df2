import type { components } from '../../vipps/generated/epayment';

/**
 * One simulated ePayment and the pure rules that move it (docs/vipps.md §8–9). Every operation takes
 * a payment and returns either the next payment plus the events it appended, or the Vipps error
 * code that refuses it. No I/O, no clock, no randomness except through `OpContext`, so the whole
 * allowed-operation matrix can be tested as a table.
 */

type Schemas = components['schemas'];
export type Currency = Schemas['Currency'];
export type Amount = Schemas['Amount'];
export type PaymentState = Schemas['State'];
export type PaymentEventName = Schemas['PaymentEventName'];
export type UserFlow = Schemas['CreatePaymentRequest']['userFlow'];
export type PaymentMethodType = Schemas['PaymentMethodType'];

/** Money in minor units of the payment's currency; rendered as `aggregate` on GET. */
export interface Totals {
  authorized: number;
  captured: number;
  cancelled: number;
  refunded: number;
}

export interface PaymentEventRecord {
  name: PaymentEventName;
  /** The amount of this operation, not cumulative. */
  amount: number;
  pspReference: string;
  timestamp: string;
  idempotencyKey: string | null;
  success: boolean;
}

export interface Payment {
  msn: string;
  reference: string;
  /** The CREATED event's pspReference (what GET payment reports). */
  pspReference: string;
  state: PaymentState;
  amount: Amount;
  totals: Totals;
  paymentMethod: PaymentMethodType;
  userFlow: UserFlow;
  returnUrl?: string;
  description?: string;
  metadata?: Record<string, string>;
  profileScope?: string;
  /** Landing-page token; force approve accepts it as `token`. */
  token: string;
  redirectUrl?: string;
  createdAtMs: number;
  /** When a CREATED payment expires: 10 minutes, or the request's `expiresAt`. */
  expiresAtMs: number;
  authorizedAtMs?: number;
  /** Capture deadline after authorization; reported as `captureGuaranteedUntil`. */
  captureDeadlineMs?: number;
  /** OpenID `sub` once authorized with a profile scope. */
  sub?: string;
  events: readonly PaymentEventRecord[];
}

/** What the caller supplies for one operation: the simulator clock, the request's key, new ids. */
export interface OpContext {
  nowMs: number;
  idempotencyKey: string | null;
  newPspReference: () => string;
}

export interface OpRefusal {
  ok: false;
  code: string;
  title: string;
  detail: string;
}
export interface OpSuccess {
  ok: true;
  payment: Payment;
  /** The events this operation appended (also in `payment.events`), to publish as webhooks. */
  events: PaymentEventRecord[];
}
export type OpOutcome = OpSuccess | OpRefusal;

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;
/** A payment request lives 10 minutes unless `expiresAt` says otherwise (docs/vipps.md §9). */
export const PAYMENT_WINDOW_MS = 10 * MINUTE_MS;
/** Refunds are possible up to 365 days after reservation (ePayment FAQ, docs/vipps.md §9). */
export const REFUND_PERIOD_MS = 365 * DAY_MS;

/** Vipps (NOK) reservations last 180 days, MobilePay (DKK, EUR) 14 days by default (docs/vipps.md §9). */
export function captureWindowMs(currency: Currency): number {
  return (currency === 'NOK' ? 180 : 14) * DAY_MS;
}

/**
 * Test-environment magic amounts that fail the card authorization (docs/vipps.md §14). The simulator
 * turns such an approval into ABORTED (a declined user) rather than modelling a failed AUTHORIZED
 * event; 201 (unknown result) and 202 (SCA) are not simulated.
 */
const DECLINED_AMOUNTS: Readonly<Record<number, string>> = {
  151: 'insufficient funds',
  182: 'refused by issuer',
  183: 'suspected fraud',
  184: 'withdrawal limit exceeded',
  186: 'expired card',
  187: 'invalid card',
  197: '3-D Secure denied',
};

export function declineReason(value: number): string | undefined {
  return DECLINED_AMOUNTS[value];
}

export interface NewPayment {
  msn: string;
  reference: string;
  amount: Amount;
  paymentMethod: PaymentMethodType;
  userFlow: UserFlow;
  returnUrl?: string;
  description?: string;
  metadata?: Record<string, string>;
  profileScope?: string;
  token: string;
  redirectUrl?: string;
  /** From the request's `expiresAt`; default is 10 minutes after creation. */
  expiresAtMs?: number;
}

export function createPayment(input: NewPayment, op: OpContext): OpSuccess {
  const { expiresAtMs, ...rest } = input;
  const created = event('CREATED', input.amount.value, op);
  const payment: Payment = {
    ...rest,
    pspReference: created.pspReference,
    state: 'CREATED',
    totals: { authorized: 0, captured: 0, cancelled: 0, refunded: 0 },
    createdAtMs: op.nowMs,
    expiresAtMs: expiresAtMs ?? op.nowMs + PAYMENT_WINDOW_MS,
    events: [created],
  };
  return { ok: true, payment, events: [created] };
}

/** The user approves in the app or on the landing page. */
export function approve(payment: Payment, op: OpContext, sub?: string): OpOutcome {
  if (payment.state !== 'CREATED') return notCreated(payment);
  if (declineReason(payment.amount.value)) return reject(payment, op);
  const value = payment.amount.value;
  return apply(payment, event('AUTHORIZED', value, op), {
    state: 'AUTHORIZED',
    totals: { ...payment.totals, authorized: value },
    authorizedAtMs: op.nowMs,
    captureDeadlineMs: op.nowMs + captureWindowMs(payment.amount.currency),
    ...(payment.profileScope && sub ? { sub } : {}),
  });
}

/** The user rejects (or the authorization is declined). */
export function reject(payment: Payment, op: OpContext): OpOutcome {
  if (payment.state !== 'CREATED') return notCreated(payment);
  return apply(payment, event('ABORTED', payment.amount.value, op), { state: 'ABORTED' });
}

/** CREATED → EXPIRED once the window has closed; the event is stamped at the expiry instant. */
export function expireIfDue(payment: Payment, nowMs: number, newPspReference: () => string): OpSuccess | undefined {
  if (payment.state !== 'CREATED' || nowMs < payment.expiresAtMs) return undefined;
  const op = { nowMs: payment.expiresAtMs, idempotencyKey: null, newPspReference };
  return apply(payment, event('EXPIRED', payment.amount.value, op), { state: 'EXPIRED' });
}

/** At the capture deadline Vipps releases the uncaptured remainder (a CANCELLED event with no key). */
export function releaseIfDue(payment: Payment, nowMs: number, newPspReference: () => string): OpSuccess | undefined {
  const deadline = payment.captureDeadlineMs;
  if (payment.state !== 'AUTHORIZED' || deadline === undefined || nowMs < deadline) return undefined;
  const remaining = capturable(payment.totals);
  if (remaining <= 0) return undefined;
  const op = { nowMs: deadline, idempotencyKey: null, newPspReference };
  return apply(payment, event('CANCELLED', remaining, op), {
    totals: { ...payment.totals, cancelled: payment.totals.cancelled + remaining },
  });
}

export function capture(payment: Payment, amount: Amount, op: OpContext): OpOutcome {
  if (payment.state === 'CREATED') return refuse('6080', 'Cannot capture before reservation', 'The payment is not authorized yet.');
  if (payment.state !== 'AUTHORIZED') return refuse('6200', 'Cannot be captured', `The payment is ${payment.state}.`);
  const invalid = invalidAmount(payment, amount);
  if (invalid) return invalid;
  if (op.nowMs >= (payment.captureDeadlineMs ?? Infinity)) {
    return refuse('6100', 'Capture period expired', 'The reservation has expired and can no longer be captured.');
  }
  if (payment.totals.cancelled > 0) return refuse('6070', 'Cannot capture a cancelled payment', 'The remainder of this payment was cancelled.');
  const remaining = capturable(payment.totals);
  if (amount.value > remaining) {
    return refuse('6090', 'Capture amount too high', `At most ${remaining} can be captured; ${amount.value} was requested.`);
  }
  return apply(payment, event('CAPTURED', amount.value, op), {
    totals: { ...payment.totals, captured: payment.totals.captured + amount.value },
  });
}

export function refund(payment: Payment, amount: Amount, op: OpContext): OpOutcome {
  if (payment.state === 'CREATED') return refuse('6020', 'Refund before reservation', 'The payment is not authorized yet.');
  if (payment.state !== 'AUTHORIZED') return refuse('6210', 'Cannot be refunded', `The payment is ${payment.state}.`);
  const invalid = invalidAmount(payment, amount);
  if (invalid) return invalid;
  if (op.nowMs >= (payment.authorizedAtMs ?? 0) + REFUND_PERIOD_MS) {
    return refuse('6220', 'Refund period expired', 'Refunds are possible up to 365 days after reservation.');
  }
  if (payment.totals.captured === 0) return refuse('6020', 'Refund before capture', 'Nothing has been captured yet.');
  const available = refundable(payment.totals);
  if (amount.value > available) {
    return refuse('6150', 'Not enough refundable', `At most ${available} can be refunded; ${amount.value} was requested.`);
  }
  return apply(payment, event('REFUNDED', amount.value, op), {
    totals: { ...payment.totals, refunded: payment.totals.refunded + amount.value },
  });
}

/**
 * Before authorization the merchant terminates the payment (aggregate shows the whole amount as
 * cancelled); after it, cancel releases everything not captured, once. `transactionOnly` is the
 * [now] `cancelTransactionOnly` flag: only stop an unauthorized payment, never release money.
 */
export function cancel(payment: Payment, transactionOnly: boolean, op: OpContext): OpOutcome {
  const value = payment.amount.value;
  if (payment.state === 'CREATED') {
    return apply(payment, event('TERMINATED', value, op), {
      state: 'TERMINATED',
      totals: { ...payment.totals, cancelled: value },
    });
  }
  if (payment.state !== 'AUTHORIZED') return refuse('6190', 'Cannot be cancelled', `The payment is ${payment.state}.`);
  if (transactionOnly) {
    return refuse('6060', 'Cannot cancel authorized payment', 'cancelTransactionOnly was set and the payment is already authorized.');
  }
  if (op.nowMs >= (payment.captureDeadlineMs ?? Infinity)) {
    return refuse('6030', 'Cancel period expired', 'The reservation has expired.');
  }
  if (payment.totals.cancelled > 0) return refuse('6190', 'Cannot be cancelled', 'The payment is already cancelled.');
  const remaining = capturable(payment.totals);
  if (remaining <= 0) return refuse('6040', 'Cannot cancel a captured payment', 'The payment is fully captured; refund it instead.');
  return apply(payment, event('CANCELLED', remaining, op), {
    totals: { ...payment.totals, cancelled: payment.totals.cancelled + remaining },
  });
}

/** A − C − X: what can still be captured (or released by cancel). */
export function capturable(totals: Totals): number {
  return totals.authorized - totals.captured - totals.cancelled;
}

/** C − R: what can still be refunded. */
export function refundable(totals: Totals): number {
  return totals.captured - totals.refunded;
}

function invalidAmount(payment: Payment, amount: Amount): OpRefusal | undefined {
  if (amount.currency !== payment.amount.currency) {
    return refuse('4040', 'Invalid amount', `The currency must be ${payment.amount.currency}, the currency of the payment.`);
  }
  if (!Number.isSafeInteger(amount.value) || amount.value <= 0) {
    return refuse('4040', 'Invalid amount', 'The amount must be a positive integer in minor units.');
  }
  return undefined;
}

function notCreated(payment: Payment): OpRefusal {
  return refuse('10020', 'Approve not allowed', `The payment is ${payment.state}, not CREATED.`);
}

function refuse(code: string, title: string, detail: string): OpRefusal {
  return { ok: false, code, title, detail };
}

function event(name: PaymentEventName, amount: number, op: OpContext): PaymentEventRecord {
  return {
    name,
    amount,
    pspReference: op.newPspReference(),
    timestamp: new Date(op.nowMs).toISOString(),
    idempotencyKey: op.idempotencyKey,
    success: true,
  };
}

function apply(payment: Payment, appended: PaymentEventRecord, changes: Partial<Payment>): OpSuccess {
  return { ok: true, payment: { ...payment, ...changes, events: [...payment.events, appended] }, events: [appended] };
}
