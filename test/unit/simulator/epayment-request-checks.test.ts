import { SimProblem } from '../../../src/simulator/problems';
import {
  validateCancel,
  validateCreatePayment,
  validateForceApprove,
  validateIdempotencyKey,
  validateModification,
} from '../../../src/simulator/epayment/epayment-request-checks';

/** Create-payment validation with Vipps' codes (docs/vipps.md §5, §7.1); pure, no HTTP. */

const NOW = Date.UTC(2026, 0, 1);
const MIN = 60_000;
const valid = {
  amount: { currency: 'NOK', value: 1000 },
  paymentMethod: { type: 'WALLET' },
  reference: 'acme-shop-123-order123abc',
  userFlow: 'WEB_REDIRECT',
  returnUrl: 'https://shop.example/return',
};
const push = { ...valid, userFlow: 'PUSH_MESSAGE', returnUrl: undefined, customer: { phoneNumber: '4791234567' } };
const receipt = { orderLines: [], bottomLine: { currency: 'NOK' } };
const at = (ms: number) => new Date(NOW + ms).toISOString();

/** `{code}` for a coded business error, `{field}` for a validation error naming the field. */
function problemOf(run: () => unknown): { status: number; code?: string; field?: string } | 'ok' {
  try {
    run();
    return 'ok';
  } catch (error) {
    if (!(error instanceof SimProblem)) throw error;
    const body = error.response.body as { extraDetails: { name: string; reason: string }[] | null };
    const first = body.extraDetails?.[0];
    if (first?.name === 'ErrorCode') return { status: error.response.status, code: first.reason };
    return { status: error.response.status, field: first?.name ?? '' };
  }
}

type Expected = 'ok' | { code: string } | { field: string };
const cases: [string, unknown, Expected][] = [
  ['a minimal WEB_REDIRECT payment', valid, 'ok'],
  ['PUSH_MESSAGE with a phone number', push, 'ok'],
  ['the largest amount', { ...valid, amount: { currency: 'NOK', value: 65_000_000 } }, 'ok'],
  ['DKK 1 øre', { ...valid, amount: { currency: 'DKK', value: 1 } }, 'ok'],
  ['NOK 99 øre', { ...valid, amount: { currency: 'NOK', value: 99 } }, { code: '6010' }],
  ['EUR 0 cents', { ...valid, amount: { currency: 'EUR', value: 0 } }, { code: '6010' }],
  ['a decimal amount', { ...valid, amount: { currency: 'NOK', value: 100.5 } }, { code: '4040' }],
  ['a negative amount', { ...valid, amount: { currency: 'NOK', value: -1 } }, { code: '4040' }],
  ['more than 65 000 000', { ...valid, amount: { currency: 'NOK', value: 65_000_001 } }, { code: '4040' }],
  ['a string amount', { ...valid, amount: { currency: 'NOK', value: '1000' } }, { field: 'amount.value' }],
  ['a null amount value', { ...valid, amount: { currency: 'NOK', value: null } }, { field: 'amount.value' }],
  ['currency SEK', { ...valid, amount: { currency: 'SEK', value: 1000 } }, { field: 'amount.currency' }],
  ['no amount', { ...valid, amount: undefined }, { field: 'amount' }],
  ['a body that is a string', 'hello', { field: 'body' }],
  ['no body', undefined, { field: 'body' }],
  ['a 7-character reference', { ...valid, reference: 'abcdefg' }, { field: 'reference' }],
  ['a 64-character reference', { ...valid, reference: 'a'.repeat(64) }, 'ok'],
  ['a 65-character reference', { ...valid, reference: 'a'.repeat(65) }, { field: 'reference' }],
  ['a reference with an underscore', { ...valid, reference: 'order_12345' }, { field: 'reference' }],
  ['a numeric reference', { ...valid, reference: 12345678 }, { field: 'reference' }],
  ['payment method CASH', { ...valid, paymentMethod: { type: 'CASH' } }, { code: '4160' }],
  ['CARD with QR', { ...valid, userFlow: 'QR', paymentMethod: { type: 'CARD' } }, { code: '4160' }],
  ['no payment method', { ...valid, paymentMethod: undefined }, { field: 'paymentMethod' }],
  ['userFlow EMAIL', { ...valid, userFlow: 'EMAIL' }, { field: 'userFlow' }],
  ['WEB_REDIRECT without returnUrl', { ...valid, returnUrl: undefined }, { code: '4140' }],
  ['NATIVE_REDIRECT without returnUrl', { ...valid, userFlow: 'NATIVE_REDIRECT', returnUrl: undefined }, { code: '4140' }],
  ['QR without returnUrl', { ...valid, userFlow: 'QR', returnUrl: undefined }, 'ok'],
  ['an http returnUrl', { ...valid, returnUrl: 'http://shop.example/return' }, { code: '4090' }],
  ['an http://localhost returnUrl', { ...valid, returnUrl: 'http://localhost:3000/return' }, 'ok'],
  ['an http://127.0.0.1 returnUrl', { ...valid, returnUrl: 'http://127.0.0.1:8080/return' }, 'ok'],
  ['a custom-scheme returnUrl', { ...valid, returnUrl: 'myshop://order/1' }, 'ok'],
  ['a javascript: returnUrl', { ...valid, returnUrl: 'javascript:alert(1)' }, { code: '4090' }],
  ['a returnUrl that is no URL', { ...valid, returnUrl: 'not a url' }, { code: '4090' }],
  ['an http receiptUrl', { ...valid, receiptUrl: 'http://shop.example/r' }, { code: '4090' }],
  ['PUSH_MESSAGE without customer', { ...push, customer: undefined }, { code: '4140' }],
  ['a phone number with +', { ...push, customer: { phoneNumber: '+4791234567' } }, { code: '4070' }],
  ['a 9-digit phone number', { ...push, customer: { phoneNumber: '479123456' } }, { code: '4070' }],
  ['a 16-digit phone number', { ...push, customer: { phoneNumber: '4'.repeat(16) } }, { code: '4070' }],
  ['a personal QR', { ...push, customer: { personalQr: 'https://qr.vipps.no/p/abc' } }, 'ok'],
  ['a 4-character personal QR', { ...push, customer: { personalQr: 'abcd' } }, { code: '4060' }],
  ['an empty customer token', { ...push, customer: { customerToken: '' } }, { code: '4050' }],
  ['phone number and customer token', { ...push, customer: { phoneNumber: '4791234567', customerToken: 't' } }, { field: 'customer' }],
  ['an empty customer', { ...push, customer: {} }, { field: 'customer' }],
  ['a 2-character description', { ...valid, paymentDescription: 'ab' }, { field: 'paymentDescription' }],
  ['a 100-character description', { ...valid, paymentDescription: 'x'.repeat(100) }, 'ok'],
  ['a 101-character description', { ...valid, paymentDescription: 'x'.repeat(101) }, { field: 'paymentDescription' }],
  ['five metadata pairs', { ...valid, metadata: { a: '1', b: '2', c: '3', d: '4', e: '5' } }, 'ok'],
  ['six metadata pairs', { ...valid, metadata: { a: '1', b: '2', c: '3', d: '4', e: '5', f: '6' } }, { code: '4100' }],
  ['metadata keys equal but for case', { ...valid, metadata: { key: '1', KEY: '2' } }, { code: '4110' }],
  ['a 101-character metadata key', { ...valid, metadata: { ['k'.repeat(101)]: 'v' } }, { code: '4120' }],
  ['a 501-character metadata value', { ...valid, metadata: { k: 'v'.repeat(501) } }, { code: '4130' }],
  ['a numeric metadata value', { ...valid, metadata: { k: 1 } }, { field: 'metadata.k' }],
  ['qrFormat with QR', { ...valid, userFlow: 'QR', qrFormat: { format: 'IMAGE/PNG', size: 500 } }, 'ok'],
  ['qrFormat with WEB_REDIRECT', { ...valid, qrFormat: { format: 'IMAGE/PNG' } }, { field: 'qrFormat' }],
  ['qrFormat size 99', { ...valid, userFlow: 'QR', qrFormat: { format: 'IMAGE/PNG', size: 99 } }, { field: 'qrFormat.size' }],
  ['expiresAt in 11 minutes with receipt', { ...push, expiresAt: at(11 * MIN), receipt }, 'ok'],
  ['expiresAt in 60 days with receipt (QR)', { ...valid, userFlow: 'QR', expiresAt: at(60 * 24 * 60 * MIN), receipt }, 'ok'],
  ['expiresAt in 10 minutes', { ...push, expiresAt: at(10 * MIN), receipt }, { code: '6120' }],
  ['expiresAt in 60 days and a second', { ...push, expiresAt: at(60 * 24 * 60 * MIN + 1000), receipt }, { code: '6110' }],
  ['expiresAt without receipt', { ...push, expiresAt: at(11 * MIN) }, { code: '6130' }],
  ['expiresAt with WEB_REDIRECT', { ...valid, expiresAt: at(11 * MIN), receipt }, { field: 'expiresAt' }],
  ['expiresAt that is no date', { ...push, expiresAt: 'tomorrow', receipt }, { field: 'expiresAt' }],
  ['customerInteraction PRESENT', { ...valid, customerInteraction: 'CUSTOMER_PRESENT' }, 'ok'],
  ['customerInteraction MAYBE', { ...valid, customerInteraction: 'MAYBE' }, { field: 'customerInteraction' }],
];

describe('validateCreatePayment', () => {
  test.each(cases)('%s → %j', (_name, body, expected) => {
    const result = problemOf(() => validateCreatePayment(body, NOW));
    expect(result).toEqual(expected === 'ok' ? 'ok' : { status: 400, ...expected });
  });

  test('keeps what the payment needs and drops what it does not', () => {
    const input = validateCreatePayment({ ...push, expiresAt: at(20 * MIN), receipt, metadata: { a: 'b' }, paymentDescription: 'Tea' }, NOW);
    expect(input).toEqual({
      reference: push.reference,
      amount: { currency: 'NOK', value: 1000 },
      paymentMethod: 'WALLET',
      userFlow: 'PUSH_MESSAGE',
      description: 'Tea',
      metadata: { a: 'b' },
      expiresAtMs: NOW + 20 * MIN,
    });
  });
});

describe('other request validation', () => {
  test.each([
    [{ modificationAmount: { currency: 'NOK', value: 100 } }, 'ok'],
    [{ modificationAmount: { currency: 'NOK', value: 1.5 } }, { code: '4040' }],
    [{ modificationAmount: { currency: 'NOK', value: '100' } }, { field: 'modificationAmount.value' }],
    [{ amount: { currency: 'NOK', value: 100 } }, { field: 'modificationAmount' }],
    [undefined, { field: 'body' }],
  ] as [unknown, Expected][])('modification body %j → %j', (body, expected) => {
    expect(problemOf(() => validateModification(body))).toEqual(expected === 'ok' ? 'ok' : { status: 400, ...expected });
  });

  test('cancel: no body, null flag or a boolean', () => {
    expect(validateCancel(undefined)).toBe(false);
    expect(validateCancel({})).toBe(false);
    expect(validateCancel({ cancelTransactionOnly: true })).toBe(true);
    expect(problemOf(() => validateCancel({ cancelTransactionOnly: 'true' }))).toEqual({ status: 400, field: 'cancelTransactionOnly' });
  });

  test('force approve: customer phone number or token', () => {
    expect(validateForceApprove({ customer: { phoneNumber: '4791234567' } })).toEqual({ phoneNumber: '4791234567' });
    expect(validateForceApprove({ token: 'abc' })).toEqual({ token: 'abc' });
    expect(problemOf(() => validateForceApprove({ customer: { phoneNumber: '12' } }))).toEqual({ status: 400, code: '4070' });
    expect(problemOf(() => validateForceApprove({}))).toEqual({ status: 400, field: 'customer' });
  });

  test("force approve with a customer ignores the token: Vipps' ePayment collection sends an unfilled one", () => {
    const body = { customer: { phoneNumber: '4791234567' }, token: '<This value will be overwritten on each initiate payment in eCommerce API.>' };
    expect(validateForceApprove(body)).toEqual({ phoneNumber: '4791234567' });
  });

  test('Idempotency-Key: required, at most 50 characters', () => {
    expect(validateIdempotencyKey('k'.repeat(50))).toBe('k'.repeat(50));
    expect(problemOf(() => validateIdempotencyKey(undefined))).toEqual({ status: 400, code: '4140' });
    expect(problemOf(() => validateIdempotencyKey(' '))).toEqual({ status: 400, code: '4140' });
    expect(problemOf(() => validateIdempotencyKey('k'.repeat(51)))).toEqual({ status: 400, field: 'Idempotency-Key' });
  });
});
