import {
  approve,
  cancel,
  capturable,
  capture,
  createPayment,
  expireIfDue,
  refund,
  reject,
  releaseIfDue,
  refundable,
  type OpContext,
  type OpOutcome,
  type Payment,
  type Totals,
} from '../../../src/simulator/epayment/payment';

/** The pure ePayment rules: docs/vipps.md §8 allowed-operation matrix, aggregate invariants, §9 deadlines. */

const T0 = Date.UTC(2026, 0, 1);
const DAY = 86_400_000;
let psp = 1_000_000_000;
const op = (nowMs = T0, idempotencyKey: string | null = 'key'): OpContext => ({ nowMs, idempotencyKey, newPspReference: () => String(psp++) });
const nok = (value: number) => ({ currency: 'NOK' as const, value });

function ok(outcome: OpOutcome): Payment {
  if (!outcome.ok) throw new Error(`refused ${outcome.code}`);
  return outcome.payment;
}

function fresh(value = 1000, currency: 'NOK' | 'DKK' | 'EUR' = 'NOK'): Payment {
  return createPayment(
    { msn: '123456', reference: 'unit-ref-0001', amount: { currency, value }, paymentMethod: 'WALLET', userFlow: 'WEB_REDIRECT', token: 'tok' },
    op(),
  ).payment;
}

type Step = ['approve'] | ['reject'] | ['expire'] | ['capture', number] | ['refund', number] | ['cancel'];
function build(...steps: Step[]): Payment {
  let p = fresh();
  for (const step of steps) {
    if (step[0] === 'approve') p = ok(approve(p, op()));
    else if (step[0] === 'reject') p = ok(reject(p, op()));
    else if (step[0] === 'expire') p = expireIfDue(p, T0 + 600_000, () => String(psp++))!.payment;
    else if (step[0] === 'capture') p = ok(capture(p, nok(step[1]), op()));
    else if (step[0] === 'refund') p = ok(refund(p, nok(step[1]), op()));
    else p = ok(cancel(p, false, op()));
  }
  return p;
}

const STATES: Record<string, () => Payment> = {
  CREATED: () => build(),
  'AUTHORIZED nothing captured': () => build(['approve']),
  'AUTHORIZED C=250': () => build(['approve'], ['capture', 250]),
  'AUTHORIZED fully captured': () => build(['approve'], ['capture', 1000]),
  'AUTHORIZED cancelled': () => build(['approve'], ['cancel']),
  'AUTHORIZED C=250 then cancelled': () => build(['approve'], ['capture', 250], ['cancel']),
  'AUTHORIZED fully refunded': () => build(['approve'], ['capture', 1000], ['refund', 1000]),
  ABORTED: () => build(['reject']),
  EXPIRED: () => build(['expire']),
  TERMINATED: () => build(['cancel']),
};

type Op = 'capture 100' | 'capture 751' | 'refund 100' | 'cancel' | 'cancelTransactionOnly';
const run = (p: Payment, o: Op): OpOutcome => {
  switch (o) {
    case 'capture 100':
      return capture(p, nok(100), op());
    case 'capture 751':
      return capture(p, nok(751), op());
    case 'refund 100':
      return refund(p, nok(100), op());
    case 'cancel':
      return cancel(p, false, op());
    case 'cancelTransactionOnly':
      return cancel(p, true, op());
  }
};

/** Expected: [state, A, C, X, R, event] after success, or the error code. */
type Expect = [string, number, number, number, number, string] | string;
const matrix: [string, Op, Expect][] = [
  ['CREATED', 'capture 100', '6080'],
  ['CREATED', 'refund 100', '6020'],
  ['CREATED', 'cancel', ['TERMINATED', 0, 0, 1000, 0, 'TERMINATED']],
  ['CREATED', 'cancelTransactionOnly', ['TERMINATED', 0, 0, 1000, 0, 'TERMINATED']],
  ['AUTHORIZED nothing captured', 'capture 100', ['AUTHORIZED', 1000, 100, 0, 0, 'CAPTURED']],
  ['AUTHORIZED nothing captured', 'refund 100', '6020'],
  ['AUTHORIZED nothing captured', 'cancel', ['AUTHORIZED', 1000, 0, 1000, 0, 'CANCELLED']],
  ['AUTHORIZED nothing captured', 'cancelTransactionOnly', '6060'],
  ['AUTHORIZED C=250', 'capture 100', ['AUTHORIZED', 1000, 350, 0, 0, 'CAPTURED']],
  ['AUTHORIZED C=250', 'capture 751', '6090'],
  ['AUTHORIZED C=250', 'refund 100', ['AUTHORIZED', 1000, 250, 0, 100, 'REFUNDED']],
  ['AUTHORIZED C=250', 'cancel', ['AUTHORIZED', 1000, 250, 750, 0, 'CANCELLED']],
  ['AUTHORIZED fully captured', 'capture 100', '6090'],
  ['AUTHORIZED fully captured', 'refund 100', ['AUTHORIZED', 1000, 1000, 0, 100, 'REFUNDED']],
  ['AUTHORIZED fully captured', 'cancel', '6040'],
  ['AUTHORIZED cancelled', 'capture 100', '6070'],
  ['AUTHORIZED cancelled', 'refund 100', '6020'],
  ['AUTHORIZED cancelled', 'cancel', '6190'],
  ['AUTHORIZED C=250 then cancelled', 'capture 100', '6070'],
  ['AUTHORIZED C=250 then cancelled', 'refund 100', ['AUTHORIZED', 1000, 250, 750, 100, 'REFUNDED']],
  ['AUTHORIZED C=250 then cancelled', 'cancel', '6190'],
  ['AUTHORIZED fully refunded', 'refund 100', '6150'],
  ['AUTHORIZED fully refunded', 'cancel', '6040'],
  ['ABORTED', 'capture 100', '6200'],
  ['ABORTED', 'refund 100', '6210'],
  ['ABORTED', 'cancel', '6190'],
  ['EXPIRED', 'capture 100', '6200'],
  ['EXPIRED', 'refund 100', '6210'],
  ['EXPIRED', 'cancel', '6190'],
  ['TERMINATED', 'capture 100', '6200'],
  ['TERMINATED', 'refund 100', '6210'],
  ['TERMINATED', 'cancel', '6190'],
];

describe('allowed-operation matrix (docs/vipps.md §8)', () => {
  test.each(matrix)('%s × %s → %j', (state, operation, expected) => {
    const before = STATES[state]!();
    const frozen = JSON.stringify(before);
    const outcome = run(before, operation);
    expect(JSON.stringify(before)).toBe(frozen); // the input is never mutated
    if (typeof expected === 'string') {
      expect(outcome).toMatchObject({ ok: false, code: expected });
      return;
    }
    const after = ok(outcome);
    const [s, a, c, x, r, event] = expected;
    expect([after.state, after.totals.authorized, after.totals.captured, after.totals.cancelled, after.totals.refunded]).toEqual([s, a, c, x, r]);
    expect(after.events).toHaveLength(before.events.length + 1);
    expect(after.events.at(-1)).toMatchObject({ name: event, idempotencyKey: 'key', success: true });
    expect(outcome.ok && outcome.events).toEqual([after.events.at(-1)]);
  });
});

describe('user actions and the clock', () => {
  test('approve authorizes the whole amount and sets the market capture deadline', () => {
    expect(ok(approve(fresh(), op(T0))).captureDeadlineMs).toBe(T0 + 180 * DAY);
    expect(ok(approve(fresh(1000, 'DKK'), op(T0))).captureDeadlineMs).toBe(T0 + 14 * DAY);
    expect(ok(approve(fresh(1000, 'EUR'), op(T0))).captureDeadlineMs).toBe(T0 + 14 * DAY);
  });

  test.each([151, 182, 183, 184, 186, 187, 197])('magic amount %i is declined: ABORTED, nothing authorized', (value) => {
    const p = ok(approve(fresh(value), op()));
    expect(p.state).toBe('ABORTED');
    expect(p.totals.authorized).toBe(0);
  });

  test('approve or reject of a non-CREATED payment is refused with 10020', () => {
    expect(approve(build(['approve']), op())).toMatchObject({ ok: false, code: '10020' });
    expect(reject(build(['cancel']), op())).toMatchObject({ ok: false, code: '10020' });
  });

  test('expiry happens at 10 minutes and not before, stamped at the expiry instant', () => {
    const p = fresh();
    expect(expireIfDue(p, T0 + 599_999, () => '1')).toBeUndefined();
    const expired = expireIfDue(p, T0 + 700_000, () => '1')!.payment;
    expect(expired.state).toBe('EXPIRED');
    expect(expired.events.at(-1)).toMatchObject({ name: 'EXPIRED', timestamp: new Date(T0 + 600_000).toISOString(), idempotencyKey: null });
  });

  test('at the capture deadline the remainder is released; capture 6100 and cancel 6030 after it', () => {
    const p = build(['approve'], ['capture', 300]);
    const deadline = p.captureDeadlineMs!;
    expect(releaseIfDue(p, deadline - 1, () => '1')).toBeUndefined();
    const released = releaseIfDue(p, deadline, () => '1')!.payment;
    expect(released.totals).toEqual({ authorized: 1000, captured: 300, cancelled: 700, refunded: 0 });
    expect(released.events.at(-1)).toMatchObject({ name: 'CANCELLED', amount: 700, idempotencyKey: null });
    expect(releaseIfDue(released, deadline + DAY, () => '1')).toBeUndefined();
    expect(capture(p, nok(100), op(deadline))).toMatchObject({ ok: false, code: '6100' });
    expect(cancel(p, false, op(deadline))).toMatchObject({ ok: false, code: '6030' });
    expect(capture(p, nok(100), op(deadline - 1)).ok).toBe(true);
  });

  test('refunds are refused 365 days after authorization (6220)', () => {
    const p = build(['approve'], ['capture', 1000]);
    expect(refund(p, nok(100), op(T0 + 365 * DAY - 1)).ok).toBe(true);
    expect(refund(p, nok(100), op(T0 + 365 * DAY))).toMatchObject({ ok: false, code: '6220' });
  });

  test('amounts in another currency or not positive are 4040', () => {
    const p = build(['approve']);
    expect(capture(p, { currency: 'DKK', value: 100 }, op())).toMatchObject({ ok: false, code: '4040' });
    expect(capture(p, nok(0), op())).toMatchObject({ ok: false, code: '4040' });
    expect(capture(p, nok(1.5), op())).toMatchObject({ ok: false, code: '4040' });
  });
});

describe('aggregate invariants', () => {
  /** AUTHORIZED: 0 ≤ R ≤ C and C + X ≤ A = amount. Otherwise nothing moved, except TERMINATED shows X = amount. */
  function check(p: Payment): void {
    const t: Totals = p.totals;
    for (const v of Object.values(t)) expect(v).toBeGreaterThanOrEqual(0);
    if (p.state === 'AUTHORIZED') {
      expect(t.authorized).toBe(p.amount.value);
      expect(t.refunded).toBeLessThanOrEqual(t.captured);
      expect(t.captured + t.cancelled).toBeLessThanOrEqual(t.authorized);
      expect(capturable(t)).toBeGreaterThanOrEqual(0);
      expect(refundable(t)).toBeGreaterThanOrEqual(0);
    } else {
      expect(t).toEqual({ authorized: 0, captured: 0, refunded: 0, cancelled: p.state === 'TERMINATED' ? p.amount.value : 0 });
    }
  }

  test('hold through 500 seeded random operation sequences, and events sum to the aggregate', () => {
    let seed = 42;
    const rand = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % n;
    };
    for (let run = 0; run < 500; run++) {
      let p = fresh(100 + rand(2000));
      for (let step = 0; step < 8; step++) {
        const value = 1 + rand(p.amount.value + 50);
        const choice = rand(5);
        const outcome =
          choice === 0 ? approve(p, op()) : choice === 1 ? capture(p, nok(value), op()) : choice === 2 ? refund(p, nok(value), op()) : choice === 3 ? cancel(p, false, op()) : reject(p, op());
        if (outcome.ok) p = outcome.payment;
        check(p);
        const sum = (name: string) => p.events.filter((e) => e.name === name).reduce((s, e) => s + e.amount, 0);
        expect(sum('CAPTURED')).toBe(p.totals.captured);
        expect(sum('REFUNDED')).toBe(p.totals.refunded);
        expect(sum('CANCELLED') + sum('TERMINATED')).toBe(p.totals.cancelled);
      }
    }
  });
});
