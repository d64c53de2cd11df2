import type { Redis } from 'ioredis';
import type { MerchantEventType } from '../merchant-events/merchant-event';
import type { RedisKeys } from '../redis/keys';

export const ATTEMPT_OUTCOMES = ['DELIVERED', 'RETRYING', 'FAILED', 'ENDPOINT_GONE'] as const;
/**
 * DELIVERED: a 2xx answer. RETRYING: no 2xx, tried again at `nextRetryAt`. FAILED: no 2xx and
 * no retries left. ENDPOINT_GONE: the receiver answered 410, the endpoint is disabled.
 */
export type AttemptOutcome = (typeof ATTEMPT_OUTCOMES)[number];

/** One POST to an endpoint, as the delivery log keeps it. Never the body, the headers or the secret. */
export interface AttemptRecord {
  deliveryId: string;
  eventId: string;
  eventType: MerchantEventType;
  /** 1 for the first try, counting on through its automatic retries (a redelivery starts at 1 again). */
  attempt: number;
  /** Sent again by `redeliverWebhook`. */
  redelivered: boolean;
  at: Date;
  durationMs: number;
  statusCode: number | null;
  error: string | null;
  outcome: AttemptOutcome;
  nextRetryAt: Date | null;
}

export interface Attempt extends AttemptRecord {
  /** The stream id: when it was written, and the cursor. */
  id: string;
}

/** About the last thousand attempts per endpoint; `~` lets Redis trim whole nodes, cheaply. */
const MAX_ATTEMPTS_KEPT = 1_000;

/** A stream id as Redis makes them: `<ms>-<seq>`. */
export const ATTEMPT_ID = /^\d{1,15}-\d{1,15}$/;

/** Each endpoint's delivery attempts: a Redis stream, newest first when read, deleted with the endpoint. */
export class DeliveryLog {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  /** Written only while the endpoint exists: an attempt that ends after a delete must not bring its log back. */
  async record(msn: string, endpointId: string, attempt: AttemptRecord): Promise<void> {
    await this.redis.eval(RECORD_IF_ENDPOINT, 2, this.keys.merchantWebhookLog(msn, endpointId), this.keys.merchantWebhooks(msn), endpointId, MAX_ATTEMPTS_KEPT, ...toFields(attempt));
  }

  /** Newest first, after the stream id `after` (exclusive). */
  async page(msn: string, endpointId: string, first: number, after: string | null): Promise<{ attempts: Attempt[]; hasNextPage: boolean }> {
    const entries = await this.redis.xrevrange(this.keys.merchantWebhookLog(msn, endpointId), after ? `(${after}` : '+', '-', 'COUNT', first + 1);
    return { attempts: entries.slice(0, first).map(([id, fields]) => fromFields(id, fields)), hasNextPage: entries.length > first };
  }
}

const RECORD_IF_ENDPOINT = `
if redis.call('HEXISTS', KEYS[2], ARGV[1]) == 0 then return 0 end
redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[2], '*', unpack(ARGV, 3))
return 1`;

function toFields(a: AttemptRecord): string[] {
  const fields: [string, string | null][] = [
    ['deliveryId', a.deliveryId],
    ['eventId', a.eventId],
    ['eventType', a.eventType],
    ['attempt', String(a.attempt)],
    ['redelivered', a.redelivered ? '1' : null],
    ['at', a.at.toISOString()],
    ['durationMs', String(a.durationMs)],
    ['statusCode', a.statusCode === null ? null : String(a.statusCode)],
    ['error', a.error],
    ['outcome', a.outcome],
    ['nextRetryAt', a.nextRetryAt ? a.nextRetryAt.toISOString() : null],
  ];
  return fields.flatMap(([name, value]) => (value === null ? [] : [name, value]));
}

function fromFields(id: string, flat: readonly string[]): Attempt {
  const f = new Map<string, string>();
  for (let i = 0; i + 1 < flat.length; i += 2) f.set(flat[i] as string, flat[i + 1] as string);
  const optional = (name: string) => f.get(name) ?? null;
  const nextRetryAt = optional('nextRetryAt');
  const statusCode = optional('statusCode');
  return {
    id,
    deliveryId: f.get('deliveryId') ?? '',
    eventId: f.get('eventId') ?? '',
    eventType: (f.get('eventType') ?? 'PAYMENT_UPDATED') as MerchantEventType,
    attempt: Number(f.get('attempt') ?? 0),
    redelivered: f.get('redelivered') === '1',
    at: new Date(f.get('at') ?? Number(id.split('-')[0])),
    durationMs: Number(f.get('durationMs') ?? 0),
    statusCode: statusCode === null ? null : Number(statusCode),
    error: optional('error'),
    outcome: (f.get('outcome') ?? 'FAILED') as AttemptOutcome,
    nextRetryAt: nextRetryAt ? new Date(nextRetryAt) : null,
  };
}
