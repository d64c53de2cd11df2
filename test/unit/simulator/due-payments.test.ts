import { DueQueue } from '../../../src/simulator/due-queue';
import { approve, capture, createPayment, type OpContext, type OpOutcome, type Payment } from '../../../src/simulator/epayment/payment';
import { clockDueAtMs, PaymentStore } from '../../../src/simulator/epayment/payment-store';

/** The simulator's clock visits only what is due: the due queue and the store's index over it. */

const T0 = Date.UTC(2026, 0, 1);
const MINUTE = 60_000;
const DAY = 86_400_000;
let psp = 2_000_000_000;
const op = (nowMs = T0): OpContext => ({ nowMs, idempotencyKey: 'key', newPspReference: () => String(psp++) });

function ok(outcome: OpOutcome): Payment {
  if (!outcome.ok) throw new Error(`refused ${outcome.code}`);
  return outcome.payment;
}

function created(reference: string, expiresAtMs?: number): Payment {
  return createPayment(
    { msn: '123456', reference, amount: { currency: 'NOK', value: 1000 }, paymentMethod: 'WALLET', userFlow: 'WEB_REDIRECT', token: `tok-${reference}`, ...(expiresAtMs ? { expiresAtMs } : {}) },
    op(),
  ).payment;
}

describe('DueQueue', () => {
  it('gives back the keys due by a time, earliest first, and keeps the rest', () => {
    const queue = new DueQueue();
    const times = [50, 10, 40, 30, 20, 60, 10, 70, 5];
    times.forEach((at, i) => queue.push(at, `k${i}:${at}`));
    expect(queue.popDue(4)).toEqual([]);
    const due = queue.popDue(40);
    expect(due.map((k) => Number(k.split(':')[1]))).toEqual([5, 10, 10, 20, 30, 40]);
    expect(queue.size).toBe(3);
    expect(queue.popDue(1000).map((k) => Number(k.split(':')[1]))).toEqual([50, 60, 70]);
    expect(queue.size).toBe(0);
  });

  it('orders many random times like a sort does', () => {
    const queue = new DueQueue();
    let seed = 42;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31);
    const times = Array.from({ length: 2000 }, () => random() % 100_000);
    times.forEach((at, i) => queue.push(at, `${at}:${i}`));
    const popped = queue.popDue(Number.MAX_SAFE_INTEGER).map((k) => Number(k.split(':')[0]));
    expect(popped).toEqual([...times].sort((a, b) => a - b));
  });
});

describe('PaymentStore.duePayments', () => {
  it('knows when the clock changes a payment: expiry while CREATED, the capture deadline while money is reserved', () => {
    const payment = created('due-a');
    expect(clockDueAtMs(payment)).toBe(payment.expiresAtMs);
    const authorized = ok(approve(payment, op(T0 + MINUTE)));
    expect(clockDueAtMs(authorized)).toBe(authorized.captureDeadlineMs);
    expect(clockDueAtMs(ok(capture(authorized, { currency: 'NOK', value: 1000 }, op(T0 + 2 * MINUTE))))).toBeUndefined();
  });

  it('returns only the payments due, each once, and none that moved on', () => {
    const store = new PaymentStore();
    const soon = created('due-soon', T0 + 5 * MINUTE);
    const later = created('due-later', T0 + 30 * MINUTE);
    const approved = created('due-approved', T0 + 5 * MINUTE);
    for (const p of [soon, later, approved]) store.save(p);
    // Approved before it expired: its expiry no longer applies; its capture deadline does.
    const authorized = ok(approve(approved, op(T0 + MINUTE)));
    store.save(authorized);

    expect(store.duePayments(T0 + 4 * MINUTE)).toEqual([]);
    expect(store.duePayments(T0 + 10 * MINUTE).map((p) => p.reference)).toEqual(['due-soon']);
    // Asked again, a payment already handed out is not due again until it is saved with a new time.
    expect(store.duePayments(T0 + 10 * MINUTE)).toEqual([]);
    expect(store.duePayments(T0 + 31 * MINUTE).map((p) => p.reference)).toEqual(['due-later']);
    const deadline = authorized.captureDeadlineMs as number;
    expect(deadline).toBeGreaterThan(T0 + DAY);
    expect(store.duePayments(deadline - 1)).toEqual([]);
    expect(store.duePayments(deadline).map((p) => p.reference)).toEqual(['due-approved']);
  });

  it('forgets a payment the clock can no longer change, and everything on clear', () => {
    const store = new PaymentStore();
    const payment = created('due-captured', T0 + 5 * MINUTE);
    store.save(payment);
    const captured = ok(capture(ok(approve(payment, op(T0 + MINUTE))), { currency: 'NOK', value: 1000 }, op(T0 + 2 * MINUTE)));
    store.save(captured);
    expect(store.duePayments(T0 + 100 * DAY)).toEqual([]);

    store.save(created('due-cleared', T0 + 5 * MINUTE));
    store.clear();
    expect(store.duePayments(T0 + 100 * DAY)).toEqual([]);
  });
});
