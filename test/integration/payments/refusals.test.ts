import { redisKeys } from '../../../src/redis/keys';
import {
  CancelPaymentDocument,
  CapturePaymentDocument,
  CreatePaymentDocument,
  RefundPaymentDocument,
  type CreatePaymentInput,
  type ErrorCode,
  type UserErrorFieldsFragment,
} from '../../generated/graphql';
import { startTestApi, type TestApi } from '../../support/api';
import { expectEventually } from '../../support/eventually';
import { authorizedPayment, countVipps, createInput, createPayment, dropCached, NOK, simView, uniqueKey } from './payment-support';

/**
 * Every refused operation ends as a typed UserError (code, sentence, field) and moves nothing:
 * the simulator's aggregate and event log are unchanged and no modification reaches Vipps. Bad
 * input is refused before Vipps is called at all.
 */
describe('refused payment operations through /graphql', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(async () => {
    await api.close();
  });

  const modifications = () => api.sim.sim.ctx.requests.filter((r) => r.method === 'POST' && /^\/epayment\/v1\/payments\/[^/]+\/(capture|refund|cancel)$/.test(r.path)).length;
  const creates = () => api.sim.sim.ctx.requests.filter((r) => r.method === 'POST' && r.path === '/epayment/v1/payments').length;
  const err = (code: ErrorCode, message: string, field: string[] | null = null, vippsErrorCode: string | null = null): UserErrorFieldsFragment => ({ code, message, field, vippsErrorCode });

  type Op = 'capture' | 'refund' | 'cancel';
  /** Runs one modification, asserts its single UserError, and that Vipps holds the same as before. */
  async function refused(op: Op, input: Record<string, unknown> & { reference: string }, expected: UserErrorFieldsFragment, exists = true) {
    const before = exists ? await simView(api, input.reference) : null;
    const mods = modifications();
    const full = { idempotencyKey: uniqueKey(op), ...input };
    let errors: readonly UserErrorFieldsFragment[];
    if (op === 'capture') errors = (await api.gql(CapturePaymentDocument, { input: full })).data.capturePayment.errors;
    else if (op === 'refund') errors = (await api.gql(RefundPaymentDocument, { input: full })).data.refundPayment.errors;
    else errors = (await api.gql(CancelPaymentDocument, { input: full })).data.cancelPayment.errors;
    expect(errors).toEqual([expected]);
    expect(modifications()).toBe(mods);
    if (before) expect(await simView(api, input.reference)).toEqual(before);
  }

  describe('capture', () => {
    it('before the customer approved: NOT_AUTHORIZED_YET', async () => {
      const { payment } = await createPayment(api);
      await refused('capture', { reference: payment.reference, amount: NOK(1000) }, err('NOT_AUTHORIZED_YET', `The customer has not approved payment ${payment.reference} yet, so there is nothing to capture.`, ['input', 'amount']));
    });

    it('more than was reserved: CAPTURE_AMOUNT_TOO_HIGH with the amounts', async () => {
      const reference = await authorizedPayment(api, 100000);
      await refused('capture', { reference, amount: NOK(100001) }, err('CAPTURE_AMOUNT_TOO_HIGH', 'You can capture at most 1000.00 NOK.', ['input', 'amount']));
      await api.gql(CapturePaymentDocument, { input: { reference, idempotencyKey: uniqueKey('cap'), amount: NOK(25000) } });
      await refused('capture', { reference, amount: NOK(80000) }, err('CAPTURE_AMOUNT_TOO_HIGH', 'You can capture at most 750.00 NOK: 250.00 NOK of 1000.00 NOK is already captured.', ['input', 'amount']));
    });

    it('after a full capture: ALREADY_CAPTURED', async () => {
      const reference = await authorizedPayment(api, 20000);
      await api.gql(CapturePaymentDocument, { input: { reference, idempotencyKey: uniqueKey('cap') } });
      await refused('capture', { reference, amount: NOK(100) }, err('ALREADY_CAPTURED', `Payment ${reference} is already fully captured.`, ['input', 'amount']));
      await refused('capture', { reference }, err('ALREADY_CAPTURED', `Payment ${reference} is already fully captured.`, ['input', 'amount']));
    });

    it('after a cancel: ALREADY_CANCELLED', async () => {
      const reference = await authorizedPayment(api, 20000);
      await api.gql(CapturePaymentDocument, { input: { reference, idempotencyKey: uniqueKey('cap'), amount: NOK(5000) } });
      await api.gql(CancelPaymentDocument, { input: { reference, idempotencyKey: uniqueKey('cancel') } });
      await refused('capture', { reference, amount: NOK(1000) }, err('ALREADY_CANCELLED', `The rest of payment ${reference} was cancelled, so nothing is left to capture.`, ['input', 'amount']));
    });

    it('in another currency: INVALID_CURRENCY', async () => {
      const reference = await authorizedPayment(api, 20000);
      await refused('capture', { reference, amount: { value: 1000, currency: 'EUR' } }, err('INVALID_CURRENCY', `Payment ${reference} is in NOK, not EUR.`, ['input', 'amount', 'currency']));
    });

    it('of zero or a negative amount: INVALID_AMOUNT', async () => {
      const reference = await authorizedPayment(api, 20000);
      const message = 'The amount must be a whole number of øre or cents, greater than zero.';
      await refused('capture', { reference, amount: NOK(0) }, err('INVALID_AMOUNT', message, ['input', 'amount']));
      await refused('capture', { reference, amount: NOK(-500) }, err('INVALID_AMOUNT', message, ['input', 'amount']));
    });
  });

  describe('refund', () => {
    it('before anything was captured: REFUND_BEFORE_CAPTURE', async () => {
      const reference = await authorizedPayment(api, 20000);
      await refused('refund', { reference, amount: NOK(1000) }, err('REFUND_BEFORE_CAPTURE', `Nothing can be refunded on payment ${reference}: no money has been captured.`, ['input', 'amount']));
    });

    it('more than was captured: REFUND_AMOUNT_TOO_HIGH with the amounts', async () => {
      const reference = await authorizedPayment(api, 100000);
      await api.gql(CapturePaymentDocument, { input: { reference, idempotencyKey: uniqueKey('cap'), amount: NOK(30000) } });
      await refused('refund', { reference, amount: NOK(40000) }, err('REFUND_AMOUNT_TOO_HIGH', 'You can refund at most 300.00 NOK, the amount captured.', ['input', 'amount']));
      await api.gql(RefundPaymentDocument, { input: { reference, idempotencyKey: uniqueKey('ref'), amount: NOK(10000) } });
      await refused('refund', { reference, amount: NOK(25000) }, err('REFUND_AMOUNT_TOO_HIGH', 'You can refund at most 200.00 NOK: 100.00 NOK of 300.00 NOK captured is already refunded.', ['input', 'amount']));
    });

    it('after a full refund: ALREADY_REFUNDED', async () => {
      const reference = await authorizedPayment(api, 20000);
      await api.gql(CapturePaymentDocument, { input: { reference, idempotencyKey: uniqueKey('cap') } });
      await api.gql(RefundPaymentDocument, { input: { reference, idempotencyKey: uniqueKey('ref') } });
      await refused('refund', { reference }, err('ALREADY_REFUNDED', `Payment ${reference} is already fully refunded.`, ['input', 'amount']));
    });

    it('in another currency: INVALID_CURRENCY', async () => {
      const reference = await authorizedPayment(api, 20000);
      await api.gql(CapturePaymentDocument, { input: { reference, idempotencyKey: uniqueKey('cap') } });
      await refused('refund', { reference, amount: { value: 1000, currency: 'DKK' } }, err('INVALID_CURRENCY', `Payment ${reference} is in NOK, not DKK.`, ['input', 'amount', 'currency']));
    });
  });

  describe('cancel', () => {
    it('after a full capture: ALREADY_CAPTURED, refund instead', async () => {
      const reference = await authorizedPayment(api, 20000);
      await api.gql(CapturePaymentDocument, { input: { reference, idempotencyKey: uniqueKey('cap') } });
      await refused('cancel', { reference }, err('ALREADY_CAPTURED', `Payment ${reference} is fully captured, so it cannot be cancelled. Refund it instead.`));
    });

    it('onlyIfNotApproved on an approved payment: ALREADY_AUTHORIZED', async () => {
      const reference = await authorizedPayment(api, 20000);
      await refused('cancel', { reference, onlyIfNotApproved: true }, err('ALREADY_AUTHORIZED', `The customer has already approved payment ${reference}, so it was not cancelled.`));
    });

    it('twice: ALREADY_CANCELLED', async () => {
      const reference = await authorizedPayment(api, 20000);
      await api.gql(CancelPaymentDocument, { input: { reference, idempotencyKey: uniqueKey('cancel') } });
      await refused('cancel', { reference }, err('ALREADY_CANCELLED', `Payment ${reference} is already cancelled.`));
    });
  });

  describe('operations on payments that ended without approval', () => {
    async function aborted(): Promise<string> {
      await api.sim.control('PUT', '/behaviour', { autoApproveAfterMs: 0, userAction: 'REJECT' });
      try {
        const { payment } = await createPayment(api);
        await expectEventually(async () => expect((await simView(api, payment.reference)).state).toBe('ABORTED'));
        return payment.reference;
      } finally {
        await api.sim.control('PUT', '/behaviour', { autoApproveAfterMs: null, userAction: 'APPROVE' });
      }
    }

    async function expired(): Promise<string> {
      const { payment } = await createPayment(api);
      await api.sim.control('POST', '/clock/advance', { seconds: 601 });
      expect((await simView(api, payment.reference)).state).toBe('EXPIRED');
      return payment.reference;
    }

    async function terminated(): Promise<string> {
      const { payment } = await createPayment(api);
      await api.gql(CancelPaymentDocument, { input: { reference: payment.reference, idempotencyKey: uniqueKey('cancel') } });
      return payment.reference;
    }

    it.each([
      ['ABORTED', aborted],
      ['EXPIRED', expired],
      ['TERMINATED', terminated],
    ] as const)('%s: capture, refund and cancel are refused', async (state, make) => {
      const reference = await make();
      await dropCached(api, reference);
      const word = state.toLowerCase();
      await refused('capture', { reference, amount: NOK(1000) }, err('CAPTURE_NOT_ALLOWED', `Payment ${reference} is ${word}, so it cannot be captured.`, ['input', 'amount']));
      await refused('capture', { reference }, err('CAPTURE_NOT_ALLOWED', `Payment ${reference} is ${word}, so it cannot be captured.`, ['input', 'amount']));
      await refused('refund', { reference, amount: NOK(1000) }, err('REFUND_BEFORE_CAPTURE', `Nothing can be refunded on payment ${reference}: no money has been captured.`, ['input', 'amount']));
      await refused('cancel', { reference }, err('CANCEL_NOT_ALLOWED', `Payment ${reference} is ${word}, so there is nothing to cancel.`));
    });
  });

  describe('unknown payments and references', () => {
    it('an unknown reference: NOT_FOUND for capture, refund and cancel', async () => {
      const reference = 'no-such-order-123';
      for (const op of ['capture', 'refund', 'cancel'] as const) {
        await refused(op, { reference }, err('NOT_FOUND', `Payment ${reference} was not found.`, ['input', 'reference']), false);
      }
    });

    it('a malformed reference: INVALID_INPUT before Vipps is called', async () => {
      for (const op of ['capture', 'refund', 'cancel'] as const) {
        const { calls } = await countVipps(api, () =>
          refused(op, { reference: 'bad ref!' }, err('INVALID_INPUT', 'The reference must be 8 to 64 characters: letters, digits and hyphens only, like acme-shop-123-order123abc.', ['input', 'reference']), false),
        );
        expect(calls).toBe(0);
      }
    });

    it('a reference that exists, with a new key: REFERENCE_ALREADY_EXISTS from Vipps', async () => {
      const { payment } = await createPayment(api);
      const before = creates();
      const result = await api.gql(CreatePaymentDocument, { input: createInput({ reference: payment.reference }) });
      expect(result.data.createPayment.errors).toEqual([
        err('REFERENCE_ALREADY_EXISTS', `A payment with reference ${payment.reference} already exists. Use a new reference.`, ['input', 'reference'], '4150'),
      ]);
      expect(result.data.createPayment.statusToken).toBeNull();
      expect(creates()).toBe(before + 1);
      expect((await simView(api, payment.reference)).events).toHaveLength(1);
    });
  });

  describe('bad createPayment input, refused before Vipps is called', () => {
    const cases: [string, Partial<CreatePaymentInput>, UserErrorFieldsFragment][] = [
      ['amount 0', { amount: NOK(0) }, err('INVALID_AMOUNT', 'The amount must be a whole number of øre or cents, greater than zero.', ['input', 'amount', 'value'])],
      ['a negative amount', { amount: NOK(-100) }, err('INVALID_AMOUNT', 'The amount must be a whole number of øre or cents, greater than zero.', ['input', 'amount', 'value'])],
      ['an amount below 1 NOK', { amount: NOK(99) }, err('AMOUNT_TOO_SMALL', 'The smallest amount Vipps accepts is 1.00 NOK.', ['input', 'amount', 'value'])],
      ['an amount above the maximum', { amount: NOK(65_000_001) }, err('AMOUNT_TOO_HIGH', 'The largest amount Vipps accepts is 650000.00 NOK.', ['input', 'amount', 'value'])],
      ['a short reference', { reference: 'abc-12' }, err('INVALID_INPUT', 'The reference must be 8 to 64 characters: letters, digits and hyphens only, like acme-shop-123-order123abc.', ['input', 'reference'])],
      ['a reference with other characters', { reference: 'order_2024/17' }, err('INVALID_INPUT', 'The reference must be 8 to 64 characters: letters, digits and hyphens only, like acme-shop-123-order123abc.', ['input', 'reference'])],
      ['a reference of 65 characters', { reference: 'a'.repeat(65) }, err('INVALID_INPUT', 'The reference must be 8 to 64 characters: letters, digits and hyphens only, like acme-shop-123-order123abc.', ['input', 'reference'])],
      ['a phone number with letters', { customerPhoneNumber: '47abc45678' }, err('INVALID_PHONE_NUMBER', 'The phone number must be country code and number, digits only, like 4791234567.', ['input', 'customerPhoneNumber'])],
      ['a phone number with a plus', { customerPhoneNumber: '+4791234567' }, err('INVALID_PHONE_NUMBER', 'The phone number must be country code and number, digits only, like 4791234567.', ['input', 'customerPhoneNumber'])],
      ['an http return URL', { returnUrl: 'http://shop.example/back' }, err('INVALID_URL', 'The return URL must be an https:// address or an app link.', ['input', 'returnUrl'])],
      ['a javascript: return URL', { returnUrl: 'javascript:alert(1)' }, err('INVALID_URL', 'The return URL must be an https:// address or an app link.', ['input', 'returnUrl'])],
      ['a return URL that is no URL', { returnUrl: 'not a url' }, err('INVALID_URL', 'The return URL must be an https:// address or an app link.', ['input', 'returnUrl'])],
      ['WEB_REDIRECT without a return URL', { returnUrl: null }, err('INVALID_URL', 'This payment flow needs a return URL to send the customer back to.', ['input', 'returnUrl'])],
      ['NATIVE_REDIRECT without a return URL', { userFlow: 'NATIVE_REDIRECT', returnUrl: null }, err('INVALID_URL', 'This payment flow needs a return URL to send the customer back to.', ['input', 'returnUrl'])],
      ['PUSH_MESSAGE without a phone number', { userFlow: 'PUSH_MESSAGE', returnUrl: null }, err('INVALID_INPUT', "A push-message payment needs the customer's phone number.", ['input', 'customerPhoneNumber'])],
      ['a description of 2 characters', { description: 'ab' }, err('INVALID_INPUT', 'The description must be 3 to 100 characters.', ['input', 'description'])],
      ['a description of 101 characters', { description: 'x'.repeat(101) }, err('INVALID_INPUT', 'The description must be 3 to 100 characters.', ['input', 'description'])],
      ['an expiry on a redirect payment', { expiresAt: new Date(Date.now() + 3_600_000).toISOString() }, err('INVALID_EXPIRY', 'Only push-message and QR payments can have an expiry time.', ['input', 'expiresAt'])],
      ['an expiry 5 minutes ahead', { userFlow: 'QR', returnUrl: null, expiresAt: new Date(Date.now() + 300_000).toISOString() }, err('INVALID_EXPIRY', 'The expiry time must be more than 10 minutes from now.', ['input', 'expiresAt'])],
      ['an expiry without a receipt', { userFlow: 'QR', returnUrl: null, expiresAt: new Date(Date.now() + 3_600_000).toISOString() }, err('RECEIPT_REQUIRED', 'A payment with an expiry time needs a receipt.', ['input', 'receipt'])],
      ['an empty idempotency key', { idempotencyKey: '' }, err('INVALID_INPUT', 'The idempotency key must be 1 to 40 characters: letters, digits and . _ : = + - only.', ['input', 'idempotencyKey'])],
      ['an idempotency key with a space', { idempotencyKey: 'key with space' }, err('INVALID_INPUT', 'The idempotency key must be 1 to 40 characters: letters, digits and . _ : = + - only.', ['input', 'idempotencyKey'])],
      ['an idempotency key of 41 characters', { idempotencyKey: 'k'.repeat(41) }, err('INVALID_INPUT', 'The idempotency key must be 1 to 40 characters: letters, digits and . _ : = + - only.', ['input', 'idempotencyKey'])],
    ];

    it.each(cases)('%s', async (_name, overrides, expected) => {
      const { calls, result } = await countVipps(api, () => api.gql(CreatePaymentDocument, { input: createInput(overrides) }));
      expect(result.errors).toBeUndefined();
      expect(result.data.createPayment).toEqual({ payment: null, redirectUrl: null, statusToken: null, errors: [expected] });
      expect(calls).toBe(0);
    });

    it('a bad idempotency key on capture, refund and cancel', async () => {
      const reference = await authorizedPayment(api, 10000);
      for (const op of ['capture', 'refund', 'cancel'] as const) {
        const { calls } = await countVipps(api, () =>
          refused(op, { reference, idempotencyKey: 'no/slashes' }, err('INVALID_INPUT', 'The idempotency key must be 1 to 40 characters: letters, digits and . _ : = + - only.', ['input', 'idempotencyKey'])),
        );
        expect(calls).toBe(4); // only simView's own two reads, before and after
      }
    });

    it('a malformed amount never reaches a resolver: GraphQL validation', async () => {
      const { calls, result } = await countVipps(api, () => api.gql(CreatePaymentDocument, { input: { ...createInput(), amount: { value: 10.5, currency: 'NOK' } } }));
      expect(result.status).toBe(400);
      expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(calls).toBe(0);
    });
  });

  describe('refusals only Vipps knows: the Vipps code is mapped', () => {
    const forgetLedger = (key: string) => api.redis.del(redisKeys(api.config.redis.prefix).idempotency('123456', key));

    it('a capture key reused with another amount after our ledger lost it: Vipps 4010', async () => {
      const reference = await authorizedPayment(api, 100000);
      const idempotencyKey = uniqueKey('cap');
      await api.gql(CapturePaymentDocument, { input: { reference, idempotencyKey, amount: NOK(10000) } });
      await forgetLedger(idempotencyKey);
      const before = await simView(api, reference);
      const result = await api.gql(CapturePaymentDocument, { input: { reference, idempotencyKey, amount: NOK(20000) } });
      expect(result.data.capturePayment.errors).toEqual([
        err('IDEMPOTENCY_CONFLICT', 'This idempotency key was already used for a capture with a different amount. Use a new key for a new capture.', null, '4010'),
      ]);
      expect(await simView(api, reference)).toEqual(before);
    });

    it('a refund key reused with another amount after our ledger lost it: Vipps 4150 is a key conflict here', async () => {
      const reference = await authorizedPayment(api, 100000);
      await api.gql(CapturePaymentDocument, { input: { reference, idempotencyKey: uniqueKey('cap') } });
      const idempotencyKey = uniqueKey('ref');
      await api.gql(RefundPaymentDocument, { input: { reference, idempotencyKey, amount: NOK(1000) } });
      await forgetLedger(idempotencyKey);
      const before = await simView(api, reference);
      const result = await api.gql(RefundPaymentDocument, { input: { reference, idempotencyKey, amount: NOK(2000) } });
      expect(result.data.refundPayment.errors).toEqual([
        err('IDEMPOTENCY_CONFLICT', 'This idempotency key was already used for a refund with a different amount. Use a new key for a new refund.', null, '4150'),
      ]);
      expect(await simView(api, reference)).toEqual(before);
    });

    // Vipps scopes keys per operation, so the clash it reports as 4020 is one capture key on two payments.
    it("a capture key reused for another payment's capture after our ledger lost it: Vipps 4020", async () => {
      const first = await authorizedPayment(api, 100000);
      const reference = await authorizedPayment(api, 100000);
      const idempotencyKey = uniqueKey('op');
      await api.gql(CapturePaymentDocument, { input: { reference: first, idempotencyKey, amount: NOK(10000) } });
      await forgetLedger(idempotencyKey);
      const before = await simView(api, reference);
      const result = await api.gql(CapturePaymentDocument, { input: { reference, idempotencyKey, amount: NOK(10000) } });
      expect(result.data.capturePayment.errors).toEqual([
        err('IDEMPOTENCY_CONFLICT', 'This idempotency key was already used for another operation. Use a new key for a new operation.', null, '4020'),
      ]);
      expect(await simView(api, reference)).toEqual(before);
    });

    it('a replay after our ledger lost it is answered by Vipps idempotency: captured once', async () => {
      const reference = await authorizedPayment(api, 100000);
      const input = { reference, idempotencyKey: uniqueKey('cap'), amount: NOK(10000) };
      const first = await api.gql(CapturePaymentDocument, { input });
      await forgetLedger(input.idempotencyKey);
      const again = await api.gql(CapturePaymentDocument, { input });
      expect(again.data.capturePayment.errors).toEqual([]);
      expect(again.data.capturePayment.payment?.aggregate).toEqual(first.data.capturePayment.payment?.aggregate);
      const sim = await simView(api, reference);
      expect(sim.events.filter((e) => e.name === 'CAPTURED')).toHaveLength(1);
    });
  });
});
