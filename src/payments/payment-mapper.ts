import type { Currency } from '../common/money';
import type { GetPaymentResponse, ModificationResponse, PaymentEvent } from '../vipps/api-types';
import type { PaymentMeta } from './payment-registry';
import type { Aggregate, PaymentEventRecord, PaymentRecord, PaymentState } from './payment-record';

/** Pure conversions between Vipps' ePayment shapes and our records. */

type VippsAggregate = GetPaymentResponse['aggregate'];

export function toAggregate(a: VippsAggregate): Aggregate {
  return {
    authorized: a.authorizedAmount.value,
    captured: a.capturedAmount.value,
    refunded: a.refundedAmount.value,
    cancelled: a.cancelledAmount.value,
  };
}

/** What changed since `previous`, for `updatedAt`: state or any money moved. */
export function sameProgress(a: Pick<PaymentRecord, 'state' | 'aggregate'>, b: Pick<PaymentRecord, 'state' | 'aggregate'>): boolean {
  return (
    a.state === b.state &&
    a.aggregate.authorized === b.aggregate.authorized &&
    a.aggregate.captured === b.aggregate.captured &&
    a.aggregate.refunded === b.aggregate.refunded &&
    a.aggregate.cancelled === b.aggregate.cancelled
  );
}

export function fromVipps(msn: string, v: GetPaymentResponse, known: PaymentMeta | null, now: Date): PaymentRecord {
  const extra = v as GetPaymentResponse & { captureGuaranteedUntil?: string | null };
  const next = {
    merchantSerialNumber: msn,
    reference: v.reference,
    pspReference: v.pspReference ?? null,
    state: v.state as PaymentState,
    amount: { value: v.amount.value, currency: v.amount.currency as Currency },
    aggregate: toAggregate(v.aggregate),
    redirectUrl: v.redirectUrl ?? known?.redirectUrl ?? null,
    description: known?.description ?? null,
    userFlow: known?.userFlow ?? null,
    createdAt: known?.createdAt ?? now.toISOString(),
    updatedAt: now.toISOString(),
    authorizedAt: known?.authorizedAt ?? null,
    capturedAt: known?.capturedAt ?? null,
    captureGuaranteedUntil: extra.captureGuaranteedUntil ?? null,
    paymentMethod: (v.paymentMethod?.type as PaymentRecord['paymentMethod']) ?? null,
    metadata: v.metadata ?? null,
    sub: v.profile?.sub ?? null,
  };
  if (known && known.state === next.state) next.updatedAt = known.updatedAt;
  return next;
}

/** Apply the answer to a capture, refund or cancel to what we knew. */
export function applyModification(p: PaymentRecord, m: ModificationResponse, now: Date): PaymentRecord {
  const next = { ...p, state: m.state as PaymentState, aggregate: toAggregate(m.aggregate) };
  return sameProgress(p, next) ? next : { ...next, updatedAt: now.toISOString() };
}

export function toEventRecord(e: PaymentEvent): PaymentEventRecord {
  return {
    name: e.name as PaymentEventRecord['name'],
    pspReference: e.pspReference,
    amount: { value: e.amount.value, currency: e.amount.currency as Currency },
    timestamp: e.timestamp,
    idempotencyKey: e.idempotencyKey ?? null,
    success: e.success,
  };
}

/**
 * When money was first captured, from the event log. The first capture, not the last: Vipps'
 * ePayment FAQ counts the 365 days from the reservation and its Recurring docs from the capture
 * (REFERENCE.md), so the earliest capture is the reading Vipps refuses least often.
 */
export function firstCapturedAt(events: readonly PaymentEventRecord[]): string | null {
  return events.find((e) => e.name === 'CAPTURED' && e.success)?.timestamp ?? null;
}

/** When the payment was authorized, from its event log. */
export function authorizedAt(events: readonly PaymentEventRecord[]): string | null {
  return events.find((e) => e.name === 'AUTHORIZED' && e.success)?.timestamp ?? null;
}
