import { tokenCacheTtlSeconds } from '../../../src/vipps/access-token';
import { vippsPath } from '../../../src/vipps/transport';

describe('vippsPath', () => {
  it('encodes every interpolated value, and only those', () => {
    expect(vippsPath`/epayment/v1/payments/${'a/b?c#d e'}/capture`.encoded).toBe('/epayment/v1/payments/a%2Fb%3Fc%23d%20e/capture');
    expect(vippsPath`/recurring/v3/agreements/${'agr_1'}/charges/${'chr-2'}`.encoded).toBe('/recurring/v3/agreements/agr_1/charges/chr-2');
    expect(vippsPath`/order-management/v2/${'ECOM'}/receipts/${'../x'}`.encoded).toBe('/order-management/v2/ECOM/receipts/..%2Fx');
  });

  it('keeps the endpoint template, the same whatever the values (a metric label, never a reference)', () => {
    const capture = (reference: string) => vippsPath`/epayment/v1/payments/${reference}/capture`;
    expect(capture('order-1').endpoint).toBe('/epayment/v1/payments/{id}/capture');
    expect(capture('order-2').endpoint).toBe('/epayment/v1/payments/{id}/capture');
    expect(vippsPath`/recurring/v3/agreements/${'agr_1'}/charges/${'chr-2'}`.endpoint).toBe('/recurring/v3/agreements/{id}/charges/{id}');
    expect(vippsPath`/epayment/v1/payments`).toEqual({ encoded: '/epayment/v1/payments', endpoint: '/epayment/v1/payments' });
  });
});

describe('tokenCacheTtlSeconds', () => {
  it.each([
    [3600, 3300], // test env: 10 % = 6 min > 5 min → minus 5 min
    [86398, 86098], // production: minus 5 min
    [600, 540], // short token: minus 10 %
    [0, 0],
    [Number.NaN, 0],
  ])('expires_in %d → cached %d s', (expiresIn, ttl) => {
    expect(tokenCacheTtlSeconds(expiresIn)).toBe(ttl);
  });
});
