import type { Logger } from '../log/logger';
import type { MerchantWebhookData } from '../queues/queues';
import type { AttemptOutcome, DeliveryLog } from './delivery-log';
import { retryDelayMs, type DeliverySchedule } from './delivery-schedule';
import type { EndpointRegistry } from './endpoint-registry';
import { deliveryId } from './webhook-endpoint';
import { signedMessage } from './webhook-message';
import type { WebhookSender } from './webhook-sender';

/** What one try came to; the processor fails the job when `failed` is set, and BullMQ retries it if tries are left. */
export interface TryResult {
  outcome: AttemptOutcome | 'SKIPPED';
  /** For the job's return value or failure reason: a status, an error in a few words, or why nothing was sent. */
  summary: string;
  failed: boolean;
}

/**
 * One try of one delivery (the merchant-webhook job): read the endpoint, its secret and the
 * event; sign; POST; log the attempt. A 2xx is delivered. A 410 disables the endpoint and ends
 * the delivery. Anything else (another status, a network error, a timeout, a refused address)
 * is retried on the schedule the job was given. A deleted or disabled endpoint, or an event no
 * longer kept, ends the delivery without sending.
 */
export class WebhookDelivery {
  constructor(
    private readonly registry: EndpointRegistry,
    private readonly deliveryLog: DeliveryLog,
    private readonly sender: WebhookSender,
    private readonly log: Logger,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** `tryNumber` is 1 for the first try of this job; `schedule` is the job's own (attempts, backoff). */
  async attempt(data: MerchantWebhookData, tryNumber: number, schedule: DeliverySchedule): Promise<TryResult> {
    const { msn, endpointId, eventId } = data;
    const { endpoint, secret, event } = await this.registry.forDelivery(msn, endpointId, eventId);
    if (!endpoint || !secret) return skipped('the endpoint was deleted');
    if (!endpoint.enabled) return skipped('the endpoint is disabled');
    if (!event) return skipped('the event is no longer kept');

    const at = this.now();
    const message = signedMessage(event, secret, at);
    const sent = await this.sender.post(new URL(endpoint.url), message.headers, message.body);
    const ok = sent.statusCode !== null && sent.statusCode >= 200 && sent.statusCode < 300;
    const gone = sent.statusCode === 410;
    const delay = ok || gone ? null : retryDelayMs(schedule, tryNumber);
    const outcome: AttemptOutcome = ok ? 'DELIVERED' : gone ? 'ENDPOINT_GONE' : delay !== null ? 'RETRYING' : 'FAILED';
    await this.deliveryLog.record(msn, endpointId, {
      deliveryId: deliveryId(endpointId, eventId),
      eventId,
      eventType: event.type,
      attempt: tryNumber,
      redelivered: data.redelivery === true,
      at,
      durationMs: sent.durationMs,
      statusCode: sent.statusCode,
      error: sent.error,
      outcome,
      nextRetryAt: delay !== null ? new Date(at.getTime() + sent.durationMs + delay) : null,
    });
    if (gone) await this.disable(msn, endpointId, at);
    const summary = sent.statusCode !== null ? `endpoint answered ${sent.statusCode}` : (sent.error ?? 'no answer');
    return { outcome, summary, failed: outcome === 'RETRYING' || outcome === 'FAILED' };
  }

  /** A 410 says the receiver is gone for good (Standard Webhooks): stop sending until the merchant enables it again. */
  private async disable(msn: string, endpointId: string, at: Date): Promise<void> {
    const endpoint = await this.registry.get(msn, endpointId);
    if (!endpoint || !endpoint.enabled) return;
    const reason = `The endpoint answered 410 Gone at ${at.toISOString()}; enable it again with updateMerchantWebhook.`;
    await this.registry.replace({ ...endpoint, enabled: false, disabledReason: reason, updatedAt: at.toISOString() });
    this.log.warn({ msn, endpointId }, 'merchant webhook endpoint answered 410: disabled');
  }
}

function skipped(summary: string): TryResult {
  return { outcome: 'SKIPPED', summary, failed: false };
}
