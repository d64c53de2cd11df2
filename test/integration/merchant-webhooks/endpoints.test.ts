import { startTestApi, type TestApi } from '../../support/api';
import { DELETE, DELIVERIES, LIST, REDELIVER, REGISTER, register, UPDATE, WEBHOOK_API_KEYS } from './webhook-support';

/**
 * Registering and managing endpoints over /graphql: the scope, merchant isolation, and bad input
 * answered with UserErrors that say what is wrong. No worker: nothing here sends.
 */
describe('merchant webhook endpoints', () => {
  let api: TestApi;
  /** VIPPS_ENV=test: https only, public addresses only. */
  let strict: TestApi;

  beforeAll(async () => {
    api = await startTestApi({ API_KEYS: WEBHOOK_API_KEYS });
    strict = await startTestApi({ API_KEYS: WEBHOOK_API_KEYS, VIPPS_ENV: 'test', SIGNING_SECRET: 'a-test-signing-secret-of-at-least-32-characters' });
  });

  afterAll(async () => {
    await api.close();
    await strict.close();
  });

  afterEach(async () => {
    for (const msn of ['123456', '654321']) {
      for (const endpoint of await api.services.merchantWebhooks.list(msn)) await api.services.merchantWebhooks.remove(msn, endpoint.id);
    }
  });

  it('registers, lists, changes and deletes an endpoint; the secret is shown once', async () => {
    const created = await api.gql(REGISTER, { input: { url: 'http://127.0.0.1:9/hooks', types: ['CHARGE_FAILED', 'PAYMENT_UPDATED', 'PAYMENT_UPDATED'] } });
    const { webhook, secret, errors } = created.data.registerMerchantWebhook;
    expect(errors).toEqual([]);
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    // Types deduplicated, in the enum's order.
    expect(webhook).toMatchObject({ merchantSerialNumber: '123456', url: 'http://127.0.0.1:9/hooks', types: ['PAYMENT_UPDATED', 'CHARGE_FAILED'], enabled: true, disabledReason: null });

    const listed = await api.gql(LIST, {});
    expect(listed.data.merchantWebhooks).toEqual([{ id: webhook.id, merchantSerialNumber: '123456', url: 'http://127.0.0.1:9/hooks', types: ['PAYMENT_UPDATED', 'CHARGE_FAILED'], enabled: true, disabledReason: null }]);
    // The type has no field that could return the secret.
    const asked = await api.gql(`{ merchantWebhooks { id secret } }`);
    expect(asked.errors?.[0]?.message).toMatch(/Cannot query field "secret" on type "MerchantWebhook"/);

    const updated = await api.gql(UPDATE, { input: { id: webhook.id, url: 'http://127.0.0.1:10/other', types: ['AGREEMENT_STOPPED'], enabled: false } });
    expect(updated.data.updateMerchantWebhook).toEqual({ webhook: { id: webhook.id, url: 'http://127.0.0.1:10/other', types: ['AGREEMENT_STOPPED'], enabled: false, disabledReason: null }, errors: [] });

    const deleted = await api.gql(DELETE, { id: webhook.id });
    expect(deleted.data.deleteMerchantWebhook).toEqual({ deletedId: webhook.id, errors: [] });
    expect((await api.gql(LIST, {})).data.merchantWebhooks).toEqual([]);
    const again = await api.gql(DELETE, { id: webhook.id });
    expect(again.data.deleteMerchantWebhook).toEqual({ deletedId: null, errors: [{ code: 'NOT_FOUND', message: 'No webhook endpoint has this id.', field: ['id'] }] });
  });

  it('needs the webhooks:write scope, for reading too', async () => {
    for (const [query, variables] of [
      [LIST, {}],
      [REGISTER, { input: { url: 'http://127.0.0.1:9/hooks', types: ['PAYMENT_UPDATED'] } }],
      [DELIVERIES, { endpointId: 'whep_123456_0123456789abcdef' }],
    ] as const) {
      const result = await api.gql(query, variables, 'reader');
      expect(result.errors?.[0]).toMatchObject({ message: 'This API key lacks the webhooks:write scope.', extensions: { code: 'FORBIDDEN' } });
    }
  });

  it("shows a key none of another merchant's endpoints, and lets it change none (deliveries: delivery.test.ts)", async () => {
    const mine = await register(api, 'http://127.0.0.1:9/a');
    const theirs = await register(api, 'http://127.0.0.1:9/b', ['PAYMENT_UPDATED'], 'other');
    expect((await api.gql(LIST, {}, 'other')).data.merchantWebhooks.map((w: { id: string }) => w.id)).toEqual([theirs.id]);
    expect((await api.gql(LIST, { msn: '123456' }, 'other')).data.merchantWebhooks).toEqual([]);
    expect((await api.gql(LIST, {})).data.merchantWebhooks.map((w: { id: string }) => w.id)).toEqual([mine.id]);
    // A key for both sees each merchant's own.
    expect((await api.gql(LIST, { msn: '654321' }, 'partner')).data.merchantWebhooks.map((w: { id: string }) => w.id)).toEqual([theirs.id]);

    const notFound = { code: 'NOT_FOUND', message: 'No webhook endpoint has this id.' };
    expect((await api.gql(UPDATE, { input: { id: mine.id, enabled: false } }, 'other')).data.updateMerchantWebhook).toMatchObject({ webhook: null, errors: [notFound] });
    expect((await api.gql(DELETE, { id: mine.id }, 'other')).data.deleteMerchantWebhook).toMatchObject({ deletedId: null, errors: [notFound] });
    const delivery = Buffer.from(`${mine.id}:evt_0123456789abcdef0123456789abcdef`).toString('base64url');
    expect((await api.gql(REDELIVER, { id: delivery }, 'other')).data.redeliverWebhook).toEqual({ deliveryId: null, errors: [{ code: 'NOT_FOUND', message: 'No webhook delivery has this id.', field: ['deliveryId'] }] });
    expect((await api.gql(REGISTER, { input: { merchantSerialNumber: '123456', url: 'http://127.0.0.1:9/c', types: ['PAYMENT_UPDATED'] } }, 'other')).data.registerMerchantWebhook.errors).toEqual([
      { code: 'NOT_FOUND', message: 'Merchant 123456 was not found.', field: ['input', 'merchantSerialNumber'] },
    ]);
    // Still there, unchanged.
    expect((await api.gql(LIST, {})).data.merchantWebhooks).toMatchObject([{ id: mine.id, enabled: true }]);
  });

  it.each([
    ['not a url', 'The webhook URL is not a valid absolute URL.'],
    ['http://shop.example/hooks', 'The webhook URL must use https.'],
    ['https://127.0.0.1/hooks', 'The webhook URL points to a loopback, private or otherwise non-public address; webhooks are sent to public addresses only.'],
    ['https://[fd00::1]/hooks', 'The webhook URL points to a loopback, private or otherwise non-public address; webhooks are sent to public addresses only.'],
    ['https://localhost:8443/hooks', 'The webhook URL points to a loopback, private or otherwise non-public address; webhooks are sent to public addresses only.'],
    ['https://host.invalid/hooks', "The webhook URL's host name could not be resolved."],
  ])('refuses %s outside simulator mode with a sentence', async (url, message) => {
    const result = await strict.gql(REGISTER, { input: { url, types: ['PAYMENT_UPDATED'] } });
    expect(result.errors).toBeUndefined();
    expect(result.data.registerMerchantWebhook).toEqual({ webhook: null, secret: null, errors: [{ code: 'INVALID_URL', message, field: ['input', 'url'] }] });
  });

  it('refuses an empty or unknown event type, and a changed URL that is not allowed', async () => {
    const empty = await api.gql(REGISTER, { input: { url: 'http://127.0.0.1:9/hooks', types: [] } });
    expect(empty.data.registerMerchantWebhook.errors).toEqual([{ code: 'INVALID_INPUT', message: 'Choose at least one event type.', field: ['input', 'types'] }]);
    const unknown = await api.gql(REGISTER, { input: { url: 'http://127.0.0.1:9/hooks', types: ['PAYMENT_EXPLODED'] } });
    expect(unknown.errors?.[0]?.message).toMatch(/Value "PAYMENT_EXPLODED" does not exist in "MerchantEventType" enum/);
    const endpoint = await register(api, 'http://127.0.0.1:9/hooks');
    const changed = await api.gql(UPDATE, { input: { id: endpoint.id, url: 'ftp://127.0.0.1/hooks' } });
    expect(changed.data.updateMerchantWebhook).toEqual({ webhook: null, errors: [{ code: 'INVALID_URL', message: 'The webhook URL must use http or https.', field: ['input', 'url'] }] });
    const notAnId = await api.gql(UPDATE, { input: { id: 'whep_123456_nothex', enabled: true } });
    expect(notAnId.data.updateMerchantWebhook.errors).toEqual([{ code: 'NOT_FOUND', message: 'No webhook endpoint has this id.', field: ['input', 'id'] }]);
  });

  it('caps the endpoints of a merchant', async () => {
    for (let i = 0; i < 10; i += 1) await register(api, `http://127.0.0.1:9/hooks/${i}`);
    const eleventh = await api.gql(REGISTER, { input: { url: 'http://127.0.0.1:9/hooks/10', types: ['PAYMENT_UPDATED'] } });
    expect(eleventh.data.registerMerchantWebhook.errors).toEqual([{ code: 'INVALID_INPUT', message: 'A merchant can have at most 10 webhook endpoints; delete one first.', field: ['input'] }]);
  });
});
