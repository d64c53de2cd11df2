import type { SimEvent } from '../../../src/simulator/simulator-context';
import { startTestSimulator, type TestSimulator } from '../../support/simulator';
import {
  AGREEMENTS, activeAgreement, advanceDays, cancelCharge, chargeBody, chargeOp, chargesPath, createCharge, draftBody, eventsFor, expectErrorV3, getAgreement,
  getCharge, newKey, recordEvents, simDate,
} from './recurring-support';

/** Idempotency-Key semantics of docs/vipps.md §3 and §6 for Recurring, over real HTTP. */

let t: TestSimulator;
let events: SimEvent[];

beforeAll(async () => {
  t = await startTestSimulator();
  events = recordEvents(t);
});
afterAll(async () => {
  await t.close();
});

const listAll = async (status: string) => ((await t.call('GET', `${AGREEMENTS}?status=${status}`)).body as { id: string }[]).map((a) => a.id);

describe('Recurring idempotency', () => {
  test('draft: same key and body → the same 201 and one agreement; another body → 409 idempotency-conflict', async () => {
    const key = newKey();
    const before = await listAll('PENDING');
    const first = await t.call('POST', AGREEMENTS, { body: draftBody(), idempotencyKey: key });
    const again = await t.call('POST', AGREEMENTS, { body: draftBody(), idempotencyKey: key });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(await listAll('PENDING')).toEqual([...before, first.body.agreementId]);

    expectErrorV3(await t.call('POST', AGREEMENTS, { body: draftBody({ productName: 'Other' }), idempotencyKey: key }), 409, 'idempotency-conflict');
    expect(await listAll('PENDING')).toEqual([...before, first.body.agreementId]);
  });

  test('create charge replay returns the same chargeId without a second charge', async () => {
    const agreementId = await activeAgreement(t);
    const key = newKey();
    const body = await chargeBody(t);
    const first = await t.call('POST', chargesPath(agreementId), { body, idempotencyKey: key });
    const again = await t.call('POST', chargesPath(agreementId), { body, idempotencyKey: key });
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect((await t.call('GET', chargesPath(agreementId))).body).toHaveLength(1);
    expect((await getCharge(t, agreementId, first.body.chargeId)).body.history[0]).toMatchObject({ event: 'CREATE', idempotencyKey: key });
  });

  test('capture and refund replays act once; the key is in the charge history', async () => {
    const agreementId = await activeAgreement(t);
    const chargeId = await createCharge(t, agreementId, { due: await simDate(t, 1), transactionType: 'RESERVE_CAPTURE' });
    await advanceDays(t, 1);
    const captureKey = newKey('cap');
    expect((await chargeOp(t, agreementId, chargeId, 'capture', 3000, captureKey)).status).toBe(204);
    expect((await chargeOp(t, agreementId, chargeId, 'capture', 3000, captureKey)).status).toBe(204);
    // Refunds need a CHARGED charge: release the uncaptured rest first.
    expect((await cancelCharge(t, agreementId, chargeId)).status).toBe(204);
    const refundKey = newKey('ref');
    expect((await chargeOp(t, agreementId, chargeId, 'refund', 1000, refundKey)).status).toBe(204);
    expect((await chargeOp(t, agreementId, chargeId, 'refund', 1000, refundKey)).status).toBe(204);
    const charge = (await getCharge(t, agreementId, chargeId)).body;
    expect(charge.summary).toEqual({ captured: 3000, refunded: 1000, cancelled: 7000 });
    expect(charge.history.filter((h: { event: string }) => h.event === 'CAPTURE')).toEqual([expect.objectContaining({ amount: 3000, idempotencyKey: captureKey })]);
    expect(eventsFor(events, agreementId, chargeId)).toEqual([
      'recurring.charge-reserved.v1',
      'recurring.charge-captured.v1',
      'recurring.charge-canceled.v1',
      'recurring.charge-refunded.v1',
    ]);

    expectErrorV3(await chargeOp(t, agreementId, chargeId, 'capture', 2000, captureKey), 409, 'idempotency-conflict');
    expectErrorV3(await chargeOp(t, agreementId, chargeId, 'refund', 1000, captureKey), 409, 'idempotency-conflict');
    expect((await getCharge(t, agreementId, chargeId)).body.summary).toEqual({ captured: 3000, refunded: 1000, cancelled: 7000 });
  });

  test('a 4xx is sticky: the same key keeps answering it even after the state would allow the operation', async () => {
    const agreementId = await activeAgreement(t);
    const chargeId = await createCharge(t, agreementId, { due: await simDate(t, 1), transactionType: 'RESERVE_CAPTURE' });
    const key = newKey('early');
    const early = await chargeOp(t, agreementId, chargeId, 'capture', 10000, key);
    expectErrorV3(early, 400, 'charge-capture-failed');
    await advanceDays(t, 1);
    expect((await getCharge(t, agreementId, chargeId)).body.status).toBe('RESERVED');
    const retry = await chargeOp(t, agreementId, chargeId, 'capture', 10000, key);
    expect(retry.status).toBe(400);
    expect(retry.body).toEqual(early.body);
    expect((await getCharge(t, agreementId, chargeId)).body.status).toBe('RESERVED');
    expect((await chargeOp(t, agreementId, chargeId, 'capture', 10000, newKey('fresh'))).status).toBe(204);
  });

  test('stop replay is answered 204 without a second stop; cancel replay likewise', async () => {
    const agreementId = await activeAgreement(t);
    const chargeId = await createCharge(t, agreementId);
    const cancelKey = newKey('cancel');
    expect((await cancelCharge(t, agreementId, chargeId, cancelKey)).status).toBe(204);
    expect((await cancelCharge(t, agreementId, chargeId, cancelKey)).status).toBe(204);
    expectErrorV3(await cancelCharge(t, agreementId, chargeId), 400, 'cancel-charge-failed');

    const stopKey = newKey('stop');
    const stop = () => t.call('PATCH', `${AGREEMENTS}/${agreementId}`, { body: { status: 'STOPPED' }, idempotencyKey: stopKey });
    expect((await stop()).status).toBe(204);
    expect((await stop()).status).toBe(204);
    expect(eventsFor(events, agreementId).filter((n) => n === 'recurring.agreement-stopped.v1')).toHaveLength(1);
    expect(eventsFor(events, agreementId).filter((n) => n === 'recurring.charge-canceled.v1')).toHaveLength(1);
  });

  test('keys are per MSN scope but per request: the same key on another agreement is a conflict', async () => {
    const a = await activeAgreement(t);
    const b = await activeAgreement(t);
    const key = newKey();
    const body = await chargeBody(t);
    expect((await t.call('POST', chargesPath(a), { body, idempotencyKey: key })).status).toBe(201);
    expectErrorV3(await t.call('POST', chargesPath(b), { body, idempotencyKey: key }), 409, 'idempotency-conflict');
    expect((await t.call('GET', chargesPath(b))).body).toEqual([]);
  });

  test.each([
    ['missing', undefined],
    ['too long', 'k'.repeat(41)],
    ['with #', 'a#b'],
    ['with ?', 'a?b'],
    ['with /', 'a/b'],
    ['with \\', 'a\\b'],
  ])('Idempotency-Key %s → 400 idempotency-key-header and nothing happens', async (_name, key) => {
    const agreementId = await activeAgreement(t);
    const headers: Record<string, string> = key === undefined ? {} : { 'Idempotency-Key': key };
    const body = await chargeBody(t);
    expectErrorV3(await t.call('POST', chargesPath(agreementId), { body, headers }), 400, 'idempotency-key-header');
    expectErrorV3(await t.call('PATCH', `${AGREEMENTS}/${agreementId}`, { body: { status: 'STOPPED' }, headers }), 400, 'idempotency-key-header');
    expectErrorV3(await t.call('POST', AGREEMENTS, { body: draftBody(), headers }), 400, 'idempotency-key-header');
    expect((await t.call('GET', chargesPath(agreementId))).body).toEqual([]);
    expect((await getAgreement(t, agreementId)).body.status).toBe('ACTIVE');
  });

  test('a 40-character key with other punctuation is accepted', async () => {
    const res = await t.call('POST', AGREEMENTS, { body: draftBody(), idempotencyKey: `${'x'.repeat(35)}-_.:!` });
    expect(res.status).toBe(201);
  });
});
