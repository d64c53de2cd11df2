import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import type { Redis } from 'ioredis';
import { startWorkers, type RunningWorkers } from '../../../jobs/worker';
import { createServices, type Services } from '../../../src/app/services';
import { sha256Hex } from '../../../src/config/config';
import { createLogger } from '../../../src/log/logger';
import type { MerchantEvent, MerchantEventType } from '../../../src/merchant-events/merchant-event';
import type { DeliverySchedule } from '../../../src/merchant-webhooks/delivery-schedule';
import { MerchantWebhooks } from '../../../src/merchant-webhooks/merchant-webhooks';
import { workerRedis } from '../../../src/redis/client';
import { redisKeys } from '../../../src/redis/keys';
import { createVippsClient } from '../../../src/vipps/vipps-client';
import type { TestApi } from '../../support/api';
import { testRedisUrl } from '../../support/redis';

const ALL = ['payments:read', 'payments:write', 'recurring:read', 'recurring:write', 'support', 'webhooks:write'];
/** `dev` (merchant 123456), `other` (654321), `partner` (both) may manage webhooks; `reader` may not. */
export const WEBHOOK_API_KEYS = JSON.stringify([
  { id: 'dev', keyHash: sha256Hex('dev'), scopes: ALL, merchants: ['123456'] },
  { id: 'other', keyHash: sha256Hex('other'), scopes: ALL, merchants: ['654321'] },
  { id: 'partner', keyHash: sha256Hex('partner'), scopes: ALL, merchants: ['123456', '654321'] },
  { id: 'reader', keyHash: sha256Hex('reader'), scopes: ['payments:read', 'payments:write', 'recurring:read'], merchants: ['123456'] },
]);

/** Every log line a process wrote, as text. */
export class LogLines extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.lines.push(...chunk.toString('utf8').split('\n').filter((l) => l.length > 0));
    done();
  }
}

export interface CapturingWorker {
  services: Services;
  running: RunningWorkers;
  logs: LogLines;
  close(): Promise<void>;
}

/** The worker (jobs/worker.ts wiring) in this process, logging at debug level into `logs`. */
export async function startCapturingWorker(api: TestApi): Promise<CapturingWorker> {
  const logs = new LogLines();
  const log = createLogger('debug', logs);
  const redis = workerRedis(testRedisUrl());
  const subscriber = workerRedis(testRedisUrl());
  const vipps = createVippsClient({ config: api.config, redis, log, retryPolicy: { baseDelayMs: 10, maxDelayMs: 50, maxRetryAfterMs: 1000 } });
  const services = createServices({ config: api.config, redis, subscriber, vipps, log });
  const running = await startWorkers(services, redis);
  return {
    services,
    running,
    logs,
    close: async () => {
      await running.close();
      await services.close();
      subscriber.disconnect();
      redis.disconnect();
    },
  };
}

/**
 * A producer of deliveries like the API's `services.merchantWebhooks`, but with a short retry
 * schedule (it travels with each job, so the production worker follows it).
 */
export function shortScheduleProducer(api: TestApi, redis: Redis, schedule: DeliverySchedule, logs: LogLines): MerchantWebhooks {
  return new MerchantWebhooks(redis, redisKeys(api.config.redis.prefix), api.services.jobs, createLogger('debug', logs), { policy: api.config.merchantWebhooks, schedule });
}

export function paymentEvent(overrides: Partial<MerchantEvent> = {}, type: MerchantEventType = 'PAYMENT_UPDATED'): MerchantEvent {
  const reference = `order-${randomBytes(4).toString('hex')}`;
  return {
    id: `evt_${randomBytes(16).toString('hex')}`,
    type,
    merchantSerialNumber: '123456',
    occurredAt: new Date().toISOString(),
    payment: {
      merchantSerialNumber: '123456',
      reference,
      pspReference: null,
      state: 'AUTHORIZED',
      amount: { value: 49_900, currency: 'NOK' },
      aggregate: { authorized: 49_900, captured: 0, refunded: 0, cancelled: 0 },
      redirectUrl: null,
      description: 'Two tickets',
      userFlow: 'WEB_REDIRECT',
      createdAt: new Date().toISOString(),
      updatedAt: new Date().toISOString(),
      authorizedAt: new Date().toISOString(),
      captureGuaranteedUntil: null,
    },
    ...overrides,
  };
}

export const REGISTER = `mutation Register($input: RegisterMerchantWebhookInput!) {
  registerMerchantWebhook(input: $input) {
    webhook { id merchantSerialNumber url types enabled disabledReason createdAt updatedAt }
    secret
    errors { code message field }
  }
}`;

export const LIST = `query List($msn: String) { merchantWebhooks(merchantSerialNumber: $msn) { id merchantSerialNumber url types enabled disabledReason } }`;

export const UPDATE = `mutation Update($input: UpdateMerchantWebhookInput!) {
  updateMerchantWebhook(input: $input) { webhook { id url types enabled disabledReason } errors { code message field } }
}`;

export const DELETE = `mutation Delete($id: ID!) { deleteMerchantWebhook(id: $id) { deletedId errors { code message field } } }`;

export const DELIVERIES = `query Deliveries($endpointId: ID!, $msn: String, $first: Int, $after: String) {
  webhookDeliveries(merchantSerialNumber: $msn, endpointId: $endpointId, first: $first, after: $after) {
    edges { cursor node { id deliveryId eventId eventType attempt redelivered at durationMs statusCode error outcome nextRetryAt } }
    pageInfo { hasNextPage endCursor }
  }
}`;

export const REDELIVER = `mutation Redeliver($id: ID!) { redeliverWebhook(deliveryId: $id) { deliveryId errors { code message field } } }`;

export interface Registered {
  id: string;
  secret: string;
}

export async function register(api: TestApi, url: string, types: MerchantEventType[] = ['PAYMENT_UPDATED'], key = 'dev', msn?: string): Promise<Registered> {
  const result = await api.gql(REGISTER, { input: { url, types, ...(msn ? { merchantSerialNumber: msn } : {}) } }, key);
  expect(result.errors).toBeUndefined();
  expect(result.data.registerMerchantWebhook.errors).toEqual([]);
  return { id: result.data.registerMerchantWebhook.webhook.id, secret: result.data.registerMerchantWebhook.secret };
}

export interface AttemptView {
  deliveryId: string;
  eventId: string;
  attempt: number;
  redelivered: boolean;
  statusCode: number | null;
  error: string | null;
  outcome: string;
  nextRetryAt: string | null;
  at: string;
  durationMs: number;
}

/** The endpoint's attempts for one event, oldest first. */
export async function attemptsOf(api: TestApi, endpointId: string, eventId: string, key = 'dev'): Promise<AttemptView[]> {
  const result = await api.gql(DELIVERIES, { endpointId, first: 100 }, key);
  expect(result.errors).toBeUndefined();
  return (result.data.webhookDeliveries.edges as { node: AttemptView }[]).map((e) => e.node).filter((a) => a.eventId === eventId).reverse();
}
