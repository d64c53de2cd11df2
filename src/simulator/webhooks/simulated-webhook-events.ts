import { EPAYMENT_EVENTS, RECURRING_EVENTS } from '../../webhooks/webhook-events';

/**
 * Event names a registration may subscribe to (docs/vipps.md §11;
 * https://developer.vippsmobilepay.com/docs/APIs/webhooks-api/events/).
 */
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
