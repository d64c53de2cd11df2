import type { SimEvent } from '../../../src/simulator/simulator-context';
import { startTestSimulator, type TestSimulator } from '../../support/simulator';
import {
  AGREEMENTS, activeAgreement, advanceDays, cancelCharge, chargeBody, chargeOp, chargesPath, createCharge, draft, eventsFor, expectErrorV3, getCharge,
  newKey, recordEvents, simDate,
} from './recurring-support';

/** Charges over real HTTP and the simulator clock (docs/vipps.md §10.4, §10.5, §10.7, §9, §14). */

let t: TestSimulator;
let events: SimEvent[];

beforeAll(async () => {
  t = await startTestSimulator();
  events = recordEvents(t);
});
afterAll(async () => {
  await t.close();
});

const charge = async (agreementId: string, chargeId: string) => (await getCharge(t, agreementId, chargeId)).body;
const historyOf = async (agreementId: string, chargeId: string) =>
  ((await charge(agreementId, chargeId)).history as { event: string; success: boolean }[]).map((h) => `${h.event}:${h.success}`);

describe('charges moved by the clock', () => {
  test('a RECURRING DIRECT_CAPTURE charge is DUE until its due date, then CHARGED', async () => {
    const agreementId = await activeAgreement(t);
    const chargeId = await createCharge(t, agreementId, { due: await simDate(t, 2), externalId: 'inv-1' });
    expect(chargeId).toMatch(/^chr-[A-Za-z0-9]{7}$/);
    expect(await charge(agreementId, chargeId)).toMatchObject({ status: 'DUE', type: 'RECURRING', transactionId: null, externalId: 'inv-1' });
    await advanceDays(t, 1);
    expect((await charge(agreementId, chargeId)).status).toBe('DUE');
    await advanceDays(t, 1);
    const charged = await charge(agreementId, chargeId);
    expect(charged).toMatchObject({ status: 'CHARGED', summary: { captured: 10000, refunded: 0, cancelled: 0 }, due: `${await simDate(t)}T00:00:00Z` });
    expect(charged.transactionId).toMatch(/^\d{10}$/);
    expect(await historyOf(agreementId, chargeId)).toEqual(['CREATE:true', 'CAPTURE:true']);
    expect(eventsFor(events, agreementId, chargeId)).toEqual(['recurring.charge-captured.v1']);
    expect(events.find((e) => e.payload.chargeId === chargeId)?.payload).toMatchObject({ chargeType: 'RECURRING', amount: 10000, currency: 'NOK' });
    expect((await t.call('GET', `/recurring/v3/charges/${chargeId}`)).body.status).toBe('CHARGED');
  });

  test('a charge due far ahead is PENDING until 30 days before its due date', async () => {
    const agreementId = await activeAgreement(t);
    const chargeId = await createCharge(t, agreementId, { due: await simDate(t, 40) });
    expect((await charge(agreementId, chargeId)).status).toBe('PENDING');
    await advanceDays(t, 9);
    expect((await charge(agreementId, chargeId)).status).toBe('PENDING');
    await advanceDays(t, 1);
    expect((await charge(agreementId, chargeId)).status).toBe('DUE');
  });

  test('refund: part → PARTIALLY_REFUNDED, too much refused, the rest → REFUNDED', async () => {
    const agreementId = await activeAgreement(t);
    const chargeId = await createCharge(t, agreementId, { due: await simDate(t, 1) });
    await advanceDays(t, 1);
    expect((await chargeOp(t, agreementId, chargeId, 'refund', 3000)).status).toBe(204);
    expect(await charge(agreementId, chargeId)).toMatchObject({ status: 'PARTIALLY_REFUNDED', summary: { captured: 10000, refunded: 3000 } });
    expectErrorV3(await chargeOp(t, agreementId, chargeId, 'refund', 7001), 400, 'charge-amount-too-high');
    expect((await chargeOp(t, agreementId, chargeId, 'refund', 7000)).status).toBe(204);
    expect(await charge(agreementId, chargeId)).toMatchObject({ status: 'REFUNDED', summary: { captured: 10000, refunded: 10000 } });
    const after = await chargeOp(t, agreementId, chargeId, 'refund', 100);
    expectErrorV3(after, 400, 'operation-failed');
    expect(after.body.detail).toContain('REFUNDED');
    expect(eventsFor(events, agreementId, chargeId)).toEqual(['recurring.charge-captured.v1', 'recurring.charge-refunded.v1', 'recurring.charge-refunded.v1']);
  });

  test('refund of everything at once → REFUNDED', async () => {
    const agreementId = await activeAgreement(t);
    const chargeId = await createCharge(t, agreementId, { due: await simDate(t, 1) });
    await advanceDays(t, 1);
    expect((await chargeOp(t, agreementId, chargeId, 'refund', 10000)).status).toBe(204);
    expect(await charge(agreementId, chargeId)).toMatchObject({ status: 'REFUNDED', summary: { captured: 10000, refunded: 10000, cancelled: 0 } });
    expect(await historyOf(agreementId, chargeId)).toEqual(['CREATE:true', 'CAPTURE:true', 'REFUND:true']);
  });

  test('magic amount 151 fails each day, stays DUE, and is FAILED after due + retryDays', async () => {
    const agreementId = await activeAgreement(t);
    const chargeId = await createCharge(t, agreementId, { amount: 151, due: await simDate(t, 1), retryDays: 2 });
    await advanceDays(t, 1);
    expect(await charge(agreementId, chargeId)).toMatchObject({ status: 'DUE', failureReason: null });
    await advanceDays(t, 1);
    expect((await charge(agreementId, chargeId)).status).toBe('DUE');
    expect(eventsFor(events, agreementId, chargeId)).toEqual([]);
    await advanceDays(t, 1);
    const failed = await charge(agreementId, chargeId);
    expect(failed).toMatchObject({ status: 'FAILED', failureReason: 'user_action_required', failureDescription: 'Insufficient funds', transactionId: null });
    expect(await historyOf(agreementId, chargeId)).toEqual(['CREATE:true', 'FAIL:false', 'FAIL:false', 'FAIL:false']);
    expect(eventsFor(events, agreementId, chargeId)).toEqual(['recurring.charge-failed.v1']);
    await advanceDays(t, 5);
    expect((await charge(agreementId, chargeId)).status).toBe('FAILED');
    expectErrorV3(await cancelCharge(t, agreementId, chargeId), 400, 'cancel-charge-failed');
  });

  test('reserved charge: partial capture, then cancel releases the rest → CHARGED', async () => {
    const agreementId = await activeAgreement(t);
    const chargeId = await createCharge(t, agreementId, { due: await simDate(t, 1), transactionType: 'RESERVE_CAPTURE' });
    await advanceDays(t, 1);
    expect((await charge(agreementId, chargeId)).status).toBe('RESERVED');
    expect((await chargeOp(t, agreementId, chargeId, 'capture', 4000)).status).toBe(204);
    expect(await charge(agreementId, chargeId)).toMatchObject({ status: 'PARTIALLY_CAPTURED', summary: { captured: 4000, cancelled: 0 } });
    expectErrorV3(await chargeOp(t, agreementId, chargeId, 'capture', 6001), 400, 'charge-amount-too-high');
    expect((await cancelCharge(t, agreementId, chargeId)).status).toBe(204);
    expect(await charge(agreementId, chargeId)).toMatchObject({ status: 'CHARGED', summary: { captured: 4000, refunded: 0, cancelled: 6000 } });
    const late = await chargeOp(t, agreementId, chargeId, 'capture', 100);
    expectErrorV3(late, 400, 'charge-capture-failed');
    expect(late.body.detail).toContain('CHARGED');
    expectErrorV3(await chargeOp(t, agreementId, chargeId, 'refund', 4001), 400, 'charge-amount-too-high');
    expect((await chargeOp(t, agreementId, chargeId, 'refund', 4000)).status).toBe(204);
    expect((await charge(agreementId, chargeId)).status).toBe('REFUNDED');
    expect(eventsFor(events, agreementId, chargeId)).toEqual([
      'recurring.charge-reserved.v1',
      'recurring.charge-captured.v1',
      'recurring.charge-canceled.v1',
      'recurring.charge-refunded.v1',
    ]);
  });

  test('a reservation nobody captures is released after 180 days (NOK) and 14 days (DKK)', async () => {
    const nok = await activeAgreement(t);
    const dkk = await activeAgreement(t, { pricing: { type: 'LEGACY', amount: 10000, currency: 'DKK' }, countryCode: 'DK' });
    const nokCharge = await createCharge(t, nok, { due: await simDate(t, 1), transactionType: 'RESERVE_CAPTURE' });
    const dkkCharge = await createCharge(t, dkk, { due: await simDate(t, 1), transactionType: 'RESERVE_CAPTURE' });
    await advanceDays(t, 1);
    expect((await charge(dkk, dkkCharge)).currency).toBe('DKK');
    await advanceDays(t, 13);
    expect((await charge(dkk, dkkCharge)).status).toBe('RESERVED');
    await advanceDays(t, 1);
    expect(await charge(dkk, dkkCharge)).toMatchObject({ status: 'CANCELLED', summary: { cancelled: 10000 } });
    // Reserved one day after creation, so 179 days after reservation it is still there.
    await advanceDays(t, 165);
    expect((await charge(nok, nokCharge)).status).toBe('RESERVED');
    await advanceDays(t, 1);
    expect((await charge(nok, nokCharge)).status).toBe('CANCELLED');
    expect(eventsFor(events, nok, nokCharge)).toEqual(['recurring.charge-reserved.v1', 'recurring.charge-canceled.v1']);
    expectErrorV3(await chargeOp(t, nok, nokCharge, 'capture', 100), 400, 'charge-capture-failed');
  });
});

describe('UNSCHEDULED and VARIABLE', () => {
  test('an UNSCHEDULED charge is processed at once; a failing one is FAILED at once', async () => {
    const agreementId = await activeAgreement(t, { pricing: { type: 'FLEXIBLE', currency: 'NOK' }, interval: undefined });
    const body = { amount: 25000, description: 'Usage', transactionType: 'DIRECT_CAPTURE', type: 'UNSCHEDULED' };
    const ok = await t.call('POST', chargesPath(agreementId), { body, idempotencyKey: newKey() });
    expect(await charge(agreementId, ok.body.chargeId)).toMatchObject({ status: 'CHARGED', type: 'UNSCHEDULED', retryDays: 0 });
    const bad = await t.call('POST', chargesPath(agreementId), { body: { ...body, amount: 183 }, idempotencyKey: newKey() });
    expect(await charge(agreementId, bad.body.chargeId)).toMatchObject({ status: 'FAILED', failureReason: 'non_technical_error' });
    const withDue = await t.call('POST', chargesPath(agreementId), { body: { ...body, due: await simDate(t, 3) }, idempotencyKey: newKey() });
    expectErrorV3(withDue, 400, 'validation-error');
  });

  test('VARIABLE: above the suggested max is refused; above the user max fails with charge_amount_too_high', async () => {
    const agreementId = await activeAgreement(t, { pricing: { type: 'VARIABLE', suggestedMaxAmount: 20000, currency: 'NOK' } });
    const tooHigh = await t.call('POST', chargesPath(agreementId), { body: await chargeBody(t, { amount: 20001 }), idempotencyKey: newKey() });
    expectErrorV3(tooHigh, 400, 'charge-amount-too-high');
    // The merchant raises the suggestion; the user's own max stays at 20000 (docs/vipps.md §10.4).
    const raise = await t.call('PATCH', `${AGREEMENTS}/${agreementId}`, { body: { pricing: { suggestedMaxAmount: 30000 } }, idempotencyKey: newKey() });
    expect(raise.status).toBe(204);
    const chargeId = await createCharge(t, agreementId, { amount: 25000, due: await simDate(t, 1), retryDays: 0 });
    await advanceDays(t, 1);
    expect(await charge(agreementId, chargeId)).toMatchObject({ status: 'FAILED', failureReason: 'charge_amount_too_high' });
  });
});

describe('refused charge operations', () => {
  test('create: amount limits, due-date rules, duplicate orderId, agreement not ACTIVE', async () => {
    const agreementId = await activeAgreement(t);
    const post = async (overrides: Record<string, unknown>) =>
      t.call('POST', chargesPath(agreementId), { body: await chargeBody(t, overrides), idempotencyKey: newKey() });
    expectErrorV3(await post({ amount: 50001 }), 400, 'charge-amount-too-high');
    expect((await post({ amount: 50000 })).status).toBe(201);
    expectErrorV3(await post({ due: await simDate(t, 0) }), 400, 'charge-due-too-soon');
    expect((await post({ due: await simDate(t, 1) })).status).toBe(201);
    const twoYears = new Date(`${await simDate(t)}T00:00:00Z`);
    twoYears.setUTCFullYear(twoYears.getUTCFullYear() + 2);
    const latest = twoYears.toISOString().slice(0, 10);
    expect((await post({ due: latest })).status).toBe(201);
    twoYears.setUTCDate(twoYears.getUTCDate() + 1);
    expectErrorV3(await post({ due: twoYears.toISOString().slice(0, 10) }), 400, 'charge-due-in-too-long');

    const orderId = `ord-${newKey().slice(2, 10)}`;
    const first = await post({ orderId });
    expect(first.body).toEqual({ chargeId: orderId });
    expectErrorV3(await post({ orderId }), 409, 'conflict');
    expect((await t.call('GET', chargesPath(agreementId))).body).toHaveLength(4);

    const pending = await draft(t);
    const res = await t.call('POST', chargesPath(pending.agreementId), { body: await chargeBody(t), idempotencyKey: newKey() });
    expectErrorV3(res, 400, 'charge-creation-failed');
    expect(res.body.detail).toContain('PENDING');
  });

  test('capture, cancel and refund in the wrong state name the current status', async () => {
    const agreementId = await activeAgreement(t);
    const direct = await createCharge(t, agreementId, { due: await simDate(t, 1) });
    const reserve = await createCharge(t, agreementId, { due: await simDate(t, 5), transactionType: 'RESERVE_CAPTURE' });

    const dueCapture = await chargeOp(t, agreementId, reserve, 'capture', 100);
    expectErrorV3(dueCapture, 400, 'charge-capture-failed');
    expect(dueCapture.body.detail).toContain('DUE');
    const dueRefund = await chargeOp(t, agreementId, reserve, 'refund', 100);
    expectErrorV3(dueRefund, 400, 'operation-failed');
    expect(dueRefund.body.detail).toContain('DUE');

    await advanceDays(t, 1);
    expectErrorV3(await chargeOp(t, agreementId, direct, 'capture', 100), 400, 'charge-capture-failed');
    const cancel = await cancelCharge(t, agreementId, direct);
    expectErrorV3(cancel, 400, 'cancel-charge-failed');
    expect(cancel.body.detail).toContain('CHARGED');
    expectErrorV3(await chargeOp(t, agreementId, direct, 'refund', 123), 400, 'operation-failed');
    expect((await charge(agreementId, direct)).summary).toEqual({ captured: 10000, refunded: 0, cancelled: 0 });

    expect((await cancelCharge(t, agreementId, reserve)).status).toBe(204);
    const again = await cancelCharge(t, agreementId, reserve);
    expectErrorV3(again, 400, 'cancel-charge-failed');
    expect(again.body.detail).toContain('CANCELLED');
    expectErrorV3(await getCharge(t, agreementId, 'chr-nothere'), 404, 'resource-not-found');
  });

  test('list charges filters by status', async () => {
    const agreementId = await activeAgreement(t);
    const a = await createCharge(t, agreementId, { due: await simDate(t, 2) });
    const b = await createCharge(t, agreementId, { due: await simDate(t, 60) });
    const ids = async (query: string) => ((await t.call('GET', `${chargesPath(agreementId)}${query}`)).body as { id: string }[]).map((c) => c.id);
    expect(await ids('')).toEqual([a, b]);
    expect(await ids('?status=DUE')).toEqual([a]);
    expect(await ids('?status=PENDING')).toEqual([b]);
    expect(await ids('?status=CHARGED')).toEqual([]);
    expectErrorV3(await t.call('GET', `${chargesPath(agreementId)}?status=NOPE`), 400, 'validation-error');
  });
});
