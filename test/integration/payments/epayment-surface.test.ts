import { startTestApi, type TestApi } from '../../support/api';
import { authorizedPayment, dropCached, NOK, uniqueKey } from './payment-support';

/** The wider ePayment surface (issue 16) through /graphql, against the simulator. */
describe('ePayment surface through /graphql', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(async () => {
    await api.close();
  });

  const PAYMENT = 'query ($reference: String!) { payment(reference: $reference) { state status availableActions } }';
  const CAPTURE = 'mutation ($input: CapturePaymentInput!) { capturePayment(input: $input) { payment { status } errors { code message field vippsErrorCode } } }';
  const REFUND = 'mutation ($input: RefundPaymentInput!) { refundPayment(input: $input) { payment { status } errors { code message field vippsErrorCode } } }';
  const CANCEL = 'mutation ($input: CancelPaymentInput!) { cancelPayment(input: $input) { payment { state status } errors { code } } }';
  const refunds = () => api.sim.sim.ctx.requests.filter((r) => r.method === 'POST' && /\/refund$/.test(r.path)).length;

  describe('Payment.status', () => {
    it('follows the money: AUTHORIZED, PARTIALLY_CAPTURED, PARTIALLY_REFUNDED, REFUNDED', async () => {
      const reference = await authorizedPayment(api, 100000);
      await dropCached(api, reference);
      expect((await api.gql(PAYMENT, { reference })).data.payment).toMatchObject({ state: 'AUTHORIZED', status: 'AUTHORIZED' });
      const captured = await api.gql(CAPTURE, { input: { reference, idempotencyKey: uniqueKey('cap'), amount: NOK(40000) } });
      expect(captured.data.capturePayment.payment.status).toBe('PARTIALLY_CAPTURED');
      const part = await api.gql(REFUND, { input: { reference, idempotencyKey: uniqueKey('ref'), amount: NOK(10000) } });
      expect(part.data.refundPayment.payment.status).toBe('PARTIALLY_REFUNDED');
      const rest = await api.gql(REFUND, { input: { reference, idempotencyKey: uniqueKey('ref') } });
      expect(rest.data.refundPayment.payment.status).toBe('REFUNDED');
    });

    it('reads CANCELLED for a cancelled reservation, whose Vipps state stays AUTHORIZED', async () => {
      const reference = await authorizedPayment(api);
      const cancelled = await api.gql(CANCEL, { input: { reference, idempotencyKey: uniqueKey('cancel') } });
      expect(cancelled.data.cancelPayment).toEqual({ payment: { state: 'AUTHORIZED', status: 'CANCELLED' }, errors: [] });
    });
  });

  describe('the 365-day refund window', () => {
    /** A payment authorized and captured `days` ago: the simulator's clock is set back for it, then restored. */
    async function capturedDaysAgo(days: number): Promise<string> {
      // The control API only moves the clock on; set back in-process so the capture lies in our past.
      api.sim.sim.ctx.clock.advance(-days * 86_400);
      try {
        const reference = await authorizedPayment(api, 100000);
        const res = await api.sim.call('POST', `/epayment/v1/payments/${reference}/capture`, { body: { modificationAmount: NOK(100000) }, idempotencyKey: uniqueKey('cap') });
        expect(res.status).toBe(200);
        return reference;
      } finally {
        api.sim.sim.ctx.clock.advance(days * 86_400);
      }
    }

    it('offers no refund 366 days after the capture, and refundPayment refuses it before calling Vipps', async () => {
      const reference = await capturedDaysAgo(366);
      await dropCached(api, reference);
      expect((await api.gql(PAYMENT, { reference })).data.payment).toEqual({ state: 'AUTHORIZED', status: 'CAPTURED', availableActions: [] });
      const before = refunds();
      const res = await api.gql(REFUND, { input: { reference, idempotencyKey: uniqueKey('ref') } });
      const day = new Date(Date.now() - 366 * 86_400_000).toISOString().slice(0, 10);
      expect(res.data.refundPayment.errors).toEqual([
        {
          code: 'REFUND_PERIOD_EXPIRED',
          message: `It is too late to refund payment ${reference}: Vipps allows refunds for 365 days after the capture, and it was captured on ${day}.`,
          field: ['input', 'reference'],
          vippsErrorCode: null,
        },
      ]);
      expect(refunds()).toBe(before);
    });

    it('still offers and makes a refund 364 days after the capture', async () => {
      const reference = await capturedDaysAgo(364);
      await dropCached(api, reference);
      expect((await api.gql(PAYMENT, { reference })).data.payment.availableActions).toEqual(['REFUND']);
      const res = await api.gql(REFUND, { input: { reference, idempotencyKey: uniqueKey('ref') } });
      expect(res.data.refundPayment).toEqual({ payment: { status: 'REFUNDED' }, errors: [] });
    });
  });
});
