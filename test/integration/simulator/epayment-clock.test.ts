import { conformanceViolations } from '../../support/conformance';
import { startTestSimulator, type TestSimulator } from '../../support/simulator';
import { PAYMENTS, approve, authorized, cancel, create, errorCode, eventNames, modify } from './epayment-support';

/** Expiry and reservation deadlines, driven by the simulator clock (control API). */

const DAY_S = 86_400;
let t: TestSimulator;

beforeAll(async () => {
  t = await startTestSimulator();
});
afterAll(async () => {
  await t.close();
});

const advance = (seconds: number) => t.control('POST', '/clock/advance', { seconds });
const get = async (reference: string) => (await t.call('GET', `${PAYMENTS}/${reference}`)).body;
const events = (reference: string) => t.call('GET', `${PAYMENTS}/${reference}/events`);

describe('ePayment simulator time', () => {
  test('a CREATED payment expires after 10 minutes, stamped at the expiry instant', async () => {
    const reference = await create(t);
    const createdAt = Date.parse((await events(reference)).body[0].timestamp);
    await advance(599);
    expect((await get(reference)).state).toBe('CREATED');
    await advance(2);
    expect((await get(reference)).state).toBe('EXPIRED');
    const log = (await events(reference)).body;
    expect(log.map((e: { name: string }) => e.name)).toEqual(['CREATED', 'EXPIRED']);
    expect(Date.parse(log[1].timestamp) - createdAt).toBe(600_000);
    expect(log[1].idempotencyKey).toBeNull();

    const late = await approve(t, reference);
    expect([late.status, errorCode(late)]).toEqual([400, '10020']);
    const cancelled = await cancel(t, reference, `x-${reference}`);
    expect([cancelled.status, errorCode(cancelled)]).toEqual([400, '6190']);
    const captured = await modify(t, reference, 'capture', 1000, `c-${reference}`);
    expect([captured.status, errorCode(captured)]).toEqual([400, '6200']);
    const refunded = await modify(t, reference, 'refund', 1000, `r-${reference}`);
    expect([refunded.status, errorCode(refunded)]).toEqual([400, '6210']);
  });

  test('expiresAt (long-living payment) replaces the 10-minute window', async () => {
    const now = Date.parse((await t.control('GET', '/clock')).body.now);
    const reference = await create(t, {
      userFlow: 'PUSH_MESSAGE',
      customer: { phoneNumber: '4791234567' },
      expiresAt: new Date(now + 3_600_000).toISOString(),
      receipt: { orderLines: [], bottomLine: { currency: 'NOK' } },
    });
    await advance(601);
    expect((await get(reference)).state).toBe('CREATED');
    await advance(3000);
    expect((await get(reference)).state).toBe('EXPIRED');
  });

  test('at the NOK capture deadline (180 days) the remainder is released; capture 6100, cancel 6030, refund still allowed', async () => {
    const reference = await authorized(t);
    await modify(t, reference, 'capture', 400, `c1-${reference}`);
    await advance(180 * DAY_S - 60);
    expect((await modify(t, reference, 'capture', 100, `c2-${reference}`)).status).toBe(200);
    await advance(61);
    const payment = await get(reference);
    expect(payment.aggregate.cancelledAmount.value).toBe(500);
    const log = (await events(reference)).body;
    expect(log.map((e: { name: string; amount: { value: number } }) => [e.name, e.amount.value])).toEqual([
      ['CREATED', 1000],
      ['AUTHORIZED', 1000],
      ['CAPTURED', 400],
      ['CAPTURED', 100],
      ['CANCELLED', 500],
    ]);
    expect(log[4].timestamp).toBe(payment.captureGuaranteedUntil);
    expect(log[4].idempotencyKey).toBeNull();

    const capture = await modify(t, reference, 'capture', 1, `c3-${reference}`);
    expect([capture.status, errorCode(capture)]).toEqual([400, '6100']);
    const cancelled = await cancel(t, reference, `x-${reference}`);
    expect([cancelled.status, errorCode(cancelled)]).toEqual([400, '6030']);
    expect((await modify(t, reference, 'refund', 500, `r-${reference}`)).status).toBe(200);
  });

  test('DKK reservations are released after 14 days, NOK ones are not', async () => {
    const dkk = await authorized(t, { amount: { currency: 'DKK', value: 1000 } });
    const nok = await authorized(t);
    await advance(14 * DAY_S);
    expect(eventNames(await events(dkk))).toEqual(['CREATED', 'AUTHORIZED', 'CANCELLED']);
    expect(eventNames(await events(nok))).toEqual(['CREATED', 'AUTHORIZED']);
    expect((await modify(t, nok, 'capture', 1000, `c-${nok}`)).status).toBe(200);
  });

  test('refunds end 365 days after authorization (6220)', async () => {
    const reference = await authorized(t);
    await modify(t, reference, 'capture', 1000, `c-${reference}`);
    await advance(364 * DAY_S);
    expect((await modify(t, reference, 'refund', 100, `r1-${reference}`)).status).toBe(200);
    await advance(DAY_S);
    const res = await modify(t, reference, 'refund', 100, `r2-${reference}`);
    expect([res.status, errorCode(res)]).toEqual([400, '6220']);
  });

  test('every response so far conforms to epayment-v1.yml', () => {
    expect(t.exchanges.length).toBeGreaterThan(0);
    expect(conformanceViolations(t.exchanges)).toEqual([]);
  });
});
