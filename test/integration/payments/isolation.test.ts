import { OTHER_MERCHANT } from '../../support/api';
import {
  CancelPaymentDocument,
  CapturePaymentDocument,
  CreatePaymentDocument,
  NodeDocument,
  PaymentDocument,
  PaymentsDocument,
  RefundPaymentDocument,
} from '../../generated/graphql';
import { startTestApi, type TestApi } from '../../support/api';
import { PAYMENT_STATUS } from '../../support/status-token';
import { approve, authorizedPayment, countVipps, createInput, createPayment, NOK, simView, uniqueKey } from './payment-support';

/**
 * docs/design.md §3 through /graphql: API keys with scopes and merchants, and status tokens for one
 * payment. A foreign payment looks exactly like one that does not exist.
 */
describe('access and tenancy through /graphql', () => {
  let api: TestApi;
  let ours: string;
  let theirs: string;
  beforeAll(async () => {
    api = await startTestApi();
    ours = await authorizedPayment(api, 100000);
    await api.gql(CapturePaymentDocument, { input: { reference: ours, idempotencyKey: uniqueKey('cap'), amount: NOK(10000) } });
    theirs = (await createPayment(api, {}, 'other')).payment.reference;
  });
  afterAll(async () => {
    await api.close();
  });

  const code = (r: { errors?: { extensions?: Record<string, unknown> }[] }) => r.errors?.[0]?.extensions?.code;

  describe('authentication', () => {
    it('no Authorization header: HTTP 401 UNAUTHENTICATED', async () => {
      const res = await api.gql(PaymentDocument, { reference: ours }, null);
      expect(res.status).toBe(401);
      expect(code(res)).toBe('UNAUTHENTICATED');
      expect(res.data ?? null).toBeNull();
    });

    it('an unknown key or a forged status token: HTTP 401 UNAUTHENTICATED', async () => {
      for (const key of ['not-a-key', 'v1.e30.forged']) {
        const { calls, result } = await countVipps(api, () => api.gql(CreatePaymentDocument, { input: createInput() }, key));
        expect(result.status).toBe(401);
        expect(code(result)).toBe('UNAUTHENTICATED');
        expect(calls).toBe(0);
      }
    });
  });

  describe('scopes', () => {
    it('a read-only key reads payments', async () => {
      const read = await api.gql(PaymentDocument, { reference: ours }, 'reader');
      expect(read.data.payment?.reference).toBe(ours);
      const list = await api.gql(PaymentsDocument, {}, 'reader');
      expect(list.data.payments.edges.map((e) => e.node.reference)).toContain(ours);
    });

    it('a read-only key cannot create, capture, refund or cancel: top-level FORBIDDEN, nothing moved', async () => {
      const before = await simView(api, ours);
      const attempts: (() => Promise<{ status: number; data: unknown; errors?: { extensions?: Record<string, unknown> }[] }>)[] = [
        () => api.gql(CreatePaymentDocument, { input: createInput() }, 'reader'),
        () => api.gql(CapturePaymentDocument, { input: { reference: ours, idempotencyKey: uniqueKey('cap') } }, 'reader'),
        () => api.gql(RefundPaymentDocument, { input: { reference: ours, idempotencyKey: uniqueKey('ref') } }, 'reader'),
        () => api.gql(CancelPaymentDocument, { input: { reference: ours, idempotencyKey: uniqueKey('cancel') } }, 'reader'),
      ];
      for (const attempt of attempts) {
        const { calls, result } = await countVipps(api, attempt);
        expect(code(result)).toBe('FORBIDDEN');
        expect(result.data).toBeNull();
        expect(calls).toBe(0);
      }
      expect(await simView(api, ours)).toEqual(before);
    });
  });

  describe('merchants', () => {
    it("another merchant's payment is null, unlisted and not found for mutations", async () => {
      expect((await api.gql(PaymentDocument, { reference: ours }, 'other')).data.payment).toBeNull();
      expect((await api.gql(PaymentDocument, { reference: ours, merchantSerialNumber: '123456' }, 'other')).data.payment).toBeNull();
      const list = await api.gql(PaymentsDocument, { first: 100 }, 'other');
      expect(list.data.payments.edges.map((e) => e.node.reference)).toEqual([theirs]);
      expect(list.data.payments.totalCount).toBe(1);

      const before = await simView(api, ours);
      const notFound = { code: 'NOT_FOUND', message: `Payment ${ours} was not found.`, field: ['input', 'reference'], vippsErrorCode: null };
      const capture = await api.gql(CapturePaymentDocument, { input: { reference: ours, idempotencyKey: uniqueKey('cap') } }, 'other');
      expect(capture.data.capturePayment).toEqual({ payment: null, errors: [notFound] });
      const refund = await api.gql(RefundPaymentDocument, { input: { reference: ours, idempotencyKey: uniqueKey('ref') } }, 'other');
      expect(refund.data.refundPayment).toEqual({ payment: null, errors: [notFound] });
      const cancel = await api.gql(CancelPaymentDocument, { input: { reference: ours, idempotencyKey: uniqueKey('cancel') } }, 'other');
      expect(cancel.data.cancelPayment).toEqual({ payment: null, errors: [notFound] });
      expect(await simView(api, ours)).toEqual(before);
    });

    it('naming a merchant the key does not serve: NOT_FOUND for mutations, null for reads', async () => {
      const result = await api.gql(CapturePaymentDocument, { input: { reference: theirs, merchantSerialNumber: '654321', idempotencyKey: uniqueKey('cap') } }, 'dev');
      expect(result.data.capturePayment.errors).toEqual([{ code: 'NOT_FOUND', message: 'Merchant 654321 was not found.', field: ['input', 'merchantSerialNumber'], vippsErrorCode: null }]);
      expect((await api.gql(PaymentDocument, { reference: theirs, merchantSerialNumber: '654321' }, 'dev')).data.payment).toBeNull();
      expect((await api.gql(PaymentsDocument, { merchantSerialNumber: '654321' }, 'dev')).data.payments).toMatchObject({ edges: [], totalCount: 0 });
    });

    it('a partner key must name the merchant', async () => {
      const read = await api.gql(PaymentDocument, { reference: ours }, 'partner');
      expect(code(read)).toBe('BAD_USER_INPUT');
      expect(read.errors?.[0]?.message).toBe('This API key serves several merchants (123456, 654321): give merchantSerialNumber.');
      expect(code(await api.gql(PaymentsDocument, {}, 'partner'))).toBe('BAD_USER_INPUT');

      const { calls, result } = await countVipps(api, () => api.gql(CreatePaymentDocument, { input: createInput() }, 'partner'));
      expect(result.data.createPayment.errors).toEqual([
        { code: 'MERCHANT_REQUIRED', message: 'This API key serves several merchants (123456, 654321): choose one with merchantSerialNumber.', field: ['input', 'merchantSerialNumber'], vippsErrorCode: null },
      ]);
      expect(calls).toBe(0);
      const capture = await api.gql(CapturePaymentDocument, { input: { reference: ours, idempotencyKey: uniqueKey('cap') } }, 'partner');
      expect(capture.data.capturePayment.errors.map((e) => e.code)).toEqual(['MERCHANT_REQUIRED']);
    });

    it('a partner key acts on both merchants when it names them', async () => {
      expect((await api.gql(PaymentDocument, { reference: ours, merchantSerialNumber: '123456' }, 'partner')).data.payment?.reference).toBe(ours);
      expect((await api.gql(PaymentDocument, { reference: theirs, merchantSerialNumber: '654321' }, 'partner')).data.payment?.reference).toBe(theirs);
      // The same reference under the other merchant is another payment: not found there.
      expect((await api.gql(PaymentDocument, { reference: ours, merchantSerialNumber: '654321' }, 'partner')).data.payment).toBeNull();

      const created = await api.gql(CreatePaymentDocument, { input: createInput({ merchantSerialNumber: '654321' }) }, 'partner');
      expect(created.data.createPayment.errors).toEqual([]);
      const reference = created.data.createPayment.payment?.reference as string;
      expect(created.data.createPayment.payment?.merchantSerialNumber).toBe('654321');
      await approve(api, reference, OTHER_MERCHANT);
      const captured = await api.gql(CapturePaymentDocument, { input: { merchantSerialNumber: '654321', reference, idempotencyKey: uniqueKey('cap') } }, 'partner');
      expect(captured.data.capturePayment.errors).toEqual([]);
      expect((await simView(api, reference, OTHER_MERCHANT)).aggregate.captured).toBe(100000);

      const ourCapture = await api.gql(CapturePaymentDocument, { input: { merchantSerialNumber: '123456', reference: ours, idempotencyKey: uniqueKey('cap'), amount: NOK(1000) } }, 'partner');
      expect(ourCapture.data.capturePayment.errors).toEqual([]);
      expect(ourCapture.data.capturePayment.payment?.aggregate.captured.value).toBe(11000);

      const list = await api.gql(PaymentsDocument, { merchantSerialNumber: '654321' }, 'partner');
      expect(list.data.payments.edges.map((e) => e.node.reference)).toEqual([reference, theirs]);
    });
  });

  describe('status tokens', () => {
    let reference: string;
    let token: string;
    beforeAll(async () => {
      const created = await createPayment(api);
      reference = created.payment.reference;
      token = created.statusToken as string;
      expect(token).toMatch(/^v1\./);
    });

    it('reads its own payment with the trusted PaymentStatus query', async () => {
      const read = await api.gql(PAYMENT_STATUS, { reference }, token);
      expect(read.data.payment).toMatchObject({ reference, state: 'CREATED', amount: { value: expect.any(Number), currency: 'NOK' } });
    });

    it('sees null for any other payment, even of the same merchant', async () => {
      expect((await api.gql(PAYMENT_STATUS, { reference: ours }, token)).data.payment).toBeNull();
    });

    it('runs nothing but the trusted documents, even reading its own payment: FORBIDDEN before validation', async () => {
      const own = await api.gql(PaymentDocument, { reference }, token);
      expect(own.status).toBe(403);
      expect(own.errors?.[0]).toMatchObject({ message: expect.stringMatching(/may only run the operations shipped for it/), extensions: { code: 'FORBIDDEN' } });
      const id = (await api.gql(PaymentDocument, { reference })).data.payment?.id as string;
      expect(code(await api.gql(NodeDocument, { id }, token))).toBe('FORBIDDEN');
      // Not even validated: a field that does not exist is refused the same way.
      expect(code(await api.gql('{ payment(reference: "x") { noSuchField } }', {}, token))).toBe('FORBIDDEN');
    });

    it('cannot list payments or mutate: FORBIDDEN', async () => {
      expect(code(await api.gql(PaymentsDocument, {}, token))).toBe('FORBIDDEN');
      const { calls, result } = await countVipps(api, () => api.gql(CancelPaymentDocument, { input: { reference, idempotencyKey: uniqueKey('cancel') } }, token));
      expect(code(result)).toBe('FORBIDDEN');
      expect(calls).toBe(0);
      expect(code(await api.gql(CreatePaymentDocument, { input: createInput() }, token))).toBe('FORBIDDEN');
      expect(code(await api.gql(CapturePaymentDocument, { input: { reference, idempotencyKey: uniqueKey('cap') } }, token))).toBe('FORBIDDEN');
      expect((await simView(api, reference)).state).toBe('CREATED');
    });
  });

  describe('node(id)', () => {
    it('returns the payment for its global id', async () => {
      const read = await api.gql(PaymentDocument, { reference: ours });
      const id = read.data.payment?.id as string;
      const node = await api.gql(NodeDocument, { id });
      expect(node.data.node).toEqual({ id, reference: ours, merchantSerialNumber: '123456', state: 'AUTHORIZED' });
    });

    it("is null for another merchant's payment, an unknown payment and a malformed id", async () => {
      const theirId = (await api.gql(PaymentDocument, { reference: theirs }, 'other')).data.payment?.id as string;
      expect((await api.gql(NodeDocument, { id: theirId }, 'other')).data.node).toMatchObject({ reference: theirs });
      expect((await api.gql(NodeDocument, { id: theirId }, 'dev')).data.node).toBeNull();
      const unknown = Buffer.from('Payment:123456:no-such-order-1').toString('base64url');
      expect((await api.gql(NodeDocument, { id: unknown })).data.node).toBeNull();
      expect((await api.gql(NodeDocument, { id: 'garbage' })).data.node).toBeNull();
    });
  });
});
