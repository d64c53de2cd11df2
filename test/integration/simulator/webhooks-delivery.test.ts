import type { DeliveryLogEntry } from '../../../src/simulator/webhooks/webhook-delivery';
import { verifyWebhook } from '../../../src/webhooks/signature';
import { componentSchemaErrors } from '../../support/conformance';
import { startTestSimulator, startWebhookReceiver, type ReceivedWebhook, type TestSimulator, type WebhookReceiver } from '../../support/simulator';

const MSN = '123456';
const WEBHOOKS = '/webhooks/v1/webhooks';

let t: TestSimulator;
let receiver: WebhookReceiver;

beforeAll(async () => {
  t = await startTestSimulator();
});
beforeEach(async () => {
  receiver = await startWebhookReceiver();
});
afterEach(async () => {
  await t.control('POST', '/reset');
  await receiver.close();
});
afterAll(async () => {
  await t.close();
});

async function register(events: string[], path = '/hooks/vipps?tenant=a'): Promise<{ id: string; secret: string; url: string }> {
  const url = `${receiver.url}${path}`;
  const res = await t.call('POST', WEBHOOKS, { body: { url, events } });
  expect(res.status).toBe(201);
  return { ...res.body, url };
}

function paymentEvent(reference: string, name: string, extra: Record<string, unknown> = {}) {
  return {
    msn: MSN,
    name: `epayments.payment.${name.toLowerCase()}.v1`,
    payload: {
      msn: MSN,
      reference,
      pspReference: '1234567891',
      name,
      amount: { currency: 'NOK', value: 1000 },
      timestamp: new Date().toISOString(),
      idempotencyKey: null,
      success: true,
      ...extra,
    },
  };
}

function verify(delivery: ReceivedWebhook, secret: string) {
  return verifyWebhook({
    secret,
    method: delivery.method,
    url: { pathAndQuery: delivery.url, host: delivery.headers.host as string },
    headers: delivery.headers,
    rawBody: delivery.rawBody,
    now: new Date(),
    maxAgeSeconds: 60,
  });
}

async function deliveryLog(): Promise<DeliveryLogEntry[]> {
  const res = await t.control('GET', '/webhook-deliveries');
  expect(res.status).toBe(200);
  return res.body.deliveries;
}

describe('webhook delivery', () => {
  test('delivers a subscribed event with a signature that verifyWebhook accepts', async () => {
    const registration = await register(['epayments.payment.created.v1']);
    const event = paymentEvent('wh-signed-0001', 'CREATED');
    t.sim.ctx.publish(event);

    const [delivery] = await receiver.waitFor(1);
    expect(delivery).toBeDefined();
    const received = delivery as ReceivedWebhook;
    expect(received.method).toBe('POST');
    expect(received.url).toBe('/hooks/vipps?tenant=a');
    expect(received.headers['content-type']).toBe('application/json');
    expect(received.headers.host).toBe(new URL(registration.url).host);
    expect(received.headers.authorization).toMatch(/^HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=[A-Za-z0-9+/]+=*$/);
    expect(received.body).toEqual(event.payload);
    expect(verify(received, registration.secret)).toEqual({ ok: true });
    expect(verify({ ...received, rawBody: received.rawBody.replace('CREATED', 'CAPTURED') }, registration.secret).ok).toBe(false);
    expect(verify(received, 'another-secret').ok).toBe(false);

    const log = await deliveryLog();
    expect(log).toEqual([
      expect.objectContaining({ registrationId: registration.id, url: registration.url, event: 'epayments.payment.created.v1', attempt: 1, status: 200, outcome: 'delivered' }),
    ]);
  });

  test('delivers only subscribed events of the registering MSN', async () => {
    await register(['epayments.payment.captured.v1']);
    t.sim.ctx.publish(paymentEvent('wh-filter-0001', 'CREATED'));
    t.sim.ctx.publish({ ...paymentEvent('wh-filter-0001', 'CAPTURED'), msn: '999999' });
    t.sim.ctx.publish(paymentEvent('wh-filter-0001', 'CAPTURED'));
    const [delivery] = await receiver.waitFor(1);
    expect(delivery?.body.name).toBe('CAPTURED');
    expect(delivery?.body.msn).toBe(MSN);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(receiver.received).toHaveLength(1);
  });

  test('retries after 500, 500 with the same event and keeps the order of the payment', async () => {
    const registration = await register(['epayments.payment.created.v1', 'epayments.payment.authorized.v1']);
    receiver.respondWith(500, 500);
    t.sim.ctx.publish(paymentEvent('wh-retry-0001', 'CREATED'));
    t.sim.ctx.publish(paymentEvent('wh-retry-0001', 'AUTHORIZED'));

    // Backoff 1 s then 2 s before the third attempt succeeds.
    const deliveries = await receiver.waitFor(4, 10_000);
    expect(deliveries.map((d) => [d.body.name, d.status])).toEqual([
      ['CREATED', 500],
      ['CREATED', 500],
      ['CREATED', 200],
      ['AUTHORIZED', 200],
    ]);
    expect(new Set(deliveries.slice(0, 3).map((d) => d.rawBody)).size).toBe(1);
    for (const delivery of deliveries) expect(verify(delivery, registration.secret)).toEqual({ ok: true });

    const log = await deliveryLog();
    expect(log.map((e) => [e.event, e.attempt, e.status, e.outcome])).toEqual([
      ['epayments.payment.created.v1', 1, 500, 'retrying'],
      ['epayments.payment.created.v1', 2, 500, 'retrying'],
      ['epayments.payment.created.v1', 3, 200, 'delivered'],
      ['epayments.payment.authorized.v1', 1, 200, 'delivered'],
    ]);
    expect(new Set(log.slice(0, 3).map((e) => e.id)).size).toBe(1);
  });

  test('a failing event holds back only its own payment', async () => {
    await register(['epayments.payment.created.v1']);
    receiver.respondWith(500);
    t.sim.ctx.publish(paymentEvent('wh-block-0001', 'CREATED'));
    await receiver.waitFor(1);
    t.sim.ctx.publish(paymentEvent('wh-other-0001', 'CREATED'));
    const deliveries = await receiver.waitFor(3, 5_000);
    expect(deliveries.map((d) => [d.body.reference, d.status])).toEqual([
      ['wh-block-0001', 500],
      ['wh-other-0001', 200],
      ['wh-block-0001', 200],
    ]);
  });

  test('dropWebhooks drops events instead of queueing them', async () => {
    await register(['epayments.payment.created.v1']);
    expect((await t.control('PUT', '/faults', { dropWebhooks: true })).status).toBe(200);
    t.sim.ctx.publish(paymentEvent('wh-drop-0001', 'CREATED'));
    expect((await t.control('PUT', '/faults', { dropWebhooks: false })).status).toBe(200);
    t.sim.ctx.publish(paymentEvent('wh-drop-0002', 'CREATED'));

    const [delivery] = await receiver.waitFor(1);
    expect(delivery?.body.reference).toBe('wh-drop-0002');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(receiver.received).toHaveLength(1);
    expect((await deliveryLog()).map((e) => e.outcome)).toEqual(['dropped', 'delivered']);
  });

  test('reset stops pending retries', async () => {
    await register(['epayments.payment.created.v1']);
    receiver.respondWith(503);
    t.sim.ctx.publish(paymentEvent('wh-reset-0001', 'CREATED'));
    await receiver.waitFor(1);
    await t.control('POST', '/reset');
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(receiver.received).toHaveLength(1);
    expect(await deliveryLog()).toEqual([]);
  });

  test('deleting a registration stops its deliveries', async () => {
    const registration = await register(['epayments.payment.created.v1']);
    receiver.respondWith(500);
    t.sim.ctx.publish(paymentEvent('wh-delete-0001', 'CREATED'));
    await receiver.waitFor(1);
    expect((await t.call('DELETE', `${WEBHOOKS}/${registration.id}`)).status).toBe(204);
    t.sim.ctx.publish(paymentEvent('wh-delete-0002', 'CREATED'));
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(receiver.received).toHaveLength(1);
  });

  test('an unreachable receiver is retried, logged with no status', async () => {
    const registration = await register(['epayments.payment.created.v1']);
    await receiver.close();
    t.sim.ctx.publish(paymentEvent('wh-down-0001', 'CREATED'));
    let log: DeliveryLogEntry[] = [];
    for (let i = 0; i < 50 && log.length === 0; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      log = await deliveryLog();
    }
    expect(log).toEqual([expect.objectContaining({ registrationId: registration.id, attempt: 1, status: null, outcome: 'retrying', error: expect.any(String) })]);
  });

  test('a real ePayment create → approve is delivered as created.v1 then authorized.v1', async () => {
    const registration = await register(['epayments.payment.created.v1', 'epayments.payment.authorized.v1']);
    const reference = 'wh-epayment-flow-0001';
    const created = await t.call('POST', '/epayment/v1/payments', {
      body: {
        amount: { currency: 'NOK', value: 1000 },
        paymentMethod: { type: 'WALLET' },
        reference,
        userFlow: 'WEB_REDIRECT',
        returnUrl: 'https://shop.example/return',
        paymentDescription: 'One coffee',
      },
      idempotencyKey: `create-${reference}`,
    });
    expect(created.status).toBe(201);
    const approved = await t.call('POST', `/epayment/v1/test/payments/${reference}/approve`, { body: { customer: { phoneNumber: '4791234567' } } });
    expect(approved.status).toBe(200);

    const deliveries = await receiver.waitFor(2);
    expect(deliveries.map((d) => d.body.name)).toEqual(['CREATED', 'AUTHORIZED']);
    for (const delivery of deliveries) {
      expect(delivery.body).toMatchObject({ msn: MSN, reference, amount: { currency: 'NOK', value: 1000 }, success: true });
      expect(componentSchemaErrors('epayment-v1.yml', 'WebhookEvent', delivery.body)).toBeUndefined();
      expect(verify(delivery, registration.secret)).toEqual({ ok: true });
    }
    expect((await deliveryLog()).map((e) => e.event)).toEqual(['epayments.payment.created.v1', 'epayments.payment.authorized.v1']);
  });
});
