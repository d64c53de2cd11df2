import type { Charge } from '../../../src/simulator/recurring/charge';
import { MAGIC_FAILURES, advanceCharge, attemptPayment, releaseExpiredReservation, type PaymentTerms } from '../../../src/simulator/recurring/charge-processing';
import { NOW, aCharge } from './recurring-fixtures';

/** What the clock does to a charge (docs/vipps.md §10.7, §9, §14). */

const terms: PaymentTerms = { maxAmount: null, transactionId: () => '5001419121' };
const at = (date: string, time = '12:00:00') => new Date(`${date}T${time}Z`);
const advance = (charge: Charge, date: string, t: PaymentTerms = terms) => advanceCharge(charge, at(date), t);

describe('PENDING → DUE → paid', () => {
  test('PENDING stays PENDING until the due date is 30 days away, then DUE', () => {
    const charge = aCharge({ due: '2026-05-01' });
    expect(advance(charge, '2026-03-31').charge.status).toBe('PENDING');
    expect(advance(charge, '2026-04-01').charge.status).toBe('DUE');
  });

  test('DUE is processed on the due date, not before: DIRECT_CAPTURE → CHARGED, RESERVE_CAPTURE → RESERVED', () => {
    const direct = aCharge({ status: 'DUE', due: '2026-03-12' });
    expect(advance(direct, '2026-03-11').charge).toBe(direct);
    const charged = advance(direct, '2026-03-12');
    expect(charged.charge).toMatchObject({ status: 'CHARGED', transactionId: '5001419121', summary: { captured: 10000, refunded: 0, cancelled: 0 } });
    expect(charged.outcomes).toEqual([{ event: 'captured', amount: 10000 }]);
    expect(charged.charge.history).toEqual([
      { occurred: at('2026-03-12').toISOString(), event: 'CAPTURE', amount: 10000, idempotencyKey: 'chr-TEST123-agr_TEST123-ProcessPayment', success: true },
    ]);

    const reserve = advance(aCharge({ status: 'DUE', transactionType: 'RESERVE_CAPTURE' }), '2026-03-12');
    expect(reserve.charge).toMatchObject({ status: 'RESERVED', summary: { captured: 0 }, reservedAt: at('2026-03-12').getTime() });
    expect(reserve.outcomes).toEqual([{ event: 'reserved', amount: 10000 }]);
  });

  test('a PENDING charge whose due date has already come is made DUE and paid in one step', () => {
    expect(advance(aCharge({ due: '2026-03-12' }), '2026-03-12').charge.status).toBe('CHARGED');
  });

  test('INITIAL and UNSCHEDULED charges are not moved by the clock while PENDING', () => {
    expect(advance(aCharge({ type: 'INITIAL', due: '2026-03-10' }), '2026-04-10').charge.status).toBe('PENDING');
    expect(advance(aCharge({ type: 'UNSCHEDULED', due: '2026-03-10' }), '2026-04-10').charge.status).toBe('PENDING');
  });
});

describe('failures and retries', () => {
  test.each(Object.keys(MAGIC_FAILURES).map(Number))('magic amount %i fails with a spec failureReason', (amount) => {
    const failed = attemptPayment(aCharge({ status: 'DUE', amount }), NOW, terms, true).charge;
    expect(failed.status).toBe('FAILED');
    expect(['user_action_required', 'non_technical_error']).toContain(failed.failureReason);
    expect(failed.failureDescription).toBe(MAGIC_FAILURES[amount]?.description);
  });

  test('151 with retryDays 2: DUE on due, due+1; FAILED on due+2; one attempt per day', () => {
    let charge = aCharge({ status: 'DUE', amount: 151, due: '2026-03-12', retryDays: 2 });
    charge = advance(charge, '2026-03-12').charge;
    expect(charge).toMatchObject({ status: 'DUE', lastAttemptDate: '2026-03-12', failureReason: null });
    expect(advance(charge, '2026-03-12').charge).toBe(charge);
    const next = advance(charge, '2026-03-13');
    expect(next.charge.status).toBe('DUE');
    expect(next.outcomes).toEqual([]);
    const last = advance(next.charge, '2026-03-14');
    expect(last.charge).toMatchObject({ status: 'FAILED', failureReason: 'user_action_required' });
    expect(last.outcomes).toEqual([{ event: 'failed', amount: 151 }]);
    expect(last.charge.history.map((h) => `${h.event}:${h.success}`)).toEqual(['FAIL:false', 'FAIL:false', 'FAIL:false']);
  });

  test('after a clock jump past the last retry day one attempt decides', () => {
    const result = advance(aCharge({ status: 'DUE', amount: 182, due: '2026-03-12', retryDays: 5 }), '2026-04-01');
    expect(result.charge.status).toBe('FAILED');
  });

  test('retryDays 0 fails on the due date', () => {
    expect(advance(aCharge({ status: 'DUE', amount: 186, due: '2026-03-12', retryDays: 0 }), '2026-03-12').charge.status).toBe('FAILED');
  });

  test('VARIABLE: an amount above the user max fails with charge_amount_too_high', () => {
    const limited = { ...terms, maxAmount: 9999 };
    expect(advance(aCharge({ status: 'DUE', retryDays: 0 }), '2026-03-12', limited).charge.failureReason).toBe('charge_amount_too_high');
    expect(advance(aCharge({ status: 'DUE', retryDays: 0 }), '2026-03-12', { ...terms, maxAmount: 10000 }).charge.status).toBe('CHARGED');
  });
});

describe('reservation deadline', () => {
  const reservedAt = at('2026-03-12').getTime();
  const day = 86_400_000;

  test.each([
    ['NOK', 180],
    ['DKK', 14],
    ['EUR', 14],
  ] as const)('%s reservations are released after %i days', (currency, days) => {
    const charge = aCharge({ status: 'RESERVED', transactionType: 'RESERVE_CAPTURE', currency, reservedAt });
    expect(releaseExpiredReservation(charge, new Date(reservedAt + days * day - 1))).toBeNull();
    const released = releaseExpiredReservation(charge, new Date(reservedAt + days * day));
    expect(released?.charge).toMatchObject({ status: 'CANCELLED', summary: { cancelled: 10000 } });
    expect(released?.outcomes).toEqual([{ event: 'canceled', amount: 10000 }]);
  });

  test('a partly captured reservation releases only the rest and ends CHARGED', () => {
    const charge = aCharge({ status: 'PARTIALLY_CAPTURED', transactionType: 'RESERVE_CAPTURE', reservedAt, summary: { captured: 3000, refunded: 0, cancelled: 0 } });
    expect(releaseExpiredReservation(charge, new Date(reservedAt + 180 * day))?.charge).toMatchObject({ status: 'CHARGED', summary: { captured: 3000, cancelled: 7000 } });
  });

  test('charged or cancelled charges are left alone', () => {
    expect(releaseExpiredReservation(aCharge({ status: 'CHARGED', reservedAt }), new Date(reservedAt + 400 * day))).toBeNull();
  });
});
