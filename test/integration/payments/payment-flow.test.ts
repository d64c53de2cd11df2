import { startTestApi, type TestApi } from '../../support/api';

const CREATE = `mutation($input: CreatePaymentInput!) {
  createPayment(input: $input) { payment { reference state } redirectUrl statusToken errors { code message field } }
}`;
const CAPTURE = `mutation($input: CapturePaymentInput!) {
  capturePayment(input: $input) { payment { state capturable { value } aggregate { captured { value } } } errors { code message } }
}`;
const PAYMENT = `query($reference: String!) { payment(reference: $reference) { state capturable { value } refundable { value } availableActions } }`;

describe('payment flow through /graphql', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(async () => {
    await api.close();
  });

  it('creates, is approved in the simulator, and captures part of the amount', async () => {
    const created = await api.gql(CREATE, {
      input: { idempotencyKey: 'flow-1', reference: 'flow-test-0001', amount: { value: 100000, currency: 'NOK' }, userFlow: 'WEB_REDIRECT', returnUrl: 'https://shop.example/back' },
    });
    expect(created.data.createPayment.errors).toEqual([]);
    expect(created.data.createPayment.payment).toEqual({ reference: 'flow-test-0001', state: 'CREATED' });
    expect(created.data.createPayment.redirectUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/landing\?token=/);

    const approved = await api.sim.call('POST', '/epayment/v1/test/payments/flow-test-0001/approve', { body: { customer: { phoneNumber: '4791234567' } } });
    expect(approved.status).toBe(200);

    const captured = await api.gql(CAPTURE, { input: { reference: 'flow-test-0001', idempotencyKey: 'flow-1-cap', amount: { value: 25000, currency: 'NOK' } } });
    expect(captured.data.capturePayment).toEqual({ payment: { state: 'AUTHORIZED', capturable: { value: 75000 }, aggregate: { captured: { value: 25000 } } }, errors: [] });

    const read = await api.gql(PAYMENT, { reference: 'flow-test-0001' });
    expect(read.data.payment).toEqual({ state: 'AUTHORIZED', capturable: { value: 75000 }, refundable: { value: 25000 }, availableActions: ['CAPTURE', 'REFUND', 'CANCEL'] });
  });

  it('refuses a capture above what is left with the amounts in the message', async () => {
    const result = await api.gql(CAPTURE, { input: { reference: 'flow-test-0001', idempotencyKey: 'flow-1-cap-2', amount: { value: 80000, currency: 'NOK' } } });
    expect(result.data.capturePayment.errors).toEqual([
      { code: 'CAPTURE_AMOUNT_TOO_HIGH', message: 'You can capture at most 750.00 NOK: 250.00 NOK of 1000.00 NOK is already captured.' },
    ]);
  });
});
