import { QueueName } from '../../../src/queues/queues';
import type { TestApi } from '../../support/api';
import { expectEventually } from '../../support/eventually';
import { startRedisDrill, type RedisDrill } from '../../support/redis-drill';
import { AUDIT_LOG, authorized, CAPTURE, idem, NOK, PAYMENT, simMoney } from './security-support';

/**
 * Redis fault drill: the API on its own redis-server (AOF on), which is stopped and started
 * again on the same port mid-run. While it is down the API still answers (reads straight from
 * Vipps, clear errors for what only Redis has, money mutations refused with nothing sent);
 * afterwards it recovers by itself, and the jobs queued before the outage are all still there.
 */
jest.setTimeout(60_000);

const PAYMENTS = '{ payments(first: 10) { totalCount edges { node { reference state } } } }';

describe('Redis stopped and restarted under a running API', () => {
  let drill: RedisDrill;
  let api: TestApi;

  beforeAll(async () => {
    drill = await startRedisDrill('redis-drill');
    api = drill.api;
  });
  afterAll(async () => {
    await drill?.close();
  });

  async function queuedJobs(): Promise<Record<string, string[]>> {
    const out: Record<string, string[]> = {};
    for (const name of [QueueName.PollPayment, QueueName.CaptureBeforeExpiry]) {
      const jobs = await api.services.jobs.queue(name).getJobs(['wait', 'delayed', 'prioritized']);
      out[name] = jobs.map((j) => j.id ?? '').sort();
    }
    return out;
  }

  it('answers while Redis is down, recovers when it is back, and loses no queued job', async () => {
    const first = await authorized(api, 10000);
    const second = await authorized(api, 20000);
    await api.redis.del(`${api.config.redis.prefix}:payment:{123456}:${first}`, `${api.config.redis.prefix}:payment:{123456}:${second}`);
    expect((await api.gql(PAYMENT, { reference: first })).data.payment.state).toBe('AUTHORIZED');
    const jobsBefore = await queuedJobs();
    expect(Object.values(jobsBefore).flat().length).toBeGreaterThan(0);

    await drill.stopRedis();

    // Reads go straight to Vipps.
    const startedAt = Date.now();
    const read = await api.gql(PAYMENT, { reference: second });
    expect(read.errors).toBeUndefined();
    expect(read.data.payment).toMatchObject({ reference: second, state: 'AUTHORIZED' });
    expect(Date.now() - startedAt).toBeLessThan(5000);
    // What only Redis knows (the payment registry, the audit log) fails clearly.
    for (const query of [PAYMENTS, AUDIT_LOG]) {
      const res = await api.gql(query, {});
      expect(res.status).toBeLessThan(500);
      expect(res.errors?.[0]?.extensions?.code).toBe('STORE_UNAVAILABLE');
      expect(res.errors?.[0]?.message).toMatch(/storage is not reachable/);
    }
    expect((await fetch(`${api.url}/readyz`)).status).toBe(503);
    // A money mutation does not go ahead without our ledger: a key we cannot look up could be a
    // replay of one that already moved money. Nothing is sent to Vipps; the same key works later.
    const key = idem('no-redis');
    for (let i = 0; i < 2; i += 1) {
      const capture = await api.gql(CAPTURE, { input: { reference: second, idempotencyKey: key, amount: NOK(5000) } });
      expect(capture.errors).toBeUndefined();
      expect(capture.data.capturePayment.errors).toEqual([expect.objectContaining({ code: 'STORE_UNAVAILABLE' })]);
    }
    expect((await simMoney(api, second)).captured).toBe(0);

    await drill.startRedis();

    await expectEventually(async () => {
      const list = await api.gql(PAYMENTS, {});
      expect(list.errors).toBeUndefined();
      expect(list.data.payments.edges.map((e: any) => e.node.reference)).toEqual(expect.arrayContaining([first, second]));
    }, { timeoutMs: 15_000, intervalMs: 250 });
    expect((await fetch(`${api.url}/readyz`)).status).toBe(200);
    const retried = await api.gql(CAPTURE, { input: { reference: second, idempotencyKey: key, amount: NOK(5000) } });
    expect(retried.data.capturePayment.errors).toEqual([]);
    expect((await simMoney(api, second)).captured).toBe(5000);
    const jobsAfter = await queuedJobs();
    for (const [queue, ids] of Object.entries(jobsBefore)) expect(jobsAfter[queue]).toEqual(expect.arrayContaining(ids));
  });
});
