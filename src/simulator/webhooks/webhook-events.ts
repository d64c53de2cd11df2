/**
 * Event names a registration may subscribe to (REFERENCE §11;
 * https://developer.vippsmobilepay.com/docs/APIs/webhooks-api/events/).
 */
export const EPAYMENT_EVENTS = [
  'epayments.payment.created.v1',
  'epayments.payment.aborted.v1',
  'epayments.payment.expired.v1',
  'epayments.payment.cancelled.v1',
  'epayments.payment.captured.v1',
  'epayments.payment.refunded.v1',
  'epayments.payment.authorized.v1',
  'epayments.payment.terminated.v1',
] as const;

export const RECURRING_EVENTS = [
  'recurring.agreement-activated.v1',
  'recurring.agreement-rejected.v1',
  'recurring.agreement-stopped.v1',
  'recurring.agreement-expired.v1',
  'recurring.charge-reserved.v1',
  'recurring.charge-captured.v1',
  // One "l": Vipps' spelling.
  'recurring.charge-canceled.v1',
  'recurring.charge-failed.v1',
  'recurring.charge-refunded.v1',
  'recurring.charge-creation-failed.v1',
] as const;

export const OTHER_EVENTS = ['user.checked-in.v1', 'login.merchant-initiated.ping.v1'] as const;

export const KNOWN_EVENTS: ReadonlySet<string> = new Set<string>([...EPAYMENT_EVENTS, ...RECURRING_EVENTS, ...OTHER_EVENTS]);

/**
 * The stream an event belongs to: Vipps keeps order per registration and payment, so a failing
 * event holds back later events of the same payment (or agreement/charge), never of others.
 * Events without an identifier are independent streams of their own.
 */
export function orderingKey(payload: Record<string, unknown>): string | undefined {
  const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
  const reference = text(payload.reference);
  if (reference) return `payment:${reference}`;
  const agreementId = text(payload.agreementId);
  const chargeId = text(payload.chargeId);
  if (chargeId) return `charge:${agreementId ?? ''}/${chargeId}`;
  if (agreementId) return `agreement:${agreementId}`;
  return undefined;
}
