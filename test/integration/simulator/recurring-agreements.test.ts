import { SIMULATOR_MERCHANT, type MerchantConfig } from '../../../src/config/config';
import type { SimEvent } from '../../../src/simulator/simulator-context';
import { startTestSimulator, type TestSimulator } from '../../support/simulator';
import {
  AGREEMENTS, accept, activeAgreement, cancelCharge, chargesPath, createCharge, draft, draftBody, eventsFor, expectErrorV3, getAgreement, getCharge,
  identifier, newKey, recordEvents, simDate,
} from './recurring-support';

/** Agreement lifecycle of docs/vipps.md §10.6 over real HTTP: ACTIVE, STOPPED, EXPIRED, updates, listing. */

const OTHER: MerchantConfig = { msn: '654321', clientId: 'other-id', clientSecret: 'other-secret', subscriptionKey: 'other-key' };
let t: TestSimulator;
let events: SimEvent[];

beforeAll(async () => {
  t = await startTestSimulator([SIMULATOR_MERCHANT, OTHER]);
  events = recordEvents(t);
});
afterAll(async () => {
  await t.close();
});

const patch = (id: string, body: unknown, key = newKey('patch')) => t.call('PATCH', `${AGREEMENTS}/${id}`, { body, idempotencyKey: key });

describe('draft and accept', () => {
  test('a draft is PENDING with a landing-page confirmation URL on the simulator', async () => {
    const created = await draft(t);
    expect(created.agreementId).toMatch(/^agr_[A-Za-z0-9]{7}$/);
    expect(created.uuid).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.chargeId).toBeNull();
    expect(created.vippsConfirmationUrl).toBe(`${t.url}/recurring-landing?agreement=${created.agreementId}`);
    const res = await getAgreement(t, created.agreementId);
    expect(res.body).toMatchObject({ id: created.agreementId, status: 'PENDING', start: null, stop: null, pricing: { type: 'LEGACY', amount: 10000, currency: 'NOK' } });
    expect(res.body.interval).toEqual({ unit: 'MONTH', count: 1, text: 'every month' });
  });

  test('force accept → ACTIVE with a start time and an agreement-activated event', async () => {
    const { agreementId } = await draft(t);
    expect((await accept(t, agreementId)).status).toBe(204);
    const res = await getAgreement(t, agreementId);
    expect(res.body.status).toBe('ACTIVE');
    expect(Date.parse(res.body.start)).not.toBeNaN();
    expect(eventsFor(events, agreementId)).toEqual(['recurring.agreement-activated.v1']);
    expect(events.find((e) => e.payload.agreementId === agreementId)?.payload).toMatchObject({
      msn: SIMULATOR_MERCHANT.msn,
      eventType: 'recurring.agreement-activated.v1',
      occurred: expect.any(String),
    });
  });

  test('landing page: GET shows Accept and Reject forms; POST accept → ACTIVE and 303 to merchantRedirectUrl', async () => {
    const { agreementId, vippsConfirmationUrl } = await draft(t, { merchantRedirectUrl: 'myapp://subscribed' });
    const page = await fetch(vippsConfirmationUrl);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await page.text();
    expect(html).toContain(`action="/recurring-landing/accept?agreement=${agreementId}"`);
    expect(html).toContain(`action="/recurring-landing/reject?agreement=${agreementId}"`);
    expect(html).not.toContain('<script');

    const res = await fetch(`${t.url}/recurring-landing/accept?agreement=${agreementId}`, { method: 'POST', redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('myapp://subscribed');
    expect((await getAgreement(t, agreementId)).body.status).toBe('ACTIVE');
  });

  test('landing page reject → STOPPED with agreement-rejected; a second answer is refused', async () => {
    const { agreementId } = await draft(t);
    const res = await fetch(`${t.url}/recurring-landing/reject?agreement=${agreementId}`, { method: 'POST', redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('https://shop.example/redirect');
    const agreement = (await getAgreement(t, agreementId)).body;
    expect(agreement.status).toBe('STOPPED');
    expect(agreement.start).toBeNull();
    expect(eventsFor(events, agreementId)).toEqual(['recurring.agreement-rejected.v1']);

    const late = await fetch(`${t.url}/recurring-landing/accept?agreement=${agreementId}`, { method: 'POST', redirect: 'manual' });
    expect(late.status).toBe(409);
    expectErrorV3(await accept(t, agreementId), 409, 'conflict');
    expect((await getAgreement(t, agreementId)).body.status).toBe('STOPPED');
  });

  test('DIRECT_CAPTURE initial charge is CHARGED on accept; RESERVE_CAPTURE is RESERVED', async () => {
    const direct = await draft(t, { initialCharge: { amount: 4900, description: 'First month', transactionType: 'DIRECT_CAPTURE' } });
    expect(direct.chargeId).toMatch(/^chr-[A-Za-z0-9]{7}$/);
    expect((await getCharge(t, direct.agreementId, direct.chargeId as string)).body).toMatchObject({ status: 'PENDING', type: 'INITIAL' });
    await accept(t, direct.agreementId);
    const charged = (await getCharge(t, direct.agreementId, direct.chargeId as string)).body;
    expect(charged).toMatchObject({ status: 'CHARGED', type: 'INITIAL', summary: { captured: 4900, refunded: 0, cancelled: 0 } });
    expect(charged.transactionId).toMatch(/^\d{10}$/);

    const reserve = await draft(t, { initialCharge: { amount: 4900, description: 'First month', transactionType: 'RESERVE_CAPTURE', orderId: `init-${newKey().slice(2, 12)}` } });
    expect(reserve.chargeId).toMatch(/^init-/);
    await accept(t, reserve.agreementId);
    expect((await getAgreement(t, reserve.agreementId)).body.status).toBe('ACTIVE');
    expect((await getCharge(t, reserve.agreementId, reserve.chargeId as string)).body.status).toBe('RESERVED');
    expect(eventsFor(events, reserve.agreementId)).toEqual(['recurring.agreement-activated.v1', 'recurring.charge-reserved.v1']);
  });

  test('a failing DIRECT_CAPTURE initial charge (magic amount 151) leaves the agreement EXPIRED', async () => {
    const { agreementId, chargeId } = await draft(t, { initialCharge: { amount: 151, description: 'First', transactionType: 'DIRECT_CAPTURE' } });
    expect((await accept(t, agreementId)).status).toBe(204);
    expect((await getAgreement(t, agreementId)).body.status).toBe('EXPIRED');
    expect((await getCharge(t, agreementId, chargeId as string)).body).toMatchObject({ status: 'FAILED', failureReason: 'user_action_required' });
    expect(eventsFor(events, agreementId)).toEqual(['recurring.agreement-expired.v1', 'recurring.charge-failed.v1']);
  });
});

describe('stop and expiry', () => {
  test('merchant stop of an ACTIVE agreement cancels its DUE and RESERVED charges and refuses new ones', async () => {
    const { agreementId, chargeId: reserved } = await draft(t, { initialCharge: { amount: 10000, description: 'First', transactionType: 'RESERVE_CAPTURE' } });
    await accept(t, agreementId);
    const due = await createCharge(t, agreementId);
    const later = await createCharge(t, agreementId, { due: await simDate(t, 100) });
    expect((await getCharge(t, agreementId, reserved as string)).body.status).toBe('RESERVED');
    expect((await getCharge(t, agreementId, due)).body.status).toBe('DUE');
    expect((await getCharge(t, agreementId, later)).body.status).toBe('PENDING');

    expect((await patch(agreementId, { status: 'STOPPED' })).status).toBe(204);
    const stopped = (await getAgreement(t, agreementId)).body;
    expect(stopped.status).toBe('STOPPED');
    expect(Date.parse(stopped.stop)).not.toBeNaN();
    for (const id of [reserved as string, due, later]) {
      expect((await getCharge(t, agreementId, id)).body).toMatchObject({ status: 'CANCELLED', summary: { cancelled: 10000 } });
    }
    expect(eventsFor(events, agreementId)).toEqual([
      'recurring.agreement-activated.v1',
      'recurring.charge-reserved.v1',
      'recurring.agreement-stopped.v1',
      'recurring.charge-canceled.v1',
      'recurring.charge-canceled.v1',
      'recurring.charge-canceled.v1',
    ]);
    expect(events.find((e) => e.name === 'recurring.agreement-stopped.v1' && e.payload.agreementId === agreementId)?.payload.actor).toBe('MERCHANT');

    const res = await t.call('POST', chargesPath(agreementId), { body: { amount: 1000, description: 'x', due: '2099-01-01', retryDays: 0, transactionType: 'DIRECT_CAPTURE' }, idempotencyKey: newKey() });
    expect(identifier(res)).toBe('charge-creation-failed');
    expectErrorV3(await patch(agreementId, { status: 'STOPPED' }), 400, 'illegal-agreement-update');
    expect((await t.call('GET', chargesPath(agreementId))).body).toHaveLength(3);
  });

  test('an unanswered agreement is EXPIRED after 10 minutes of simulator time, not before', async () => {
    const { agreementId } = await draft(t);
    await t.control('POST', '/clock/advance', { seconds: 590 });
    expect((await getAgreement(t, agreementId)).body.status).toBe('PENDING');
    await t.control('POST', '/clock/advance', { seconds: 11 });
    expect((await getAgreement(t, agreementId)).body.status).toBe('EXPIRED');
    expect(eventsFor(events, agreementId)).toEqual(['recurring.agreement-expired.v1']);
    expectErrorV3(await accept(t, agreementId), 409, 'conflict');
    expectErrorV3(await patch(agreementId, { productName: 'Too late' }), 400, 'illegal-agreement-update');
  });

  test('the simulated user approves or rejects after autoApproveAfterMs', async () => {
    await t.control('PUT', '/behaviour', { autoApproveAfterMs: 20, userAction: 'APPROVE' });
    const approved = await draft(t);
    await t.control('PUT', '/behaviour', { autoApproveAfterMs: 20, userAction: 'REJECT' });
    const rejected = await draft(t);
    await t.control('PUT', '/behaviour', { autoApproveAfterMs: null, userAction: 'APPROVE' });
    const untouched = await draft(t);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect((await getAgreement(t, approved.agreementId)).body.status).toBe('ACTIVE');
    expect((await getAgreement(t, rejected.agreementId)).body.status).toBe('STOPPED');
    expect((await getAgreement(t, untouched.agreementId)).body.status).toBe('PENDING');
  });
});

describe('update', () => {
  test('PATCH changes the product fields and LEGACY price of an ACTIVE agreement', async () => {
    const agreementId = await activeAgreement(t);
    const res = await patch(agreementId, {
      productName: 'News Plus',
      productDescription: 'Now with puzzles',
      externalId: 'sub-42',
      pricing: { amount: 12000 },
      interval: { type: 'RECURRING', period: { unit: 'WEEK', count: 2 } },
    });
    expect(res.status).toBe(204);
    expect((await getAgreement(t, agreementId)).body).toMatchObject({
      productName: 'News Plus',
      productDescription: 'Now with puzzles',
      externalId: 'sub-42',
      pricing: { type: 'LEGACY', amount: 12000 },
      interval: { unit: 'WEEK', count: 2, text: 'every 2 weeks' },
    });
  });

  test('VARIABLE: suggestedMaxAmount changes, the user max stays; pricing.amount is refused', async () => {
    const agreementId = await activeAgreement(t, { pricing: { type: 'VARIABLE', suggestedMaxAmount: 50000, currency: 'NOK' } });
    expect((await patch(agreementId, { pricing: { suggestedMaxAmount: 80000 } })).status).toBe(204);
    expect((await getAgreement(t, agreementId)).body.pricing).toEqual({ type: 'VARIABLE', currency: 'NOK', suggestedMaxAmount: 80000, maxAmount: 50000 });
    expectErrorV3(await patch(agreementId, { pricing: { amount: 1000 } }), 400, 'illegal-agreement-update');
    const legacy = await activeAgreement(t);
    expectErrorV3(await patch(legacy, { pricing: { suggestedMaxAmount: 1000 } }), 400, 'invalid-suggested-max-amount');
    expect((await getAgreement(t, legacy)).body.pricing.amount).toBe(10000);
  });

  test('updating a PENDING agreement is illegal; status STOPPED must come alone', async () => {
    const { agreementId } = await draft(t);
    expectErrorV3(await patch(agreementId, { productName: 'Early' }), 400, 'illegal-agreement-update');
    const mixed = await patch(agreementId, { status: 'STOPPED', productName: 'x' });
    expectErrorV3(mixed, 400, 'validation-error');
    expect(mixed.body.extraDetails).toEqual([expect.objectContaining({ field: 'status' })]);
    expect((await getAgreement(t, agreementId)).body).toMatchObject({ status: 'PENDING', productName: 'News every month' });
  });
});

describe('listing and ownership', () => {
  test('list filters by one status (default ACTIVE), createdAfter, and pages', async () => {
    const fresh = await startTestSimulator([SIMULATOR_MERCHANT]);
    try {
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        ids.push(await activeAgreement(fresh, { productName: `P${i}` }));
        await fresh.control('POST', '/clock/advance', { seconds: 1 }); // distinct creation times
      }
      const pending = await draft(fresh);
      const all = await fresh.call('GET', AGREEMENTS);
      expect(all.body.map((a: { id: string }) => a.id)).toEqual(ids);
      expect((await fresh.call('GET', `${AGREEMENTS}?status=PENDING`)).body.map((a: { id: string }) => a.id)).toEqual([pending.agreementId]);
      const page2 = await fresh.call('GET', `${AGREEMENTS}?status=ACTIVE&pageNumber=2&pageSize=2`);
      expect(page2.body.map((a: { id: string }) => a.id)).toEqual(ids.slice(2, 4));
      const page3 = await fresh.call('GET', `${AGREEMENTS}?pageNumber=3&pageSize=2`);
      expect(page3.body.map((a: { id: string }) => a.id)).toEqual(ids.slice(4));
      const third = (await getAgreement(fresh, ids[2] as string)).body;
      const after = await fresh.call('GET', `${AGREEMENTS}?createdAfter=${Date.parse(third.created)}`);
      expect(after.body.map((a: { id: string }) => a.id)).toEqual(ids.slice(3));
      expectErrorV3(await fresh.call('GET', `${AGREEMENTS}?status=ACTIVE,PENDING`), 400, 'validation-error');
      expectErrorV3(await fresh.call('GET', `${AGREEMENTS}?pageSize=0`), 400, 'validation-error');
      expectErrorV3(await fresh.call('GET', `${AGREEMENTS}?pageSize=2001`), 400, 'validation-error');
    } finally {
      await fresh.close();
    }
  });

  test("another MSN's agreement and charges are 404 resource-not-found and not listed", async () => {
    const agreementId = await activeAgreement(t);
    const chargeId = await createCharge(t, agreementId);
    const asOther = { merchant: OTHER };
    expectErrorV3(await getAgreement(t, agreementId, asOther), 404, 'resource-not-found');
    expectErrorV3(await t.call('GET', `/recurring/v3/charges/${chargeId}`, asOther), 404, 'resource-not-found');
    expectErrorV3(await t.call('GET', chargesPath(agreementId), asOther), 404, 'resource-not-found');
    expectErrorV3(await accept(t, agreementId, asOther), 404, 'resource-not-found');
    expectErrorV3(await t.call('DELETE', `${chargesPath(agreementId)}/${chargeId}`, { ...asOther, idempotencyKey: newKey() }), 404, 'resource-not-found');
    expectErrorV3(await t.call('PATCH', `${AGREEMENTS}/${agreementId}`, { ...asOther, body: { status: 'STOPPED' }, idempotencyKey: newKey() }), 404, 'resource-not-found');
    expect((await t.call('GET', AGREEMENTS, asOther)).body.map((a: { id: string }) => a.id)).not.toContain(agreementId);
    expect((await getAgreement(t, agreementId)).body.status).toBe('ACTIVE');
    expect((await getCharge(t, agreementId, chargeId)).body.status).toBe('DUE');
    expect((await t.call('GET', `/recurring/v3/charges/${chargeId}`)).body.id).toBe(chargeId);
    expect((await cancelCharge(t, agreementId, chargeId)).status).toBe(204);
  });

  test('a malformed agreement id is 400 invalid-agreement-id; an unknown one 404', async () => {
    expectErrorV3(await getAgreement(t, 'not-an-id'), 400, 'invalid-agreement-id');
    expectErrorV3(await getAgreement(t, 'agr_Missing'), 404, 'resource-not-found');
  });

  test('draft body extras: VARIABLE, FLEXIBLE without interval, and a campaign', async () => {
    const variable = await draft(t, { pricing: { type: 'VARIABLE', suggestedMaxAmount: 30000, currency: 'NOK' } });
    expect((await getAgreement(t, variable.agreementId)).body.pricing).toMatchObject({ type: 'VARIABLE', suggestedMaxAmount: 30000 });
    const flexible = await draft(t, { pricing: { type: 'FLEXIBLE', currency: 'NOK' }, interval: undefined });
    const flex = (await getAgreement(t, flexible.agreementId)).body;
    expect(flex.pricing).toEqual({ type: 'FLEXIBLE', currency: 'NOK' });
    expect(flex.interval).toBeUndefined();
    const campaign = await draft(t, { campaign: { type: 'PRICE_CAMPAIGN', price: 100, end: '2099-01-01T00:00:00Z' } });
    expect((await getAgreement(t, campaign.agreementId)).body.campaign).toMatchObject({ type: 'PRICE_CAMPAIGN', price: 100, end: '2099-01-01T00:00:00Z' });
    const refused = await t.call('POST', AGREEMENTS, {
      body: draftBody({ pricing: { type: 'VARIABLE', suggestedMaxAmount: 30000, currency: 'NOK' }, campaign: { type: 'PRICE_CAMPAIGN', price: 100, end: '2099-01-01T00:00:00Z' } }),
      idempotencyKey: newKey(),
    });
    expectErrorV3(refused, 400, 'validation-error');
    expect(refused.body.extraDetails).toEqual([{ field: 'campaign', text: 'is not allowed with VARIABLE pricing' }]);
  });
});
