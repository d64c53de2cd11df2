import type { PaymentRecord } from '../../../src/payments/payment-record';
import { progressRank, progressVersion } from '../../../src/payments/payment-version';

const at = (state: PaymentRecord['state'], authorized = 0, captured = 0, refunded = 0, cancelled = 0) =>
  ({ state, aggregate: { authorized, captured, refunded, cancelled } }) as PaymentRecord;

describe('payment progress', () => {
  it('only grows along what Vipps can do to a payment', () => {
    const path = [at('CREATED'), at('AUTHORIZED', 1000), at('AUTHORIZED', 1000, 400), at('AUTHORIZED', 1000, 400, 100), at('AUTHORIZED', 1000, 400, 100, 600)];
    const ranks = path.map(progressRank);
    expect([...ranks].sort((a, b) => a - b)).toEqual(ranks);
    expect(new Set(ranks).size).toBe(path.length);
    expect(progressRank(at('TERMINATED', 0, 0, 0, 1000))).toBeGreaterThan(progressRank(at('CREATED')));
    expect(progressRank(at('ABORTED'))).toBeGreaterThan(progressRank(at('CREATED')));
  });

  it('has a version that changes with the state or any amount', () => {
    expect(progressVersion(at('AUTHORIZED', 1000, 400))).not.toBe(progressVersion(at('AUTHORIZED', 1000, 500)));
    expect(progressVersion(at('AUTHORIZED', 1000))).toBe(progressVersion(at('AUTHORIZED', 1000)));
  });
});
