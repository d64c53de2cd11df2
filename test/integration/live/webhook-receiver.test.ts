import { QueueName } from '../../../src/queues/queues';
import { redisKeys } from '../../../src/redis/keys';
import { WEBHOOK_PATH } from '../../../src/webhooks/webhook-events';
import { signWebhook } from '../../../src/webhooks/signature';
import { startTestApi, type TestApi } from '../../support/api';
import { registerWebhooks, removeQueues } from '../../support/live';
import { approve, createPayment } from '../payments/payment-support';

/**
 * `POST /webhooks/vipps` with deliveries built by hand: only a delivery signed with the
 * registration's secret, over the exact body, recently dated and not seen before is accepted.
 * Refused ones enqueue nothing and change nothing. No worker runs here, so every accepted
 * delivery stays countable in the webhook-event queue.
 */
jest.setTimeout(30_000);

describe('webhook receiver', () => {
  let api: TestApi;
  let reference: string;
  let secret: string;
  let url: string;

  beforeAll(async () => {
    api = await startTestApi({}, { knownPort: true });
    await registerWebhooks(api);
    [secret = ''] = await api.redis.hvals(redisKeys(api.config.redis.prefix).webhookSecrets('123456'));
    url = `${api.config.publicUrl}${WEBHOOK_PATH}`;
    // The simulator delivers nothing here: every delivery in this file is built by the test.
    await api.sim.control('PUT', '/faults', { dropWebhooks: true });
    const created = await createPayment(api);
    reference = created.payment.reference;
    await approve(api, reference);
  });

  afterAll(async () => {
    await removeQueues(api);
    await api.close();
  });

  function payload(overrides: Record<string, unknown> = {}): string {
    return JSON.stringify({
      msn: '123456',
      reference,
      pspReference: 'psp-1',
      name: 'AUTHORIZED',
      amount: { value: 100000, currency: 'NOK' },
      timestamp: new Date().toISOString(),
      idempotencyKey: null,
      success: true,
      ...overrides,
    });
  }

  async function post(headers: Record<string, string>, body: string): Promise<{ status: number; body: unknown }> {
    const res = await fetch(`${api.url}${WEBHOOK_PATH}`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body });
    return { status: res.status, body: await res.json() };
  }

  async function enqueued(): Promise<number> {
    const counts = await api.services.jobs.queue(QueueName.WebhookEvent).getJobCounts('wait', 'active', 'delayed', 'completed', 'failed');
    return Object.values(counts).reduce((a, b) => a + b, 0);
  }

  /** What our side holds: the registry's state, the cached state, and what was published. */
  async function ourState(): Promise<unknown> {
    const keys = redisKeys(api.config.redis.prefix);
    const cached = await api.redis.get(keys.paymentCache('123456', reference));
    return {
      registry: (await api.services.paymentRegistry.meta('123456', reference))?.state,
      cached: cached ? (JSON.parse(cached) as { state: string }).state : null,
      published: await api.redis.get(keys.livePublished(`payment:123456:${reference}`)),
    };
  }

  it.each([
    ['forged (wrong secret)', () => {
      const body = payload();
      return { headers: signWebhook({ secret: 'not-the-secret', url, date: new Date(), body }), body };
    }],
    ['altered body (headers of another body)', () => {
      const signed = payload();
      return { headers: signWebhook({ secret, url, date: new Date(), body: signed }), body: payload({ name: 'CAPTURED' }) };
    }],
    ['altered body with its own content hash', () => {
      const signed = payload();
      const headers = signWebhook({ secret, url, date: new Date(), body: signed });
      const altered = payload({ name: 'CAPTURED' });
      const other = signWebhook({ secret: 'x', url, date: new Date(), body: altered });
      return { headers: { ...headers, 'x-ms-content-sha256': other['x-ms-content-sha256'] }, body: altered };
    }],
    ['stale (dated 10 minutes ago)', () => {
      const body = payload();
      return { headers: signWebhook({ secret, url, date: new Date(Date.now() - 10 * 60_000), body }), body };
    }],
    ['signed for another host', () => {
      const body = payload();
      return { headers: signWebhook({ secret, url: 'https://attacker.example/webhooks/vipps', date: new Date(), body }), body };
    }],
    ['for a merchant without registration', () => {
      const body = payload({ msn: '999999' });
      return { headers: signWebhook({ secret, url, date: new Date(), body }), body };
    }],
    ['unsigned', () => ({ headers: {} as Record<string, string>, body: payload() })],
  ])('refuses a %s delivery with 401, enqueuing and changing nothing', async (_name, build) => {
    const before = await ourState();
    const { headers, body } = build();
    const { host: _host, ...sent } = headers as Record<string, string>;
    const answer = await post(sent, body);
    expect(answer).toEqual({ status: 401, body: { ok: false, error: 'signature not valid' } });
    expect(await enqueued()).toBe(0);
    expect(await ourState()).toEqual(before);
  });

  it('accepts a valid delivery once and refuses its replay with 401', async () => {
    const before = await ourState();
    const body = payload();
    const { host: _host, ...headers } = signWebhook({ secret, url, date: new Date(), body });
    expect(await post(headers, body)).toEqual({ status: 200, body: { ok: true } });
    expect(await enqueued()).toBe(1);
    const [job] = await api.services.jobs.queue(QueueName.WebhookEvent).getJobs(['wait']);
    // Ids only, and the delivery's request id (its log lines and trace carry on in the worker).
    expect(job?.data).toEqual({ msn: '123456', event: 'AUTHORIZED', reference, occurredAt: expect.any(String), requestId: expect.any(String) });

    expect(await post(headers, body)).toEqual({ status: 401, body: { ok: false, error: 'delivery already received' } });
    expect(await enqueued()).toBe(1);
    // The receiver only enqueues: nothing about the payment changed here.
    expect(await ourState()).toEqual(before);
  });
});
