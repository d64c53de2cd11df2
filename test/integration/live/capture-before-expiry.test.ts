import { setTimeout as pause } from 'node:timers/promises';
import { sweeperProcessor } from '../../../jobs/sweeper.processor';
import { jobIds, QueueName, type CaptureBeforeExpiryData } from '../../../src/queues/queues';
import { startTestApi, type TestApi } from '../../support/api';
import { expectEventually } from '../../support/eventually';
import { registerWebhooks, removeQueues, startTestWorker, type TestWorker } from '../../support/live';
import { approve, createPayment, simView } from '../payments/payment-support';
import { accept, createAgreement } from '../recurring/recurring-support';

/**
 * Capture before the reservation expires (merchant policy CAPTURE), with a real worker in this
 * process. CAPTURE_MARGIN is the DKK/EUR window (14 days) minus 4 s, so those payments are
 * captured 4 s after authorization; NOK payments (180 days) are 166 days away. The simulator's
 * clock is not advanced: its timestamps are real time.
 */
jest.setTimeout(60_000);

const DAY_S = 86_400;
const LEAD_S = 4;
const MARGIN_S = 14 * DAY_S - LEAD_S;

describe('capture before expiry', () => {
  let api: TestApi;
  let worker: TestWorker;

  beforeAll(async () => {
    api = await startTestApi({ CAPTURE_POLICY: 'CAPTURE', CAPTURE_MARGIN: String(MARGIN_S) }, { knownPort: true });
    await registerWebhooks(api);
    worker = await startTestWorker(api);
  });

  afterAll(async () => {
    await worker.close();
    await removeQueues(api);
    await api.close();
  });

  const captureJob = (reference: string) => api.services.jobs.queue(QueueName.CaptureBeforeExpiry).getJob(jobIds.captureBeforeExpiry('123456', reference));

  it('captures authorized payments with different deadlines, each once and before its deadline', async () => {
    const payments: { reference: string; value: number; currency: 'DKK' | 'EUR' }[] = [];
    for (const [i, currency] of (['DKK', 'EUR', 'DKK'] as const).entries()) {
      // A second apart, so the three deadlines differ by about a second each.
      if (i > 0) await pause(1_000);
      const value = 10_000 * (i + 1);
      const { payment } = await createPayment(api, { amount: { value, currency } });
      await approve(api, payment.reference);
      payments.push({ reference: payment.reference, value, currency });
    }

    const deadlines = new Map<string, number>();
    await expectEventually(async () => {
      for (const p of payments) {
        const read = await api.sim.call('GET', `/epayment/v1/payments/${p.reference}`);
        deadlines.set(p.reference, Date.parse(read.body.captureGuaranteedUntil));
        const view = await simView(api, p.reference);
        expect(view.aggregate.captured).toBe(p.value);
      }
    }, { timeoutMs: 20_000, intervalMs: 250 });
    expect(new Set(deadlines.values()).size).toBe(3);

    for (const p of payments) {
      const view = await simView(api, p.reference);
      const captures = view.events.filter((e) => e.name === 'CAPTURED' && e.success);
      expect(captures).toHaveLength(1);
      const capturedAt = Date.parse((captures[0] as unknown as { timestamp: string }).timestamp);
      const deadline = deadlines.get(p.reference) as number;
      expect(capturedAt).toBeLessThan(deadline);
      // Not before the job was due (deadline − margin), give or take the clock's resolution.
      expect(capturedAt).toBeGreaterThanOrEqual(deadline - MARGIN_S * 1000 - 50);
      expect(view.aggregate).toEqual({ authorized: p.value, captured: p.value, refunded: 0, cancelled: 0 });
    }
    // Done jobs are removed, so nothing is left to run again.
    for (const p of payments) expect(await captureJob(p.reference)).toBeUndefined();
  });

  it('leaves a payment with a far deadline (NOK, 180 days) scheduled, not captured', async () => {
    const { payment } = await createPayment(api, { amount: { value: 5_000, currency: 'NOK' } });
    await approve(api, payment.reference);
    const job = await expectEventually(async () => {
      const found = await captureJob(payment.reference);
      expect(found).toBeDefined();
      return found;
    });
    const { deadline } = job?.data as CaptureBeforeExpiryData;
    expect(Date.parse(deadline) - Date.now()).toBeGreaterThan(179 * DAY_S * 1000);
    expect(await job?.getState()).toBe('delayed');
    expect((job?.opts.delay ?? 0) / 1000).toBeGreaterThan(165 * DAY_S);
    expect((await simView(api, payment.reference)).aggregate.captured).toBe(0);
  });

  it('the sweeper restores a deleted deadline job', async () => {
    const { payment } = await createPayment(api, { amount: { value: 7_000, currency: 'NOK' } });
    await approve(api, payment.reference);
    const original = await expectEventually(async () => {
      const found = await captureJob(payment.reference);
      expect(found).toBeDefined();
      return found;
    });
    await original?.remove();
    expect(await captureJob(payment.reference)).toBeUndefined();

    expect(await sweeperProcessor(worker.services)()).toMatch(/^checked \d+ /);
    const restored = await captureJob(payment.reference);
    // The same job, rebuilt from the registry; the sweeper schedules it, not the request that did first.
    expect(withoutOrigin(restored?.data)).toEqual(withoutOrigin(original?.data));
    expect(await restored?.getState()).toBe('delayed');
  });

  it('the sweeper restores the deleted deadline job of a reserved Recurring charge', async () => {
    const { agreement } = await createAgreement(api, { initialCharge: { amount: 6_000, description: 'First box', transactionType: 'RESERVE_CAPTURE' } });
    await accept(api, agreement.agreementId);
    const [charge] = (await api.sim.call('GET', `/recurring/v3/agreements/${agreement.agreementId}/charges`)).body;
    expect(charge).toMatchObject({ status: 'RESERVED', currency: 'NOK' });
    const chargeId = charge.id as string;
    const chargeJob = () => api.services.jobs.queue(QueueName.CaptureBeforeExpiry).getJob(jobIds.captureCharge('123456', agreement.agreementId, chargeId));
    const original = await expectEventually(async () => {
      const found = await chargeJob();
      expect(found).toBeDefined();
      return found;
    });
    await original?.remove();
    expect(await chargeJob()).toBeUndefined();

    expect(await sweeperProcessor(worker.services)()).toMatch(/^checked \d+ /);
    const restored = await chargeJob();
    // The same job, rebuilt from the registry; the sweeper schedules it, not the request that did first.
    expect(withoutOrigin(restored?.data)).toEqual(withoutOrigin(original?.data));
    expect(await restored?.getState()).toBe('delayed');
  });
});

/** Job data without the trace context of whoever scheduled it (`traceparent`, `requestId`). */
function withoutOrigin(data: object | undefined): object | undefined {
  if (!data) return data;
  return Object.fromEntries(Object.entries(data).filter(([key]) => key !== 'traceparent' && key !== 'requestId'));
}
