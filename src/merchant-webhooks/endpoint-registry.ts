import type { Redis } from 'ioredis';
import type { MerchantEvent } from '../merchant-events/merchant-event';
import type { RedisKeys } from '../redis/keys';
import type { WebhookEndpoint } from './webhook-endpoint';

/**
 * Durable storage of a merchant's webhook endpoints (hash: id → JSON) and their signing secrets
 * (another hash: id → secret), apart so that listing endpoints never reads a secret. Also the
 * events awaiting delivery (kept `EVENT_KEEP_SECONDS`, for retries and redelivery) and the marks
 * that deduplicate deliveries. Secrets are stored as they are: issue 17 brings encryption at rest.
 */
export class EndpointRegistry {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  async count(msn: string): Promise<number> {
    return this.redis.hlen(this.keys.merchantWebhooks(msn));
  }

  async create(endpoint: WebhookEndpoint, secret: string): Promise<void> {
    await this.redis
      .multi()
      .hset(this.keys.merchantWebhooks(endpoint.msn), endpoint.id, JSON.stringify(endpoint))
      .hset(this.keys.merchantWebhookSecrets(endpoint.msn), endpoint.id, secret)
      .exec()
      .then(failedIfAny);
  }

  async list(msn: string): Promise<WebhookEndpoint[]> {
    const values = await this.redis.hvals(this.keys.merchantWebhooks(msn));
    return values.map((v) => JSON.parse(v) as WebhookEndpoint).sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  }

  async get(msn: string, id: string): Promise<WebhookEndpoint | null> {
    const value = await this.redis.hget(this.keys.merchantWebhooks(msn), id);
    return value ? (JSON.parse(value) as WebhookEndpoint) : null;
  }

  /** Replaces a stored endpoint; false when it was deleted meanwhile (it is not brought back). */
  async replace(endpoint: WebhookEndpoint): Promise<boolean> {
    const replaced = await this.redis.eval(REPLACE_IF_PRESENT, 1, this.keys.merchantWebhooks(endpoint.msn), endpoint.id, JSON.stringify(endpoint));
    return replaced === 1;
  }

  /** Removes the endpoint, its secret and its delivery log; false when there was none. */
  async remove(msn: string, id: string): Promise<boolean> {
    const results = await this.redis
      .multi()
      .hdel(this.keys.merchantWebhooks(msn), id)
      .hdel(this.keys.merchantWebhookSecrets(msn), id)
      .unlink(this.keys.merchantWebhookLog(msn, id))
      .exec()
      .then(failedIfAny);
    return results[0] === 1;
  }

  /** What one delivery attempt needs, read in one round trip: the endpoint, its secret, the event. */
  async forDelivery(msn: string, endpointId: string, eventId: string): Promise<{ endpoint: WebhookEndpoint | null; secret: string | null; event: MerchantEvent | null }> {
    const keys = [this.keys.merchantWebhooks(msn), this.keys.merchantWebhookSecrets(msn), this.keys.merchantWebhookEvent(msn, eventId)];
    const [endpoint, secret, event] = (await this.redis.eval(READ_FOR_DELIVERY, 3, ...keys, endpointId)) as (string | null)[];
    return {
      endpoint: endpoint ? (JSON.parse(endpoint) as WebhookEndpoint) : null,
      secret: secret ?? null,
      event: event ? (JSON.parse(event) as MerchantEvent) : null,
    };
  }

  async event(msn: string, eventId: string): Promise<MerchantEvent | null> {
    const value = await this.redis.get(this.keys.merchantWebhookEvent(msn, eventId));
    return value ? (JSON.parse(value) as MerchantEvent) : null;
  }

  /**
   * Keeps the event for its deliveries and marks it taken for each endpoint not yet marked;
   * returns those endpoints (the ones to enqueue). One round trip.
   */
  async claim(event: MerchantEvent, endpointIds: readonly string[]): Promise<string[]> {
    const msn = event.merchantSerialNumber;
    const keys = [this.keys.merchantWebhookEvent(msn, event.id), ...endpointIds.map((id) => this.keys.merchantWebhookClaim(msn, id, event.id))];
    const claimed = (await this.redis.eval(CLAIM, keys.length, ...keys, JSON.stringify(event), EVENT_KEEP_SECONDS)) as number[];
    return claimed.map((i) => endpointIds[i - 1] as string);
  }

  /** Undoes a claim whose job could not be enqueued, so announcing the event again delivers it. */
  async release(msn: string, endpointId: string, eventId: string): Promise<void> {
    await this.redis.del(this.keys.merchantWebhookClaim(msn, endpointId, eventId));
  }
}

/**
 * How long an event is kept for its deliveries: past the last automatic retry (34 hours, see
 * delivery-schedule.ts), with time left to redeliver by hand. Also how long a delivery is
 * remembered for deduplication.
 */
export const EVENT_KEEP_SECONDS = 3 * 86_400;

/*
 * The hot paths are scripts, not pipelines: an ioredis pipeline copies every script defined on its
 * connection when it is made, and BullMQ defines dozens on the connection it shares with us.
 */
const READ_FOR_DELIVERY = `
return { redis.call('HGET', KEYS[1], ARGV[1]), redis.call('HGET', KEYS[2], ARGV[1]), redis.call('GET', KEYS[3]) }`;

/** Keeps the event (KEYS[1]) and sets each claim (KEYS[2..]) not yet set; answers which were set (1-based, over the claims). */
const CLAIM = `
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
local claimed = {}
for i = 2, #KEYS do
  if redis.call('SET', KEYS[i], '1', 'EX', ARGV[2], 'NX') then claimed[#claimed + 1] = i - 1 end
end
return claimed`;

const REPLACE_IF_PRESENT = `
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
  return 1
end
return 0`;

/** The results of a MULTI or pipeline, or its first error thrown (ioredis reports them per command). */
function failedIfAny(results: [Error | null, unknown][] | null): unknown[] {
  if (!results) throw new Error('Redis transaction was discarded');
  for (const [error] of results) if (error) throw error;
  return results.map(([, value]) => value);
}
