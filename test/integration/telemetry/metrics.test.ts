import { createLogger } from '../../../src/log/logger';
import { QueueName } from '../../../src/queues/queues';
import { redisKeys } from '../../../src/redis/keys';
import { Metrics } from '../../../src/telemetry/metrics';
import { createVippsClient } from '../../../src/vipps/vipps-client';
import { startTestApi, type TestApi } from '../../support/api';
import { expectEventually } from '../../support/eventually';
import { paymentSubscribers, registerWebhooks, removeQueues, startTestWorker, wsClient, type TestWorker, type TestWsClient } from '../../support/live';
import { parsePrometheusText, type Exposition } from '../../support/prometheus-text';
import { approve, createPayment, NOK, uniqueKey } from '../payments/payment-support';
import { NO_FAULTS, setFaults } from '../security/security-support';

/**
 * Both processes' `/metrics` after a real flow (the API in this process, the worker's BullMQ
 * workers too, the simulator over HTTP delivering webhooks): create, approve in the simulator,
 * capture, a subscription open and closed, a failing Vipps call. Each text must parse as
 * Prometheus text, strictly, and hold the series the flow implies.
 */
jest.setTimeout(60_000);

const SUBSCRIBE = 'subscription($reference: String!) { paymentUpdated(reference: $reference) { state } }';
const CAPTURE = 'mutation MetricsCapture($input: CapturePaymentInput!) { capturePayment(input: $input) { errors { code } } }';
const READ = 'query MetricsRead($reference: String!) { payment(reference: $reference) { state } }';

async function scrape(url: string): Promise<Exposition> {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return parsePrometheusText(await res.text());
}

describe('Prometheus metrics of the API and the worker', () => {
  let api: TestApi;
  let worker: TestWorker;
  let ws: TestWsClient;

  beforeAll(async () => {
    api = await startTestApi({}, { knownPort: true });
    await registerWebhooks(api);
    worker = await startTestWorker(api);
    ws = wsClient(api.url, { bearer: 'dev' });
  });
  afterAll(async () => {
    await ws.close();
    await setFaults(api, NO_FAULTS);
    await removeQueues(api);
    await worker.close();
    await api.close();
  });

  it('after create, approval, capture, a subscription and a Vipps failure, both endpoints hold the series', async () => {
    const { payment } = await createPayment(api, { amount: NOK(50_000) });
    const { reference } = payment;

    // A subscription is open while the payment moves, and counted as long as it is.
    const updates = ws.subscribe<{ paymentUpdated: { state: string } }>(SUBSCRIBE, { reference });
    await expectEventually(async () => expect(await paymentSubscribers(api, reference)).toBe(1));
    expect((await scrape(api.metricsUrl)).total('vipps_graph_live_subscriptions')).toBe(1);

    // The simulator delivers the AUTHORIZED webhook; the worker's job reads the payment and stores it.
    await approve(api, reference);
    await expectEventually(async () => expect(updates.values.map((v) => v.data.paymentUpdated.state)).toContain('AUTHORIZED'));
    const captured = await api.gql(CAPTURE, { input: { reference, idempotencyKey: uniqueKey('metrics-cap'), amount: NOK(20_000) } });
    expect(captured.data.capturePayment.errors).toEqual([]);
    expect((await api.gql(READ, { reference })).data.payment.state).toBe('AUTHORIZED');
    updates.stop();
    await expectEventually(async () => expect((await scrape(api.metricsUrl)).total('vipps_graph_live_subscriptions')).toBe(0));

    // Vipps answers 500 to everything: an uncached read fails, retried by the transport.
    await setFaults(api, { errorRate: 1, status: 500 });
    await api.redis.del(redisKeys(api.config.redis.prefix).paymentCache('123456', reference));
    expect((await api.gql(READ, { reference })).errors?.[0]?.extensions?.code).toBe('VIPPS_UNAVAILABLE');
    await setFaults(api, NO_FAULTS);

    const a = await scrape(api.metricsUrl);
    // Default process and Node metrics, unprefixed, event-loop lag among them.
    expect(a.types.get('nodejs_eventloop_lag_seconds')).toBe('gauge');
    expect(a.types.get('process_cpu_seconds_total')).toBe('counter');
    expect(a.find('process_resident_memory_bytes')[0]?.value).toBeGreaterThan(0);
    // HTTP requests by bounded route.
    expect(a.types.get('vipps_graph_http_request_duration_seconds')).toBe('histogram');
    expect(a.total('vipps_graph_http_request_duration_seconds_count', { route: '/graphql', method: 'POST', status: '200' })).toBeGreaterThanOrEqual(4);
    expect(a.total('vipps_graph_http_request_duration_seconds_count', { route: '/webhooks/vipps', method: 'POST', status: '200' })).toBeGreaterThanOrEqual(1);
    // GraphQL operations by type and name (the test documents' names), errors by code.
    expect(a.total('vipps_graph_graphql_operation_duration_seconds_count', { operation_type: 'mutation', operation_name: 'CreatePayment' })).toBe(1);
    expect(a.total('vipps_graph_graphql_operation_duration_seconds_count', { operation_type: 'mutation', operation_name: 'MetricsCapture' })).toBe(1);
    expect(a.total('vipps_graph_graphql_operation_duration_seconds_count', { operation_type: 'query', operation_name: 'MetricsRead' })).toBe(2);
    expect(a.total('vipps_graph_graphql_errors_total', { code: 'VIPPS_UNAVAILABLE' })).toBe(1);
    // Vipps calls by endpoint template; the failing read's attempts (1 + VIPPS_MAX_RETRIES) by status.
    expect(a.total('vipps_graph_vipps_request_duration_seconds_count', { api: 'epayment', endpoint: '/epayment/v1/payments', method: 'POST', status: '201' })).toBe(1);
    expect(a.total('vipps_graph_vipps_request_duration_seconds_count', { endpoint: '/epayment/v1/payments/{id}/capture', method: 'POST', status: '200' })).toBe(1);
    expect(a.total('vipps_graph_vipps_request_failures_total', { api: 'epayment', endpoint: '/epayment/v1/payments/{id}', method: 'GET', status: '500' })).toBe(4);
    // Cache lookups: the read after the capture found the payment cached; the one after the delete did not.
    expect(a.total('vipps_graph_cache_requests_total', { cache: 'payment', result: 'hit' })).toBeGreaterThanOrEqual(1);
    expect(a.total('vipps_graph_cache_requests_total', { cache: 'payment', result: 'miss' })).toBeGreaterThanOrEqual(1);
    expect(a.total('vipps_graph_webhooks_total', { status: '200' })).toBeGreaterThanOrEqual(1);

    const w = await expectEventually(async () => {
      const text = await scrape(worker.metricsUrl);
      expect(text.total('vipps_graph_job_duration_seconds_count', { queue: 'webhook-event', outcome: 'completed' })).toBeGreaterThanOrEqual(1);
      return text;
    });
    expect(w.types.get('nodejs_eventloop_lag_seconds')).toBe('gauge');
    expect(w.total('vipps_graph_job_lag_seconds_count', { queue: 'webhook-event' })).toBeGreaterThanOrEqual(1);
    expect(w.types.get('vipps_graph_job_failures_total')).toBe('counter');
    // The worker read the payment from Vipps for the webhook event.
    expect(w.total('vipps_graph_vipps_request_duration_seconds_count', { api: 'epayment', endpoint: '/epayment/v1/payments/{id}', status: '200' })).toBeGreaterThanOrEqual(1);
    // Depth per queue and state: the capture-before-expiry job waits (delayed) for the authorized payment.
    for (const queue of Object.values(QueueName)) {
      expect(w.find('vipps_graph_queue_jobs', { queue }).map((s) => s.labels.state).sort()).toEqual(['active', 'delayed', 'failed', 'waiting']);
    }
    expect(w.total('vipps_graph_queue_jobs', { queue: 'capture-before-expiry', state: 'delayed' })).toBeGreaterThanOrEqual(1);

    // Endpoints are templates: no reference in any label of either process.
    for (const text of [a, w]) {
      expect(text.samples.filter((s) => Object.values(s.labels).some((v) => v.includes(reference)))).toEqual([]);
    }
  });

  it('times access-token fetches too (a client with no shared token in Redis fetches its own)', async () => {
    const metrics = new Metrics();
    const vipps = createVippsClient({ config: api.config, log: createLogger('silent'), metrics: metrics.vipps });
    await expect(vipps.epayment.getPayment('123456', uniqueKey('metrics-none'))).rejects.toMatchObject({ status: 404 });
    const text = parsePrometheusText(await metrics.registry.metrics());
    expect(text.total('vipps_graph_vipps_request_duration_seconds_count', { api: 'token', endpoint: '/accesstoken/get', method: 'POST', status: '200' })).toBe(1);
    expect(text.total('vipps_graph_vipps_request_failures_total', { api: 'epayment', endpoint: '/epayment/v1/payments/{id}', method: 'GET', status: '404' })).toBe(1);
  });
});
