import type { MerchantConfig } from '../../../src/config/config';
import { SIMULATOR_MERCHANT } from '../../../src/config/config';
import type { SimEvent } from '../../../src/simulator/simulator-context';
import { conformanceViolations } from '../../support/conformance';
import { startTestSimulator, type TestSimulator } from '../../support/simulator';
import { PAYMENTS, approve, authorized, cancel, create, createBody, errorCode, eventNames, modify, newReference, recordEvents, snapshot } from './epayment-support';

/** Idempotency-Key semantics of docs/vipps.md §6 over real HTTP. */

const OTHER: MerchantConfig = { msn: '654321', clientId: 'other-id', clientSecret: 'other-secret', subscriptionKey: 'other-key' };
let t: TestSimulator;
let published: SimEvent[];

beforeAll(async () => {
  t = await startTestSimulator([SIMULATOR_MERCHANT, OTHER]);
  published = recordEvents(t);
});
afterAll(async () => {
  await t.close();
});

const events = (reference: string) => t.call('GET', `${PAYMENTS}/${reference}/events`);

describe('ePayment idempotency', () => {
  test('create: same key and body → the same 201 once; another body → 409 4020', async () => {
    const reference = newReference();
    const body = createBody(reference);
    const first = await t.call('POST', PAYMENTS, { body, idempotencyKey: `k-${reference}` });
    const again = await t.call('POST', PAYMENTS, { body, idempotencyKey: `k-${reference}` });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(eventNames(await events(reference))).toEqual(['CREATED']);
    expect(published.filter((e) => e.payload.reference === reference)).toHaveLength(1);

    const other = await t.call('POST', PAYMENTS, { body: { ...body, paymentDescription: 'Different' }, idempotencyKey: `k-${reference}` });
    expect([other.status, errorCode(other)]).toEqual([409, '4020']);
  });

  test('create: an existing reference with a new key → 409 4150', async () => {
    const reference = await create(t);
    const before = await snapshot(t, reference);
    const res = await t.call('POST', PAYMENTS, { body: createBody(reference), idempotencyKey: `new-${reference}` });
    expect([res.status, errorCode(res)]).toEqual([409, '4150']);
    expect(await snapshot(t, reference)).toEqual(before);
  });

  test('capture replay acts once and answers 200 with the current ModificationResponse', async () => {
    const reference = await authorized(t);
    const first = await modify(t, reference, 'capture', 600, `cap-${reference}`);
    await modify(t, reference, 'refund', 100, `ref-${reference}`);
    const replay = await modify(t, reference, 'capture', 600, `cap-${reference}`);
    expect(replay.status).toBe(200);
    expect(replay.body.pspReference).toBe(first.body.pspReference);
    expect(replay.body.aggregate.capturedAmount.value).toBe(600);
    expect(replay.body.aggregate.refundedAmount.value).toBe(100);
    expect(eventNames(await events(reference))).toEqual(['CREATED', 'AUTHORIZED', 'CAPTURED', 'REFUNDED']);
  });

  test('refund and cancel replays act once', async () => {
    const reference = await authorized(t);
    await modify(t, reference, 'capture', 300, `cap-${reference}`);
    for (let i = 0; i < 3; i++) expect((await modify(t, reference, 'refund', 100, `ref-${reference}`)).status).toBe(200);
    for (let i = 0; i < 2; i++) expect((await cancel(t, reference, `can-${reference}`)).status).toBe(200);
    const log = (await events(reference)).body;
    expect(log.map((e: { name: string }) => e.name)).toEqual(['CREATED', 'AUTHORIZED', 'CAPTURED', 'REFUNDED', 'CANCELLED']);
    expect(log[4].amount.value).toBe(700);
  });

  test.each([
    ['capture', '4010'],
    ['refund', '4150'],
  ] as const)('%s: same key with another amount → 409 %s, nothing changes', async (op, code) => {
    const reference = await authorized(t);
    if (op === 'refund') await modify(t, reference, 'capture', 1000, `cap-${reference}`);
    expect((await modify(t, reference, op, 200, `k-${reference}`)).status).toBe(200);
    const before = await snapshot(t, reference);
    const res = await modify(t, reference, op, 300, `k-${reference}`);
    expect([res.status, errorCode(res)]).toEqual([409, code]);
    expect(await snapshot(t, reference)).toEqual(before);
  });

  test("keys are per operation: the create's key again on capture, refund and cancel is accepted, as Vipps' Postman collection does", async () => {
    const reference = await authorized(t);
    const key = `create-${reference}`;
    expect((await modify(t, reference, 'capture', 300, key)).status).toBe(200);
    expect((await modify(t, reference, 'refund', 100, key)).status).toBe(200);
    expect((await cancel(t, reference, key)).status).toBe(200);
    expect(eventNames(await events(reference))).toEqual(['CREATED', 'AUTHORIZED', 'CAPTURED', 'REFUNDED', 'CANCELLED']);
  });

  test("a capture key used again for another payment's capture → 409 4020", async () => {
    const first = await authorized(t);
    const second = await authorized(t);
    await modify(t, first, 'capture', 100, `k-${first}`);
    const res = await modify(t, second, 'capture', 100, `k-${first}`);
    expect([res.status, errorCode(res)]).toEqual([409, '4020']);
    expect((await t.call('GET', `${PAYMENTS}/${second}`)).body.aggregate.capturedAmount.value).toBe(0);
  });

  test('a 4xx is sticky: the retry is not executed even when it would now succeed', async () => {
    const reference = await create(t);
    const early = await modify(t, reference, 'capture', 500, `k-${reference}`);
    expect([early.status, errorCode(early)]).toEqual([400, '6080']);
    await approve(t, reference);
    const retry = await modify(t, reference, 'capture', 500, `k-${reference}`);
    expect([retry.status, errorCode(retry)]).toEqual([400, '6080']);
    expect(eventNames(await events(reference))).toEqual(['CREATED', 'AUTHORIZED']);
    expect((await modify(t, reference, 'capture', 500, `k2-${reference}`)).status).toBe(200);
  });

  test('a sticky validation error: a malformed capture body stays refused under its key', async () => {
    const reference = await authorized(t);
    const bad = await t.call('POST', `${PAYMENTS}/${reference}/capture`, { body: { modificationAmount: { currency: 'NOK', value: 1.5 } }, idempotencyKey: `k-${reference}` });
    expect([bad.status, errorCode(bad)]).toEqual([400, '4040']);
    const again = await t.call('POST', `${PAYMENTS}/${reference}/capture`, { body: { modificationAmount: { currency: 'NOK', value: 1.5 } }, idempotencyKey: `k-${reference}` });
    expect(again.body.traceId).toBe(bad.body.traceId);
  });

  test('keys are per MSN: another merchant may use the same key and reference', async () => {
    const reference = newReference();
    const a = await t.call('POST', PAYMENTS, { body: createBody(reference), idempotencyKey: 'shared-key-1' });
    const b = await t.call('POST', PAYMENTS, { body: createBody(reference, { amount: { currency: 'NOK', value: 2000 } }), idempotencyKey: 'shared-key-1', merchant: OTHER });
    expect([a.status, b.status]).toEqual([201, 201]);
    expect((await t.call('GET', `${PAYMENTS}/${reference}`, { merchant: OTHER })).body.amount.value).toBe(2000);
    expect((await t.call('GET', `${PAYMENTS}/${reference}`)).body.amount.value).toBe(1000);
  });

  test('every response so far conforms to epayment-v1.yml', () => {
    expect(t.exchanges.length).toBeGreaterThan(0);
    expect(conformanceViolations(t.exchanges)).toEqual([]);
  });
});
