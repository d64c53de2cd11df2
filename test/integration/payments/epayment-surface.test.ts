import { startTestApi, type TestApi } from '../../support/api';
import { authorizedPayment, createInput, dropCached, NOK, uniqueKey } from './payment-support';

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
      const eventReads = () => api.sim.sim.ctx.requests.filter((r) => r.method === 'GET' && r.path === `/epayment/v1/payments/${reference}/events`).length;
      await dropCached(api, reference);
      expect((await api.gql(PAYMENT, { reference })).data.payment.availableActions).toEqual(['REFUND']);
      expect(eventReads()).toBe(1);
      // The capture time is kept in the registry: a later read from Vipps does not read the event log again.
      await dropCached(api, reference);
      expect((await api.gql(PAYMENT, { reference })).data.payment.availableActions).toEqual(['REFUND']);
      expect(eventReads()).toBe(1);
      const res = await api.gql(REFUND, { input: { reference, idempotencyKey: uniqueKey('ref') } });
      expect(res.data.refundPayment).toEqual({ payment: { status: 'REFUNDED' }, errors: [] });
    });
  });

  describe('createPayment: paymentMethod, metadata, minimumUserAge, qrFormat', () => {
    const CREATE = `mutation ($input: CreatePaymentInput!) { createPayment(input: $input) {
      payment { reference userFlow paymentMethod metadata { key value } qrCodeUrl redirectUrl }
      errors { code message field vippsErrorCode } } }`;
    const READ = 'query ($reference: String!) { payment(reference: $reference) { paymentMethod metadata { key value } qrCodeUrl } }';
    const creates = () => api.sim.sim.ctx.requests.filter((r) => r.method === 'POST' && r.path === '/epayment/v1/payments').length;
    const create = async (overrides: Record<string, unknown>) => (await api.gql(CREATE, { input: { ...createInput(), ...overrides } })).data.createPayment;
    const cards = (cardPayments: boolean) => api.sim.control('PUT', '/merchants/123456/settings', { cardPayments });

    it('makes a CARD payment when the merchant may take cards, and reads it back from Vipps', async () => {
      await cards(true);
      const { payment, errors } = await create({ paymentMethod: 'CARD' });
      expect(errors).toEqual([]);
      expect(payment.paymentMethod).toBe('CARD');
      await dropCached(api, payment.reference);
      expect((await api.gql(READ, { reference: payment.reference })).data.payment.paymentMethod).toBe('CARD');
    });

    it("refuses CARD with a sentence naming the field when the merchant may not take cards (Vipps' 4160)", async () => {
      await cards(false);
      try {
        const result = await create({ paymentMethod: 'CARD' });
        expect(result).toEqual({
          payment: null,
          errors: [
            {
              code: 'FEATURE_NOT_ENABLED',
              message: 'Vipps refused the payment method: this merchant may not take card payments. Use WALLET, or ask Vipps to enable cards.',
              field: ['input', 'paymentMethod'],
              vippsErrorCode: '4160',
            },
          ],
        });
        expect((await create({})).errors).toEqual([]);
      } finally {
        await cards(true);
      }
    });

    it('refuses CARD outside WEB_REDIRECT before calling Vipps', async () => {
      const before = creates();
      const result = await create({ paymentMethod: 'CARD', userFlow: 'QR', returnUrl: null });
      expect(result.errors).toEqual([
        { code: 'INVALID_INPUT', message: 'A card payment (paymentMethod CARD) is only possible with userFlow WEB_REDIRECT.', field: ['input', 'paymentMethod'], vippsErrorCode: null },
      ]);
      expect(creates()).toBe(before);
    });

    it('sends metadata, which Vipps keeps and the payment shows', async () => {
      const metadata = [{ key: 'orderId', value: 'A-1001' }, { key: 'channel', value: 'web' }];
      const { payment, errors } = await create({ metadata });
      expect(errors).toEqual([]);
      expect(payment.metadata).toEqual(metadata);
      await dropCached(api, payment.reference);
      expect((await api.gql(READ, { reference: payment.reference })).data.payment.metadata).toEqual(metadata);
    });

    test.each([
      ['six entries', { metadata: Array.from({ length: 6 }, (_, i) => ({ key: `k${i}`, value: 'v' })) }, 'A payment can carry at most 5 metadata entries.', ['input', 'metadata']],
      ['a key twice', { metadata: [{ key: 'ab', value: '1' }, { key: 'AB', value: '2' }] }, 'The metadata key AB appears twice.', ['input', 'metadata']],
      ['a long value', { metadata: [{ key: 'note', value: 'x'.repeat(501) }] }, 'The metadata value of note is longer than 500 characters.', ['input', 'metadata']],
      ['an age of 0', { minimumUserAge: 0 }, 'The minimum user age must be a whole number of years from 1 to 120.', ['input', 'minimumUserAge']],
      ['a QR format on a redirect payment', { qrFormat: { format: 'IMAGE_PNG' } }, 'A QR format can only be given with userFlow QR.', ['input', 'qrFormat']],
      ['a size for SVG', { userFlow: 'QR', returnUrl: null, qrFormat: { format: 'IMAGE_SVG', size: 300 } }, 'A QR size can only be given for a PNG image.', ['input', 'qrFormat', 'size']],
    ])('refuses %s before calling Vipps', async (_name, overrides, message, field) => {
      const before = creates();
      expect((await create(overrides)).errors).toEqual([{ code: 'INVALID_INPUT', message, field, vippsErrorCode: null }]);
      expect(creates()).toBe(before);
    });

    it('accepts a minimum user age', async () => {
      expect((await create({ minimumUserAge: 18 })).errors).toEqual([]);
    });

    it('gives a QR payment its image: SVG by default, PNG of the asked size, or the URL to encode', async () => {
      const svg = await create({ userFlow: 'QR', returnUrl: null });
      expect(svg.payment.qrCodeUrl).toMatch(/\/qr-image\/v1\?token=.+&format=svg$/);
      const svgImage = await fetch(svg.payment.qrCodeUrl);
      expect(svgImage.headers.get('content-type')).toBe('image/svg+xml');
      expect(await svgImage.text()).toMatch(/^<svg /);

      const png = await create({ userFlow: 'QR', returnUrl: null, qrFormat: { format: 'IMAGE_PNG', size: 300 } });
      const pngImage = await fetch(png.payment.qrCodeUrl);
      expect(pngImage.headers.get('content-type')).toBe('image/png');
      const bytes = Buffer.from(await pngImage.arrayBuffer());
      expect(bytes.subarray(1, 4).toString('ascii')).toBe('PNG');
      expect([bytes.readUInt32BE(16), bytes.readUInt32BE(20)]).toEqual([300, 300]);

      const text = await create({ userFlow: 'QR', returnUrl: null, qrFormat: { format: 'TEXT_TARGETURL' } });
      expect(text.payment.qrCodeUrl).toMatch(/\/landing\?token=/);
      expect((await fetch(text.payment.qrCodeUrl)).status).toBe(200);

      const redirect = await create({});
      expect(redirect.payment.qrCodeUrl).toBeNull();
    });
  });

  describe('forceApprovePayment (test only)', () => {
    const FORCE = `mutation ($input: ForceApprovePaymentInput!) { forceApprovePayment(input: $input) {
      payment { state status } errors { code message field vippsErrorCode } } }`;

    it("approves with the payment's own token, or as the test user by phone number, and audits it", async () => {
      const byToken = (await api.gql('mutation ($input: CreatePaymentInput!) { createPayment(input: $input) { payment { reference } } }', { input: createInput() })).data.createPayment.payment.reference;
      expect((await api.gql(FORCE, { input: { reference: byToken } })).data.forceApprovePayment).toEqual({ payment: { state: 'AUTHORIZED', status: 'AUTHORIZED' }, errors: [] });

      const byPhone = (await api.gql('mutation ($input: CreatePaymentInput!) { createPayment(input: $input) { payment { reference } } }', { input: createInput() })).data.createPayment.payment.reference;
      expect((await api.gql(FORCE, { input: { reference: byPhone, phoneNumber: '4791234567' } })).data.forceApprovePayment.payment).toEqual({ state: 'AUTHORIZED', status: 'AUTHORIZED' });

      const audit = await api.gql('query ($reference: String!) { payment(reference: $reference) { reference } auditLog(reference: $reference) { edges { node { operation outcome actor } } } }', { reference: byPhone });
      expect(audit.errors).toBeUndefined();
      expect(audit.data.auditLog.edges.map((e: { node: unknown }) => e.node)).toContainEqual({ operation: 'forceApprovePayment', outcome: 'OK', actor: 'dev' });
    });

    it('refuses a payment that is already approved, with a sentence', async () => {
      const reference = await authorizedPayment(api);
      expect((await api.gql(FORCE, { input: { reference } })).data.forceApprovePayment.errors).toEqual([
        { code: 'ALREADY_AUTHORIZED', message: `Payment ${reference} is authorized, so there is nothing to approve.`, field: ['input', 'reference'], vippsErrorCode: null },
      ]);
    });
  });

  describe('receipts: a line without a tax rate', () => {
    const RECEIPT = 'mutation ($input: AddPaymentReceiptInput!) { addPaymentReceipt(input: $input) { errors { code message field vippsErrorCode } } }';
    const receiptCalls = () => api.sim.sim.ctx.requests.filter((r) => r.path.startsWith('/order-management/')).length;
    const line = (taxRate: number | null) => ({ name: 'Ticket', id: 'T-1', totalAmount: 100000, totalAmountExcludingTax: 80000, totalTaxAmount: 20000, ...(taxRate === null ? {} : { taxRate }) });
    const refusal = (field: string[]) => ({
      code: 'INVALID_INPUT',
      message: 'Receipt line 2 (Ticket) needs a taxRate: the tax rate in hundredths of a percent, like 2500 for 25%, or 0 for no tax.',
      field,
      vippsErrorCode: null,
    });

    it('is refused on addPaymentReceipt with a sentence naming the field, before calling Vipps', async () => {
      const reference = await authorizedPayment(api);
      const before = receiptCalls();
      const refused = await api.gql(RECEIPT, { input: { reference, receipt: { currency: 'NOK', orderLines: [line(2500), line(null)] } } });
      expect(refused.data.addPaymentReceipt.errors).toEqual([refusal(['input', 'receipt', 'orderLines', '1', 'taxRate'])]);
      expect(receiptCalls()).toBe(before);
      const sent = await api.gql(RECEIPT, { input: { reference, receipt: { currency: 'NOK', orderLines: [line(2500), line(0)] } } });
      expect(sent.data.addPaymentReceipt.errors).toEqual([]);
      expect(receiptCalls()).toBe(before + 1);
    });

    it('is refused on createPayment the same way', async () => {
      const creates = api.sim.sim.ctx.requests.filter((r) => r.path === '/epayment/v1/payments').length;
      const res = await api.gql('mutation ($input: CreatePaymentInput!) { createPayment(input: $input) { payment { reference } errors { code message field vippsErrorCode } } }', {
        input: createInput({ receipt: { currency: 'NOK', orderLines: [line(2500), line(null)] } }),
      });
      expect(res.data.createPayment).toEqual({ payment: null, errors: [refusal(['input', 'receipt', 'orderLines', '1', 'taxRate'])] });
      expect(api.sim.sim.ctx.requests.filter((r) => r.path === '/epayment/v1/payments').length).toBe(creates);
    });
  });

  describe('profile sharing', () => {
    const CREATE = 'mutation ($input: CreatePaymentInput!) { createPayment(input: $input) { payment { reference sub } errors { code } } }';
    const FORCE = 'mutation ($input: ForceApprovePaymentInput!) { forceApprovePayment(input: $input) { payment { state sub } errors { code } } }';

    it("asks for profile.scope and shows the customer's sub once approved, which Vipps' userinfo answers for", async () => {
      const created = (await api.gql(CREATE, { input: { ...createInput(), profileScope: ['NAME', 'PHONE_NUMBER'] } })).data.createPayment;
      expect(created).toMatchObject({ payment: { sub: null }, errors: [] });
      const approved = (await api.gql(FORCE, { input: { reference: created.payment.reference, phoneNumber: '4791234567' } })).data.forceApprovePayment;
      expect(approved.payment.state).toBe('AUTHORIZED');
      expect(approved.payment.sub).toEqual(expect.any(String));
      const info = await api.sim.call('GET', `/vipps-userinfo-api/userinfo/${approved.payment.sub}`);
      expect(info.status).toBe(200);
      expect(Object.keys(info.body)).toEqual(expect.arrayContaining(['sub', 'name', 'phone_number']));
    });

    it('has no sub when no profile was asked for', async () => {
      const created = (await api.gql(CREATE, { input: createInput() })).data.createPayment;
      const approved = (await api.gql(FORCE, { input: { reference: created.payment.reference } })).data.forceApprovePayment;
      expect(approved.payment).toEqual({ state: 'AUTHORIZED', sub: null });
    });
  });
});

describe('forceApprovePayment in production', () => {
  it('is refused with a sentence before calling Vipps', async () => {
    const api = await startTestApi({ VIPPS_ENV: 'production', SIGNING_SECRET: 'test-signing-secret-test-signing-secret' });
    try {
      const calls = api.vippsCalls();
      const res = await api.gql('mutation ($input: ForceApprovePaymentInput!) { forceApprovePayment(input: $input) { payment { state } errors { code message } } }', { input: { reference: 'order-prod-0001' } });
      expect(res.data.forceApprovePayment).toEqual({
        payment: null,
        errors: [{ code: 'FEATURE_NOT_ENABLED', message: "Force approve is a test tool: it works only against the simulator and Vipps' test environment, not in production." }],
      });
      expect(api.vippsCalls()).toBe(calls);
    } finally {
      await api.close();
    }
  });
});
