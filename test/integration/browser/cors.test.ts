import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { startTestApi, type TestApi } from '../../support/api';
import { launchChromium } from '../../support/browser';

/**
 * A frontend on another origin (its own server on its own port, as a shop's web app) calls the
 * API from a real headless Chromium: a query and a mutation over fetch with
 * `Authorization: Bearer dev`, and a subscription over graphql-ws. The browser enforces CORS, so
 * this passes only if the API's preflight and headers are right; with CORS_ORIGINS naming some
 * other origin, the same page is refused.
 */
const PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>Shop</title></head><body><pre id="log"></pre><script>
const headers = { 'content-type': 'application/json', authorization: 'Bearer dev' };
window.gql = async (api, query, variables) => {
  const res = await fetch(api + '/graphql', { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  return res.json();
};
/** graphql-ws (graphql-transport-ws) by hand: init, subscribe, collect "next" payloads. */
window.follow = (api, query, variables) => new Promise((resolve) => {
  const seen = { values: [], error: null, closed: null };
  const ws = new WebSocket(api.replace('http', 'ws') + '/graphql', 'graphql-transport-ws');
  ws.onopen = () => ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: 'Bearer dev' } }));
  ws.onmessage = (event) => {
    const message = JSON.parse(event.data);
    if (message.type === 'connection_ack') {
      ws.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query, variables } }));
      resolve(seen);
    }
    if (message.type === 'next') seen.values.push(message.payload.data);
  };
  ws.onerror = () => { seen.error = 'error'; resolve(seen); };
  ws.onclose = (event) => { seen.closed = event.code; resolve(seen); };
  window.seen = seen;
});
</script></body></html>`;

const CREATE = `mutation($input: CreatePaymentInput!) { createPayment(input: $input) { payment { reference state } errors { code message } } }`;
const CANCEL = `mutation($input: CancelPaymentInput!) { cancelPayment(input: $input) { payment { state } errors { code message } } }`;
const FOLLOW = `subscription($reference: String!) { paymentUpdated(reference: $reference) { reference state } }`;

async function startShop(): Promise<{ url: string; server: Server }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(PAGE);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  // "localhost" here and 127.0.0.1 for the API: two origins, as a frontend and its API are.
  return { url: `http://localhost:${(server.address() as AddressInfo).port}/`, server };
}

describe('a browser frontend on another origin', () => {
  let browser: Browser;
  let shop: { url: string; server: Server };
  beforeAll(async () => {
    browser = await launchChromium();
    shop = await startShop();
  });
  afterAll(async () => {
    await browser?.close();
    shop?.server.close();
  });

  async function openShop(): Promise<Page> {
    const page = await browser.newPage();
    await page.goto(shop.url);
    return page;
  }

  describe('allowed (simulator mode: any localhost port)', () => {
    let api: TestApi;
    beforeAll(async () => {
      api = await startTestApi();
    });
    afterAll(async () => {
      await api.close();
    });

    it('runs a query, a mutation and a subscription with Authorization: Bearer dev', async () => {
      const page = await openShop();
      const reference = `cors-${Date.now()}`;
      const query = await page.evaluate(([u]) => (globalThis as any).gql(u, '{ payments(first: 1) { totalCount } }'), [api.url]);
      expect(query.data.payments.totalCount).toEqual(expect.any(Number));
      const input = { idempotencyKey: reference, reference, amount: { value: 49900, currency: 'NOK' }, userFlow: 'WEB_REDIRECT', returnUrl: 'https://shop.example/back' };
      const created = await page.evaluate(([u, q, i]) => (globalThis as any).gql(u, q, { input: i }), [api.url, CREATE, input] as const);
      expect(created.data.createPayment).toEqual({ payment: { reference, state: 'CREATED' }, errors: [] });

      const opened = await page.evaluate(([u, q, r]) => (globalThis as any).follow(u, q, { reference: r }), [api.url, FOLLOW, reference] as const);
      expect(opened).toEqual({ values: [], error: null, closed: null });
      // A change stored by the API (no worker needed): the shop cancels the payment.
      const cancelled = await api.gql(CANCEL, { input: { reference, idempotencyKey: `${reference}-cancel` } });
      expect(cancelled.data.cancelPayment.errors).toEqual([]);
      await page.waitForFunction(() => (globalThis as any).seen.values.length > 0);
      expect(await page.evaluate(() => (globalThis as any).seen.values)).toEqual([{ paymentUpdated: { reference, state: 'TERMINATED' } }]);
      await page.close();
    });
  });

  describe('refused (CORS_ORIGINS names another origin)', () => {
    let api: TestApi;
    beforeAll(async () => {
      api = await startTestApi({ CORS_ORIGINS: 'https://shop.example' });
    });
    afterAll(async () => {
      await api.close();
    });

    it('cannot read an answer nor open a subscription', async () => {
      const page = await openShop();
      const failure = await page.evaluate(([u]) => (globalThis as any).gql(u, '{ payments(first: 1) { totalCount } }').then(() => 'answered', (e: Error) => e.message), [api.url]);
      expect(failure).toBe('Failed to fetch');
      const opened = await page.evaluate(([u, q]) => (globalThis as any).follow(u, q, { reference: 'x' }), [api.url, FOLLOW] as const);
      expect(opened.values).toEqual([]);
      expect(opened.error).toBe('error');
      await page.close();
    });
  });
});
