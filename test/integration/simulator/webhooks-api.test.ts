import { SIMULATOR_MERCHANT, type MerchantConfig } from '../../../src/config/config';
import { MAX_REGISTRATIONS_PER_EVENT } from '../../../src/simulator/webhooks/webhook-registry';
import { startTestSimulator, type TestSimulator } from '../../support/simulator';

const WEBHOOKS = '/webhooks/v1/webhooks';
const OTHER: MerchantConfig = { msn: '654321', clientId: 'other-client', clientSecret: 'other-secret', subscriptionKey: 'other-key' };

let t: TestSimulator;

beforeAll(async () => {
  t = await startTestSimulator([SIMULATOR_MERCHANT, OTHER]);
});
afterEach(async () => {
  await t.control('POST', '/reset');
});
afterAll(async () => {
  await t.close();
});

function register(body: unknown, merchant?: MerchantConfig) {
  return t.call('POST', WEBHOOKS, { body, merchant });
}

describe('Webhooks API', () => {
  test('register → list → delete', async () => {
    const events = ['epayments.payment.created.v1', 'epayments.payment.captured.v1'];
    const created = await register({ url: 'https://shop.example/hooks/vipps', events });
    expect(created.status).toBe(201);
    expect(created.body.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    // 64 random bytes, base64.
    expect(Buffer.from(created.body.secret, 'base64')).toHaveLength(64);
    expect(Object.keys(created.body).sort()).toEqual(['id', 'secret']);

    const listed = await t.call('GET', WEBHOOKS);
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual({ webhooks: [{ id: created.body.id, url: 'https://shop.example/hooks/vipps', events }] });

    const deleted = await t.call('DELETE', `${WEBHOOKS}/${created.body.id}`);
    expect(deleted.status).toBe(204);
    expect((await t.call('GET', WEBHOOKS)).body).toEqual({ webhooks: [] });
    expect((await t.call('DELETE', `${WEBHOOKS}/${created.body.id}`)).status).toBe(404);
  });

  test('accepts http:// so the simulator can deliver to a local API, and every known event family', async () => {
    const res = await register({
      url: 'http://localhost:4000/webhooks/vipps?tenant=a',
      events: ['recurring.charge-canceled.v1', 'recurring.charge-refunded.v1', 'user.checked-in.v1'],
    });
    expect(res.status).toBe(201);
  });

  test.each([
    ['no body', undefined, 'request body'],
    ['a relative url', { url: '/hooks', events: ['epayments.payment.created.v1'] }, 'url'],
    ['a non-http url', { url: 'ftp://shop.example/hooks', events: ['epayments.payment.created.v1'] }, 'url'],
    ['a missing url', { events: ['epayments.payment.created.v1'] }, 'url'],
    ['no events', { url: 'https://shop.example/hooks', events: [] }, 'events'],
    ['an unknown event', { url: 'https://shop.example/hooks', events: ['epayments.payment.created.v2'] }, 'Unknown event'],
    ['the two-l spelling of canceled', { url: 'https://shop.example/hooks', events: ['recurring.charge-cancelled.v1'] }, 'Unknown event'],
    ['an unknown property', { url: 'https://shop.example/hooks', events: ['epayments.payment.created.v1'], secret: 'mine' }, 'secret'],
  ])('rejects %s with a Webhooks problem', async (_name, body, mentions) => {
    const res = await register(body);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(res.body).toMatchObject({ status: 400, title: 'Bad Request', traceId: expect.any(String), instance: expect.any(String) });
    expect(res.body.extraDetails).toEqual([{ name: 'Reason', reason: expect.stringContaining(mentions) }]);
    expect((await t.call('GET', WEBHOOKS)).body.webhooks).toEqual([]);
  });

  test(`allows ${MAX_REGISTRATIONS_PER_EVENT} registrations per event type per MSN`, async () => {
    const event = 'epayments.payment.captured.v1';
    for (let i = 0; i < MAX_REGISTRATIONS_PER_EVENT; i += 1) {
      expect((await register({ url: `https://shop.example/hooks/${i}`, events: [event] })).status).toBe(201);
    }
    const over = await register({ url: 'https://shop.example/hooks/over', events: ['epayments.payment.created.v1', event] });
    expect(over.status).toBe(400);
    expect(over.body.detail).toContain(event);
    // Other events and other merchants have their own limits.
    expect((await register({ url: 'https://shop.example/hooks/x', events: ['epayments.payment.created.v1'] })).status).toBe(201);
    expect((await register({ url: 'https://shop.example/hooks/x', events: [event] }, OTHER)).status).toBe(201);
  });

  test('another MSN can neither see nor delete a registration', async () => {
    const mine = await register({ url: 'https://shop.example/hooks', events: ['epayments.payment.created.v1'] });
    const theirs = await register({ url: 'https://other.example/hooks', events: ['epayments.payment.created.v1'] }, OTHER);

    expect((await t.call('GET', WEBHOOKS, { merchant: OTHER })).body.webhooks.map((w: { id: string }) => w.id)).toEqual([theirs.body.id]);
    const denied = await t.call('DELETE', `${WEBHOOKS}/${mine.body.id}`, { merchant: OTHER });
    expect(denied.status).toBe(404);
    expect(denied.body).toMatchObject({ status: 404, title: 'Not Found' });
    expect((await t.call('GET', WEBHOOKS)).body.webhooks.map((w: { id: string }) => w.id)).toEqual([mine.body.id]);
  });

  test('requires a token', async () => {
    const res = await t.call('GET', WEBHOOKS, { anonymous: true });
    expect(res.status).toBe(401);
  });
});
