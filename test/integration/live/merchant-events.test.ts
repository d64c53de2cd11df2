import { OTHER_MERCHANT, startTestApi, type TestApi } from '../../support/api';
import { expectEventually } from '../../support/eventually';
import { registerWebhooks, removeQueues, startTestWorker, wsClient, type Received, type TestWorker, type TestWsClient } from '../../support/live';
import type { MerchantEventType } from '../../../src/merchant-events/merchant-event';
import { merchantTopic } from '../../../src/merchant-events/merchant-events';
import { approve, createPayment } from '../payments/payment-support';
import { accept, advanceDays, createAgreement, CREATE_CHARGE, dueIn, key, STOP_AGREEMENT } from '../recurring/recurring-support';

/**
 * The merchant event stream end to end: real Redis, a real BullMQ worker, the simulator, clients
 * over graphql-ws. Every stored change of a payment, agreement or charge reaches the merchant's
 * `merchantEvents` subscribers once, as it now stands, with AGREEMENT_STOPPED and CHARGE_FAILED
 * beside the updates; a key for one merchant hears nothing of another's.
 */
jest.setTimeout(60_000);

const EVENTS = `subscription($msn: String, $types: [MerchantEventType!]) {
  merchantEvents(merchantSerialNumber: $msn, types: $types) {
    id type merchantSerialNumber occurredAt
    payment { reference state aggregate { captured { value } } }
    agreement { agreementId status }
    charge { chargeId status failureReason }
    captureWarning { deadline }
  }
}`;
const CAPTURE_PAYMENT = `mutation($input: CapturePaymentInput!) { capturePayment(input: $input) { errors { code message } } }`;

interface Event {
  id: string;
  type: string;
  merchantSerialNumber: string;
  payment: { reference: string; state: string; aggregate: { captured: { value: number } } } | null;
  agreement: { agreementId: string; status: string } | null;
  charge: { chargeId: string; status: string; failureReason: string | null } | null;
}

describe('merchantEvents', () => {
  let api: TestApi;
  let worker: TestWorker;
  const clients: TestWsClient[] = [];

  beforeAll(async () => {
    api = await startTestApi({}, { knownPort: true });
    await registerWebhooks(api);
    worker = await startTestWorker(api);
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await worker.close();
    await removeQueues(api);
    await api.close();
  });

  /**
   * Follow a merchant's events with `bearer`. Returns once the subscription is live: a probe
   * event (no resource) published on the merchant's topic has come through.
   */
  async function follow(bearer: string, variables: { types: string[]; msn?: string }, msn = '123456'): Promise<Received<{ merchantEvents: Event }>> {
    const client = wsClient(api.url, { bearer });
    clients.push(client);
    const received = client.subscribe<{ merchantEvents: Event }>(EVENTS, variables);
    const probe = { id: `probe-${key('p')}`, type: variables.types[0] as MerchantEventType, merchantSerialNumber: msn, occurredAt: new Date().toISOString() };
    await expectEventually(async () => {
      expect(received.errors).toEqual([]);
      await api.services.live.publish(merchantTopic(msn), probe);
      expect(received.values.map((v) => v.data.merchantEvents.id)).toContain(probe.id);
    }, { intervalMs: 50 });
    return received;
  }

  const events = (r: Received<{ merchantEvents: Event }>) => r.values.map((v) => v.data.merchantEvents);

  it("tells a payment's every change once, as it now stands: created, authorized, captured", async () => {
    const stream = await follow('dev', { types: ['PAYMENT_UPDATED'] });
    const { payment } = await createPayment(api);
    const { reference } = payment;
    const ofPayment = () => events(stream).filter((e) => e.payment?.reference === reference);
    await expectEventually(async () => expect(ofPayment().map((e) => e.payment?.state)).toEqual(['CREATED']));

    await approve(api, reference);
    await expectEventually(async () => expect(ofPayment().map((e) => e.payment?.state)).toEqual(['CREATED', 'AUTHORIZED']), { timeoutMs: 15_000 });
    const captured = await api.gql(CAPTURE_PAYMENT, { input: { reference, idempotencyKey: key('cap'), amount: { value: 40_000, currency: 'NOK' } } });
    expect(captured.data.capturePayment.errors).toEqual([]);
    await expectEventually(async () => expect(ofPayment()).toHaveLength(3));

    const last = ofPayment()[2];
    expect(last).toMatchObject({ type: 'PAYMENT_UPDATED', merchantSerialNumber: '123456', payment: { state: 'AUTHORIZED', aggregate: { captured: { value: 40_000 } } } });
    expect(new Set(ofPayment().map((e) => e.id)).size).toBe(3);
    // Only the type asked for, and nothing told twice (a webhook and a poll seeing the same change).
    expect(events(stream).every((e) => e.type === 'PAYMENT_UPDATED')).toBe(true);
    await worker.services.paymentReader.refresh('123456', reference);
    await api.services.paymentReader.refresh('123456', reference);
    expect(ofPayment()).toHaveLength(3);
  });

  it('tells AGREEMENT_UPDATED for each status and AGREEMENT_STOPPED once when the agreement is stopped', async () => {
    const stream = await follow('reader', { types: ['AGREEMENT_UPDATED', 'AGREEMENT_STOPPED'] });
    const { agreement } = await createAgreement(api);
    const { agreementId } = agreement;
    await accept(api, agreementId);
    const ofAgreement = () => events(stream).filter((e) => e.agreement?.agreementId === agreementId);
    await expectEventually(async () => expect(ofAgreement().map((e) => `${e.type} ${e.agreement?.status}`)).toEqual(['AGREEMENT_UPDATED PENDING', 'AGREEMENT_UPDATED ACTIVE']), { timeoutMs: 15_000 });

    const stopped = await api.gql(STOP_AGREEMENT, { input: { agreementId, idempotencyKey: key('stop') } });
    expect(stopped.data.stopAgreement.errors).toEqual([]);
    await expectEventually(async () => expect(ofAgreement()).toHaveLength(4));
    expect(ofAgreement().slice(2).map((e) => `${e.type} ${e.agreement?.status}`).sort()).toEqual(['AGREEMENT_STOPPED STOPPED', 'AGREEMENT_UPDATED STOPPED']);
    expect(new Set(ofAgreement().map((e) => e.id)).size).toBe(4);
  });

  it('tells CHARGE_FAILED once when Vipps gives up on a charge (the magic amount 151)', async () => {
    const { agreement } = await createAgreement(api);
    const { agreementId } = agreement;
    await accept(api, agreementId);
    const stream = await follow('dev', { types: ['CHARGE_UPDATED', 'CHARGE_FAILED'] });
    const created = await api.gql(CREATE_CHARGE, {
      input: { agreementId, idempotencyKey: key('chg'), amount: { value: 151, currency: 'NOK' }, description: 'May', due: await dueIn(api, 2), retryDays: 0, transactionType: 'DIRECT_CAPTURE' },
    });
    expect(created.data.createCharge.errors).toEqual([]);
    const chargeId = created.data.createCharge.charge.chargeId as string;
    const ofCharge = () => events(stream).filter((e) => e.charge?.chargeId === chargeId);
    await expectEventually(async () => expect(ofCharge().map((e) => e.type)).toEqual(['CHARGE_UPDATED']));

    await advanceDays(api, 3);
    await expectEventually(async () => expect(ofCharge().filter((e) => e.type === 'CHARGE_FAILED')).toHaveLength(1), { timeoutMs: 15_000 });
    const failed = ofCharge().filter((e) => e.charge?.status === 'FAILED');
    expect(failed.map((e) => e.type).sort()).toEqual(['CHARGE_FAILED', 'CHARGE_UPDATED']);
    expect(failed[0]?.charge?.failureReason).toBe('user_action_required');
  });

  it("gives a key for one merchant none of another merchant's events, and refuses to follow a merchant the key does not serve", async () => {
    const mine = await follow('dev', { types: ['PAYMENT_UPDATED'] });
    const theirs = await follow('other', { types: ['PAYMENT_UPDATED'] }, OTHER_MERCHANT.msn);

    const { payment } = await createPayment(api);
    const { payment: otherPayment } = await createPayment(api, {}, 'other');
    await expectEventually(async () => {
      expect(events(mine).map((e) => e.payment?.reference)).toContain(payment.reference);
      expect(events(theirs).map((e) => e.payment?.reference)).toContain(otherPayment.reference);
    });
    expect(events(theirs).every((e) => e.merchantSerialNumber === OTHER_MERCHANT.msn)).toBe(true);
    expect(events(mine).every((e) => e.merchantSerialNumber === '123456')).toBe(true);

    // Asking for the other merchant by number: refused as if it did not exist.
    const client = wsClient(api.url, { bearer: 'other' });
    clients.push(client);
    const refused = client.subscribe<{ merchantEvents: Event }>(EVENTS, { msn: '123456' });
    await expectEventually(async () => expect(refused.errors).toEqual([expect.objectContaining({ message: 'Merchant 123456 was not found.', extensions: expect.objectContaining({ code: 'NOT_FOUND' }) })]));
    expect(refused.values).toEqual([]);

    // Nor does expiringReservations list another merchant's reservations.
    const listed = await api.gql(`query { expiringReservations(merchantSerialNumber: "123456", deadlineBefore: "2100-01-01T00:00:00Z") { totalCount edges { cursor } } }`, {}, 'other');
    expect(listed.data.expiringReservations).toEqual({ totalCount: 0, edges: [] });
    const badCursor = await api.gql(`query { expiringReservations(deadlineBefore: "2100-01-01T00:00:00Z", after: "bm90LWEtY3Vyc29y") { totalCount } }`);
    expect(badCursor.errors).toEqual([expect.objectContaining({ message: 'The cursor is not valid.', extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }) })]);
  });

  it('refuses a status token: it follows its own payment only', async () => {
    const created = await createPayment(api);
    const client = wsClient(api.url, { bearer: created.statusToken as string });
    clients.push(client);
    const refused = client.subscribe(EVENTS, {});
    await expectEventually(async () => expect(refused.errors.length + client.closes.length).toBeGreaterThan(0));
    expect(refused.values).toEqual([]);
  });
});
