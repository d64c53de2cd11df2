import { CancelPaymentDocument, CapturePaymentDocument, PaymentDocument, PaymentEventsDocument, RefundPaymentDocument } from '../../generated/graphql';
import { startTestApi, type TestApi } from '../../support/api';
import { authorizedPayment, NOK, simView, uniqueKey } from './payment-support';

/**
 * Vipps' go-live checklist for ePayment (docs/vipps.md §15) through /graphql: a payment ending
 * CAPTURED, one ending REFUNDED, one ending CANCELLED, partial capture and refund with exact
 * aggregates, and the event log as Vipps keeps it.
 */
describe('ePayment checklist through /graphql', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(async () => {
    await api.close();
  });

  const aggregate = (authorized: number, captured: number, refunded: number, cancelled: number) => ({
    authorized: { value: authorized },
    captured: { value: captured },
    refunded: { value: refunded },
    cancelled: { value: cancelled },
  });

  it('ends CAPTURED: a full capture of an approved payment', async () => {
    const reference = await authorizedPayment(api, 49900);
    const key = uniqueKey('cap');
    const captured = await api.gql(CapturePaymentDocument, { input: { reference, idempotencyKey: key } });
    expect(captured.data.capturePayment.errors).toEqual([]);
    const payment = captured.data.capturePayment.payment;
    expect(payment).toMatchObject({
      reference,
      state: 'AUTHORIZED',
      aggregate: aggregate(49900, 49900, 0, 0),
      capturable: { value: 0 },
      refundable: { value: 49900 },
      availableActions: ['REFUND'],
    });

    const events = await api.gql(PaymentEventsDocument, { reference });
    expect(events.data.payment?.events.edges.map((e) => [e.node.name, e.node.amount.value, e.node.idempotencyKey, e.node.success])).toEqual([
      ['CREATED', 49900, expect.any(String), true],
      ['AUTHORIZED', 49900, null, true],
      ['CAPTURED', 49900, key, true],
    ]);
    expect(events.data.payment?.events.totalCount).toBe(3);
    expect((await simView(api, reference)).aggregate).toEqual({ authorized: 49900, captured: 49900, refunded: 0, cancelled: 0 });
  });

  it('ends REFUNDED: capture, then refund everything', async () => {
    const reference = await authorizedPayment(api, 25000);
    expect((await api.gql(CapturePaymentDocument, { input: { reference, idempotencyKey: uniqueKey('cap') } })).data.capturePayment.errors).toEqual([]);
    const refundKey = uniqueKey('ref');
    const refunded = await api.gql(RefundPaymentDocument, { input: { reference, idempotencyKey: refundKey } });
    expect(refunded.data.refundPayment.errors).toEqual([]);
    expect(refunded.data.refundPayment.payment).toMatchObject({
      state: 'AUTHORIZED',
      aggregate: aggregate(25000, 25000, 25000, 0),
      capturable: { value: 0 },
      refundable: { value: 0 },
      availableActions: [],
    });

    const events = await api.gql(PaymentEventsDocument, { reference });
    const last = events.data.payment?.events.edges.at(-1)?.node;
    expect(last).toMatchObject({ name: 'REFUNDED', amount: { value: 25000, currency: 'NOK' }, idempotencyKey: refundKey, success: true });
    expect(events.data.payment?.events.totalCount).toBe(4);
    expect((await simView(api, reference)).aggregate).toEqual({ authorized: 25000, captured: 25000, refunded: 25000, cancelled: 0 });
  });

  it('ends CANCELLED: an approved payment is cancelled, releasing the whole reservation', async () => {
    const reference = await authorizedPayment(api, 30000);
    const key = uniqueKey('cancel');
    const cancelled = await api.gql(CancelPaymentDocument, { input: { reference, idempotencyKey: key } });
    expect(cancelled.data.cancelPayment.errors).toEqual([]);
    expect(cancelled.data.cancelPayment.payment).toMatchObject({
      state: 'AUTHORIZED',
      aggregate: aggregate(30000, 0, 0, 30000),
      capturable: { value: 0 },
      refundable: { value: 0 },
      availableActions: [],
    });

    const read = await api.gql(PaymentDocument, { reference });
    expect(read.data.payment).toMatchObject({ aggregate: aggregate(30000, 0, 0, 30000), availableActions: [] });
    const events = await api.gql(PaymentEventsDocument, { reference });
    expect(events.data.payment?.events.edges.map((e) => e.node.name)).toEqual(['CREATED', 'AUTHORIZED', 'CANCELLED']);
    expect(events.data.payment?.events.edges[2]?.node).toMatchObject({ amount: { value: 30000 }, idempotencyKey: key, success: true });
  });

  it('captures part, refunds part, cancels the rest, with exact aggregates at every step', async () => {
    const reference = await authorizedPayment(api, 100000);
    const keys = [uniqueKey('cap1'), uniqueKey('cap2'), uniqueKey('ref1'), uniqueKey('ref2'), uniqueKey('cancel')];

    const cap1 = await api.gql(CapturePaymentDocument, { input: { reference, idempotencyKey: keys[0] as string, amount: NOK(25000) } });
    expect(cap1.data.capturePayment.payment).toMatchObject({ aggregate: aggregate(100000, 25000, 0, 0), capturable: { value: 75000 }, refundable: { value: 25000 }, availableActions: ['CAPTURE', 'REFUND', 'CANCEL'] });

    const cap2 = await api.gql(CapturePaymentDocument, { input: { reference, idempotencyKey: keys[1] as string, amount: NOK(15000) } });
    expect(cap2.data.capturePayment.payment).toMatchObject({ aggregate: aggregate(100000, 40000, 0, 0), capturable: { value: 60000 }, refundable: { value: 40000 } });

    const ref1 = await api.gql(RefundPaymentDocument, { input: { reference, idempotencyKey: keys[2] as string, amount: NOK(10000) } });
    expect(ref1.data.refundPayment.payment).toMatchObject({ aggregate: aggregate(100000, 40000, 10000, 0), capturable: { value: 60000 }, refundable: { value: 30000 } });

    const ref2 = await api.gql(RefundPaymentDocument, { input: { reference, idempotencyKey: keys[3] as string, amount: NOK(5000) } });
    expect(ref2.data.refundPayment.payment).toMatchObject({ aggregate: aggregate(100000, 40000, 15000, 0), refundable: { value: 25000 } });

    const cancel = await api.gql(CancelPaymentDocument, { input: { reference, idempotencyKey: keys[4] as string } });
    expect(cancel.data.cancelPayment.errors).toEqual([]);
    expect(cancel.data.cancelPayment.payment).toMatchObject({
      aggregate: aggregate(100000, 40000, 15000, 60000),
      capturable: { value: 0 },
      refundable: { value: 25000 },
      availableActions: ['REFUND'],
    });

    expect((await simView(api, reference)).aggregate).toEqual({ authorized: 100000, captured: 40000, refunded: 15000, cancelled: 60000 });
    const events = await api.gql(PaymentEventsDocument, { reference });
    expect(events.data.payment?.events.totalCount).toBe(7);
    expect(events.data.payment?.events.edges.map((e) => [e.node.name, e.node.amount.value, e.node.idempotencyKey])).toEqual([
      ['CREATED', 100000, expect.any(String)],
      ['AUTHORIZED', 100000, null],
      ['CAPTURED', 25000, keys[0]],
      ['CAPTURED', 15000, keys[1]],
      ['REFUNDED', 10000, keys[2]],
      ['REFUNDED', 5000, keys[3]],
      ['CANCELLED', 60000, keys[4]],
    ]);
  });

  it('pages through the event log with first/after', async () => {
    const reference = await authorizedPayment(api, 20000);
    await api.gql(CapturePaymentDocument, { input: { reference, idempotencyKey: uniqueKey('cap'), amount: NOK(5000) } });
    const first = await api.gql(PaymentEventsDocument, { reference, first: 2 });
    const page1 = first.data.payment?.events;
    expect(page1?.edges.map((e) => e.node.name)).toEqual(['CREATED', 'AUTHORIZED']);
    expect(page1?.pageInfo.hasNextPage).toBe(true);
    const second = await api.gql(PaymentEventsDocument, { reference, first: 2, after: page1?.pageInfo.endCursor ?? null });
    expect(second.data.payment?.events.edges.map((e) => e.node.name)).toEqual(['CAPTURED']);
    expect(second.data.payment?.events.pageInfo.hasNextPage).toBe(false);
    expect(second.data.payment?.events.totalCount).toBe(3);
  });
});
