import { Writable } from 'node:stream';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { sha256Hex, SIMULATOR_MERCHANT } from '../../../src/config/config';
import { createLogger } from '../../../src/log/logger';
import { bullPrefix } from '../../../src/queues/queues';
import { startTracing, type Tracing } from '../../../src/telemetry/tracing';
import { workerRedis } from '../../../src/redis/client';
import { redisKeys } from '../../../src/redis/keys';
import { createVippsClient } from '../../../src/vipps/vipps-client';
import { WEBHOOK_PATH } from '../../../src/webhooks/webhook-events';
import { ensureWebhooks } from '../../../src/webhooks/webhook-registration';
import { API_KEYS, startTestApi, type TestApi } from '../../support/api';
import { expectEventually } from '../../support/eventually';
import { removeQueues, startTestWorker, type TestWorker } from '../../support/live';
import { testRedisUrl } from '../../support/redis';
import { PAYMENT_STATUS } from '../../support/status-token';
import { approve, AUDIT_LOG, CAPTURE, create, idem, landingToken, NO_FAULTS, NOK, PAYMENT, REFUND, setFaults } from './security-support';

/**
 * docs/design.md §3: client secrets, access tokens, API keys, webhook secrets and status tokens never
 * appear in logs, errors, metrics, job data or the audit log. A full flow runs with the API and a
 * worker logging at debug into a captured stream; then every place is searched for every secret,
 * and both processes' metrics for the payments' references and the customer's phone number too.
 */
jest.setTimeout(60_000);

const TEST_KEY = 'test-key-7f3a9c';
/** The customer's, sent to Vipps with the create. */
const PHONE = '4798765432';

describe('secrets never leak', () => {
  let api: TestApi;
  let tracing: Tracing | null;
  const spans = new InMemorySpanExporter();
  let worker: TestWorker;
  const logLines: string[] = [];
  const responses: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(chunk.toString('utf8'));
      done();
    },
  });

  beforeAll(async () => {
    const keys = [...API_KEYS, { id: 'leak-check', keyHash: sha256Hex(TEST_KEY), scopes: ['payments:read', 'payments:write', 'support'], merchants: ['123456'] }];
    // Tracing on, before the API, so every span the flow makes is searched too.
    tracing = startTracing({ serviceName: 'vipps-graph-test', processor: new SimpleSpanProcessor({ exporter: spans }) });
    api = await startTestApi({ LOG_LEVEL: 'debug', API_KEYS: JSON.stringify(keys) }, { knownPort: true, logDestination: sink });
    worker = await startTestWorker(api, {}, sink);
  });
  afterAll(async () => {
    await setFaults(api, NO_FAULTS);
    await tracing?.shutdown();
    await worker.close();
    await removeQueues(api);
    await api.close();
  });

  /** POST /graphql keeping the raw response text, so error bodies are searched too. */
  async function gql(query: string, variables: Record<string, unknown>, bearer: string): Promise<any> {
    const res = await fetch(`${api.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` }, body: JSON.stringify({ query, variables }) });
    const text = await res.text();
    responses.push(text);
    return JSON.parse(text);
  }

  it('keeps every secret out of logs, errors, metrics, job data and the audit log', async () => {
    const log = createLogger('debug', sink);
    const registrar = workerRedis(testRedisUrl());
    try {
      const vipps = createVippsClient({ config: api.config, redis: registrar, log });
      await ensureWebhooks(vipps, registrar, redisKeys(api.config.redis.prefix), ['123456'], `${api.config.publicUrl}${WEBHOOK_PATH}`, log);
    } finally {
      registrar.disconnect();
    }

    // Create with a status token in the returnUrl (the create payload, which hands the caller its
    // own token, is the one response not searched), approve through the landing page, capture, refund.
    const created = await create(api, { appendStatusToken: true, returnUrl: 'https://shop.example/back?x=1', customerPhoneNumber: PHONE }, 'dev');
    const { reference } = created.payment;
    const landing = await fetch(`${api.sim.url}/landing/approve?token=${encodeURIComponent(landingToken(created.redirectUrl))}`, { method: 'POST', redirect: 'manual' });
    const returnToken = new URL(landing.headers.get('location') ?? '').searchParams.get('statusToken') ?? '';
    expect(returnToken).toMatch(/^v1\./);
    expect((await gql(PAYMENT_STATUS, { reference }, created.statusToken)).errors).toBeUndefined();
    // A status token may not act, and says so without echoing itself.
    const refusedToken = await gql(CAPTURE, { input: { reference, idempotencyKey: idem('tok') } }, returnToken);
    expect(refusedToken.errors[0].extensions.code).toBe('FORBIDDEN');

    expect((await gql(CAPTURE, { input: { reference, idempotencyKey: idem('cap'), amount: NOK(60000) } }, TEST_KEY)).data.capturePayment.errors).toEqual([]);
    expect((await gql(REFUND, { input: { reference, idempotencyKey: idem('ref'), amount: NOK(10000) } }, TEST_KEY)).data.refundPayment.errors).toEqual([]);
    // A refused operation, a bad key, an expired-looking token.
    expect((await gql(REFUND, { input: { reference, idempotencyKey: idem('big'), amount: NOK(900000) } }, TEST_KEY)).data.refundPayment.errors[0].code).toBe('REFUND_AMOUNT_TOO_HIGH');
    expect((await gql(PAYMENT, { reference }, `${TEST_KEY}x`)).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect((await gql(PAYMENT_STATUS, { reference }, `${created.statusToken}x`)).errors[0].extensions.code).toBe('UNAUTHENTICATED');

    // Vipps delivers webhooks for these events to the API, which enqueues them.
    await expectEventually(async () => {
      const metrics = await (await fetch(api.metricsUrl)).text();
      expect(metrics).toMatch(/vipps_graph_webhooks_total\{status="2\d\d"\}/);
    });

    // Vipps answers 500 to everything: an uncached read and a capture fail clearly.
    const other = await create(api, {}, 'dev');
    await approve(api, other.payment.reference);
    await api.redis.del(redisKeys(api.config.redis.prefix).paymentCache('123456', other.payment.reference));
    await setFaults(api, { errorRate: 1, status: 500 });
    const down = await gql(PAYMENT, { reference: other.payment.reference }, TEST_KEY);
    expect(down.errors[0].extensions.code).toBe('VIPPS_UNAVAILABLE');
    const downCapture = await gql(CAPTURE, { input: { reference: other.payment.reference, idempotencyKey: idem('down') } }, TEST_KEY);
    expect(downCapture.data.capturePayment.errors[0].code).toBe('VIPPS_UNAVAILABLE');
    await setFaults(api, NO_FAULTS);

    const keys = redisKeys(api.config.redis.prefix);
    const accessToken = (await api.redis.get(keys.accessToken('123456'))) ?? '';
    const webhookSecrets = await api.redis.hvals(keys.webhookSecrets('123456'));
    expect(accessToken.length).toBeGreaterThan(10);
    expect(webhookSecrets.length).toBeGreaterThan(0);
    const secrets: Record<string, string> = {
      'client secret': SIMULATOR_MERCHANT.clientSecret,
      'subscription key': SIMULATOR_MERCHANT.subscriptionKey,
      'access token': accessToken,
      'API key': TEST_KEY,
      'payload status token': created.statusToken,
      'returnUrl status token': returnToken,
      ...Object.fromEntries(webhookSecrets.map((s, i) => [`webhook secret ${i}`, s])),
    };

    const metrics = await (await fetch(api.metricsUrl)).text();
    const workerMetrics = await (await fetch(worker.metricsUrl)).text();
    const jobData = await bullContents(api);
    const audit = await api.redis.xrange(keys.auditLog('123456'), '-', '+');
    const auditText = JSON.stringify(audit);
    const auditApi = JSON.stringify(await gql(AUDIT_LOG, { reference }, TEST_KEY));
    const places: Record<string, string> = { logs: logLines.join(''), metrics, 'worker metrics': workerMetrics, 'job data': jobData, 'audit stream': auditText, 'audit query': auditApi, 'GraphQL responses': responses.join('\n') };

    // The search is meaningful: the flow did log at debug, enqueue jobs and audit.
    expect(places.logs).toContain('"level":20');
    expect(places.logs).toContain('vipps request failed');
    expect(jobData).toContain(reference);
    expect(audit.length).toBeGreaterThanOrEqual(5);
    expect(metrics).toMatch(/^vipps_graph_vipps_request_failures_total\{/m);
    expect(workerMetrics).toMatch(/^vipps_graph_job_duration_seconds_count\{/m);
    // Labels name endpoints and queues, never a payment or the customer.
    for (const text of [metrics, workerMetrics]) {
      expect(text).not.toContain(reference);
      expect(text).not.toContain(other.payment.reference);
      expect(text).not.toContain('4791234567');
    }

    // Every span's name, attributes, events, links and status: they name endpoints, never people.
    const spanText = JSON.stringify(spans.getFinishedSpans().map((s) => [s.name, s.attributes, s.events, s.links, s.status, s.resource.attributes]));
    expect(spanText).toContain('/epayment/v1/payments/{id}/capture');
    expect(spanText).toContain('db.redis.commands');
    expect(spanText).not.toContain(PHONE);
    expect(spanText).not.toMatch(/[\w.+-]+@[\w-]+\.[\w.-]+/);
    places.spans = spanText;

    const leaks: string[] = [];
    for (const [what, secret] of Object.entries(secrets)) {
      for (const [where, text] of Object.entries(places)) {
        if (text.includes(secret)) leaks.push(`${what} in ${where}: …${text.slice(Math.max(0, text.indexOf(secret) - 300), text.indexOf(secret) + 20)}`);
      }
    }
    expect(leaks).toEqual([]);
  });
});

/** Everything BullMQ keeps under the API's prefix (hashes, lists, sets, streams), as text. */
async function bullContents(api: TestApi): Promise<string> {
  const prefix = bullPrefix(api.config.redis.prefix);
  const parts: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await api.redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    cursor = next;
    for (const key of keys) {
      const type = await api.redis.type(key);
      if (type === 'hash') parts.push(JSON.stringify(await api.redis.hgetall(key)));
      else if (type === 'list') parts.push(JSON.stringify(await api.redis.lrange(key, 0, -1)));
      else if (type === 'set') parts.push(JSON.stringify(await api.redis.smembers(key)));
      else if (type === 'zset') parts.push(JSON.stringify(await api.redis.zrange(key, '0', '-1')));
      else if (type === 'stream') parts.push(JSON.stringify(await api.redis.xrange(key, '-', '+')));
      else if (type === 'string') parts.push((await api.redis.get(key)) ?? '');
      parts.push(key);
    }
  } while (cursor !== '0');
  return parts.join('\n');
}
