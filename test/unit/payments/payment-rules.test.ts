import type { PaymentRecord } from '../../../src/payments/payment-record';
import { availableActions, capturable, captureDeadline, paymentStatus, refundable } from '../../../src/payments/payment-rules';

function payment(over: Partial<Omit<PaymentRecord, 'aggregate'>> & { aggregate?: Partial<PaymentRecord['aggregate']> } = {}): PaymentRecord {
  return {
    merchantSerialNumber: '123456',
    reference: 'order-0001',
    pspReference: null,
    state: 'AUTHORIZED',
    amount: { value: 100000, currency: 'NOK' },
    redirectUrl: null,
    description: null,
    userFlow: 'WEB_REDIRECT',
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    authorizedAt: '2026-01-01T00:01:00.000Z',
    captureGuaranteedUntil: null,
    ...over,
    aggregate: { authorized: 100000, captured: 0, refunded: 0, cancelled: 0, ...over.aggregate },
  };
}

describe('payment rules (docs/vipps.md §8)', () => {
  test.each([
    ['authorized, nothing moved', payment(), 100000, 0, ['CAPTURE', 'CANCEL']],
    ['partly captured', payment({ aggregate: { captured: 25000 } }), 75000, 25000, ['CAPTURE', 'REFUND', 'CANCEL']],
    ['fully captured', payment({ aggregate: { captured: 100000 } }), 0, 100000, ['REFUND']],
    ['captured then rest cancelled', payment({ aggregate: { captured: 25000, cancelled: 75000 } }), 0, 25000, ['REFUND']],
    ['fully refunded', payment({ aggregate: { captured: 100000, refunded: 100000 } }), 0, 0, []],
    ['partly refunded', payment({ aggregate: { captured: 100000, refunded: 40000 } }), 0, 60000, ['REFUND']],
    ['cancelled before capture', payment({ aggregate: { cancelled: 100000 } }), 0, 0, []],
    ['created', payment({ state: 'CREATED', authorizedAt: null, aggregate: { authorized: 0 } }), 0, 0, ['CANCEL']],
    ['aborted', payment({ state: 'ABORTED', authorizedAt: null, aggregate: { authorized: 0 } }), 0, 0, []],
    ['expired', payment({ state: 'EXPIRED', authorizedAt: null, aggregate: { authorized: 0 } }), 0, 0, []],
    ['terminated', payment({ state: 'TERMINATED', authorizedAt: null, aggregate: { authorized: 0, cancelled: 100000 } }), 0, 0, []],
  ])('%s', (_name, p, expectCapturable, expectRefundable, actions) => {
    expect(capturable(p)).toBe(expectCapturable);
    expect(refundable(p)).toBe(expectRefundable);
    expect(availableActions(p, new Date('2026-01-02T00:00:00Z'))).toEqual(actions);
  });

  it('takes the capture deadline from Vipps when it reports one', () => {
    expect(captureDeadline(payment({ captureGuaranteedUntil: '2026-01-08T00:01:00.000Z' }))?.toISOString()).toBe('2026-01-08T00:01:00.000Z');
  });

  it('otherwise allows 180 days in Norway and 14 in Denmark and Finland', () => {
    expect(captureDeadline(payment())?.toISOString()).toBe('2026-06-30T00:01:00.000Z');
    expect(captureDeadline(payment({ amount: { value: 100000, currency: 'DKK' } }))?.toISOString()).toBe('2026-01-15T00:01:00.000Z');
  });

  it('stops offering a refund 365 days after the first capture', () => {
    const p = payment({ capturedAt: '2025-01-01T00:00:00.000Z', captureGuaranteedUntil: '2025-01-08T00:00:00.000Z', aggregate: { captured: 100000 } });
    expect(availableActions(p, new Date('2025-12-31T00:00:00Z'))).toEqual(['REFUND']);
    expect(availableActions(p, new Date('2026-01-01T00:00:00Z'))).toEqual([]);
  });

  it('offers neither capture nor cancel once the reservation has expired', () => {
    const p = payment({ captureGuaranteedUntil: '2026-01-08T00:00:00.000Z' });
    expect(availableActions(p, new Date('2026-01-09T00:00:00Z'))).toEqual([]);
  });
});

describe('payment status in one word', () => {
  test.each([
    ['created', payment({ state: 'CREATED', authorizedAt: null, aggregate: { authorized: 0 } }), 'CREATED'],
    ['authorized, nothing moved', payment(), 'AUTHORIZED'],
    ['partly captured', payment({ aggregate: { captured: 25000 } }), 'PARTIALLY_CAPTURED'],
    ['fully captured', payment({ aggregate: { captured: 100000 } }), 'CAPTURED'],
    ['captured then rest released', payment({ aggregate: { captured: 25000, cancelled: 75000 } }), 'CAPTURED'],
    ['partly refunded', payment({ aggregate: { captured: 100000, refunded: 40000 } }), 'PARTIALLY_REFUNDED'],
    ['all captured money refunded', payment({ aggregate: { captured: 25000, refunded: 25000 } }), 'REFUNDED'],
    ['a cancelled AUTHORIZED payment', payment({ aggregate: { cancelled: 100000 } }), 'CANCELLED'],
    ['aborted', payment({ state: 'ABORTED', authorizedAt: null, aggregate: { authorized: 0 } }), 'ABORTED'],
    ['expired', payment({ state: 'EXPIRED', authorizedAt: null, aggregate: { authorized: 0 } }), 'EXPIRED'],
    ['terminated', payment({ state: 'TERMINATED', authorizedAt: null, aggregate: { authorized: 0, cancelled: 100000 } }), 'TERMINATED'],
  ])('%s', (_name, p, status) => {
    expect(paymentStatus(p)).toBe(status);
  });
});
