import type { Redis } from 'ioredis';
import { ErrorCode, userError } from '../common/error-code';
import type { Logger } from '../log/logger';
import { MERCHANT_EVENT_TYPES, type MerchantEvent, type MerchantEventSink, type MerchantEventType } from '../merchant-events/merchant-event';
import type { JobScheduler } from '../queues/job-scheduler';
import { jobIds, QueueName, type MerchantWebhookData } from '../queues/queues';
import type { RedisKeys } from '../redis/keys';
import { jobOrigin } from '../telemetry/job-spans';
import { DeliveryLog, type Attempt } from './delivery-log';
import { DELIVERY_SCHEDULE, deliveryJobOptions, type DeliverySchedule } from './delivery-schedule';
import { DestinationRefused, parseWebhookUrl, resolveDestination, systemLookup, type DestinationPolicy, type HostLookup } from './destination';
import { EndpointRegistry } from './endpoint-registry';
import { WebhookDelivery } from './webhook-delivery';
import { merchantOfEndpoint, newEndpointId, parseDeliveryId, type WebhookEndpoint } from './webhook-endpoint';
import { newEndpointSecret } from './webhook-message';
import { WebhookSender } from './webhook-sender';

export interface MerchantWebhookOptions {
  policy: DestinationPolicy;
  /** Default DELIVERY_SCHEDULE; tests give a short one (it travels with each job). */
  schedule?: DeliverySchedule;
  /** Per POST, default 10 s. */
  timeoutMs?: number;
  lookup?: HostLookup;
  now?: () => Date;
}

export interface EndpointChanges {
  url?: string | null;
  types?: readonly string[] | null;
  enabled?: boolean | null;
}

/** Endpoints a merchant may have. */
export const MAX_ENDPOINTS = 10;

/**
 * Outbound merchant webhooks (issue 14): a merchant's endpoints (register, list, change, delete),
 * the delivery of its events to them (`enqueue`, the MerchantEventSink: one BullMQ job per
 * endpoint and event), the delivery log and redelivery. Callers have checked that the key may act
 * for `msn`; input problems end in a UserFacingError with a sentence for the merchant.
 */
export class MerchantWebhooks implements MerchantEventSink {
  readonly delivery: WebhookDelivery;
  private readonly registry: EndpointRegistry;
  private readonly deliveryLog: DeliveryLog;
  private readonly sender: WebhookSender;
  private readonly schedule: DeliverySchedule;
  private readonly lookup: HostLookup;
  private readonly now: () => Date;

  constructor(
    redis: Redis,
    keys: RedisKeys,
    private readonly jobs: JobScheduler,
    private readonly log: Logger,
    private readonly options: MerchantWebhookOptions,
  ) {
    this.registry = new EndpointRegistry(redis, keys);
    this.deliveryLog = new DeliveryLog(redis, keys);
    this.lookup = options.lookup ?? systemLookup;
    this.sender = new WebhookSender(options.policy, { lookup: this.lookup, ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}) });
    this.schedule = options.schedule ?? DELIVERY_SCHEDULE;
    this.now = options.now ?? (() => new Date());
    this.delivery = new WebhookDelivery(this.registry, this.deliveryLog, this.sender, log, this.now);
  }

  /** A new endpoint and its signing secret; the secret is shown this once and never returned again. */
  async register(msn: string, input: { url: string; types: readonly string[] }): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
    const types = checkedTypes(input.types);
    const url = await this.checkedUrl(input.url);
    if ((await this.registry.count(msn)) >= MAX_ENDPOINTS) {
      throw userError(ErrorCode.INVALID_INPUT, `A merchant can have at most ${MAX_ENDPOINTS} webhook endpoints; delete one first.`, ['input']);
    }
    const at = this.now().toISOString();
    const endpoint: WebhookEndpoint = { id: newEndpointId(msn), msn, url, types, enabled: true, disabledReason: null, createdAt: at, updatedAt: at };
    const secret = newEndpointSecret();
    await this.registry.create(endpoint, secret);
    this.log.info({ msn, endpointId: endpoint.id, types }, 'merchant webhook endpoint registered');
    return { endpoint, secret };
  }

  async list(msn: string): Promise<WebhookEndpoint[]> {
    return this.registry.list(msn);
  }

  /** Changes what is given; enabling clears why it was disabled. */
  async update(msn: string, id: string, changes: EndpointChanges): Promise<WebhookEndpoint> {
    const endpoint = await this.endpoint(msn, id);
    const next: WebhookEndpoint = { ...endpoint, updatedAt: this.now().toISOString() };
    if (changes.types != null) next.types = checkedTypes(changes.types);
    if (changes.url != null) next.url = await this.checkedUrl(changes.url);
    if (changes.enabled != null) {
      next.enabled = changes.enabled;
      next.disabledReason = null;
    }
    if (!(await this.registry.replace(next))) throw notFound();
    return next;
  }

  async remove(msn: string, id: string): Promise<void> {
    if (merchantOfEndpoint(id) !== msn || !(await this.registry.remove(msn, id))) throw notFound(['id']);
    this.log.info({ msn, endpointId: id }, 'merchant webhook endpoint deleted');
  }

  /** The endpoint's attempts, newest first; none for an endpoint that does not exist. */
  async attempts(msn: string, endpointId: string, first: number, after: string | null): Promise<{ attempts: Attempt[]; hasNextPage: boolean }> {
    if (merchantOfEndpoint(endpointId) !== msn) return { attempts: [], hasNextPage: false };
    return this.deliveryLog.page(msn, endpointId, first, after);
  }

  /** Sends a delivery again (same event, same `webhook-id`), as a new job with its own retries. */
  async redeliver(msn: string, id: string): Promise<void> {
    const delivery = parseDeliveryId(id);
    if (!delivery || delivery.msn !== msn) throw userError(ErrorCode.NOT_FOUND, 'No webhook delivery has this id.', ['deliveryId']);
    const endpoint = await this.endpoint(msn, delivery.endpointId, ['deliveryId']);
    if (!endpoint.enabled) throw userError(ErrorCode.INVALID_STATE, 'The endpoint is disabled: enable it with updateMerchantWebhook first.', ['deliveryId']);
    if (!(await this.registry.event(msn, delivery.eventId))) {
      throw userError(ErrorCode.NOT_FOUND, 'This event is no longer kept: events can be redelivered for 3 days.', ['deliveryId']);
    }
    const data: MerchantWebhookData = { msn, endpointId: delivery.endpointId, eventId: delivery.eventId, redelivery: true, ...jobOrigin() };
    const jobId = `${jobIds.merchantWebhook(delivery.endpointId, delivery.eventId)}__again__${this.now().getTime()}`;
    await this.queue().add(QueueName.MerchantWebhook, data, deliveryJobOptions(this.schedule, jobId));
  }

  /**
   * Queues one delivery per enabled endpoint that wants this type, once per endpoint and event
   * id. Never throws: a failure is logged and its claim released, so the same event announced
   * again is delivered.
   */
  async enqueue(event: MerchantEvent): Promise<void> {
    const msn = event.merchantSerialNumber;
    try {
      const wanted = (await this.registry.list(msn)).filter((e) => e.enabled && e.types.includes(event.type)).map((e) => e.id);
      if (wanted.length === 0) return;
      const claimed = await this.registry.claim(event, wanted);
      for (const endpointId of claimed) {
        // The origin (request id, trace context) lets the delivery's logs and span point back to the change.
        const data: MerchantWebhookData = { msn, endpointId, eventId: event.id, ...jobOrigin() };
        try {
          await this.queue().add(QueueName.MerchantWebhook, data, deliveryJobOptions(this.schedule, jobIds.merchantWebhook(endpointId, event.id)));
        } catch (error) {
          await this.registry.release(msn, endpointId, event.id).catch(() => undefined);
          throw error;
        }
      }
    } catch (error) {
      this.log.error({ err: error, msn, eventId: event.id, type: event.type }, 'could not queue merchant webhook deliveries');
    }
  }

  close(): void {
    this.sender.close();
  }

  private queue() {
    return this.jobs.queue(QueueName.MerchantWebhook);
  }

  private async endpoint(msn: string, id: string, field = ['input', 'id']): Promise<WebhookEndpoint> {
    const endpoint = merchantOfEndpoint(id) === msn ? await this.registry.get(msn, id) : null;
    if (!endpoint) throw notFound(field);
    return endpoint;
  }

  /** The URL as given, if webhooks may go there (destination.ts); its host must resolve now. */
  private async checkedUrl(text: string): Promise<string> {
    try {
      const url = parseWebhookUrl(text.trim(), this.options.policy);
      await resolveDestination(url, this.options.policy, this.lookup);
      return url.href;
    } catch (error) {
      if (error instanceof DestinationRefused) throw userError(ErrorCode.INVALID_URL, error.message, ['input', 'url']);
      throw error;
    }
  }
}

function checkedTypes(types: readonly string[]): MerchantEventType[] {
  const unknown = types.filter((t) => !(MERCHANT_EVENT_TYPES as readonly string[]).includes(t));
  if (unknown.length > 0) {
    throw userError(ErrorCode.INVALID_INPUT, `Unknown event type ${unknown.join(', ')}; the types are ${MERCHANT_EVENT_TYPES.join(', ')}.`, ['input', 'types']);
  }
  if (types.length === 0) throw userError(ErrorCode.INVALID_INPUT, 'Choose at least one event type.', ['input', 'types']);
  return MERCHANT_EVENT_TYPES.filter((t) => types.includes(t));
}

function notFound(field = ['input', 'id']) {
  return userError(ErrorCode.NOT_FOUND, 'No webhook endpoint has this id.', field);
}
