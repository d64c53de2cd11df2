import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import type { MerchantEvent } from '../merchant-events/merchant-event';

/**
 * One delivery as it goes over the wire, per the Standard Webhooks specification
 * (https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md):
 * a JSON body `{ type, timestamp, data }`, and `webhook-id` (the event id, the same on every
 * attempt and redelivery, for receivers to deduplicate), `webhook-timestamp` (when this attempt
 * was signed, so receivers can refuse replays) and `webhook-signature` (`v1,<base64 HMAC-SHA256>`
 * of `id.timestamp.body`, made by the reference library).
 */
export interface WebhookMessage {
  body: string;
  headers: { 'webhook-id': string; 'webhook-timestamp': string; 'webhook-signature': string };
}

/** What `data` holds: the resource as it now stands, and the warning for CAPTURE_DEADLINE_APPROACHING. */
export function webhookBody(event: MerchantEvent): string {
  const { id: _id, type, occurredAt, ...data } = event;
  return JSON.stringify({ type, timestamp: occurredAt, data });
}

export function signedMessage(event: MerchantEvent, secret: string, now: Date): WebhookMessage {
  const body = webhookBody(event);
  return {
    body,
    headers: {
      'webhook-id': event.id,
      'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
      'webhook-signature': new Webhook(secret).sign(event.id, now, body),
    },
  };
}

/** A new endpoint secret: 32 random bytes, base64, with the `whsec_` prefix the libraries expect. */
export function newEndpointSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}
