import type { MerchantConfig } from '../../../src/config/config';
import { SIMULATOR_MERCHANT } from '../../../src/config/config';
import { conformanceViolations } from '../../support/conformance';
import { startTestSimulator, type CallResult, type TestSimulator } from '../../support/simulator';
import { PAYMENTS, authorized, create, createBody, errorCode, modify, snapshot } from './epayment-support';

/**
 * Bad requests get Vipps' status and code (or the field named in a validation problem) and leave
 * both GET payment and GET events exactly as they were.
 */

const OTHER: MerchantConfig = { msn: '654321', clientId: 'other-id', clientSecret: 'other-secret', subscriptionKey: 'other-key' };
let t: TestSimulator;
/** AUTHORIZED 1000 NOK with 300 captured. */
let partly: string;
/** CREATED. */
let fresh: string;
const NEW_REF = 'never-created-1';

beforeAll(async () => {
  t = await startTestSimulator([SIMULATOR_MERCHANT, OTHER]);
  partly = await authorized(t);
  await modify(t, partly, 'capture', 300, `cap-${partly}`);
  fresh = await create(t);
  // A capture whose key the wrong-reuse case below borrows.
  await modify(t, partly, 'capture', 100, 'reused-key-1');
});
afterAll(async () => {
  await t.close();
});

type Target = 'partly' | 'fresh' | 'new';
interface Case {
  name: string;
  target: Target;
  send: (reference: string) => Promise<CallResult>;
  status: number;
  code?: string;
  field?: string;
}

const post = (path: string, body: unknown, key: string | undefined = `bad-${Math.random()}`) =>
  t.call('POST', path, { body, ...(key ? { idempotencyKey: key } : {}) });
const createWith = (overrides: Record<string, unknown>) => (ref: string) => post(PAYMENTS, createBody(ref, overrides));
const capture = (value: unknown, currency = 'NOK') => (ref: string) => post(`${PAYMENTS}/${ref}/capture`, { modificationAmount: { currency, value } });
const refund = (value: unknown) => (ref: string) => post(`${PAYMENTS}/${ref}/refund`, { modificationAmount: { currency: 'NOK', value } });

/** A request with a valid token but another Merchant-Serial-Number header. */
async function withMsnHeader(ref: string, msn: string | undefined): Promise<CallResult> {
  const headers: Record<string, string> = {
    Authorization: `Bearer ${await t.token()}`,
    'Ocp-Apim-Subscription-Key': SIMULATOR_MERCHANT.subscriptionKey,
    'Content-Type': 'application/json',
    'Idempotency-Key': `msn-${Math.random()}`,
  };
  if (msn !== undefined) headers['Merchant-Serial-Number'] = msn;
  const res = await fetch(`${t.url}${PAYMENTS}/${ref}/capture`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ modificationAmount: { currency: 'NOK', value: 100 } }),
  });
  return { status: res.status, body: await res.json(), headers: res.headers };
}

const cases: Case[] = [
  { name: 'create: amount value as a string', target: 'new', send: createWith({ amount: { currency: 'NOK', value: '1000' } }), status: 400, field: 'amount.value' },
  { name: 'create: amount value as a float', target: 'new', send: createWith({ amount: { currency: 'NOK', value: 10.5 } }), status: 400, code: '4040' },
  { name: 'create: negative amount', target: 'new', send: createWith({ amount: { currency: 'NOK', value: -100 } }), status: 400, code: '4040' },
  { name: 'create: amount above 65 000 000', target: 'new', send: createWith({ amount: { currency: 'NOK', value: 65_000_001 } }), status: 400, code: '4040' },
  { name: 'create: NOK below 100 øre', target: 'new', send: createWith({ amount: { currency: 'NOK', value: 99 } }), status: 400, code: '6010' },
  { name: 'create: unknown currency', target: 'new', send: createWith({ amount: { currency: 'SEK', value: 1000 } }), status: 400, field: 'amount.currency' },
  { name: 'create: amount missing', target: 'new', send: createWith({ amount: undefined }), status: 400, field: 'amount' },
  { name: 'create: reference too short', target: 'new', send: (ref) => post(PAYMENTS, createBody('short', { reference: 'short' }), `k-${ref}`), status: 400, field: 'reference' },
  { name: 'create: reference with a slash', target: 'new', send: () => post(PAYMENTS, createBody('bad/reference-1')), status: 400, field: 'reference' },
  { name: 'create: unknown userFlow', target: 'new', send: createWith({ userFlow: 'SMS' }), status: 400, field: 'userFlow' },
  { name: 'create: unknown payment method', target: 'new', send: createWith({ paymentMethod: { type: 'CASH' } }), status: 400, code: '4160' },
  { name: 'create: WEB_REDIRECT without returnUrl', target: 'new', send: createWith({ returnUrl: undefined }), status: 400, code: '4140' },
  { name: 'create: plain http returnUrl', target: 'new', send: createWith({ returnUrl: 'http://shop.example/return' }), status: 400, code: '4090' },
  { name: 'create: bad phone number', target: 'new', send: createWith({ customer: { phoneNumber: '+47 912' } }), status: 400, code: '4070' },
  { name: 'create: two customer identifiers', target: 'new', send: createWith({ customer: { phoneNumber: '4791234567', customerToken: 'x' } }), status: 400, field: 'customer' },
  { name: 'create: PUSH_MESSAGE without customer', target: 'new', send: createWith({ userFlow: 'PUSH_MESSAGE' }), status: 400, code: '4140' },
  { name: 'create: six metadata pairs', target: 'new', send: createWith({ metadata: { a: '1', b: '2', c: '3', d: '4', e: '5', f: '6' } }), status: 400, code: '4100' },
  { name: 'create: body is an array', target: 'new', send: () => post(PAYMENTS, [1, 2]), status: 400, field: 'body' },
  { name: 'create: missing Idempotency-Key', target: 'new', send: (ref) => post(PAYMENTS, createBody(ref), ''), status: 400, code: '4140' },
  { name: 'create: Idempotency-Key of 51 characters', target: 'new', send: (ref) => post(PAYMENTS, createBody(ref), 'k'.repeat(51)), status: 400, field: 'Idempotency-Key' },
  { name: 'create: malformed JSON', target: 'new', send: () => t.call('POST', PAYMENTS, { rawBody: '{"amount": {', idempotencyKey: 'malformed-1' }), status: 400 },
  { name: 'create: duplicate reference', target: 'fresh', send: (ref) => post(PAYMENTS, createBody(ref)), status: 409, code: '4150' },
  { name: 'capture: more than remains', target: 'partly', send: capture(601), status: 400, code: '6090' },
  { name: 'capture: float amount', target: 'partly', send: capture(10.5), status: 400, code: '4040' },
  { name: 'capture: amount as a string', target: 'partly', send: capture('100'), status: 400, field: 'modificationAmount.value' },
  { name: 'capture: zero', target: 'partly', send: capture(0), status: 400, code: '4040' },
  { name: 'capture: other currency', target: 'partly', send: capture(100, 'DKK'), status: 400, code: '4040' },
  { name: 'capture: no body', target: 'partly', send: (ref) => t.call('POST', `${PAYMENTS}/${ref}/capture`, { idempotencyKey: `nobody-${ref}` }), status: 400, field: 'body' },
  { name: 'capture: malformed JSON', target: 'partly', send: (ref) => t.call('POST', `${PAYMENTS}/${ref}/capture`, { rawBody: '{"modificationAmount":', idempotencyKey: `mal-${ref}` }), status: 400 },
  { name: 'capture: missing Idempotency-Key', target: 'partly', send: (ref) => post(`${PAYMENTS}/${ref}/capture`, { modificationAmount: { currency: 'NOK', value: 100 } }, ''), status: 400, code: '4140' },
  { name: 'capture: before authorization', target: 'fresh', send: capture(100), status: 400, code: '6080' },
  { name: 'capture: key reused with another amount', target: 'partly', send: (ref) => post(`${PAYMENTS}/${ref}/capture`, { modificationAmount: { currency: 'NOK', value: 50 } }, 'reused-key-1'), status: 409, code: '4010' },
  { name: 'refund: before capture', target: 'fresh', send: refund(100), status: 400, code: '6020' },
  { name: 'refund: more than captured', target: 'partly', send: refund(401), status: 400, code: '6150' },
  { name: 'cancel: cancelTransactionOnly on AUTHORIZED', target: 'partly', send: (ref) => post(`${PAYMENTS}/${ref}/cancel`, { cancelTransactionOnly: true }), status: 400, code: '6060' },
  { name: 'cancel: cancelTransactionOnly not a boolean', target: 'fresh', send: (ref) => post(`${PAYMENTS}/${ref}/cancel`, { cancelTransactionOnly: 'yes' }), status: 400, field: 'cancelTransactionOnly' },
  { name: 'cancel: missing Idempotency-Key', target: 'fresh', send: (ref) => post(`${PAYMENTS}/${ref}/cancel`, undefined, ''), status: 400, code: '4140' },
  { name: 'approve: already authorized', target: 'partly', send: (ref) => post(`/epayment/v1/test/payments/${ref}/approve`, { customer: { phoneNumber: '4791234567' } }), status: 400, code: '10020' },
  { name: 'approve: no customer or token', target: 'fresh', send: (ref) => post(`/epayment/v1/test/payments/${ref}/approve`, {}), status: 400, field: 'customer' },
  { name: 'capture: unknown MSN header', target: 'partly', send: (ref) => withMsnHeader(ref, '999999'), status: 403 },
  { name: 'capture: no MSN header', target: 'partly', send: (ref) => withMsnHeader(ref, undefined), status: 400, code: '4140' },
  { name: 'capture: no credentials', target: 'partly', send: (ref) => t.call('POST', `${PAYMENTS}/${ref}/capture`, { anonymous: true, body: {} }), status: 401 },
  { name: 'capture: another merchant\'s payment', target: 'partly', send: (ref) => t.call('POST', `${PAYMENTS}/${ref}/capture`, { merchant: OTHER, body: { modificationAmount: { currency: 'NOK', value: 100 } }, idempotencyKey: 'other-1' }), status: 404, code: '5090' },
  { name: 'get: another merchant\'s payment', target: 'partly', send: (ref) => t.call('GET', `${PAYMENTS}/${ref}`, { merchant: OTHER }), status: 404, code: '5090' },
  { name: 'get events: unknown reference', target: 'new', send: (ref) => t.call('GET', `${PAYMENTS}/${ref}/events`), status: 404, code: '5090' },
];

describe('ePayment bad input', () => {
  test.each(cases)('$name → $status $code', async ({ target, send, status, code, field }) => {
    const reference = target === 'partly' ? partly : target === 'fresh' ? fresh : NEW_REF;
    const before = await snapshot(t, reference);
    const res = await send(reference);
    expect(res.status).toBe(status);
    if (status !== 401 && status !== 403) {
      expect(res.body).toMatchObject({ status, title: expect.any(String), type: expect.any(String), traceId: expect.any(String) });
    }
    if (code) expect(errorCode(res)).toBe(code);
    if (field) expect(res.body.extraDetails).toEqual(expect.arrayContaining([expect.objectContaining({ name: field })]));
    expect(await snapshot(t, reference)).toEqual(before);
  });

  test('the unknown reference is still unknown and the shared payments unchanged in total', async () => {
    expect((await t.call('GET', `${PAYMENTS}/${NEW_REF}`)).status).toBe(404);
    const body = (await t.call('GET', `${PAYMENTS}/${partly}`)).body;
    expect(body.aggregate).toMatchObject({ capturedAmount: { value: 400 }, refundedAmount: { value: 0 }, cancelledAmount: { value: 0 } });
    expect((await t.call('GET', `${PAYMENTS}/${fresh}`)).body.state).toBe('CREATED');
  });

  test('every response so far conforms to epayment-v1.yml', () => {
    expect(t.exchanges.length).toBeGreaterThan(0);
    expect(conformanceViolations(t.exchanges)).toEqual([]);
  });
});
