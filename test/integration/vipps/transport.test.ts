import { createVippsClient, type VippsClient } from '../../../src/vipps/vipps-client';
import {
  VippsApiError,
  VippsAuthenticationError,
  VippsConnectionError,
  VippsLockedError,
  VippsNotFoundError,
  VippsUnknownMerchantError,
} from '../../../src/vipps/errors';
import { capturingLogger, MERCHANT, startFakeVipps, SYSTEM, testConfig, type FakeVipps } from './support/fake-vipps.server';

/** What goes over the wire, against a raw node:http server we control. No Redis: tokens live in memory. */

const FAST = { baseDelayMs: 5, maxDelayMs: 20, maxRetryAfterMs: 5_000 };
const MSN = MERCHANT.msn;
const capture = { modificationAmount: { currency: 'NOK' as const, value: 1000 } };

let vipps: FakeVipps;
let logs: ReturnType<typeof capturingLogger>;
let client: VippsClient;

function makeClient(overrides: Record<string, string> = {}): VippsClient {
  return createVippsClient({ config: testConfig(vipps.url, overrides), log: logs.log, retryPolicy: FAST });
}

beforeEach(async () => {
  vipps = await startFakeVipps();
  logs = capturingLogger();
  client = makeClient();
});

afterEach(async () => {
  await vipps.close();
});

describe('headers and secrets on the wire', () => {
  it('fetches a token with credentials and system headers, then sends every Vipps header on the call', async () => {
    vipps.handle(() => ({ status: 200, body: { amount: capture.modificationAmount, state: 'AUTHORIZED' } }));
    await client.epayment.capturePayment(MSN, 'acme-shop-1', capture, 'capture-acme-shop-1');

    expect(vipps.tokenRequests).toHaveLength(1);
    const tokenHeaders = vipps.tokenRequests[0]!.headers;
    expect(vipps.tokenRequests[0]!.method).toBe('POST');
    expect(tokenHeaders).toMatchObject({
      client_id: MERCHANT.clientId,
      client_secret: MERCHANT.clientSecret,
      'ocp-apim-subscription-key': MERCHANT.subscriptionKey,
      'merchant-serial-number': MSN,
      'vipps-system-name': SYSTEM.name,
      'vipps-system-version': SYSTEM.version,
      'vipps-system-plugin-name': SYSTEM.pluginName,
      'vipps-system-plugin-version': SYSTEM.pluginVersion,
    });

    const [call] = vipps.requests;
    expect(call).toMatchObject({ method: 'POST', url: '/epayment/v1/payments/acme-shop-1/capture' });
    expect(call!.headers).toMatchObject({
      authorization: 'Bearer tok-1',
      'ocp-apim-subscription-key': MERCHANT.subscriptionKey,
      'merchant-serial-number': MSN,
      'idempotency-key': 'capture-acme-shop-1',
      'content-type': 'application/json',
      'vipps-system-name': SYSTEM.name,
      'vipps-system-version': SYSTEM.version,
      'vipps-system-plugin-name': SYSTEM.pluginName,
      'vipps-system-plugin-version': SYSTEM.pluginVersion,
    });
    expect(call!.headers.client_secret).toBeUndefined();
    expect(JSON.parse(call!.body)).toEqual(capture);
  });

  it('sends each secret only in its own header, and never logs one', async () => {
    vipps.handle(() => ({ status: 404, body: { title: 'Not Found', status: 404, traceId: 'tr-404', extraDetails: [{ name: 'ErrorCode', reason: '5090' }] } }));
    await expect(client.epayment.getPayment(MSN, 'acme-shop-2')).rejects.toBeInstanceOf(VippsNotFoundError);

    const allowed: Record<string, string> = { client_secret: MERCHANT.clientSecret, 'ocp-apim-subscription-key': MERCHANT.subscriptionKey, authorization: 'Bearer tok-1' };
    for (const request of [...vipps.tokenRequests, ...vipps.requests]) {
      const elsewhere = JSON.stringify({ url: request.url, body: request.body, headers: Object.entries(request.headers).filter(([name]) => !(name in allowed)) });
      for (const secret of [MERCHANT.clientSecret, MERCHANT.subscriptionKey, 'tok-1']) expect(elsewhere).not.toContain(secret);
    }
    const logged = logs.raw.join('\n');
    for (const secret of [MERCHANT.clientSecret, MERCHANT.subscriptionKey, 'tok-1']) expect(logged).not.toContain(secret);
  });

  it('encodes path parameters and passes query and Continuation-Token', async () => {
    vipps.handle(() => ({ status: 200, headers: { 'Continuation-Token': 'next-page' }, body: [] }));
    const page = await client.recurring.listCharges(MSN, 'agr/../1', { status: 'DUE', continuationToken: 'this-page' });
    expect(vipps.requests[0]!.url).toBe('/recurring/v3/agreements/agr%2F..%2F1/charges?status=DUE');
    expect(vipps.requests[0]!.headers['continuation-token']).toBe('this-page');
    expect(page).toEqual({ items: [], continuationToken: 'next-page' });
  });

  it('answers undefined for 204 and sends no Content-Type without a body', async () => {
    vipps.handle(() => ({ status: 204 }));
    await expect(client.recurring.cancelCharge(MSN, 'agr_1', 'chr-1', 'cancel-chr-1')).resolves.toBeUndefined();
    expect(vipps.requests[0]).toMatchObject({ method: 'DELETE', url: '/recurring/v3/agreements/agr_1/charges/chr-1' });
    expect(vipps.requests[0]!.headers['content-type']).toBeUndefined();
  });

  it('rejects an unknown MSN before sending anything', async () => {
    await expect(client.epayment.getPayment('999999', 'acme-shop-3')).rejects.toBeInstanceOf(VippsUnknownMerchantError);
    expect(vipps.tokenRequests).toHaveLength(0);
    expect(vipps.requests).toHaveLength(0);
  });
});

describe('retries', () => {
  it('retries a GET on 503 until it succeeds', async () => {
    vipps.handle((_req, i) => (i < 2 ? { status: 503, body: 'Service Unavailable' } : { status: 200, body: { reference: 'acme-shop-4' } }));
    await expect(client.epayment.getPayment(MSN, 'acme-shop-4')).resolves.toEqual({ reference: 'acme-shop-4' });
    expect(vipps.requests).toHaveLength(3);
  });

  it('gives up after maxRetries and throws the last error, logged once', async () => {
    vipps.handle(() => ({ status: 503, body: { title: 'Service Unavailable', status: 503, traceId: 'tr-503' } }));
    const error = await client.epayment.getPaymentEvents(MSN, 'acme-shop-5').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VippsApiError);
    expect(vipps.requests).toHaveLength(4); // 1 + VIPPS_MAX_RETRIES
    const failures = logs.lines.filter((l) => l.msg === 'vipps request failed');
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ traceId: 'tr-503', method: 'GET', path: '/epayment/v1/payments/acme-shop-5/events', status: 503, attempts: 4 });
  });

  it('retries a POST with an Idempotency-Key on 500, sending the same key every time', async () => {
    vipps.handle((_req, i) => (i < 2 ? { status: 500, body: { title: 'Internal', status: 500, extraDetails: [{ name: 'ErrorCode', reason: '3010' }] } } : { status: 200, body: { state: 'AUTHORIZED' } }));
    await client.epayment.capturePayment(MSN, 'acme-shop-6', capture, 'capture-acme-shop-6-1');
    expect(vipps.requests.map((r) => r.headers['idempotency-key'])).toEqual(['capture-acme-shop-6-1', 'capture-acme-shop-6-1', 'capture-acme-shop-6-1']);
    expect(vipps.requests.map((r) => r.body)).toEqual(Array(3).fill(JSON.stringify(capture)));
  });

  it('does not retry a POST without an Idempotency-Key', async () => {
    vipps.handle(() => ({ status: 500, body: { title: 'Internal Server Error', status: 500 } }));
    await expect(client.webhooks.registerWebhook(MSN, { url: 'https://example.com/hook', events: ['epayments.payment.captured.v1'] })).rejects.toBeInstanceOf(VippsApiError);
    expect(vipps.requests).toHaveLength(1);
    expect(vipps.requests[0]!.headers['idempotency-key']).toBeUndefined();
  });

  it('does not retry other 4xx, even with a key', async () => {
    vipps.handle(() => ({ status: 409, body: { title: 'Conflict', status: 409, extraDetails: [{ name: 'ErrorCode', reason: '4010' }] } }));
    await expect(client.epayment.capturePayment(MSN, 'acme-shop-7', capture, 'k-7')).rejects.toMatchObject({ status: 409, code: '4010' });
    expect(vipps.requests).toHaveLength(1);
  });

  it('retries 423 (concurrent operation) on a keyed write and surfaces VippsLockedError when it persists', async () => {
    vipps.handle(() => ({ status: 423, body: { title: 'Locked', status: 423 } }));
    await expect(client.epayment.refundPayment(MSN, 'acme-shop-8', capture, 'refund-8')).rejects.toBeInstanceOf(VippsLockedError);
    expect(vipps.requests).toHaveLength(4);
  });

  it('honours Retry-After on 429', async () => {
    vipps.handle((_req, i) => (i === 0 ? { status: 429, headers: { 'Retry-After': '1' }, body: { statusCode: 429, message: 'Rate limit is exceeded.' } } : { status: 200, body: { reference: 'acme-shop-9' } }));
    await client.epayment.getPayment(MSN, 'acme-shop-9');
    expect(vipps.requests).toHaveLength(2);
    // Backoff alone would wait < 20 ms here; only Retry-After explains a full second.
    expect(vipps.requests[1]!.at - vipps.requests[0]!.at).toBeGreaterThanOrEqual(950);
  });

  it('turns a timeout into VippsConnectionError, retrying a GET but not an unkeyed write', async () => {
    const slow = makeClient({ VIPPS_TIMEOUT_MS: '150', VIPPS_MAX_RETRIES: '1' });
    vipps.handle(() => ({ status: 200, hang: true }));
    const error = await slow.epayment.getPayment(MSN, 'acme-shop-10').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VippsConnectionError);
    expect(error).toMatchObject({ timedOut: true, status: undefined });
    expect(vipps.requests).toHaveLength(2);

    await expect(slow.webhooks.deleteWebhook(MSN, 'wh-1')).rejects.toBeInstanceOf(VippsConnectionError);
    expect(vipps.requests).toHaveLength(3);
  });

  it('turns a refused connection into VippsConnectionError', async () => {
    const url = vipps.url;
    await vipps.close();
    const offline = createVippsClient({ config: testConfig(url, { VIPPS_MAX_RETRIES: '0' }), log: logs.log });
    await expect(offline.epayment.getPayment(MSN, 'acme-shop-11')).rejects.toMatchObject({ name: 'VippsConnectionError', timedOut: false, api: 'token' });
    vipps = await startFakeVipps(); // for afterEach
  });
});

describe('token refresh on 401', () => {
  it('drops a cached token that Vipps rejects and retries once with a fresh one', async () => {
    vipps.handle(() => ({ status: 200, body: { reference: 'acme-shop-12' } }));
    await client.epayment.getPayment(MSN, 'acme-shop-12');
    vipps.revoked.add('tok-1');
    await client.epayment.capturePayment(MSN, 'acme-shop-12', capture, 'capture-12');
    expect(vipps.tokenRequests).toHaveLength(2);
    expect(vipps.requests.map((r) => r.headers.authorization)).toEqual(['Bearer tok-1', 'Bearer tok-1', 'Bearer tok-2']);
  });

  it('refreshes only once when the fresh token is rejected too', async () => {
    vipps.handle(() => ({ status: 200, body: {} }));
    await client.epayment.getPayment(MSN, 'acme-shop-13');
    vipps.revoked.add('tok-1').add('tok-2');
    await expect(client.epayment.getPayment(MSN, 'acme-shop-13')).rejects.toBeInstanceOf(VippsAuthenticationError);
    expect(vipps.tokenRequests).toHaveLength(2);
    expect(vipps.requests).toHaveLength(3);
  });

  it('does not refresh a token it has just fetched', async () => {
    vipps.revoked.add('tok-1');
    await expect(client.epayment.getPayment(MSN, 'acme-shop-14')).rejects.toBeInstanceOf(VippsAuthenticationError);
    expect(vipps.tokenRequests).toHaveLength(1);
    expect(vipps.requests).toHaveLength(1);
  });

  it('shares one token request between concurrent callers in a process', async () => {
    vipps.handle(() => ({ status: 200, body: {} }));
    await Promise.all(Array.from({ length: 10 }, (_, i) => client.epayment.getPayment(MSN, `acme-shop-c${i}`)));
    expect(vipps.tokenRequests).toHaveLength(1);
  });
});
