import { Writable } from 'node:stream';
import { INVALID_TRACEID, trace } from '@opentelemetry/api';
import type { Redis } from 'ioredis';
import { startWorkers, type RunningWorkers } from '../../../jobs/worker';
import type { PaymentRecord } from '../../../src/payments/payment-record';
import { jobIds, QueueName } from '../../../src/queues/queues';
import { workerRedis } from '../../../src/redis/client';
import { redisKeys } from '../../../src/redis/keys';
import { inRequestScope } from '../../../src/telemetry/request-scope';
import { activeTracer } from '../../../src/telemetry/tracing';
import { startTestApi, type TestApi } from '../../support/api';
import { expectEventually } from '../../support/eventually';
import { paymentSubscribers, removeQueues, wsClient } from '../../support/live';
import { testRedisUrl } from '../../support/redis';
import { createInput, uniqueRef } from '../payments/payment-support';

/**
 * Request ids and the access log, with tracing off: the id is the caller's or a new one; it is
 * in the `x-request-id` header, on every log line of the request and of the jobs it schedules,
 * and in masked errors. Each request writes one access-log line.
 */
jest.setTimeout(30_000);

const PAYMENT = `query PaymentState($reference: String!) { payment(reference: $reference) { reference state } }`;
const CREATE = `mutation CreatePayment($input: CreatePaymentInput!) { createPayment(input: $input) { payment { reference } errors { code } } }`;
const HEX32 = /^[0-9a-f]{32}$/;

interface LogLine {
  level: number;
  msg: string;
  requestId?: string;
  [field: string]: unknown;
}

describe('request ids and the access log', () => {
  let api: TestApi;
  const lines: LogLine[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) lines.push(JSON.parse(line) as LogLine);
      done();
    },
  });

  beforeAll(async () => {
    api = await startTestApi({ LOG_LEVEL: 'debug' }, { logDestination: sink });
  });
  afterAll(async () => {
    await removeQueues(api);
    await api.close();
  });

  async function post(query: string, variables: Record<string, unknown>, headers: Record<string, string> = {}, key: string | null = 'dev') {
    const res = await fetch(`${api.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}), ...headers },
      body: JSON.stringify({ query, variables }),
    });
    return { status: res.status, requestId: res.headers.get('x-request-id') as string, body: (await res.json()) as any };
  }
  const linesOf = (requestId: string) => lines.filter((l) => l.requestId === requestId);
  const accessLine = (requestId: string) => expectEventually(async () => {
    const found = linesOf(requestId).filter((l) => l.msg === 'request');
    expect(found).toHaveLength(1);
    return found[0] as LogLine;
  });

  it("echoes the caller's x-request-id, and makes one when there is none or it is unfit", async () => {
    const reference = uniqueRef('none');
    expect((await post(PAYMENT, { reference }, { 'x-request-id': 'shop-42' })).requestId).toBe('shop-42');
    const made = (await post(PAYMENT, { reference })).requestId;
    expect(made).toMatch(HEX32);
    const refused = (await post(PAYMENT, { reference }, { 'x-request-id': 'x'.repeat(65) })).requestId;
    expect(refused).toMatch(HEX32);
    expect(refused).not.toBe(made);
    expect((await post(PAYMENT, { reference }, { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' })).requestId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    // Every response has one, not only GraphQL's.
    expect((await fetch(`${api.url}/healthz`)).headers.get('x-request-id')).toMatch(HEX32);
  });

  it('writes one access-log line per request at info: method, route, operation, outcome, duration, request id', async () => {
    const ok = await post(PAYMENT, { reference: uniqueRef('none') });
    expect(await accessLine(ok.requestId)).toEqual(
      expect.objectContaining({ level: 30, method: 'POST', path: '/graphql', operation: 'PaymentState', status: 200, ms: expect.any(Number) }),
    );
    expect((await accessLine(ok.requestId)).errors).toBeUndefined();

    const refused = await post(PAYMENT, { reference: uniqueRef('none') }, {}, 'not-a-key');
    expect(await accessLine(refused.requestId)).toEqual(expect.objectContaining({ level: 30, status: 401, errors: ['UNAUTHENTICATED'] }));

    // The agreement page's path holds a signed token: only its route is logged.
    const page = await fetch(`${api.url}/agreements/manage/v1.secret-looking-token.mac`);
    const pageLine = await accessLine(page.headers.get('x-request-id') as string);
    expect(pageLine.path).toBe('/agreements/manage/{token}');
    expect(JSON.stringify(lines)).not.toContain('secret-looking-token');

    // Probes every few seconds are debug.
    const probe = await fetch(`${api.url}/healthz`);
    expect(await accessLine(probe.headers.get('x-request-id') as string)).toEqual(expect.objectContaining({ level: 20, path: '/healthz', status: 200 }));
  });

  it('puts the request id on every line the request logs, and a lookup Vipps answers 404 is not a warning', async () => {
    const { requestId, body } = await post(PAYMENT, { reference: uniqueRef('missing') });
    expect(body.data.payment).toBeNull();
    await expectEventually(async () => {
      const own = linesOf(requestId);
      expect(own.map((l) => l.msg)).toEqual(expect.arrayContaining(['vipps lookup found nothing', 'request']));
      expect(own.find((l) => l.msg === 'vipps lookup found nothing')?.level).toBe(20);
      expect(own.filter((l) => l.level >= 40)).toEqual([]);
    });
  });

  it('gives a masked error the request id, which finds its log lines', async () => {
    const { payment } = (await post(CREATE, { input: createInput() })).body.data.createPayment;
    // Uncached, so the read goes to Vipps, which now fails.
    await api.redis.del(redisKeys(api.config.redis.prefix).paymentCache('123456', payment.reference));
    await api.sim.control('PUT', '/faults', { errorRate: 1, status: 500 });
    try {
      const { requestId, body } = await post(PAYMENT, { reference: payment.reference });
      expect(body.errors[0].extensions).toEqual({ code: 'VIPPS_UNAVAILABLE', requestId });
      await expectEventually(async () => expect(linesOf(requestId).some((l) => l.msg === 'vipps request failed')).toBe(true));
    } finally {
      await api.sim.control('PUT', '/faults', { errorRate: 0 });
    }
  });

  it('gives each graphql-ws subscription a request id of its own, and one line when it ends', async () => {
    const { payment } = (await post(CREATE, { input: createInput() })).body.data.createPayment;
    const ws = wsClient(api.url, { bearer: 'dev' });
    try {
      const follow = `subscription FollowPayment($reference: String!) { paymentUpdated(reference: $reference) { reference state } }`;
      const first = ws.subscribe(follow, { reference: payment.reference });
      const second = ws.subscribe(follow, { reference: payment.reference });
      await expectEventually(async () => expect(await paymentSubscribers(api, payment.reference)).toBeGreaterThan(0));
      first.stop();
      second.stop();
      const ended = await expectEventually(async () => {
        const found = lines.filter((l) => l.msg === 'subscription' && l.operation === 'FollowPayment');
        expect(found).toHaveLength(2);
        return found;
      });
      for (const line of ended) expect(line).toEqual(expect.objectContaining({ level: 30, transport: 'graphql-ws', outcome: 'completed', requestId: expect.stringMatching(HEX32) }));
      expect(ended[0]?.requestId).not.toBe(ended[1]?.requestId);
    } finally {
      await ws.close();
    }
  });

  it('registers nothing for tracing when no endpoint is configured: no provider, no span, no Redis wrapper', async () => {
    expect(api.config.tracing.otlpEndpoint).toBeUndefined();
    expect(activeTracer()).toBeNull();
    // The API's no-op tracer: a span it starts records nothing and has no trace id.
    const span = trace.getTracer('probe').startSpan('probe');
    expect(span.isRecording()).toBe(false);
    expect(span.spanContext().traceId).toBe(INVALID_TRACEID);
    // Connections keep ioredis' own command path.
    expect(Object.hasOwn(api.redis, 'sendCommand')).toBe(false);
    expect(Object.hasOwn(api.redis, 'pipeline')).toBe(false);
  });

  describe('jobs', () => {
    let connection: Redis;
    let running: RunningWorkers | undefined;
    afterAll(async () => {
      await running?.close();
      connection?.disconnect();
    });

    it('keep the id of the request that scheduled them, and their log lines carry it', async () => {
      const reference = uniqueRef('order');
      const { body } = await post(CREATE, { input: createInput({ reference }) }, { 'x-request-id': 'checkout-7' });
      expect(body.data.createPayment.errors).toEqual([]);
      const poll = await api.services.jobs.queue(QueueName.PollPayment).getJob(jobIds.pollPayment('123456', reference));
      expect(poll?.data.requestId).toBe('checkout-7');

      // A poll of a payment Vipps does not know logs one line, in the worker, with the request's id.
      const unknown = { merchantSerialNumber: '123456', reference: uniqueRef('gone'), state: 'CREATED' } as PaymentRecord;
      await inRequestScope({ requestId: 'checkout-8' }, () => api.services.jobs.pollPayment(unknown, 0));
      connection = workerRedis(testRedisUrl());
      running = await startWorkers(api.services, connection);
      await expectEventually(async () => {
        expect(linesOf('checkout-8').map((l) => l.msg)).toContain('vipps lookup found nothing');
      }, { timeoutMs: 15_000 });
    });
  });
});
