import { QueueName } from '../../../src/queues/queues';
import { startTestApi, type TestApi } from '../../support/api';
import { expectEventually } from '../../support/eventually';
import { removeQueues, startTestWorker, type TestWorker } from '../../support/live';
import { parsePrometheusText } from '../../support/prometheus-text';
import { startRedisDrill, type RedisDrill } from '../../support/redis-drill';

/** The worker's `/healthz`: 200 while every queue's worker runs and Redis answers PING, else 503. */
jest.setTimeout(60_000);

async function health(worker: TestWorker): Promise<{ status: number; body: unknown }> {
  const res = await fetch(worker.healthUrl);
  return { status: res.status, body: await res.json() };
}

describe("the worker's /healthz", () => {
  let api: TestApi;
  let worker: TestWorker;
  beforeAll(async () => {
    api = await startTestApi();
    worker = await startTestWorker(api);
  });
  afterAll(async () => {
    await worker.close();
    await removeQueues(api);
    await api.close();
  });

  it('listens on loopback beside /metrics, answers 200 while the workers run, 503 once they are closed', async () => {
    expect(new URL(worker.healthUrl).hostname).toBe('127.0.0.1');
    expect(new URL(worker.healthUrl).port).toBe(new URL(worker.metricsUrl).port);
    expect(await health(worker)).toEqual({ status: 200, body: { workers: 'running', redis: 'ok' } });
    await worker.running.close();
    expect(await health(worker)).toEqual({ status: 503, body: { workers: 'stopped', redis: 'ok' } });
    expect((await fetch(worker.metricsUrl.replace('/metrics', '/other'))).status).toBe(404);
  });
});

describe("the worker's /healthz while Redis is down", () => {
  let drill: RedisDrill;
  let worker: TestWorker;
  beforeAll(async () => {
    drill = await startRedisDrill('worker-health');
    worker = await startTestWorker(drill.api);
  });
  afterAll(async () => {
    // Forced: after a Redis restart a graceful close can wait on BullMQ's blocking connection for
    // long (the product bounds it with SHUTDOWN_TIMEOUT_SECONDS); nothing is in hand here.
    await Promise.all(worker.running.workers.map((w) => w.close(true)));
    await worker.close();
    await drill.close();
  });

  it('answers 503 within its PING timeout, /metrics still answers (without queue depths), and 200 once Redis is back', async () => {
    expect(await health(worker)).toEqual({ status: 200, body: { workers: 'running', redis: 'ok' } });
    expect(parsePrometheusText(await (await fetch(worker.metricsUrl)).text()).find('vipps_graph_queue_jobs')).toHaveLength(Object.values(QueueName).length * 4);

    await drill.stopRedis();
    const started = Date.now();
    expect(await health(worker)).toEqual({ status: 503, body: { workers: 'running', redis: 'unavailable' } });
    expect(Date.now() - started).toBeLessThan(3_000);
    const scraped = await fetch(worker.metricsUrl);
    expect(scraped.status).toBe(200);
    const text = parsePrometheusText(await scraped.text());
    expect(text.types.get('vipps_graph_queue_jobs')).toBe('gauge');
    expect(text.find('vipps_graph_queue_jobs')).toEqual([]);

    await drill.startRedis();
    await expectEventually(async () => expect(await health(worker)).toEqual({ status: 200, body: { workers: 'running', redis: 'ok' } }), { timeoutMs: 20_000 });
  });
});
