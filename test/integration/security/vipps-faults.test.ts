import { redisKeys } from '../../../src/redis/keys';
import { startTestApi, type TestApi } from '../../support/api';
import { authorized, CAPTURE, idem, NO_FAULTS, NOK, PAYMENT, REFUND, setFaults, simMoney } from './security-support';

/**
 * Vipps fault drills (simulator faults): reads fall back to what is cached and say clearly when
 * nothing is; money mutations succeed once or fail clearly and are retried with the same key,
 * and nothing is captured or refunded twice, even when Vipps acts but its answer is lost.
 */
jest.setTimeout(120_000);

describe('Vipps fault drills', () => {
  let api: TestApi;
  beforeAll(async () => {
    // A short per-attempt timeout, so injected latency makes Vipps act after we gave up waiting.
    api = await startTestApi({ VIPPS_TIMEOUT_MS: '300', VIPPS_MAX_RETRIES: '1' });
  });
  afterEach(async () => {
    await setFaults(api, NO_FAULTS);
  });
  afterAll(async () => {
    await api.close();
  });

  it('reads a cached payment while Vipps answers 503 to everything, and says so where nothing is cached', async () => {
    const cached = await authorized(api, 10000);
    const uncached = await authorized(api, 10000);
    // Approved in the simulator behind the API's back: drop the CREATED copies, then cache a fresh read.
    const keys = redisKeys(api.config.redis.prefix);
    await api.redis.del(keys.paymentCache('123456', cached), keys.paymentCache('123456', uncached));
    expect((await api.gql(PAYMENT, { reference: cached })).data.payment.state).toBe('AUTHORIZED');

    await setFaults(api, { errorRate: 1, status: 503 });
    const before = api.vippsCalls();
    const read = await api.gql(PAYMENT, { reference: cached });
    expect(read.errors).toBeUndefined();
    expect(read.data.payment).toMatchObject({ reference: cached, state: 'AUTHORIZED' });
    expect(api.vippsCalls()).toBe(before);

    const missing = await api.gql(PAYMENT, { reference: uncached });
    expect(missing.status).toBe(200);
    expect(missing.errors?.[0]).toMatchObject({ extensions: { code: 'VIPPS_UNAVAILABLE' } });
    expect(missing.errors?.[0]?.message).toMatch(/Vipps is not answering/);

    // A money mutation needs Vipps' own state: it fails clearly, as a UserError to retry.
    const capture = await api.gql(CAPTURE, { input: { reference: cached, idempotencyKey: idem('down') } });
    expect(capture.errors).toBeUndefined();
    expect(capture.data.capturePayment.errors[0]).toMatchObject({ code: 'VIPPS_UNAVAILABLE' });
  });

  /** Sends one capture or refund with one key until Vipps confirms it; returns how many tries it took. */
  async function untilDone(document: string, name: 'capturePayment' | 'refundPayment', input: Record<string, unknown>): Promise<number> {
    for (let tries = 1; tries <= 60; tries += 1) {
      const res = await api.gql(document, { input });
      expect(res.status).toBeLessThan(500);
      expect(res.errors).toBeUndefined();
      const errors = res.data[name].errors as { code: string }[];
      if (errors.length === 0) return tries;
      // Only "not confirmed, try again" is acceptable here: every attempt is a valid operation.
      expect(['VIPPS_UNAVAILABLE', 'OPERATION_IN_PROGRESS']).toContain(errors[0]?.code);
    }
    throw new Error(`${name} never succeeded`);
  }

  it('captures 20 × 10.00 NOK exactly once each while half of all Vipps calls fail, and refunds once each', async () => {
    const reference = await authorized(api, 20000);
    await setFaults(api, { errorRate: 0.5, status: 503 });
    const tries: number[] = [];
    for (let i = 0; i < 20; i += 1) tries.push(await untilDone(CAPTURE, 'capturePayment', { reference, idempotencyKey: idem(`cap${i}`), amount: NOK(1000) }));
    for (let i = 0; i < 5; i += 1) tries.push(await untilDone(REFUND, 'refundPayment', { reference, idempotencyKey: idem(`ref${i}`), amount: NOK(500) }));
    await setFaults(api, NO_FAULTS);

    const sim = await simMoney(api, reference);
    const captured = sim.events.filter((e) => e.name === 'CAPTURED' && e.success);
    const refunded = sim.events.filter((e) => e.name === 'REFUNDED' && e.success);
    expect(captured).toHaveLength(20);
    expect(new Set(captured.map((e) => e.idempotencyKey)).size).toBe(20);
    expect(sim.captured).toBe(20000);
    expect(refunded).toHaveLength(5);
    expect(sim.refunded).toBe(2500);
    // The drill did exercise failures (a read and a write per try, each with one transport retry: all
    // 25 first tries succeeding has a chance of 0.5625^25, about 6e-7).
    expect(tries.some((t) => t > 1)).toBe(true);
    console.log(`fault drill: 25 operations took ${tries.reduce((a, b) => a + b, 0)} attempts (max ${Math.max(...tries)} for one)`);
  });

  it('captures once when Vipps acts but its answer is lost (timeout), and the retry with the same key is answered from Vipps idempotency', async () => {
    const reference = await authorized(api, 30000);
    const key = idem('lost');
    await setFaults(api, { latencyMs: 600 });
    const lost = await api.gql(CAPTURE, { input: { reference, idempotencyKey: key, amount: NOK(1000) } });
    expect(lost.data.capturePayment.errors[0]).toMatchObject({ code: 'VIPPS_UNAVAILABLE' });
    await setFaults(api, NO_FAULTS);
    // Vipps did capture (after we stopped waiting); the retry must not capture again.
    const retried = await untilDone(CAPTURE, 'capturePayment', { reference, idempotencyKey: key, amount: NOK(1000) });
    expect(retried).toBe(1);
    const sim = await simMoney(api, reference);
    expect(sim.events.filter((e) => e.name === 'CAPTURED' && e.success)).toHaveLength(1);
    expect(sim.captured).toBe(1000);
  });
});
