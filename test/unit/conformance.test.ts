import { checkConformance, componentSchemaErrors, conformanceViolations, type ConformanceExchange } from '../support/conformance';

function exchange(api: string, routePath: string, method: string, path: string, status: number, body: unknown): ConformanceExchange {
  return { route: { api, path: routePath }, method, path, status, body };
}

const amount = (value: number) => ({ currency: 'NOK', value });

// Built by hand from epayment-v1.yml GetPaymentResponse.
const payment = {
  aggregate: { authorizedAmount: amount(1000), cancelledAmount: amount(0), capturedAmount: amount(0), refundedAmount: amount(0) },
  amount: amount(1000),
  state: 'AUTHORIZED',
  paymentMethod: { type: 'WALLET' },
  profile: {},
  pspReference: '1234567891',
  redirectUrl: 'https://landing.vipps.no?token=abc',
  reference: 'acme-shop-123-order123abc',
};
const getPayment = (body: unknown, status = 200) =>
  exchange('epayment', '/epayment/v1/payments/:reference', 'GET', '/epayment/v1/payments/acme-shop-123-order123abc', status, body);

// Built by hand from recurring-v3.yaml AgreementResponseV3.
const agreement = {
  id: 'agr_DdLnJAF',
  uuid: '9c2ca95c-245f-4a2e-aab2-4a08eb78e6fb',
  status: 'PENDING',
  productName: 'Premier League subscription',
  pricing: { type: 'LEGACY', currency: 'NOK', amount: 49900 },
  interval: { unit: 'MONTH', count: 1, text: 'hver måned' },
  countryCode: 'NO',
  created: '2024-01-01T00:00:00Z',
  merchantAgreementUrl: 'https://example.com/my-page',
  merchantRedirectUrl: 'https://example.com/landing',
  vippsConfirmationUrl: 'https://apitest.vipps.no/v2/register/U6JUjQXq8HQmmV',
  start: null,
  stop: null,
  campaign: null,
  sub: null,
  userinfoUrl: null,
};
const getAgreement = (body: unknown, status = 200) =>
  exchange('recurring', '/recurring/v3/agreements/:agreementId', 'GET', '/recurring/v3/agreements/agr_DdLnJAF', status, body);

const charge = {
  id: 'chr-WCVbcA1',
  agreementId: 'agr_DdLnJAF',
  amount: 49900,
  currency: 'NOK',
  description: 'September',
  due: '2024-09-01T00:00:00Z',
  status: 'PENDING',
  transactionId: null,
  type: 'RECURRING',
  transactionType: 'DIRECT_CAPTURE',
  retryDays: 5,
  summary: { captured: 0, refunded: 0, cancelled: 0 },
  history: [],
};
const getCharge = (body: unknown) =>
  exchange('recurring', '/recurring/v3/agreements/:agreementId/charges/:chargeId', 'GET', '/recurring/v3/agreements/agr_DdLnJAF/charges/chr-WCVbcA1', 200, body);

describe('conformanceViolations', () => {
  it('accepts a GetPaymentResponse built from the spec, with [now] extra fields and a 64-character reference', () => {
    expect(conformanceViolations([getPayment(payment)])).toEqual([]);
    const now = { ...payment, reference: 'r'.repeat(64), captureGuaranteedUntil: '2024-01-08T00:00:00Z', userDetails: { name: 'Ada' } };
    expect(conformanceViolations([getPayment(now)])).toEqual([]);
  });

  it('reports a broken GetPaymentResponse with method, path, status and the error', () => {
    const { aggregate: _missing, ...noAggregate } = payment;
    const violations = conformanceViolations([getPayment({ ...noAggregate, state: 'CAPTURED', amount: { currency: 'NOK', value: '1000' } })]);
    expect(violations).toHaveLength(1);
    const [violation] = violations;
    expect(violation).toContain('GET /epayment/v1/payments/acme-shop-123-order123abc → 200');
    expect(violation).toContain("must have required property 'aggregate'");
    expect(violation).toContain('/state must be equal to one of the allowed values');
    expect(violation).toContain('/amount/value must be integer');
  });

  it('accepts an AgreementResponseV3 built from the spec and rejects a broken one', () => {
    expect(conformanceViolations([getAgreement(agreement)])).toEqual([]);
    expect(conformanceViolations([getAgreement({ ...agreement, countryCode: 'NO', status: 'ACTIVE', start: '2024-01-02T00:00:00Z' })])).toEqual([]);
    const [violation] = conformanceViolations([getAgreement({ ...agreement, status: 'ACCEPTED', uuid: 'not-a-uuid', productName: 'x'.repeat(46) })]);
    expect(violation).toContain('GET /recurring/v3/agreements/agr_DdLnJAF → 200');
    expect(violation).toMatch(/\/status must be equal to one of the allowed values/);
    expect(violation).toMatch(/\/uuid must/);
    expect(violation).toMatch(/\/productName must NOT have more than 45 characters/);
  });

  it('works around the Recurring charge quirks (malformed transactionId pattern, required externalId)', () => {
    expect(conformanceViolations([getCharge(charge)])).toEqual([]);
    expect(conformanceViolations([getCharge({ ...charge, status: 'CHARGED', transactionId: '5001419121', externalId: null })])).toEqual([]);
    expect(conformanceViolations([getCharge({ ...charge, transactionId: 'abc' })])).toHaveLength(1);
    // A charge created with an orderId (1–50 chars) uses it as its id.
    expect(conformanceViolations([getCharge({ ...charge, id: 'acme-shop-123-subscription-2024-09' })])).toEqual([]);
    expect(conformanceViolations([getCharge({ ...charge, id: 'x'.repeat(51) })])).toHaveLength(1);
  });

  it('checks no body on a 204, although force accept declares one', () => {
    const accept = exchange('recurring', '/recurring/v3/agreements/:agreementId/accept', 'PATCH', '/recurring/v3/agreements/agr_1/accept', 204, undefined);
    expect(checkConformance([accept])).toMatchObject({ violations: [], checked: 1 });
  });

  it('reads the capture 200 (declared application/problem+json) as a ModificationResponse', () => {
    const capture = (body: unknown) =>
      exchange('epayment', '/epayment/v1/payments/:reference/capture', 'POST', '/epayment/v1/payments/acme-shop-123/capture', 200, body);
    const { profile: _p, paymentMethod: _m, redirectUrl: _r, ...modification } = payment;
    expect(conformanceViolations([capture(modification)])).toEqual([]);
    expect(conformanceViolations([{ ...capture(modification), contentType: 'application/json; charset=utf-8' }])).toEqual([]);
    expect(conformanceViolations([capture({ ...modification, pspReference: undefined, reference: 'short' })])).toHaveLength(1);
  });

  it('validates problems, the Webhooks API with its closed schemas, receipts and the access token', () => {
    const problem = { type: 'https://developer.vippsmobilepay.com/docs/APIs/epayment-api/api-guide/errors#6080', title: 'Bad Request', detail: 'x', status: 400, traceId: 'abc', instance: '/x', extraDetails: null };
    const create = (status: number, body: unknown) => exchange('epayment', '/epayment/v1/payments', 'POST', '/epayment/v1/payments', status, body);
    expect(conformanceViolations([create(400, problem), create(201, { reference: 'acme-shop-123', redirectUrl: 'https://landing.vipps.no?token=x' })])).toEqual([]);
    expect(conformanceViolations([create(400, { title: 'Bad Request' })])).toHaveLength(1);

    const webhooks = (method: string, status: number, body: unknown) => exchange('webhooks', '/webhooks/v1/webhooks', method, '/webhooks/v1/webhooks', status, body);
    const id = '9c2ca95c-245f-4a2e-aab2-4a08eb78e6fb';
    expect(conformanceViolations([webhooks('POST', 201, { id, secret: 's' }), webhooks('GET', 200, { webhooks: [{ id, url: 'https://example.com/hook', events: ['epayments.payment.created.v1'] }] })])).toEqual([]);
    const [extra] = conformanceViolations([webhooks('GET', 200, { webhooks: [{ id, url: 'https://example.com/hook', events: [], secret: 's' }] })]);
    expect(extra).toContain('must NOT have additional properties (secret)');

    const receipt = (status: number, body: unknown) =>
      exchange('order-management', '/order-management/v2/:paymentType/receipts/:orderId', 'POST', '/order-management/v2/ecom/receipts/o-1', status, body);
    expect(conformanceViolations([receipt(201, '16328cb8-d769-4c53-90ad-e19777823f0a'), receipt(409, { ...problem, status: 409 })])).toEqual([]);
    expect(conformanceViolations([receipt(201, { id: 'x' })])).toHaveLength(1);

    const token = { token_type: 'Bearer', expires_in: '3600', ext_expires_in: '0', expires_on: '1', not_before: '0', resource: 'r', access_token: 'eyJ0.eyJz.sig-_' };
    const accessToken = (body: unknown) => exchange('token', '/accesstoken/get', 'POST', '/accesstoken/get', 200, body);
    expect(conformanceViolations([accessToken(token)])).toEqual([]);
    expect(conformanceViolations([accessToken({ ...token, expires_in: 3600 })])).toHaveLength(1);
  });

  it('skips control-API exchanges, gateway bodies, undocumented statuses and unknown operations', () => {
    const result = checkConformance([
      exchange('control', '/simulator/v1/faults', 'GET', '/simulator/v1/faults', 200, { anything: true }),
      getPayment({ statusCode: 401, message: 'Access denied due to invalid subscription key.' }, 401),
      getPayment({ type: 'about:blank' }, 404),
      exchange('epayment', '/landing/:token', 'GET', '/landing/abc', 200, '<html>'),
    ]);
    expect(result.violations).toEqual([]);
    expect(result.checked).toBe(0);
    expect(result.skipped.map((s) => s.reason)).toEqual([
      'control API (not Vipps)',
      'API gateway body',
      'epayment-v1.yml documents no 404 for GET /epayment/v1/payments/{reference}',
      'no operation for GET /landing/:token in the specs',
    ]);
  });

  it('uses the Recurring default response for its errors', () => {
    const error = { type: 'https://developer.vippsmobilepay.com/docs/APIs/recurring-api/recurring-api-problems#resource-not-found', title: 'Not Found', status: 404, detail: 'x', instance: '/x', contextId: 'c' };
    expect(conformanceViolations([getAgreement(error, 404)])).toEqual([]);
    expect(conformanceViolations([getAgreement({ ...error, status: '404' }, 404)])).toHaveLength(1);
  });

  it('validates payloads against a component schema, e.g. an ePayment webhook with a [now] 10-digit MSN', () => {
    const event = { msn: '1234567890', reference: 'acme-shop-123', pspReference: '1', name: 'AUTHORIZED', amount: amount(1), timestamp: '2023-08-14T12:48:46.260Z', idempotencyKey: null, success: true };
    expect(componentSchemaErrors('epayment-v1.yml', 'WebhookEvent', event)).toBeUndefined();
    expect(componentSchemaErrors('epayment-v1.yml', 'WebhookEvent', { ...event, name: 'epayments.payment.authorized.v1' })).toContain('/name must be equal to one of the allowed values');
    expect(() => componentSchemaErrors('epayment-v1.yml', 'NoSuchSchema', {})).toThrow('has no schema');
  });
});
