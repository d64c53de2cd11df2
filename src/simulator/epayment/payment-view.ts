import type { components } from '../../vipps/generated/epayment';
import type { Payment, PaymentEventRecord } from './payment';

/** Payments rendered in the official response shapes (epayment-v1.yml plus [now] fields). */

type Schemas = components['schemas'];
export type GetPaymentBody = Schemas['GetPaymentResponse'] & { captureGuaranteedUntil?: string };

export function aggregateOf(payment: Payment): Schemas['Aggregate'] {
  const money = (value: number) => ({ currency: payment.amount.currency, value });
  return {
    authorizedAmount: money(payment.totals.authorized),
    cancelledAmount: money(payment.totals.cancelled),
    capturedAmount: money(payment.totals.captured),
    refundedAmount: money(payment.totals.refunded),
  };
}

export function paymentBody(payment: Payment): GetPaymentBody {
  return {
    reference: payment.reference,
    pspReference: payment.pspReference,
    state: payment.state,
    amount: { ...payment.amount },
    aggregate: aggregateOf(payment),
    paymentMethod: { type: payment.paymentMethod },
    profile: payment.sub ? { sub: payment.sub } : {},
    ...(payment.redirectUrl ? { redirectUrl: payment.redirectUrl } : {}),
    ...(payment.metadata ? { metadata: { ...payment.metadata } } : {}),
    ...(payment.state === 'AUTHORIZED' && payment.captureDeadlineMs !== undefined
      ? { captureGuaranteedUntil: new Date(payment.captureDeadlineMs).toISOString() }
      : {}),
  };
}

export function eventBody(payment: Payment, event: PaymentEventRecord): Schemas['PaymentEvent'] {
  return {
    reference: payment.reference,
    pspReference: event.pspReference,
    name: event.name,
    amount: { currency: payment.amount.currency, value: event.amount },
    timestamp: event.timestamp,
    idempotencyKey: event.idempotencyKey,
    success: event.success,
  };
}

/** Capture/refund/cancel answer: the payment's amount and current aggregate, the operation's pspReference. */
export function modificationBody(payment: Payment, pspReference: string): Schemas['ModificationResponse'] {
  return {
    amount: { ...payment.amount },
    state: payment.state,
    aggregate: aggregateOf(payment),
    pspReference,
    reference: payment.reference,
  };
}

/** The `WebhookEvent` payload; the same for every event name (docs/vipps.md §11). */
export function webhookPayload(payment: Payment, event: PaymentEventRecord): Schemas['WebhookEvent'] {
  return { msn: payment.msn, ...eventBody(payment, event), name: event.name };
}

export function webhookName(event: PaymentEventRecord): string {
  return `epayments.payment.${event.name.toLowerCase()}.v1`;
}
