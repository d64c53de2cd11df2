import { cancelCharge, captureCharge, refundCharge, type Charge, type ChargeStatus } from '../../../src/simulator/recurring/charge';
import { NOW, aCharge, outcome, problemOf } from './recurring-fixtures';

/** The charge transition table of docs/vipps.md §10.7: state × operation → new state and summary, or the problem. */

const op = { now: NOW, idempotencyKey: 'key-1' };
const ALL: ChargeStatus[] = ['PENDING', 'DUE', 'PROCESSING', 'RESERVED', 'CHARGED', 'PARTIALLY_CAPTURED', 'FAILED', 'CANCELLED', 'PARTIALLY_REFUNDED', 'REFUNDED'];

/** A charge of 10000 in `status`, with the money that status implies. */
function inState(status: ChargeStatus, transactionType: Charge['transactionType'] = 'RESERVE_CAPTURE'): Charge {
  const summary = { captured: 0, refunded: 0, cancelled: 0 };
  if (status === 'CHARGED') summary.captured = 10000;
  if (status === 'PARTIALLY_CAPTURED') summary.captured = 4000;
  if (status === 'PARTIALLY_REFUNDED') Object.assign(summary, { captured: 10000, refunded: 2500 });
  if (status === 'REFUNDED') Object.assign(summary, { captured: 10000, refunded: 10000 });
  if (status === 'CANCELLED') summary.cancelled = 10000;
  return aCharge({ status, transactionType, summary, reservedAt: NOW.getTime(), capturedAt: summary.captured > 0 ? NOW.getTime() : null });
}

const summarize = (c: Charge) => `${c.status} ${c.summary.captured}/${c.summary.refunded}/${c.summary.cancelled}`;
const run = (fn: () => Charge) => {
  let result = '';
  const id = outcome(() => (result = summarize(fn())));
  return id === 'ok' ? result : id;
};

describe('charge operations by state (RESERVE_CAPTURE charge of 10000)', () => {
  const table: Record<ChargeStatus, { capture1000: string; cancel: string; refund1000: string }> = {
    PENDING: { capture1000: 'charge-capture-failed', cancel: 'CANCELLED 0/0/10000', refund1000: 'operation-failed' },
    DUE: { capture1000: 'charge-capture-failed', cancel: 'CANCELLED 0/0/10000', refund1000: 'operation-failed' },
    PROCESSING: { capture1000: 'charge-capture-failed', cancel: 'cancel-charge-failed', refund1000: 'operation-failed' },
    RESERVED: { capture1000: 'PARTIALLY_CAPTURED 1000/0/0', cancel: 'CANCELLED 0/0/10000', refund1000: 'operation-failed' },
    PARTIALLY_CAPTURED: { capture1000: 'PARTIALLY_CAPTURED 5000/0/0', cancel: 'CHARGED 4000/0/6000', refund1000: 'operation-failed' },
    CHARGED: { capture1000: 'charge-capture-failed', cancel: 'cancel-charge-failed', refund1000: 'PARTIALLY_REFUNDED 10000/1000/0' },
    FAILED: { capture1000: 'charge-capture-failed', cancel: 'cancel-charge-failed', refund1000: 'operation-failed' },
    CANCELLED: { capture1000: 'charge-capture-failed', cancel: 'cancel-charge-failed', refund1000: 'operation-failed' },
    PARTIALLY_REFUNDED: { capture1000: 'charge-capture-failed', cancel: 'cancel-charge-failed', refund1000: 'PARTIALLY_REFUNDED 10000/3500/0' },
    REFUNDED: { capture1000: 'charge-capture-failed', cancel: 'cancel-charge-failed', refund1000: 'operation-failed' },
  };

  test.each(ALL)('%s', (status) => {
    const charge = inState(status);
    expect({
      capture1000: run(() => captureCharge(charge, 1000, op)),
      cancel: run(() => cancelCharge(charge, op)),
      refund1000: run(() => refundCharge(charge, 1000, op)),
    }).toEqual(table[status]);
  });

  test('refused operations name the current status in detail', () => {
    expect(problemOf(() => cancelCharge(inState('CHARGED'), op)).detail).toContain('status CHARGED');
    expect(problemOf(() => captureCharge(inState('DUE'), 100, op)).detail).toContain('status DUE');
    expect(problemOf(() => refundCharge(inState('FAILED'), 100, op)).detail).toContain('status FAILED');
  });
});

describe('money rules', () => {
  test('capture of exactly the rest → CHARGED; one more → charge-amount-too-high with the limit', () => {
    const partial = inState('PARTIALLY_CAPTURED');
    expect(summarize(captureCharge(partial, 6000, op))).toBe('CHARGED 10000/0/0');
    const refused = problemOf(() => captureCharge(partial, 6001, op));
    expect(refused.type).toMatch(/#charge-amount-too-high$/);
    expect(refused.extraDetails).toEqual([{ field: 'amount', text: 'must be at most 6000' }]);
  });

  test('a DIRECT_CAPTURE charge can never be captured', () => {
    expect(outcome(() => captureCharge(inState('RESERVED', 'DIRECT_CAPTURE'), 100, op))).toBe('charge-capture-failed');
  });

  test('refund up to captured − refunded; the rest → REFUNDED', () => {
    const partial = inState('PARTIALLY_REFUNDED');
    expect(outcome(() => refundCharge(partial, 7501, op))).toBe('charge-amount-too-high');
    expect(summarize(refundCharge(partial, 7500, op))).toBe('REFUNDED 10000/10000/0');
  });

  test('after a partial capture and release, only the captured part is refundable', () => {
    const charged = cancelCharge(inState('PARTIALLY_CAPTURED'), op);
    expect(outcome(() => refundCharge(charged, 4001, op))).toBe('charge-amount-too-high');
    expect(summarize(refundCharge(charged, 4000, op))).toBe('REFUNDED 4000/4000/6000');
  });

  test('refund magic amounts 123 and 124 fail; refunds after 365 days fail', () => {
    expect(outcome(() => refundCharge(inState('CHARGED'), 123, op))).toBe('operation-failed');
    expect(outcome(() => refundCharge(inState('CHARGED'), 124, op))).toBe('operation-failed');
    const old = { ...inState('CHARGED'), capturedAt: NOW.getTime() - 366 * 86_400_000 };
    expect(outcome(() => refundCharge(old, 1000, op))).toBe('operation-failed');
  });

  test('each operation appends one history entry with its amount and idempotency key and leaves the input untouched', () => {
    const reserved = inState('RESERVED');
    const captured = captureCharge(reserved, 2500, op);
    expect(captured.history).toEqual([{ occurred: NOW.toISOString(), event: 'CAPTURE', amount: 2500, idempotencyKey: 'key-1', success: true }]);
    expect(cancelCharge(captured, { ...op, idempotencyKey: 'key-2' }).history.at(-1)).toMatchObject({ event: 'CANCEL', amount: 7500, idempotencyKey: 'key-2' });
    expect(reserved.summary.captured).toBe(0);
    expect(reserved.history).toEqual([]);
  });
});
