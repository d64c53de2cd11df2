import { Webhook } from 'standardwebhooks';
import { bullPrefix, QueueName } from '../../../src/queues/queues';
import { redisKeys } from '../../../src/redis/keys';
import { startTestApi, type TestApi } from '../../support/api';
import { expectEventually } from '../../support/eventually';
import { removeQueues } from '../../support/live';
import { testRedis } from '../../support/redis';
import { TestReceiver } from './receiver';
import { attemptsOf, DELIVERIES, LogLines, paymentEvent, REDELIVER, REGISTER, register, shortScheduleProducer, startCapturingWorker, UPDATE, WEBHOOK_API_KEYS, type CapturingWorker } from './webhook-support';
import type { MerchantWebhooks } from '../../../src/merchant-webhooks/merchant-webhooks';
import type { Redis } from 'ioredis';

/**
 * Outbound merchant webhooks end to end: endpoints registered over GraphQL, events handed to the
 * sink, a real BullMQ worker POSTing to a receiver on a local port, the delivery log read back.
 * The producer here has a short retry schedule (100 ms doubling, 6 tries); the worker is the
 * production one and follows the schedule each job carries.
 */
jest.setTimeout(60_000);

const SHORT = { attempts: 6, baseDelayMs: 100 };

describe('merchant webhook delivery', () => {
  let api: TestApi;
  let worker: CapturingWorker;
  let redis: Redis;
  let producer: MerchantWebhooks;
  const producerLogs = new LogLines();
  const apiLogs = new LogLines();
  const receiver = new TestReceiver();

  beforeAll(async () => {
    api = await startTestApi({ API_KEYS: WEBHOOK_API_KEYS, LOG_LEVEL: 'debug' }, { logDestination: apiLogs });
    worker = await startCapturingWorker(api);
    redis = testRedis();
    producer = shortScheduleProducer(api, redis, SHORT, producerLogs);
    await receiver.start();
  });

  afterAll(async () => {
    producer.close();
    await worker.close();
    await receiver.stop();
    await removeQueues(api);
    await redis.quit();
    await api.close();
  });

  beforeEach(() => {
    receiver.status = 200;
    receiver.hang = false;
  });

  // Each test's endpoints only: the next test's events must not reach them.
  afterEach(async () => {
    for (const endpoint of await api.services.merchantWebhooks.list('123456')) await api.services.merchantWebhooks.remove('123456', endpoint.id);
  });

  it("delivers an event signed so that the library's own verify accepts it, and a forged or replayed one fails", async () => {
    const endpoint = await register(api, receiver.url);
    expect(endpoint.secret).toMatch(/^whsec_/);
    const event = paymentEvent();
    await producer.enqueue(event);

    const [delivery] = await expectEventually(async () => {
      const found = receiver.deliveriesOf(event.id);
      expect(found).toHaveLength(1);
      return found;
    });
    if (!delivery) throw new Error('no delivery');
    expect(delivery.method).toBe('POST');
    expect(delivery.path).toBe('/hooks');
    expect(delivery.headers['content-type']).toBe('application/json');
    const headers = delivery.headers as Record<string, string>;
    const verified = new Webhook(endpoint.secret).verify(delivery.body, headers);
    expect(verified).toEqual({ type: 'PAYMENT_UPDATED', timestamp: event.occurredAt, data: { merchantSerialNumber: '123456', payment: event.payment } });

    // Forged: another secret, or the body altered (an amount changed).
    expect(() => new Webhook(`whsec_${Buffer.alloc(32, 7).toString('base64')}`).verify(delivery.body, headers)).toThrow('No matching signature found');
    expect(() => new Webhook(endpoint.secret).verify(delivery.body.replace('49900', '100'), headers)).toThrow('No matching signature found');
    // Replayed: the same request presented again six minutes later (the tolerance is five).
    const sent = Number(headers['webhook-timestamp']) * 1000;
    const clock = jest.spyOn(Date, 'now').mockReturnValue(sent + 6 * 60_000);
    try {
      expect(() => new Webhook(endpoint.secret).verify(delivery.body, headers)).toThrow('Message timestamp too old');
    } finally {
      clock.mockRestore();
    }

    const attempts = await expectEventually(async () => {
      const found = await attemptsOf(api, endpoint.id, event.id);
      expect(found).toHaveLength(1);
      return found;
    });
    expect(attempts[0]).toMatchObject({ attempt: 1, statusCode: 200, error: null, outcome: 'DELIVERED', nextRetryAt: null, redelivered: false });
  });

  it('delivers an event once per endpoint, however often it is announced, and only to endpoints that want its type', async () => {
    const first = await register(api, receiver.url, ['PAYMENT_UPDATED', 'CHARGE_FAILED']);
    const second = await register(api, `${receiver.url}?second`, ['PAYMENT_UPDATED']);
    const uninterested = await register(api, `${receiver.url}?charges`, ['CHARGE_UPDATED']);
    const event = paymentEvent();
    // Announced five times, from two producers (as an API and a worker would), at once.
    const other = shortScheduleProducer(api, redis, SHORT, producerLogs);
    await Promise.all([producer, other, producer, other, producer].map((p) => p.enqueue(event)));
    other.close();

    await expectEventually(async () => expect(receiver.deliveriesOf(event.id).map((r) => r.path).sort()).toEqual(['/hooks', '/hooks?second']));
    // Nothing more arrives once the queue is idle, nor when the event is announced again after
    // its jobs are done and gone (the claim marks remember it, not the job ids).
    const idle = () => expectEventually(async () => expect(await api.services.jobs.queue(QueueName.MerchantWebhook).getJobCounts('waiting', 'active', 'delayed')).toEqual({ waiting: 0, active: 0, delayed: 0 }));
    await idle();
    await producer.enqueue(event);
    await new Promise((resolve) => setTimeout(resolve, 500));
    await idle();
    expect(receiver.deliveriesOf(event.id)).toHaveLength(2);
    expect(await attemptsOf(api, first.id, event.id)).toHaveLength(1);
    expect(await attemptsOf(api, second.id, event.id)).toHaveLength(1);
    expect(await attemptsOf(api, uninterested.id, event.id)).toHaveLength(0);
  });

  it('keeps retrying while the receiver is down and delivers once it is back; the log shows every attempt', async () => {
    const endpoint = await register(api, receiver.url);
    await receiver.stop();
    const event = paymentEvent();
    try {
      await producer.enqueue(event);
      const failing = await expectEventually(async () => {
        const found = await attemptsOf(api, endpoint.id, event.id);
        expect(found.length).toBeGreaterThanOrEqual(2);
        return found;
      });
      for (const [i, a] of failing.entries()) {
        expect(a).toMatchObject({ attempt: i + 1, statusCode: null, error: 'connection refused', outcome: 'RETRYING' });
        // The next try is announced, doubling from 100 ms.
        expect(Date.parse(a.nextRetryAt as string) - Date.parse(a.at)).toBeGreaterThanOrEqual(SHORT.baseDelayMs * 2 ** i);
      }
    } finally {
      await receiver.start();
    }
    await expectEventually(async () => expect(receiver.deliveriesOf(event.id)).toHaveLength(1));
    const attempts = await expectEventually(async () => {
      const found = await attemptsOf(api, endpoint.id, event.id);
      expect(found.at(-1)?.outcome).toBe('DELIVERED');
      return found;
    });
    expect(attempts.map((a) => a.attempt)).toEqual(attempts.map((_, i) => i + 1));
    expect(attempts.slice(0, -1).every((a) => a.outcome === 'RETRYING')).toBe(true);
    expect(attempts.at(-1)).toMatchObject({ statusCode: 200, nextRetryAt: null });
    // The same webhook-id on every attempt; only the timestamp and signature change.
    expect(new Webhook(endpoint.secret).verify(receiver.deliveriesOf(event.id)[0]?.body ?? '', receiver.deliveriesOf(event.id)[0]?.headers as Record<string, string>)).toBeTruthy();
  });

  it('retries 5xx answers until the schedule runs out, then marks the delivery FAILED', async () => {
    const endpoint = await register(api, receiver.url);
    receiver.status = 503;
    const event = paymentEvent();
    await producer.enqueue(event);
    const attempts = await expectEventually(
      async () => {
        const found = await attemptsOf(api, endpoint.id, event.id);
        expect(found).toHaveLength(SHORT.attempts);
        return found;
      },
      { timeoutMs: 20_000 },
    );
    expect(attempts.map((a) => a.outcome)).toEqual(['RETRYING', 'RETRYING', 'RETRYING', 'RETRYING', 'RETRYING', 'FAILED']);
    expect(attempts.every((a) => a.statusCode === 503)).toBe(true);
    expect(attempts.at(-1)?.nextRetryAt).toBeNull();
    expect(receiver.deliveriesOf(event.id)).toHaveLength(SHORT.attempts);
  });

  it('disables an endpoint that answers 410 and stops retrying; enabling it again resumes deliveries', async () => {
    const endpoint = await register(api, receiver.url);
    receiver.status = 410;
    const event = paymentEvent();
    await producer.enqueue(event);
    const [gone] = await expectEventually(async () => {
      const found = await attemptsOf(api, endpoint.id, event.id);
      expect(found).toHaveLength(1);
      return found;
    });
    expect(gone).toMatchObject({ statusCode: 410, outcome: 'ENDPOINT_GONE', nextRetryAt: null });
    const listed = await api.gql(`{ merchantWebhooks { id enabled disabledReason } }`);
    const after410 = listed.data.merchantWebhooks.find((w: { id: string }) => w.id === endpoint.id);
    expect(after410.enabled).toBe(false);
    expect(after410.disabledReason).toMatch(/^The endpoint answered 410 Gone at .*; enable it again with updateMerchantWebhook\.$/);

    // No retry (the short schedule would have tried again within 100 ms), and no new deliveries.
    receiver.status = 200;
    const later = paymentEvent();
    await producer.enqueue(later);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(receiver.deliveriesOf(event.id)).toHaveLength(1);
    expect(receiver.deliveriesOf(later.id)).toHaveLength(0);

    const enabled = await api.gql(UPDATE, { input: { id: endpoint.id, enabled: true } });
    expect(enabled.data.updateMerchantWebhook).toMatchObject({ webhook: { enabled: true, disabledReason: null }, errors: [] });
    const again = paymentEvent();
    await producer.enqueue(again);
    await expectEventually(async () => expect(receiver.deliveriesOf(again.id)).toHaveLength(1));
  });

  it('redeliverWebhook sends a delivery again with the same webhook-id, and the log marks it', async () => {
    const endpoint = await register(api, receiver.url);
    const event = paymentEvent();
    await producer.enqueue(event);
    const [first] = await expectEventually(async () => {
      const found = await attemptsOf(api, endpoint.id, event.id);
      expect(found).toHaveLength(1);
      return found;
    });
    const redelivered = await api.gql(REDELIVER, { id: first?.deliveryId });
    expect(redelivered.data.redeliverWebhook).toEqual({ deliveryId: first?.deliveryId, errors: [] });
    await expectEventually(async () => expect(receiver.deliveriesOf(event.id)).toHaveLength(2));
    const attempts = await expectEventually(async () => {
      const found = await attemptsOf(api, endpoint.id, event.id);
      expect(found).toHaveLength(2);
      return found;
    });
    expect(attempts[1]).toMatchObject({ deliveryId: first?.deliveryId, attempt: 1, redelivered: true, outcome: 'DELIVERED' });
    for (const request of receiver.deliveriesOf(event.id)) expect(new Webhook(endpoint.secret).verify(request.body, request.headers as Record<string, string>)).toBeTruthy();

    // Refused: an unknown delivery, and a disabled endpoint.
    const unknown = await api.gql(REDELIVER, { id: Buffer.from(`${endpoint.id}:evt_nope`).toString('base64url') });
    expect(unknown.data.redeliverWebhook).toEqual({ deliveryId: null, errors: [{ code: 'NOT_FOUND', message: 'This event is no longer kept: events can be redelivered for 3 days.', field: ['deliveryId'] }] });
    await api.gql(UPDATE, { input: { id: endpoint.id, enabled: false } });
    const disabled = await api.gql(REDELIVER, { id: first?.deliveryId });
    expect(disabled.data.redeliverWebhook.errors[0]).toMatchObject({ code: 'INVALID_STATE', message: 'The endpoint is disabled: enable it with updateMerchantWebhook first.' });
  });

  it("shows a key none of another merchant's deliveries", async () => {
    const endpoint = await register(api, receiver.url);
    const event = paymentEvent();
    await producer.enqueue(event);
    await expectEventually(async () => expect(await attemptsOf(api, endpoint.id, event.id)).toHaveLength(1));
    expect(await attemptsOf(api, endpoint.id, event.id, 'partner')).toHaveLength(1);
    for (const variables of [{ endpointId: endpoint.id }, { endpointId: endpoint.id, msn: '654321' }, { endpointId: endpoint.id, msn: '123456' }]) {
      const deliveries = await api.gql(DELIVERIES, variables, 'other');
      expect(deliveries.errors).toBeUndefined();
      expect(deliveries.data.webhookDeliveries).toEqual({ edges: [], pageInfo: { hasNextPage: false, endCursor: null } });
    }
    // Its events do not reach another merchant's endpoints either.
    const theirs = await register(api, `${receiver.url}?theirs`, ['PAYMENT_UPDATED'], 'other');
    const next = paymentEvent();
    await producer.enqueue(next);
    await expectEventually(async () => expect(receiver.deliveriesOf(next.id)).toHaveLength(1));
    expect(receiver.deliveriesOf(next.id)[0]?.path).toBe('/hooks');
    expect(await attemptsOf(api, theirs.id, next.id, 'other')).toEqual([]);
    await api.services.merchantWebhooks.remove('654321', theirs.id);
  });

  it('stops delivering to a deleted endpoint, and deletes its log', async () => {
    const endpoint = await register(api, receiver.url);
    receiver.status = 500;
    const event = paymentEvent();
    await producer.enqueue(event);
    await expectEventually(async () => expect((await attemptsOf(api, endpoint.id, event.id)).length).toBeGreaterThanOrEqual(1));
    const deleted = await api.gql(`mutation($id: ID!) { deleteMerchantWebhook(id: $id) { deletedId errors { code } } }`, { id: endpoint.id });
    expect(deleted.data.deleteMerchantWebhook).toEqual({ deletedId: endpoint.id, errors: [] });
    const sentSoFar = receiver.deliveriesOf(event.id).length;
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(receiver.deliveriesOf(event.id)).toHaveLength(sentSoFar);
    expect(await attemptsOf(api, endpoint.id, event.id)).toEqual([]);
  });

  it('keeps the secret out of every log line, job, delivery log and Redis key but the secrets hash', async () => {
    const created = await api.gql(REGISTER, { input: { url: receiver.url, types: ['PAYMENT_UPDATED'] } });
    const { webhook, secret } = created.data.registerMerchantWebhook as { webhook: { id: string }; secret: string };
    const bare = secret.slice('whsec_'.length);
    receiver.status = 503;
    const failing = paymentEvent();
    await producer.enqueue(failing);
    await expectEventually(async () => expect((await attemptsOf(api, webhook.id, failing.id)).length).toBeGreaterThanOrEqual(2));
    // Its job, waiting for the next retry while the receiver still answers 503.
    const queue = api.services.jobs.queue(QueueName.MerchantWebhook);
    const jobs = await queue.getJobs(['waiting', 'active', 'delayed', 'failed', 'completed', 'prioritized']);
    expect(jobs.some((j) => j.data.eventId === failing.id)).toBe(true);
    expect(jobs.filter((j) => JSON.stringify(j).includes(bare))).toEqual([]);
    receiver.status = 200;
    const delivered = paymentEvent();
    await producer.enqueue(delivered);
    await expectEventually(async () => expect(await attemptsOf(api, webhook.id, delivered.id)).toHaveLength(1));

    const lines = [...apiLogs.lines, ...worker.logs.lines, ...producerLogs.lines];
    expect(lines.some((l) => l.includes('merchant webhook endpoint registered'))).toBe(true);
    expect(lines.some((l) => l.includes('job failed') && l.includes('endpoint answered 503'))).toBe(true);
    expect(lines.filter((l) => l.includes(bare))).toEqual([]);

    const holders = await keysHolding(redis, [api.config.redis.prefix, bullPrefix(api.config.redis.prefix)], bare);
    expect(holders).toEqual([redisKeys(api.config.redis.prefix).merchantWebhookSecrets('123456')]);
  });
});

/** Keys under the prefixes whose value (string, hash, stream, list, set, sorted set) contains `text`. */
async function keysHolding(client: Redis, prefixes: string[], text: string): Promise<string[]> {
  const found: string[] = [];
  for (const prefix of prefixes) {
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      for (const key of keys) {
        const type = await client.type(key);
        const value =
          type === 'string' ? await client.get(key)
          : type === 'hash' ? JSON.stringify(await client.hgetall(key))
          : type === 'stream' ? JSON.stringify(await client.xrange(key, '-', '+'))
          : type === 'list' ? JSON.stringify(await client.lrange(key, 0, -1))
          : type === 'set' ? JSON.stringify(await client.smembers(key))
          : type === 'zset' ? JSON.stringify(await client.zrange(key, '0', '-1'))
          : '';
        if (value?.includes(text)) found.push(key);
      }
    } while (cursor !== '0');
  }
  return found;
}
