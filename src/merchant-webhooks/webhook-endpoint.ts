import { randomBytes } from 'node:crypto';
import type { MerchantEventType } from '../merchant-events/merchant-event';

/** A merchant's webhook endpoint as stored (the secret is kept apart, see EndpointRegistry). */
export interface WebhookEndpoint {
  id: string;
  msn: string;
  url: string;
  types: MerchantEventType[];
  enabled: boolean;
  /** Why we turned it off (the receiver answered 410 Gone); null when on, or turned off by the merchant. */
  disabledReason: string | null;
  createdAt: string;
  updatedAt: string;
}

/**
 * Endpoint ids carry their merchant (`whep_<msn>_<random>`), so a mutation given only the id can
 * check the caller may act for that merchant before anything is read.
 */
export function newEndpointId(msn: string): string {
  return `whep_${msn}_${randomBytes(8).toString('hex')}`;
}

const ENDPOINT_ID = /^whep_(\d{4,10})_[0-9a-f]{16}$/;

export function merchantOfEndpoint(id: string): string | null {
  return ENDPOINT_ID.exec(id)?.[1] ?? null;
}

/**
 * A delivery is one event to one endpoint (its attempts share the id). The id is opaque to
 * clients: base64url of `<endpointId>:<eventId>`.
 */
export function deliveryId(endpointId: string, eventId: string): string {
  return Buffer.from(`${endpointId}:${eventId}`).toString('base64url');
}

export function parseDeliveryId(id: string): { endpointId: string; eventId: string; msn: string } | null {
  const text = Buffer.from(id, 'base64url').toString('utf8');
  const colon = text.indexOf(':');
  if (colon < 0) return null;
  const endpointId = text.slice(0, colon);
  const eventId = text.slice(colon + 1);
  const msn = merchantOfEndpoint(endpointId);
  return msn && eventId ? { endpointId, eventId, msn } : null;
}
