import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { Redis } from 'ioredis';
import type { Logger } from '../log/logger';
import type { JobScheduler } from '../queues/job-scheduler';
import type { WebhookEventData } from '../queues/queues';
import type { RedisKeys } from '../redis/keys';
import { verifyWebhook } from './signature';

/** Deliveries dated further than this from our clock are refused (Vipps documents no limit). */
const MAX_AGE_SECONDS = 300;

export interface WebhookDelivery {
  pathAndQuery: string;
  headers: IncomingHttpHeaders;
  rawBody: string;
}

export interface WebhookAnswer {
  status: number;
  body: { ok: boolean; error?: string };
}

/**
 * `POST /webhooks/vipps`: verifies the HMAC signature and content hash on the raw body
 * (docs/vipps.md §11.1) against the merchant's registration secrets, refuses stale and replayed
 * deliveries, and enqueues the event. Nothing else happens here, so a forged delivery has no
 * effect and Vipps gets its answer fast.
 */
export class WebhookReceiver {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly jobs: JobScheduler,
    /** The host of the registered URL: what Vipps signs. */
    private readonly signedHost: string,
    private readonly log: Logger,
  ) {}

  async receive(delivery: WebhookDelivery): Promise<WebhookAnswer> {
    let payload: Record<string, unknown>;
    try {
      payload = JSON.parse(delivery.rawBody) as Record<string, unknown>;
    } catch {
      return refuse('unreadable body');
    }
    const msn = typeof payload.msn === 'string' ? payload.msn : undefined;
    const secrets = msn ? await this.redis.hvals(this.keys.webhookSecrets(msn)) : [];
    const verified = secrets.some(
      (secret) =>
        verifyWebhook({
          secret,
          method: 'POST',
          url: { pathAndQuery: delivery.pathAndQuery, host: this.signedHost },
          headers: delivery.headers,
          rawBody: delivery.rawBody,
          maxAgeSeconds: MAX_AGE_SECONDS,
        }).ok,
    );
    if (!msn || !verified) {
      this.log.warn({ msn }, 'refused a webhook delivery: signature, content hash or date did not verify');
      return refuse('signature not valid');
    }
    const digest = createHash('sha256').update(String(delivery.headers.authorization)).update(delivery.rawBody).digest('hex');
    const fresh = await this.redis.set(this.keys.webhookSeen(digest), '1', 'EX', 2 * MAX_AGE_SECONDS, 'NX');
    if (fresh !== 'OK') return refuse('delivery already received');
    await this.jobs.webhookEvent(eventData(msn, payload), `webhook__${digest}`);
    return { status: 200, body: { ok: true } };
  }
}

function refuse(error: string): WebhookAnswer {
  return { status: 401, body: { ok: false, error } };
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** Ids only (no amounts, no personal data) from an ePayment or Recurring payload. */
function eventData(msn: string, p: Record<string, unknown>): WebhookEventData {
  const data: WebhookEventData = { msn, event: text(p.name) ?? text(p.eventType) ?? 'unknown' };
  const reference = text(p.reference);
  const agreementId = text(p.agreementId);
  const chargeId = text(p.chargeId);
  const occurredAt = text(p.timestamp) ?? text(p.occurred);
  if (reference) data.reference = reference;
  if (agreementId) data.agreementId = agreementId;
  if (chargeId) data.chargeId = chargeId;
  if (occurredAt) data.occurredAt = occurredAt;
  return data;
}
