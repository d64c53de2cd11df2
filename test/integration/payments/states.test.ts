import { CancelPaymentDocument, PaymentDocument, PaymentEventsDocument, PaymentStateDocument } from '../../generated/graphql';
import { startTestApi, type TestApi } from '../../support/api';
import { expectEventually } from '../../support/eventually';
import { approve, createPayment, dropCached, simView, uniqueKey } from './payment-support';

// The AUTHORIZED case waits out the 5 s cache TTL of a CREATED payment.
jest.setTimeout(30_000);

/**
 * Every ePayment state (docs/vipps.md §8) reached in the simulator and shown through /graphql. A
 * CREATED payment is cached for 5 s, so changes made in the simulator are awaited with
 * `expectEventually`, never with a fixed sleep.
 */
describe('payment states through /graphql', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(async () => {
    await api.close();
  });
  afterEach(async () => {
    await api.sim.control('PUT', '/behaviour', { autoApproveAfterMs: null, userAction: 'APPROVE' });
  });

  const stateOf = async (reference: string) => (await api.gql(PaymentStateDocument, { reference })).data.payment;

  it('CREATED: a new payment can be cancelled but not captured or refunded', async () => {
    const { payment, redirectUrl } = await createPayment(api);
    expect(payment).toMatchObject({ state: 'CREATED', availableActions: ['CANCEL'], capturable: { value: 0 }, refundable: { value: 0 }, captureDeadline: null });
    expect(redirectUrl).toMatch(/\/landing\?token=/);
    expect(redirectUrl).toBe(payment.redirectUrl);
    const read = await api.gql(PaymentDocument, { reference: payment.reference });
    expect(read.data.payment).toMatchObject({ reference: payment.reference, state: 'CREATED', description: 'Two tickets', userFlow: 'WEB_REDIRECT' });
  });

  it('AUTHORIZED: the customer approves; shown once the 5 s CREATED cache entry runs out', async () => {
    const { payment } = await createPayment(api);
    expect((await stateOf(payment.reference))?.state).toBe('CREATED');
    await approve(api, payment.reference);
    const seen = await expectEventually(async () => {
      const p = (await api.gql(PaymentDocument, { reference: payment.reference })).data.payment;
      expect(p?.state).toBe('AUTHORIZED');
      return p;
    }, { timeoutMs: 10_000, intervalMs: 250 });
    expect(seen).toMatchObject({ aggregate: { authorized: { value: 100000 } }, capturable: { value: 100000 }, availableActions: ['CAPTURE', 'CANCEL'] });
    expect(seen?.captureDeadline).not.toBeNull();
  });

  it('ABORTED: the customer rejects in the app', async () => {
    await api.sim.control('PUT', '/behaviour', { autoApproveAfterMs: 0, userAction: 'REJECT' });
    const { payment } = await createPayment(api);
    await expectEventually(async () => expect((await simView(api, payment.reference)).state).toBe('ABORTED'));
    await dropCached(api, payment.reference);
    expect(await stateOf(payment.reference)).toMatchObject({ state: 'ABORTED', availableActions: [] });
    const events = await api.gql(PaymentEventsDocument, { reference: payment.reference });
    expect(events.data.payment?.events.edges.map((e) => e.node.name)).toEqual(['CREATED', 'ABORTED']);
  });

  it('EXPIRED: nobody acts within the 10-minute window', async () => {
    const { payment } = await createPayment(api);
    await api.sim.control('POST', '/clock/advance', { seconds: 601 });
    await dropCached(api, payment.reference);
    expect(await stateOf(payment.reference)).toMatchObject({ state: 'EXPIRED', availableActions: [] });
    const events = await api.gql(PaymentEventsDocument, { reference: payment.reference });
    expect(events.data.payment?.events.edges.map((e) => e.node.name)).toEqual(['CREATED', 'EXPIRED']);
  });

  it('TERMINATED: the merchant cancels before the customer approves', async () => {
    const { payment } = await createPayment(api, { amount: { value: 20000, currency: 'NOK' } });
    const cancelled = await api.gql(CancelPaymentDocument, { input: { reference: payment.reference, idempotencyKey: uniqueKey('cancel') } });
    expect(cancelled.data.cancelPayment.errors).toEqual([]);
    // The mutation writes through, so the very next read shows it without waiting for the cache.
    expect(cancelled.data.cancelPayment.payment).toMatchObject({ state: 'TERMINATED', availableActions: [], aggregate: { authorized: { value: 0 }, cancelled: { value: 20000 } } });
    expect(await stateOf(payment.reference)).toMatchObject({ state: 'TERMINATED', aggregate: { cancelled: { value: 20000 } }, availableActions: [] });
    const events = await api.gql(PaymentEventsDocument, { reference: payment.reference });
    expect(events.data.payment?.events.edges.map((e) => e.node.name)).toEqual(['CREATED', 'TERMINATED']);
  });

  it('cancel onlyIfNotApproved on a CREATED payment terminates it', async () => {
    const { payment } = await createPayment(api);
    const cancelled = await api.gql(CancelPaymentDocument, { input: { reference: payment.reference, idempotencyKey: uniqueKey('cancel'), onlyIfNotApproved: true } });
    expect(cancelled.data.cancelPayment.errors).toEqual([]);
    expect(cancelled.data.cancelPayment.payment?.state).toBe('TERMINATED');
    expect((await simView(api, payment.reference)).state).toBe('TERMINATED');
  });
});
