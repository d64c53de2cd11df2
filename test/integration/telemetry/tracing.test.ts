import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace';
import { jobIds, QueueName } from '../../../src/queues/queues';
import { startTracing, type Tracing } from '../../../src/telemetry/tracing';
import { startTestApi, type TestApi } from '../../support/api';
import { expectEventually } from '../../support/eventually';
import { removeQueues, startTestWorker, type TestWorker } from '../../support/live';
import { approve, createPayment, NOK, uniqueKey } from '../payments/payment-support';

/**
 * Tracing on, with an in-memory exporter in this process (the API runs in it, test/support/api.ts):
 * a mutation is one trace from the HTTP request through GraphQL to Vipps and Redis, and the job it
 * schedules runs later in a trace of its own that links back to it.
 */
jest.setTimeout(60_000);

const CAPTURE = `mutation CapturePayment($input: CapturePaymentInput!) {
  capturePayment(input: $input) { payment { reference state } errors { code message } }
}`;
const PAYMENT = `query PaymentState($reference: String!) { payment(reference: $reference) { reference state } }`;

describe('traces', () => {
  const exporter = new InMemorySpanExporter();
  let tracing: Tracing | null;
  let api: TestApi;
  let worker: TestWorker | undefined;

  beforeAll(async () => {
    // Before the API: its Redis connections are wrapped for tracing when they are made.
    tracing = startTracing({ serviceName: 'vipps-graph-test', processor: new SimpleSpanProcessor({ exporter }) });
    api = await startTestApi();
  });
  afterAll(async () => {
    await worker?.close();
    await removeQueues(api);
    await api.close();
    await tracing?.shutdown();
  });

  const spans = () => exporter.getFinishedSpans();
  const inTrace = (traceId: string) => spans().filter((s) => s.spanContext().traceId === traceId);

  async function post(query: string, variables: Record<string, unknown>, headers: Record<string, string> = {}) {
    const res = await fetch(`${api.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer dev', ...headers },
      body: JSON.stringify({ query, variables }),
    });
    return { requestId: res.headers.get('x-request-id'), body: (await res.json()) as any };
  }

  it('makes one capturePayment one trace: the request named by its operation, its Vipps calls and its Redis commands', async () => {
    const { payment } = await createPayment(api, { amount: NOK(50_000) });
    await approve(api, payment.reference);
    exporter.reset();

    const { requestId, body } = await post(CAPTURE, { input: { reference: payment.reference, idempotencyKey: uniqueKey('cap'), amount: NOK(10_000) } });
    expect(body.data.capturePayment.errors).toEqual([]);

    const operation = await expectEventually(async () => {
      const found = spans().find((s) => s.name === 'mutation CapturePayment');
      expect(found).toBeDefined();
      return found as ReadableSpan;
    });
    const traceId = operation.spanContext().traceId;
    // Without a caller's id, the request id is the trace id: one id finds the logs and the trace.
    expect(requestId).toBe(traceId);
    // The request's server span, named after its operation: the root of the trace.
    expect(operation.kind).toBe(SpanKind.SERVER);
    expect(operation.parentSpanContext).toBeUndefined();
    expect(operation.attributes).toEqual(
      expect.objectContaining({ 'graphql.operation.name': 'CapturePayment', 'graphql.operation.type': 'mutation', 'http.route': '/graphql', 'http.response.status_code': 200 }),
    );

    await expectEventually(async () => {
      const trace = inTrace(traceId);
      const capture = trace.find((s) => s.name === 'POST /epayment/v1/payments/{id}/capture');
      expect(capture).toBeDefined();
      expect(capture?.kind).toBe(SpanKind.CLIENT);
      expect(capture?.attributes).toEqual(expect.objectContaining({ 'url.template': '/epayment/v1/payments/{id}/capture', 'http.response.status_code': 200, 'http.request.method': 'POST' }));
      // Resolvers run inside the request's span.
      expect(capture?.parentSpanContext?.spanId).toBe(operation.spanContext().spanId);
      const redis = trace.filter((s) => s.name.startsWith('redis '));
      expect(redis.length).toBeGreaterThan(0);
      for (const span of redis) {
        expect(span.kind).toBe(SpanKind.CLIENT);
        expect(span.attributes['db.system.name']).toBe('redis');
        expect((span.attributes['db.redis.commands'] as string[]).length).toBeGreaterThan(0);
      }
      // Commands issued together (auto-pipelined) are one span with their names.
      expect(redis.some((s) => (s.attributes['db.redis.commands'] as string[]).length > 1)).toBe(true);
    });
    // No span names or carries the concrete reference: templates only.
    expect(JSON.stringify(inTrace(traceId).map((s) => [s.name, s.attributes]))).not.toContain(payment.reference);
  });

  it('runs the job a mutation scheduled in a span of its own that links to the mutation', async () => {
    exporter.reset();
    const { requestId, body } = await post(
      `mutation CreatePayment($input: CreatePaymentInput!) { createPayment(input: $input) { payment { reference } errors { code } } }`,
      { input: { idempotencyKey: uniqueKey('create'), reference: `trace-${Date.now()}`, amount: NOK(20_000), userFlow: 'WEB_REDIRECT', returnUrl: 'https://shop.example/back', description: 'Traced' } },
    );
    expect(body.data.createPayment.errors).toEqual([]);
    const { reference } = body.data.createPayment.payment;
    const create = await expectEventually(async () => spans().find((s) => s.name === 'mutation CreatePayment') as ReadableSpan);
    const createTrace = create.spanContext().traceId;

    // A create schedules the payment's first poll, 5 s out; the job carries where it came from.
    const job = await api.services.jobs.queue(QueueName.PollPayment).getJob(jobIds.pollPayment('123456', reference));
    expect(job?.data.requestId).toBe(requestId);
    expect(job?.data.traceparent).toMatch(new RegExp(`^00-${createTrace}-[0-9a-f]{16}-01$`));

    worker = await startTestWorker(api);
    await job?.promote();
    const processed = await expectEventually(async () => {
      const found = spans().find((s) => s.name === 'process poll-payment' && s.attributes['messaging.message.id'] === job?.id);
      expect(found).toBeDefined();
      return found as ReadableSpan;
    }, { timeoutMs: 15_000 });
    expect(processed.kind).toBe(SpanKind.CONSUMER);
    // A link, not a parent: the job runs later, in a trace of its own.
    expect(processed.parentSpanContext).toBeUndefined();
    expect(processed.spanContext().traceId).not.toBe(createTrace);
    expect(processed.links.map((l) => l.context.traceId)).toEqual([createTrace]);
    // What the job did is in its trace: it read the payment from Vipps.
    await expectEventually(async () => {
      expect(inTrace(processed.spanContext().traceId).map((s) => s.name)).toContain('GET /epayment/v1/payments/{id}');
    });
  });

  it("continues a caller's trace: its traceparent is the parent and its trace id the request id", async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const { payment } = await createPayment(api);
    exporter.reset();
    const { requestId } = await post(PAYMENT, { reference: payment.reference }, { traceparent: `00-${traceId}-00f067aa0ba902b7-01` });
    expect(requestId).toBe(traceId);
    const server = await expectEventually(async () => spans().find((s) => s.name === 'query PaymentState') as ReadableSpan);
    expect(server.spanContext().traceId).toBe(traceId);
    expect(server.parentSpanContext?.spanId).toBe('00f067aa0ba902b7');
  });
});
