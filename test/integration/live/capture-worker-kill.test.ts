import { autoCaptureKey } from '../../../jobs/capture-before-expiry.processor';
import { jobIds, QueueName } from '../../../src/queues/queues';
import { redisKeys } from '../../../src/redis/keys';
import { startTestApi, type TestApi } from '../../support/api';
import { expectEventually } from '../../support/eventually';
import { registerWebhooks, removeQueues, spawnWorker, type WorkerProcess } from '../../support/live';
import { approve, createPayment, simView } from '../payments/payment-support';

/**
 * A worker process (`jobs/main.ts`, production settings) killed with SIGKILL while its automatic
 * captures are in flight at Vipps; a new worker takes the stalled jobs over once their locks
 * expire (BullMQ's default lockDuration/stalledInterval, 30 s). The simulator's event log must
 * show exactly one CAPTURED event per payment.
 */
jest.setTimeout(150_000);

const LEAD_S = 6;
const MARGIN_S = 14 * 86_400 - LEAD_S;

describe('capture before expiry survives a killed worker', () => {
  let api: TestApi;
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    api = await startTestApi({ CAPTURE_POLICY: 'CAPTURE', CAPTURE_MARGIN: String(MARGIN_S) }, { knownPort: true });
    await registerWebhooks(api);
  });

  afterAll(async () => {
    for (const w of workers) await w.kill('SIGTERM');
    await removeQueues(api);
    await api.close();
  });

  async function startWorker(): Promise<WorkerProcess> {
    const worker = spawnWorker(api);
    workers.push(worker);
    await worker.started;
    return worker;
  }

  it('captures each payment exactly once after SIGKILL mid-capture and a new worker', async () => {
    const first = await startWorker();
    const payments: { reference: string; value: number }[] = [];
    for (const value of [11_000, 22_000, 33_000]) {
      const { payment } = await createPayment(api, { amount: { value, currency: 'DKK' } });
      await approve(api, payment.reference);
      payments.push({ reference: payment.reference, value });
    }
    const queue = api.services.jobs.queue(QueueName.CaptureBeforeExpiry);
    await expectEventually(async () => {
      for (const p of payments) expect(await queue.getJob(jobIds.captureBeforeExpiry('123456', p.reference))).toBeDefined();
    });

    // Slow Vipps down so the capture requests are in flight when the worker dies.
    await api.sim.control('PUT', '/faults', { latencyMs: 1500 });
    const keys = redisKeys(api.config.redis.prefix);
    await expectEventually(
      async () => {
        for (const p of payments) {
          const entry = await api.redis.get(keys.idempotency('123456', autoCaptureKey('123456', p.reference)));
          expect(entry && (JSON.parse(entry) as { state: string }).state).toBe('sending');
        }
      },
      { timeoutMs: 20_000, intervalMs: 20 },
    );
    await first.kill('SIGKILL');
    expect(first.child.signalCode).toBe('SIGKILL');
    await api.sim.control('PUT', '/faults', { latencyMs: 0 });
    const killedAt = Date.now();

    await startWorker();
    // The stalled jobs run again and complete (completed jobs are removed).
    await expectEventually(
      async () => {
        for (const p of payments) expect(await queue.getJob(jobIds.captureBeforeExpiry('123456', p.reference))).toBeUndefined();
      },
      { timeoutMs: 90_000, intervalMs: 500 },
    );
    process.stdout.write(`capture jobs taken over ${Date.now() - killedAt} ms after SIGKILL\n`);

    for (const p of payments) {
      const view = await simView(api, p.reference);
      expect(view.events.filter((e) => e.name === 'CAPTURED' && e.success)).toHaveLength(1);
      expect(view.aggregate).toEqual({ authorized: p.value, captured: p.value, refunded: 0, cancelled: 0 });
    }
    expect(await queue.getJobCounts('failed')).toEqual({ failed: 0 });
  });
});
