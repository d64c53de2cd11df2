import { sweeperProcessor } from '../../../jobs/sweeper.processor';
import { jobIds, QueueName, type CaptureThreshold } from '../../../src/queues/queues';
import { startTestApi, type TestApi } from '../../support/api';
import { expectEventually } from '../../support/eventually';
import { registerWebhooks, removeQueues, spawnWorker, wsClient, type TestWsClient, type WorkerProcess } from '../../support/live';
import { approve, createPayment } from '../payments/payment-support';
import { accept, CAPTURE_CHARGE, CREATE_AGREEMENT, key } from '../recurring/recurring-support';

/**
 * NOTIFY made real (issue 14): with merchant policy NOTIFY and a capture deadline inside the
 * margin, CAPTURE_DEADLINE_APPROACHING reaches a merchantEvents subscriber (graphql-ws) once at
 * CAPTURE_MARGIN and once more at CAPTURE_FINAL_MARGIN, for a NOK payment (deadline 180 days after
 * authorization) and a reserved NOK Recurring charge (180 days after the reservation): the margins
 * are 180 days less 4 and 12 seconds, so the warnings come 4 and 12 s after. The worker
 * is a real child process (`jobs/main.ts`), killed with SIGKILL while the final warnings' jobs
 * are reading Vipps; a new worker takes the stalled jobs over (BullMQ's 30 s lock) and the sweeper
 * rebuilds the jobs that had already run: each warning still arrives exactly once.
 * `expiringReservations` lists both until they are captured.
 */
jest.setTimeout(180_000);

const DAY_S = 86_400;
const FIRST_AFTER_S = 4;
const FINAL_AFTER_S = 12;
const MARGIN_S = 180 * DAY_S - FIRST_AFTER_S;
const FINAL_MARGIN_S = 180 * DAY_S - FINAL_AFTER_S;

const WARNINGS = `subscription {
  merchantEvents(types: [CAPTURE_DEADLINE_APPROACHING]) {
    id type merchantSerialNumber occurredAt
    payment { reference capturable { value } }
    charge { agreementId chargeId }
    captureWarning { capturable { value currency } deadline }
  }
}`;
const EXPIRING = `query($before: DateTime!, $first: Int, $after: String) {
  expiringReservations(deadlineBefore: $before, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node { captureDeadline capturable { value currency } payment { reference } charge { chargeId } } }
  }
}`;
const CAPTURE_PAYMENT = `mutation($input: CapturePaymentInput!) { capturePayment(input: $input) { errors { code message } } }`;

interface Warning {
  id: string;
  type: string;
  merchantSerialNumber: string;
  payment: { reference: string } | null;
  charge: { agreementId: string; chargeId: string } | null;
  captureWarning: { capturable: { value: number; currency: string }; deadline: string };
}

describe('capture-deadline warnings (policy NOTIFY)', () => {
  let api: TestApi;
  const workers: WorkerProcess[] = [];
  const clients: TestWsClient[] = [];

  beforeAll(async () => {
    api = await startTestApi({ CAPTURE_POLICY: 'NOTIFY', CAPTURE_MARGIN: String(MARGIN_S), CAPTURE_FINAL_MARGIN: String(FINAL_MARGIN_S) }, { knownPort: true });
    await registerWebhooks(api);
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
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

  const queue = () => api.services.jobs.queue(QueueName.CaptureBeforeExpiry);

  it('warns once per threshold for a payment and a reserved charge, through SIGKILL and a sweep; expiringReservations lists them until captured', async () => {
    const first = await startWorker();
    const client = wsClient(api.url, { bearer: 'dev' });
    clients.push(client);
    const stream = client.subscribe<{ merchantEvents: Warning }>(WARNINGS, {});

    const { payment } = await createPayment(api, { amount: { value: 25_000, currency: 'NOK' } });
    await approve(api, payment.reference);
    const created = await api.gql(CREATE_AGREEMENT, {
      input: {
        idempotencyKey: key('agr-dkk'),
        pricing: { type: 'LEGACY', currency: 'NOK', amount: 9_900 },
        interval: { unit: 'MONTH', count: 1 },
        productName: 'Coffee club',
        merchantRedirectUrl: 'https://shop.example/after',
        initialCharge: { amount: 7_500, description: 'First bag', transactionType: 'RESERVE_CAPTURE' },
      },
    });
    expect(created.data.createAgreement.errors).toEqual([]);
    const agreementId = created.data.createAgreement.agreement.agreementId as string;
    await accept(api, agreementId);
    const [simCharge] = (await api.sim.call('GET', `/recurring/v3/agreements/${agreementId}/charges`)).body;
    expect(simCharge).toMatchObject({ status: 'RESERVED', currency: 'NOK' });
    const chargeId = simCharge.id as string;

    const ofPayment = () => stream.values.map((v) => v.data.merchantEvents).filter((w) => w.payment?.reference === payment.reference);
    const ofCharge = () => stream.values.map((v) => v.data.merchantEvents).filter((w) => w.charge?.chargeId === chargeId);

    // The first warnings, at CAPTURE_MARGIN: about 4 s after authorization and reservation.
    await expectEventually(async () => {
      expect(ofPayment()).toHaveLength(1);
      expect(ofCharge()).toHaveLength(1);
    }, { timeoutMs: 30_000, intervalMs: 100 });
    expect(ofPayment()[0]).toMatchObject({ type: 'CAPTURE_DEADLINE_APPROACHING', merchantSerialNumber: '123456', captureWarning: { capturable: { value: 25_000, currency: 'NOK' } } });
    expect(ofCharge()[0]).toMatchObject({ charge: { agreementId, chargeId }, captureWarning: { capturable: { value: 7_500, currency: 'NOK' } } });

    // A final warning's job starts reading Vipps, slowed down; the worker dies mid-read.
    await api.sim.control('PUT', '/faults', { latencyMs: 2_500 });
    const finalJobs = [jobIds.captureBeforeExpiry('123456', payment.reference, 'final'), jobIds.captureCharge('123456', agreementId, chargeId, 'final')];
    await expectEventually(async () => {
      const states = await Promise.all(finalJobs.map(async (id) => (await queue().getJob(id))?.getState()));
      expect(states).toContain('active');
    }, { timeoutMs: 30_000, intervalMs: 50 });
    await first.kill('SIGKILL');
    expect(first.child.signalCode).toBe('SIGKILL');
    await api.sim.control('PUT', '/faults', { latencyMs: 0 });

    await startWorker();
    // The stalled final jobs are taken over and complete (completed jobs are removed).
    await expectEventually(async () => {
      for (const id of finalJobs) expect(await queue().getJob(id)).toBeUndefined();
    }, { timeoutMs: 90_000, intervalMs: 500 });
    await expectEventually(async () => {
      expect(ofPayment()).toHaveLength(2);
      expect(ofCharge()).toHaveLength(2);
    });

    // The sweeper rebuilds every threshold's job (they ran and were removed); each run finds its warning emitted.
    await sweeperProcessor(api.services)();
    const rebuilt = (['first', 'final'] as CaptureThreshold[]).flatMap((t) => [jobIds.captureBeforeExpiry('123456', payment.reference, t), jobIds.captureCharge('123456', agreementId, chargeId, t)]);
    await expectEventually(async () => {
      for (const id of rebuilt) expect(await queue().getJob(id)).toBeUndefined();
    }, { timeoutMs: 20_000, intervalMs: 200 });

    for (const warnings of [ofPayment(), ofCharge()]) {
      expect(warnings).toHaveLength(2);
      expect(new Set(warnings.map((w) => w.id)).size).toBe(2);
    }
    expect(await queue().getJobCounts('failed')).toEqual({ failed: 0 });

    // Both are listed, soonest deadline first, and leave the list once captured.
    const before = new Date(Date.now() + 181 * DAY_S * 1000).toISOString();
    const listed = await api.gql(EXPIRING, { before });
    expect(listed.errors).toBeUndefined();
    const nodes = listed.data.expiringReservations.edges.map((e: { node: unknown }) => e.node);
    expect(nodes).toContainEqual(expect.objectContaining({ payment: { reference: payment.reference }, capturable: { value: 25_000, currency: 'NOK' } }));
    expect(nodes).toContainEqual(expect.objectContaining({ charge: { chargeId }, capturable: { value: 7_500, currency: 'NOK' } }));
    const deadlines = nodes.map((n: { captureDeadline: string }) => Date.parse(n.captureDeadline));
    expect(deadlines).toEqual([...deadlines].sort((a, b) => a - b));
    // A page at a time, by cursor: the same reservations in the same order.
    const paged: unknown[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 10; pages += 1) {
      const page: { data: { expiringReservations: { edges: { node: unknown }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } } } = await api.gql(EXPIRING, { before, first: 1, after: cursor });
      paged.push(...page.data.expiringReservations.edges.map((e) => e.node));
      if (!page.data.expiringReservations.pageInfo.hasNextPage) break;
      cursor = page.data.expiringReservations.pageInfo.endCursor;
    }
    expect(paged).toEqual(nodes);
    // Nothing whose deadline is later than asked.
    expect((await api.gql(EXPIRING, { before: new Date(Date.now() + 179 * DAY_S * 1000).toISOString() })).data.expiringReservations.totalCount).toBe(0);

    const capturedPayment = await api.gql(CAPTURE_PAYMENT, { input: { reference: payment.reference, idempotencyKey: key('cap') } });
    expect(capturedPayment.data.capturePayment.errors).toEqual([]);
    const capturedCharge = await api.gql(CAPTURE_CHARGE, { input: { agreementId, chargeId, idempotencyKey: key('cap-chg') } });
    expect(capturedCharge.data.captureCharge.errors).toEqual([]);
    const after = await api.gql(EXPIRING, { before });
    expect(after.data.expiringReservations).toMatchObject({ totalCount: 0, edges: [] });
  });
});
