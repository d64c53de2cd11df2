import type { SimContext } from '../simulator-context';
import type { Agreement } from './agreement';
import type { Charge } from './charge';

/**
 * Webhook events for Recurring (docs/vipps.md §11). The payload is not in any official spec; these
 * are the field names seen in integrations: msn, agreementId, chargeId, chargeType, eventType
 * (the full event name), occurred, amount, currency, actor (agreement-stopped).
 */
export type AgreementEvent = 'activated' | 'rejected' | 'stopped' | 'expired';
/** `canceled` with one "l", as Vipps spells it. */
export type ChargeEventName = 'reserved' | 'captured' | 'canceled' | 'failed' | 'refunded';
export type StopActor = 'MERCHANT' | 'USER' | 'ADMIN';

export function publishAgreementEvent(ctx: SimContext, agreement: Agreement, event: AgreementEvent, actor?: StopActor): void {
  const name = `recurring.agreement-${event}.v1`;
  ctx.publish({
    msn: agreement.msn,
    name,
    payload: {
      msn: agreement.msn,
      agreementId: agreement.id,
      agreementExternalId: agreement.externalId,
      eventType: name,
      occurred: ctx.clock.now().toISOString(),
      ...(actor ? { actor } : {}),
    },
  });
}

export function publishChargeEvent(ctx: SimContext, charge: Charge, agreement: Agreement, event: ChargeEventName, amount: number): void {
  const name = `recurring.charge-${event}.v1`;
  ctx.publish({
    msn: charge.msn,
    name,
    payload: {
      msn: charge.msn,
      agreementId: agreement.id,
      agreementExternalId: agreement.externalId,
      chargeId: charge.id,
      chargeExternalId: charge.externalId,
      chargeType: charge.type,
      eventType: name,
      occurred: ctx.clock.now().toISOString(),
      amount,
      currency: charge.currency,
      transactionId: charge.transactionId,
      ...(event === 'failed' ? { failureReason: charge.failureReason } : {}),
    },
  });
}
