import { ErrorCode, UserFacingError } from '../../../src/common/error-code';
import type { PaymentRecord } from '../../../src/payments/payment-record';
import { checkCancel, checkCapture, checkCreatePayment, checkRefund, isReturnUrl, type CreatePaymentCheck } from '../../../src/payments/payment-validation';

const valid: CreatePaymentCheck = {
  amount: { value: 49900, currency: 'NOK' },
  reference: 'acme-shop-123-order1',
  userFlow: 'WEB_REDIRECT',
  returnUrl: 'https://shop.example/return',
  description: 'Two books',
  hasReceipt: false,
};

function codeOf(run: () => unknown): ErrorCode | 'ok' {
  try {
    run();
    return 'ok';
  } catch (error) {
    if (error instanceof UserFacingError) return error.error.code;
    throw error;
  }
}

const inAnHour = new Date(Date.now() + 3600_000);

describe('createPayment checks made before Vipps is called', () => {
  test.each<[string, Partial<CreatePaymentCheck>, ErrorCode | 'ok']>([
    ['a valid payment', {}, 'ok'],
    ['zero', { amount: { value: 0, currency: 'NOK' } }, ErrorCode.INVALID_AMOUNT],
    ['negative', { amount: { value: -100, currency: 'NOK' } }, ErrorCode.INVALID_AMOUNT],
    ['a fraction', { amount: { value: 10.5, currency: 'NOK' } }, ErrorCode.INVALID_AMOUNT],
    ['below NOK 1.00', { amount: { value: 99, currency: 'NOK' } }, ErrorCode.AMOUNT_TOO_SMALL],
    ['one cent in EUR', { amount: { value: 1, currency: 'EUR' } }, 'ok'],
    ['above the maximum', { amount: { value: 65_000_001, currency: 'NOK' } }, ErrorCode.AMOUNT_TOO_HIGH],
    ['a short reference', { reference: 'abc' }, ErrorCode.INVALID_INPUT],
    ['a reference with a space', { reference: 'order 12345' }, ErrorCode.INVALID_INPUT],
    ['a reference of 65 characters', { reference: 'a'.repeat(65) }, ErrorCode.INVALID_INPUT],
    ['no reference (generated)', { reference: null }, 'ok'],
    ['a phone number with +', { phoneNumber: '+4791234567' }, ErrorCode.INVALID_PHONE_NUMBER],
    ['push without phone', { userFlow: 'PUSH_MESSAGE', returnUrl: null }, ErrorCode.INVALID_INPUT],
    ['push with phone', { userFlow: 'PUSH_MESSAGE', returnUrl: null, phoneNumber: '4791234567' }, 'ok'],
    ['web redirect without return URL', { returnUrl: null }, ErrorCode.INVALID_URL],
    ['a javascript: return URL', { returnUrl: 'javascript:alert(1)' }, ErrorCode.INVALID_URL],
    ['an http return URL on the internet', { returnUrl: 'http://shop.example/return' }, ErrorCode.INVALID_URL],
    ['an app link', { returnUrl: 'myshop://order/1' }, 'ok'],
    ['a two-letter description', { description: 'ab' }, ErrorCode.INVALID_INPUT],
    ['expiry on a web redirect', { expiresAt: inAnHour, hasReceipt: true }, ErrorCode.INVALID_EXPIRY],
    ['expiry too soon', { userFlow: 'QR', returnUrl: null, expiresAt: new Date(Date.now() + 60_000), hasReceipt: true }, ErrorCode.INVALID_EXPIRY],
    ['expiry without receipt', { userFlow: 'QR', returnUrl: null, expiresAt: inAnHour }, ErrorCode.RECEIPT_REQUIRED],
    ['a long-living QR payment', { userFlow: 'QR', returnUrl: null, expiresAt: inAnHour, hasReceipt: true }, 'ok'],
  ])('%s', (_name, change, expected) => {
    expect(codeOf(() => checkCreatePayment({ ...valid, ...change }))).toBe(expected);
  });

  it('accepts localhost return URLs for development only over http', () => {
    expect(isReturnUrl('http://localhost:3000/back')).toBe(true);
    expect(isReturnUrl('not a url')).toBe(false);
  });
});

const authorized = (aggregate: Partial<PaymentRecord['aggregate']> = {}): PaymentRecord => ({
  merchantSerialNumber: '123456',
  reference: 'order-0001',
  pspReference: null,
  state: 'AUTHORIZED',
  amount: { value: 100000, currency: 'NOK' },
  aggregate: { authorized: 100000, captured: 0, refunded: 0, cancelled: 0, ...aggregate },
  redirectUrl: null,
  description: null,
  userFlow: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  authorizedAt: null,
  captureGuaranteedUntil: null,
});
const nok = (value: number) => ({ value, currency: 'NOK' });

describe('money checks on a payment', () => {
  it('captures the remainder when no amount is given', () => {
    expect(checkCapture(authorized({ captured: 30000 }), null)).toBe(70000);
  });

  it('explains an over-capture with the amounts', () => {
    try {
      checkCapture(authorized({ captured: 75000 }), nok(50000));
      throw new Error('expected a refusal');
    } catch (error) {
      expect((error as UserFacingError).error).toMatchObject({
        code: ErrorCode.CAPTURE_AMOUNT_TOO_HIGH,
        message: 'You can capture at most 250.00 NOK: 750.00 NOK of 1000.00 NOK is already captured.',
      });
    }
  });

  test.each<[string, () => unknown, ErrorCode]>([
    ['capture before approval', () => checkCapture({ ...authorized({ authorized: 0 }), state: 'CREATED' }, null), ErrorCode.NOT_AUTHORIZED_YET],
    ['capture after full capture', () => checkCapture(authorized({ captured: 100000 }), null), ErrorCode.ALREADY_CAPTURED],
    ['capture after cancel', () => checkCapture(authorized({ cancelled: 100000 }), null), ErrorCode.ALREADY_CANCELLED],
    ['capture in the wrong currency', () => checkCapture(authorized(), { value: 100, currency: 'EUR' }), ErrorCode.INVALID_CURRENCY],
    ['capture of an expired payment', () => checkCapture({ ...authorized({ authorized: 0 }), state: 'EXPIRED' }, null), ErrorCode.CAPTURE_NOT_ALLOWED],
    ['refund before capture', () => checkRefund(authorized(), null), ErrorCode.REFUND_BEFORE_CAPTURE],
    ['refund above captured', () => checkRefund(authorized({ captured: 10000 }), nok(10001)), ErrorCode.REFUND_AMOUNT_TOO_HIGH],
    ['refund after full refund', () => checkRefund(authorized({ captured: 10000, refunded: 10000 }), null), ErrorCode.ALREADY_REFUNDED],
    ['refund 366 days after the capture', () => checkRefund({ ...authorized({ captured: 10000 }), capturedAt: '2025-01-01T00:00:00.000Z' }, null, new Date('2026-01-02T00:00:00Z')), ErrorCode.REFUND_PERIOD_EXPIRED],
    ['cancel a fully captured payment', () => checkCancel(authorized({ captured: 100000 }), false), ErrorCode.ALREADY_CAPTURED],
    ['cancel twice', () => checkCancel(authorized({ captured: 1000, cancelled: 99000 }), false), ErrorCode.ALREADY_CANCELLED],
    ['cancel only-if-not-approved on an approved payment', () => checkCancel(authorized(), true), ErrorCode.ALREADY_AUTHORIZED],
    ['cancel an aborted payment', () => checkCancel({ ...authorized({ authorized: 0 }), state: 'ABORTED' }, false), ErrorCode.CANCEL_NOT_ALLOWED],
  ])('%s', (_name, run, expected) => {
    expect(codeOf(run)).toBe(expected);
  });
});

it('allows a refund 364 days after the capture', () => {
  const p = { ...authorized({ captured: 10000 }), capturedAt: '2025-01-01T00:00:00.000Z' };
  expect(checkRefund(p, null, new Date('2025-12-31T00:00:00Z'))).toBe(10000);
});
