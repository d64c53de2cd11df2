import { CancelPaymentDocument, CapturePaymentDocument, CreatePaymentDocument, RefundPaymentDocument } from '../../generated/graphql';
import { startTestApi, type TestApi } from '../../support/api';
import { authorizedPayment, countVipps, createInput, createPayment, NOK, simView, uniqueKey, uniqueRef } from './payment-support';

/**
 * docs/design.md §2 idempotency through /graphql: the same input with the same key returns the same
 * result and Vipps sees the operation once; the same key with other input is IDEMPOTENCY_CONFLICT
 * and moves nothing.
 */
describe('idempotent mutations through /graphql', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(async () => {
    await api.close();
  });

  const posts = (path: string) => api.sim.sim.ctx.requests.filter((r) => r.method === 'POST' && r.path === path).length;
  const named = (events: { name: string }[], name: string) => events.filter((e) => e.name === name).length;
  const CONFLICT = {
    code: 'IDEMPOTENCY_CONFLICT',
    message: 'This idempotency key was already used with different details. Use a new key for a new operation.',
    field: ['input', 'idempotencyKey'],
    vippsErrorCode: null,
  };

  describe('replay: same input, same key', () => {
    it('createPayment creates one payment and answers the same', async () => {
      const input = createInput();
      const creates = posts('/epayment/v1/payments');
      const first = await api.gql(CreatePaymentDocument, { input });
      const again = await api.gql(CreatePaymentDocument, { input });
      expect(first.data.createPayment.errors).toEqual([]);
      expect(again.data.createPayment.errors).toEqual([]);
      expect(again.data.createPayment.payment?.reference).toBe(input.reference);
      expect(again.data.createPayment.payment?.id).toBe(first.data.createPayment.payment?.id);
      expect(first.data.createPayment.redirectUrl).toMatch(/\/landing\?token=/);
      expect(again.data.createPayment.redirectUrl).toBe(first.data.createPayment.redirectUrl);
      expect(again.data.createPayment.statusToken).toEqual(expect.any(String));
      expect(posts('/epayment/v1/payments') - creates).toBe(1);
      expect(named((await simView(api, input.reference as string)).events, 'CREATED')).toBe(1);
    });

    it('createPayment without a reference derives the same one from the key', async () => {
      const input = createInput({ reference: null });
      const first = await api.gql(CreatePaymentDocument, { input });
      const again = await api.gql(CreatePaymentDocument, { input });
      const reference = first.data.createPayment.payment?.reference;
      expect(reference).toMatch(/^vg-123456-[0-9a-f]{20}$/);
      expect(again.data.createPayment.payment?.reference).toBe(reference);
      expect(named((await simView(api, reference as string)).events, 'CREATED')).toBe(1);
    });

    it('capturePayment captures once', async () => {
      const reference = await authorizedPayment(api, 100000);
      const input = { reference, idempotencyKey: uniqueKey('cap'), amount: NOK(30000) };
      const first = await api.gql(CapturePaymentDocument, { input });
      const { calls, result: again } = await countVipps(api, () => api.gql(CapturePaymentDocument, { input }));
      expect(first.data.capturePayment.errors).toEqual([]);
      expect(again.data.capturePayment).toEqual(first.data.capturePayment);
      expect(calls).toBe(0);
      const sim = await simView(api, reference);
      expect(named(sim.events, 'CAPTURED')).toBe(1);
      expect(sim.aggregate.captured).toBe(30000);
    });

    it('capturePayment of the remainder (no amount) captures once', async () => {
      const reference = await authorizedPayment(api, 40000);
      const input = { reference, idempotencyKey: uniqueKey('cap') };
      const first = await api.gql(CapturePaymentDocument, { input });
      const again = await api.gql(CapturePaymentDocument, { input });
      expect(first.data.capturePayment.errors).toEqual([]);
      expect(again.data.capturePayment).toEqual(first.data.capturePayment);
      expect(named((await simView(api, reference)).events, 'CAPTURED')).toBe(1);
    });

    it('refundPayment refunds once', async () => {
      const reference = await authorizedPayment(api, 50000);
      await api.gql(CapturePaymentDocument, { input: { reference, idempotencyKey: uniqueKey('cap') } });
      const input = { reference, idempotencyKey: uniqueKey('ref'), amount: NOK(10000) };
      const first = await api.gql(RefundPaymentDocument, { input });
      const { calls, result: again } = await countVipps(api, () => api.gql(RefundPaymentDocument, { input }));
      expect(first.data.refundPayment.errors).toEqual([]);
      expect(again.data.refundPayment).toEqual(first.data.refundPayment);
      expect(calls).toBe(0);
      const sim = await simView(api, reference);
      expect(named(sim.events, 'REFUNDED')).toBe(1);
      expect(sim.aggregate.refunded).toBe(10000);
    });

    it('cancelPayment cancels once', async () => {
      const reference = await authorizedPayment(api, 50000);
      const input = { reference, idempotencyKey: uniqueKey('cancel') };
      const first = await api.gql(CancelPaymentDocument, { input });
      const { calls, result: again } = await countVipps(api, () => api.gql(CancelPaymentDocument, { input }));
      expect(first.data.cancelPayment.errors).toEqual([]);
      expect(again.data.cancelPayment).toEqual(first.data.cancelPayment);
      expect(calls).toBe(0);
      expect(named((await simView(api, reference)).events, 'CANCELLED')).toBe(1);
    });

    it('a refusal is sticky: the replay answers the same error without asking Vipps again', async () => {
      const reference = await authorizedPayment(api, 10000);
      const input = { reference, idempotencyKey: uniqueKey('cap'), amount: NOK(20000) };
      const first = await api.gql(CapturePaymentDocument, { input });
      expect(first.data.capturePayment.errors.map((e) => e.code)).toEqual(['CAPTURE_AMOUNT_TOO_HIGH']);
      const { calls, result: again } = await countVipps(api, () => api.gql(CapturePaymentDocument, { input }));
      expect(again.data.capturePayment.errors).toEqual(first.data.capturePayment.errors);
      expect(calls).toBe(0);
    });

    it('two identical captures at the same moment capture once', async () => {
      const reference = await authorizedPayment(api, 60000);
      const input = { reference, idempotencyKey: uniqueKey('cap'), amount: NOK(20000) };
      const results = await Promise.all([api.gql(CapturePaymentDocument, { input }), api.gql(CapturePaymentDocument, { input })]);
      const codes = results.map((r) => r.data.capturePayment.errors.map((e) => e.code));
      // One captures; the other either replays it or is told to retry the same request.
      expect(codes.filter((c) => c.length === 0).length).toBeGreaterThanOrEqual(1);
      for (const c of codes) expect(c.length === 0 || (c.length === 1 && c[0] === 'OPERATION_IN_PROGRESS')).toBe(true);
      const sim = await simView(api, reference);
      expect(named(sim.events, 'CAPTURED')).toBe(1);
      expect(sim.aggregate.captured).toBe(20000);
    });
  });

  describe('conflict: same key, other input', () => {
    it('createPayment with another amount', async () => {
      const input = createInput();
      await api.gql(CreatePaymentDocument, { input });
      const { calls, result } = await countVipps(api, () => api.gql(CreatePaymentDocument, { input: { ...input, amount: NOK(200000) } }));
      expect(result.data.createPayment.errors).toEqual([CONFLICT]);
      expect(result.data.createPayment.statusToken).toBeNull();
      expect(calls).toBe(0);
      const sim = await simView(api, input.reference as string);
      expect(sim.events).toHaveLength(1);
    });

    it('createPayment with another reference creates nothing', async () => {
      const input = createInput();
      await api.gql(CreatePaymentDocument, { input });
      const other = uniqueRef('order');
      const creates = posts('/epayment/v1/payments');
      const result = await api.gql(CreatePaymentDocument, { input: { ...input, reference: other } });
      expect(result.data.createPayment.errors).toEqual([CONFLICT]);
      expect(result.data.createPayment.payment).toBeNull();
      expect(posts('/epayment/v1/payments')).toBe(creates);
      expect((await api.sim.call('GET', `/epayment/v1/payments/${other}`)).status).toBe(404);
    });

    it('capturePayment with another amount moves nothing', async () => {
      const reference = await authorizedPayment(api, 100000);
      const idempotencyKey = uniqueKey('cap');
      await api.gql(CapturePaymentDocument, { input: { reference, idempotencyKey, amount: NOK(10000) } });
      const before = await simView(api, reference);
      const { calls, result } = await countVipps(api, () => api.gql(CapturePaymentDocument, { input: { reference, idempotencyKey, amount: NOK(20000) } }));
      expect(result.data.capturePayment.errors).toEqual([CONFLICT]);
      expect(result.data.capturePayment.payment?.aggregate.captured.value).toBe(10000);
      expect(calls).toBe(0);
      expect(await simView(api, reference)).toEqual(before);
    });

    it('refundPayment with another amount moves nothing', async () => {
      const reference = await authorizedPayment(api, 100000);
      await api.gql(CapturePaymentDocument, { input: { reference, idempotencyKey: uniqueKey('cap') } });
      const idempotencyKey = uniqueKey('ref');
      await api.gql(RefundPaymentDocument, { input: { reference, idempotencyKey, amount: NOK(1000) } });
      const before = await simView(api, reference);
      const { calls, result } = await countVipps(api, () => api.gql(RefundPaymentDocument, { input: { reference, idempotencyKey, amount: NOK(2000) } }));
      expect(result.data.refundPayment.errors).toEqual([CONFLICT]);
      expect(calls).toBe(0);
      expect(await simView(api, reference)).toEqual(before);
    });

    it('cancelPayment on another payment moves nothing', async () => {
      const first = await authorizedPayment(api, 10000);
      const second = await authorizedPayment(api, 10000);
      const idempotencyKey = uniqueKey('cancel');
      await api.gql(CancelPaymentDocument, { input: { reference: first, idempotencyKey } });
      const before = await simView(api, second);
      const { calls, result } = await countVipps(api, () => api.gql(CancelPaymentDocument, { input: { reference: second, idempotencyKey } }));
      expect(result.data.cancelPayment.errors).toEqual([CONFLICT]);
      expect(calls).toBe(0);
      expect(await simView(api, second)).toEqual(before);
    });

    it('a capture key reused for a refund moves nothing', async () => {
      const reference = await authorizedPayment(api, 100000);
      const idempotencyKey = uniqueKey('op');
      await api.gql(CapturePaymentDocument, { input: { reference, idempotencyKey, amount: NOK(5000) } });
      const before = await simView(api, reference);
      const { calls, result } = await countVipps(api, () => api.gql(RefundPaymentDocument, { input: { reference, idempotencyKey, amount: NOK(5000) } }));
      expect(result.data.refundPayment.errors).toEqual([CONFLICT]);
      expect(calls).toBe(0);
      expect(await simView(api, reference)).toEqual(before);
    });

    it('keys are per merchant: another merchant may use the same key', async () => {
      const idempotencyKey = uniqueKey('shared');
      await createPayment(api, { idempotencyKey });
      const other = await api.gql(CreatePaymentDocument, { input: createInput({ idempotencyKey }) }, 'other');
      expect(other.data.createPayment.errors).toEqual([]);
      expect(other.data.createPayment.payment?.merchantSerialNumber).toBe('654321');
    });
  });
});
