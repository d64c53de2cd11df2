import { signStatusToken } from '../../../src/access/status-token';
import { jobIds, QueueName } from '../../../src/queues/queues';
import { redisKeys } from '../../../src/redis/keys';
import { startTestApi, type TestApi } from '../../support/api';
import { expectEventually } from '../../support/eventually';
import { PAYMENT_STATUS_UPDATED } from '../../support/status-token';
import {
  paymentSubscribers,
  registerWebhooks,
  removeQueues,
  startPeerApi,
  startTestWorker,
  wsClient,
  type PeerApi,
  type Received,
  type TestWorker,
  type TestWsClient,
} from '../../support/live';
import { approve, createPayment, uniqueKey } from '../payments/payment-support';

/**
 * Live updates end to end: real Redis, real BullMQ workers (in this process, with their own
 * connections) and the simulator delivering signed webhooks to the API's /webhooks/vipps. Two
 * API instances share one Redis prefix; each has its own Redis connections and LiveUpdates, so
 * the only way an update crosses from one to the other is Redis pub/sub.
 */
jest.setTimeout(60_000);

const SUBSCRIBE = `subscription($reference: String!, $msn: String) {
  paymentUpdated(reference: $reference, merchantSerialNumber: $msn) { reference state aggregate { authorized { value } captured { value } refunded { value } } }
}`;
const PAYMENT = `query($reference: String!) { payment(reference: $reference) { state } }`;
const CAPTURE = `mutation($input: CapturePaymentInput!) { capturePayment(input: $input) { payment { state } errors { code message } } }`;
const REFUND = `mutation($input: RefundPaymentInput!) { refundPayment(input: $input) { payment { state } errors { code message } } }`;

interface Update {
  paymentUpdated: { reference: string; state: string; aggregate: { authorized: { value: number }; captured: { value: number }; refunded: { value: number } } };
}

/** Measured latencies, printed once at the end (approval → subscriber). */
const measured: Record<string, number> = {};

describe('live payment updates', () => {
  let api: TestApi;
  let peer: PeerApi;
  let worker: TestWorker;
  const clients: TestWsClient[] = [];

  function client(bearer: string | null, url = api.url): TestWsClient {
    const c = wsClient(url, { bearer });
    clients.push(c);
    return c;
  }

  /**
   * Subscribes and waits until the server's Redis subscription for the payment is in place (one
   * per API process however many clients follow the payment: `subscribers` counts processes).
   */
  async function follow(reference: string, bearer: string | null = 'dev', url = api.url, subscribers = 1): Promise<Received<Update>> {
    // A status token runs only its trusted subscription.
    const document = bearer?.startsWith('v1.') ? PAYMENT_STATUS_UPDATED : SUBSCRIBE;
    const sub = client(bearer, url).subscribe<Update>(document, { reference });
    await expectEventually(async () => expect(await paymentSubscribers(api, reference)).toBe(subscribers));
    return sub;
  }

  function states(sub: Received<Update>): string[] {
    return sub.values.map((v) => v.data.paymentUpdated.state);
  }

  async function deliveries(): Promise<{ event: string; outcome: string; status: number | null }[]> {
    return (await api.sim.control('GET', '/webhook-deliveries')).body.deliveries;
  }

  async function webhookQueueDrained(): Promise<void> {
    const counts = await api.services.jobs.queue(QueueName.WebhookEvent).getJobCounts('wait', 'active', 'delayed');
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(0);
  }

  beforeAll(async () => {
    api = await startTestApi({}, { knownPort: true });
    await registerWebhooks(api);
    worker = await startTestWorker(api);
    peer = await startPeerApi(api);
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await worker.close();
    await removeQueues(api);
    await peer.close();
    await api.close();
    process.stdout.write(`live update latencies (approval → subscriber): ${JSON.stringify(measured)}\n`);
  });

  afterEach(async () => {
    await api.sim.control('PUT', '/faults', { dropWebhooks: false, latencyMs: 0 });
  });

  it('with webhooks dropped, polling still reports AUTHORIZED within seconds', async () => {
    await api.sim.control('PUT', '/faults', { dropWebhooks: true });
    const { payment } = await createPayment(api);
    const sub = await follow(payment.reference);
    const approvedAt = Date.now();
    await approve(api, payment.reference);

    // First poll 5 s after creation, then every 2 s.
    await expectEventually(async () => expect(states(sub)).toContain('AUTHORIZED'), { timeoutMs: 10_000 });
    measured.pollingOnlyMs = (sub.values.at(-1)?.at ?? 0) - approvedAt;
    expect((await api.gql(PAYMENT, { reference: payment.reference })).data.payment.state).toBe('AUTHORIZED');
    expect((await deliveries()).filter((d) => d.event === 'epayments.payment.authorized.v1').map((d) => d.outcome)).toEqual(['dropped']);
    expect(sub.errors).toEqual([]);
    // An authorized payment with money left gets its capture-before-expiry job.
    expect(await api.services.jobs.queue(QueueName.CaptureBeforeExpiry).getJob(jobIds.captureBeforeExpiry('123456', payment.reference))).toBeDefined();
  });

  it('with webhooks on, the subscriber hears of the approval faster (under 3 s)', async () => {
    const { payment } = await createPayment(api);
    const sub = await follow(payment.reference);
    const approvedAt = Date.now();
    await approve(api, payment.reference);

    await expectEventually(async () => expect(states(sub)).toEqual(['AUTHORIZED']), { timeoutMs: 3_000, intervalMs: 20 });
    measured.webhookMs = (sub.values[0]?.at ?? 0) - approvedAt;
    expect(measured.webhookMs).toBeLessThan(3_000);
    const authorized = (await deliveries()).filter((d) => d.event === 'epayments.payment.authorized.v1' && d.outcome === 'delivered');
    expect(authorized.map((d) => d.status)).toContain(200);
    expect(sub.values[0]?.data.paymentUpdated).toEqual({
      reference: payment.reference,
      state: 'AUTHORIZED',
      aggregate: { authorized: { value: 100000 }, captured: { value: 0 }, refunded: { value: 0 } },
    });
  });

  it('a read through /graphql between approval and the poll does not swallow the update', async () => {
    await api.sim.control('PUT', '/faults', { dropWebhooks: true });
    const { payment } = await createPayment(api);
    const sub = await follow(payment.reference);
    await approve(api, payment.reference);
    // The shop's return page reads the payment once the short CREATED cache entry is gone (here:
    // removed), before the poller's first look: the read stores AUTHORIZED in the cache.
    await api.redis.del(redisKeys(api.config.redis.prefix).paymentCache('123456', payment.reference));
    expect((await api.gql(PAYMENT, { reference: payment.reference })).data.payment.state).toBe('AUTHORIZED');

    await expectEventually(async () => expect(states(sub)).toEqual(['AUTHORIZED']), { timeoutMs: 10_000 });
    await expectEventually(async () => {
      expect(await api.services.jobs.queue(QueueName.CaptureBeforeExpiry).getJob(jobIds.captureBeforeExpiry('123456', payment.reference))).toBeDefined();
    });
  });

  it('a subscriber on one API process gets the update of a mutation on the other, once', async () => {
    const { payment } = await createPayment(api);
    await approve(api, payment.reference);
    await expectEventually(async () => expect((await api.gql(PAYMENT, { reference: payment.reference })).data.payment.state).toBe('AUTHORIZED'));
    await expectEventually(webhookQueueDrained);

    const onA = await follow(payment.reference);
    const onB = await follow(payment.reference, 'dev', peer.url, 2);
    const captured = await peer.gql(CAPTURE, { input: { reference: payment.reference, idempotencyKey: uniqueKey('cap') } });
    expect(captured.data.capturePayment.errors).toEqual([]);
    await expectEventually(async () => {
      expect(onA.values.map((v) => v.data.paymentUpdated.aggregate.captured.value)).toEqual([100000]);
      expect(onB.values.map((v) => v.data.paymentUpdated.aggregate.captured.value)).toEqual([100000]);
    });

    // The CAPTURED webhook makes the worker look again; it must not announce the same state twice.
    await expectEventually(async () => {
      expect((await deliveries()).some((d) => d.event === 'epayments.payment.captured.v1' && d.outcome === 'delivered')).toBe(true);
      await webhookQueueDrained();
    });
    const refunded = await api.gql(REFUND, { input: { reference: payment.reference, idempotencyKey: uniqueKey('ref'), amount: { value: 1000, currency: 'NOK' } } });
    expect(refunded.data.refundPayment.errors).toEqual([]);
    await expectEventually(async () => {
      for (const sub of [onA, onB]) expect(sub.values.map((v) => v.data.paymentUpdated.aggregate)).toEqual([
        { authorized: { value: 100000 }, captured: { value: 100000 }, refunded: { value: 0 } },
        { authorized: { value: 100000 }, captured: { value: 100000 }, refunded: { value: 1000 } },
      ]);
    });
    expect([...onA.errors, ...onB.errors]).toEqual([]);
  });

  describe('authorisation per connection', () => {
    it('an API key of the merchant, or the payment’s status token, may follow it', async () => {
      const created = await createPayment(api);
      const reference = created.payment.reference;
      expect(created.statusToken).toEqual(expect.any(String));
      const byKey = await follow(reference, 'reader');
      // On the other API process, so that its Redis subscription shows that it subscribed.
      const byToken = await follow(reference, created.statusToken as string, peer.url, 2);
      await approve(api, reference);
      await expectEventually(async () => {
        expect(states(byKey)).toEqual(['AUTHORIZED']);
        expect(states(byToken)).toEqual(['AUTHORIZED']);
      });
    });

    it('a key for another merchant cannot subscribe', async () => {
      const { payment } = await createPayment(api);
      const sub = client('other').subscribe<Update>(SUBSCRIBE, { reference: payment.reference });
      await expectEventually(async () => expect(sub.errors).toEqual([expect.objectContaining({ message: `Payment ${payment.reference} was not found.` })]));
      const explicit = client('other').subscribe<Update>(SUBSCRIBE, { reference: payment.reference, msn: '123456' });
      await expectEventually(async () => expect(explicit.errors).toEqual([expect.objectContaining({ message: `Payment ${payment.reference} was not found.` })]));
      expect(await paymentSubscribers(api, payment.reference)).toBe(0);
    });

    it('a status token cannot subscribe to another payment', async () => {
      const first = await createPayment(api);
      const second = await createPayment(api);
      const c = client(first.statusToken as string);
      c.subscribe<Update>(PAYMENT_STATUS_UPDATED, { reference: second.payment.reference });
      const reason = 'This status token is not allowed for that payment; it follows its own payment only.';
      await expectEventually(async () => expect(c.closes).toEqual([{ code: 4403, reason }]));
      expect(await paymentSubscribers(api, second.payment.reference)).toBe(0);
    });

    it.each([
      ['no credentials', null, /^No credential: send connectionParams/],
      ['an unknown key', 'not-a-key', /^The API key is not valid\.$/],
      ['a forged status token', 'v1.forged.token', /^The status token is not valid\.$/],
      ['an expired status token', 'expired', /^The status token has expired; status tokens last one hour\.$/],
    ])('a connection with %s is refused (4403) with a reason saying so', async (_name, bearer, reason) => {
      const { payment } = await createPayment(api);
      const expired = signStatusToken(api.config.signingSecret, { msn: '123456', reference: payment.reference, exp: Math.floor(Date.now() / 1000) - 1 });
      const c = client(bearer === 'expired' ? expired : bearer);
      const sub = c.subscribe<Update>(bearer === 'expired' ? PAYMENT_STATUS_UPDATED : SUBSCRIBE, { reference: payment.reference });
      await expectEventually(async () => expect(c.closes).toEqual([{ code: 4403, reason: expect.stringMatching(reason) }]));
      expect(sub.values).toEqual([]);
      expect(sub.errors).toHaveLength(1);
      expect(await paymentSubscribers(api, payment.reference)).toBe(0);
    });
  });
});
