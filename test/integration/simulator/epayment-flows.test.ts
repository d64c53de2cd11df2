import { conformanceViolations } from '../../support/conformance';
import { startTestSimulator, type TestSimulator } from '../../support/simulator';
import type { SimEvent } from '../../../src/simulator/simulator-context';
import {
  PAYMENTS,
  approve,
  authorized,
  cancel,
  create,
  errorCode,
  eventNames,
  modify,
  recordEvents,
} from './epayment-support';
import { expectEventually } from '../../support/eventually';

const DAY_MS = 86_400_000;
const money = (value: number, currency = 'NOK') => ({ currency, value });

let t: TestSimulator;
let published: SimEvent[];

beforeAll(async () => {
  t = await startTestSimulator();
  published = recordEvents(t);
});
afterAll(async () => {
  await t.close();
});

async function get(reference: string) {
  return (await t.call('GET', `${PAYMENTS}/${reference}`)).body;
}
async function events(reference: string) {
  return t.call('GET', `${PAYMENTS}/${reference}/events`);
}

describe('ePayment simulator flows', () => {
  test('create → approve → full capture: aggregate, events, capture deadline and webhooks', async () => {
    const reference = await create(t);
    const created = await get(reference);
    expect(created).toMatchObject({ reference, state: 'CREATED', amount: money(1000), paymentMethod: { type: 'WALLET' }, profile: {} });
    expect(created.redirectUrl).toMatch(new RegExp(`^${t.url.replace('127.0.0.1', '127\\.0\\.0\\.1')}/landing\\?token=\\w+$`));
    expect(created.captureGuaranteedUntil).toBeUndefined();

    expect((await approve(t, reference)).status).toBe(200);
    const auth = await get(reference);
    expect(auth.state).toBe('AUTHORIZED');
    const authorizedAt = Date.parse((await events(reference)).body[1].timestamp);
    expect(Date.parse(auth.captureGuaranteedUntil) - authorizedAt).toBe(180 * DAY_MS);

    const res = await modify(t, reference, 'capture', 1000, `cap-${reference}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      reference,
      state: 'AUTHORIZED',
      amount: money(1000),
      aggregate: { authorizedAmount: money(1000), capturedAmount: money(1000), cancelledAmount: money(0), refundedAmount: money(0) },
    });
    const log = (await events(reference)).body;
    expect(log.map((e: { name: string }) => e.name)).toEqual(['CREATED', 'AUTHORIZED', 'CAPTURED']);
    expect(log[2]).toMatchObject({ reference, amount: money(1000), idempotencyKey: `cap-${reference}`, success: true });
    expect(res.body.pspReference).toBe(log[2].pspReference);
    const psps = log.map((e: { pspReference: string }) => e.pspReference);
    expect(new Set(psps).size).toBe(3);
    psps.forEach((p: string) => expect(p).toMatch(/^\d{10}$/));
    expect(created.pspReference).toBe(psps[0]);

    const hooks = published.filter((e) => e.payload.reference === reference);
    expect(hooks.map((e) => e.name)).toEqual([
      'epayments.payment.created.v1',
      'epayments.payment.authorized.v1',
      'epayments.payment.captured.v1',
    ]);
    expect(hooks[2]?.payload).toEqual({ msn: '123456', ...log[2] });
  });

  test('REFUNDED: repeated partial refunds up to the captured amount, then 6150', async () => {
    const reference = await authorized(t);
    await modify(t, reference, 'capture', 1000, `c-${reference}`);
    expect((await modify(t, reference, 'refund', 400, `r1-${reference}`)).status).toBe(200);
    const second = await modify(t, reference, 'refund', 600, `r2-${reference}`);
    expect(second.status).toBe(200);
    expect(second.body.aggregate.refundedAmount).toEqual(money(1000));
    const over = await modify(t, reference, 'refund', 1, `r3-${reference}`);
    expect([over.status, errorCode(over)]).toEqual([400, '6150']);
    expect(eventNames(await events(reference))).toEqual(['CREATED', 'AUTHORIZED', 'CAPTURED', 'REFUNDED', 'REFUNDED']);
  });

  test('CANCELLED: cancel releases the whole reservation once; capture after it is 6070', async () => {
    const reference = await authorized(t);
    const res = await cancel(t, reference, `x-${reference}`);
    expect(res.status).toBe(200);
    expect(res.body.state).toBe('AUTHORIZED');
    expect(res.body.aggregate).toMatchObject({ authorizedAmount: money(1000), cancelledAmount: money(1000) });
    const again = await cancel(t, reference, `x2-${reference}`);
    expect([again.status, errorCode(again)]).toEqual([400, '6190']);
    const cap = await modify(t, reference, 'capture', 100, `c-${reference}`);
    expect([cap.status, errorCode(cap)]).toEqual([400, '6070']);
    const log = (await events(reference)).body;
    expect(log.map((e: { name: string }) => e.name)).toEqual(['CREATED', 'AUTHORIZED', 'CANCELLED']);
    expect(log[2].amount).toEqual(money(1000));
  });

  test('partial capture, cancel of the rest (A 1000, C 250 → X 750), then refund of the captured part', async () => {
    const reference = await authorized(t);
    expect((await modify(t, reference, 'capture', 250, `c-${reference}`)).status).toBe(200);
    const cancelled = await cancel(t, reference, `x-${reference}`);
    expect(cancelled.body.aggregate).toMatchObject({ capturedAmount: money(250), cancelledAmount: money(750) });
    const refunded = await modify(t, reference, 'refund', 250, `r-${reference}`);
    expect(refunded.status).toBe(200);
    expect(refunded.body.aggregate).toEqual({
      authorizedAmount: money(1000),
      capturedAmount: money(250),
      cancelledAmount: money(750),
      refundedAmount: money(250),
    });
    const log = (await events(reference)).body;
    expect(log.map((e: { name: string; amount: { value: number } }) => [e.name, e.amount.value])).toEqual([
      ['CREATED', 1000],
      ['AUTHORIZED', 1000],
      ['CAPTURED', 250],
      ['CANCELLED', 750],
      ['REFUNDED', 250],
    ]);
  });

  test('fully captured payments cannot be cancelled (6040)', async () => {
    const reference = await authorized(t);
    await modify(t, reference, 'capture', 1000, `c-${reference}`);
    const res = await cancel(t, reference, `x-${reference}`);
    expect([res.status, errorCode(res)]).toEqual([400, '6040']);
  });

  test('TERMINATED: cancel before approval; the user can no longer approve', async () => {
    const reference = await create(t);
    const res = await cancel(t, reference, `x-${reference}`);
    expect(res.status).toBe(200);
    expect(res.body.state).toBe('TERMINATED');
    expect(res.body.aggregate).toMatchObject({ authorizedAmount: money(0), cancelledAmount: money(1000) });
    const late = await approve(t, reference);
    expect([late.status, errorCode(late)]).toEqual([400, '10020']);
    expect(eventNames(await events(reference))).toEqual(['CREATED', 'TERMINATED']);
  });

  test('cancelTransactionOnly terminates a CREATED payment but refuses an AUTHORIZED one (6060)', async () => {
    const created = await create(t);
    expect((await cancel(t, created, `x-${created}`, { cancelTransactionOnly: true })).body.state).toBe('TERMINATED');
    const auth = await authorized(t);
    const res = await cancel(t, auth, `x-${auth}`, { cancelTransactionOnly: true });
    expect([res.status, errorCode(res)]).toEqual([400, '6060']);
  });

  test('ABORTED: the user rejects on the landing page and is sent back to returnUrl', async () => {
    const reference = await create(t, { returnUrl: 'https://shop.example/back?order=1' });
    const token = new URL((await get(reference)).redirectUrl).searchParams.get('token');
    const res = await fetch(`${t.url}/landing/reject?token=${token}`, { method: 'POST', redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('https://shop.example/back?order=1');
    expect((await get(reference)).state).toBe('ABORTED');
    expect(eventNames(await events(reference))).toEqual(['CREATED', 'ABORTED']);
  });

  test('the landing page shows the payment and approving there authorizes it', async () => {
    const reference = await create(t, { paymentDescription: 'Two <b>teas</b>', amount: money(49_905) });
    const page = await fetch((await get(reference)).redirectUrl);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await page.text();
    expect(html).toContain('499.05 NOK');
    expect(html).toContain('Two &#60;b&#62;teas&#60;/b&#62;');
    const action = html.match(/action="(\/landing\/approve\?token=\w+)"/)?.[1];
    const res = await fetch(`${t.url}${action}`, { method: 'POST', redirect: 'manual' });
    expect(res.status).toBe(303);
    expect((await get(reference)).state).toBe('AUTHORIZED');
  });

  test('force approve accepts the landing token and refuses a wrong one', async () => {
    const reference = await create(t);
    const token = new URL((await get(reference)).redirectUrl).searchParams.get('token');
    const wrong = await t.call('POST', `/epayment/v1/test/payments/${reference}/approve`, { body: { token: 'nope' } });
    expect([wrong.status, errorCode(wrong)]).toEqual([400, '10010']);
    expect((await get(reference)).state).toBe('CREATED');
    const ok = await t.call('POST', `/epayment/v1/test/payments/${reference}/approve`, { body: { token } });
    expect(ok.status).toBe(200);
    expect((await get(reference)).state).toBe('AUTHORIZED');
  });

  test('PUSH_MESSAGE gets no redirectUrl; QR gets its QR image, NATIVE_REDIRECT the landing page', async () => {
    const push = await t.call('POST', PAYMENTS, {
      body: { amount: money(1000), paymentMethod: { type: 'WALLET' }, reference: 'push-msg-0001', userFlow: 'PUSH_MESSAGE', customer: { phoneNumber: '4791234567' } },
      idempotencyKey: 'push-msg-0001',
    });
    expect(push.status).toBe(201);
    expect(push.body).toEqual({ reference: 'push-msg-0001' });
    const qr = await t.call('POST', PAYMENTS, {
      body: { amount: money(1000), paymentMethod: { type: 'WALLET' }, reference: 'qr-flow-0001', userFlow: 'QR', qrFormat: { format: 'IMAGE/PNG', size: 400 } },
      idempotencyKey: 'qr-flow-0001',
    });
    expect(qr.body.redirectUrl).toMatch(/\/qr-image\/v1\?token=\w+&format=png&size=400$/);
    const app = await t.call('POST', PAYMENTS, {
      body: { amount: money(1000), paymentMethod: { type: 'WALLET' }, reference: 'native-0001', userFlow: 'NATIVE_REDIRECT', returnUrl: 'myshop://paid' },
      idempotencyKey: 'native-0001',
    });
    expect(app.body.redirectUrl).toMatch(/\/landing\?token=/);
  });

  test.each([151, 182, 183, 184, 186, 187, 197])('magic amount %i fails the authorization (ABORTED, 10010)', async (value) => {
    const reference = await create(t, { amount: money(value) });
    const res = await approve(t, reference);
    expect([res.status, errorCode(res)]).toEqual([400, '10010']);
    expect((await get(reference)).state).toBe('ABORTED');
  });

  test('DKK and EUR reservations have a 14-day capture deadline', async () => {
    for (const currency of ['DKK', 'EUR']) {
      const reference = await authorized(t, { amount: money(1000, currency) });
      const payment = await get(reference);
      const authorizedAt = Date.parse((await events(reference)).body[1].timestamp);
      expect(Date.parse(payment.captureGuaranteedUntil) - authorizedAt).toBe(14 * DAY_MS);
      expect(payment.aggregate.authorizedAmount).toEqual(money(1000, currency));
    }
  });

  test('the simulated user approves or rejects by itself (behaviour)', async () => {
    await t.control('PUT', '/behaviour', { autoApproveAfterMs: 20, userAction: 'APPROVE' });
    const approved = await create(t);
    await t.control('PUT', '/behaviour', { userAction: 'REJECT' });
    const rejected = await create(t);
    await t.control('PUT', '/behaviour', { autoApproveAfterMs: null, userAction: 'APPROVE' });
    const untouched = await create(t);
    await expectEventually(async () => {
      expect((await get(approved)).state).toBe('AUTHORIZED');
      expect((await get(rejected)).state).toBe('ABORTED');
    });
    expect((await get(untouched)).state).toBe('CREATED');
  });

  test('a profile scope gives the authorized payment a sub', async () => {
    const reference = await authorized(t, { profile: { scope: 'name phoneNumber' } });
    expect((await get(reference)).profile.sub).toEqual(expect.any(String));
  });

  test('metadata is returned on GET', async () => {
    const reference = await create(t, { metadata: { orderId: '42', channel: 'web' } });
    expect((await get(reference)).metadata).toEqual({ orderId: '42', channel: 'web' });
  });

  test('every response so far conforms to epayment-v1.yml', () => {
    expect(t.exchanges.length).toBeGreaterThan(0);
    expect(conformanceViolations(t.exchanges)).toEqual([]);
  });
});
