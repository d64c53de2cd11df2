import { startTestApi, type TestApi } from '../../support/api';
import { expectEventually } from '../../support/eventually';
import { wsClient, type TestWsClient } from '../../support/live';
import { PAYMENT_STATUS } from '../../support/status-token';
import { createPayment } from '../payments/payment-support';

/**
 * Documents built to make the server work exponentially or without end, sent with an API key and
 * with a status token (close to public: it sits in mobile apps and URLs), over HTTP and graphql-ws.
 * Each is refused with QUERY_TOO_COMPLEX in bounded time, and while it is in flight the API goes on
 * answering. The time bound is generous (1 s): before the gate, the 24-fragment bomb alone kept the
 * event loop busy for about 11 s, and every fragment more doubles that.
 */
const BOUND_MS = 1000;

/** n fragments, each spreading the one before twice: 2^n fields once expanded, about 1 KB of text. */
function fragmentBomb(n: number, root: 'query' | 'subscription'): string {
  const field = root === 'query' ? 'payment' : 'paymentUpdated';
  let text = `${root} Bomb($reference: String!) { ${field}(reference: $reference) { ...F${n} } }\nfragment F0 on Payment { reference state }\n`;
  for (let i = 1; i <= n; i += 1) text += `fragment F${i} on Payment { ...F${i - 1} ...F${i - 1} }\n`;
  return text;
}

/** 100,000 aliases of one field: about 800 KB, under the 1 MB body limit. */
function aliasFlood(count: number, root: 'query' | 'subscription'): string {
  const field = root === 'query' ? 'payment' : 'paymentUpdated';
  return `${root} Flood($reference: String!) { ${field}(reference: $reference) { ${'a:state '.repeat(count)}} }`;
}

describe('hostile documents', () => {
  let api: TestApi;
  let reference: string;
  let token: string;
  const clients: TestWsClient[] = [];
  beforeAll(async () => {
    api = await startTestApi();
    const created = await createPayment(api);
    reference = created.payment.reference;
    token = created.statusToken as string;
    // Cached, so the concurrent read below is the ordinary cached read.
    expect((await api.gql(PAYMENT_STATUS, { reference }, token)).data.payment.reference).toBe(reference);
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await api.close();
  });

  const credentials = () => [
    ['an API key', 'dev'],
    ['a status token', token],
  ];

  /** The hostile request and, while it is in flight, /healthz and a cached payment read. */
  async function alongside<T>(hostile: () => Promise<T>): Promise<{ result: T; ms: number }> {
    const started = Date.now();
    const [result, health, read] = await Promise.all([
      hostile().then((r) => ({ r, ms: Date.now() - started })),
      fetch(`${api.url}/healthz`).then((r) => ({ status: r.status, ms: Date.now() - started })),
      api.gql(PAYMENT_STATUS, { reference }, token).then((r) => ({ r, ms: Date.now() - started })),
    ]);
    expect(health.status).toBe(200);
    expect(health.ms).toBeLessThan(BOUND_MS);
    expect(read.r.data.payment.reference).toBe(reference);
    expect(read.ms).toBeLessThan(BOUND_MS);
    return { result: result.r, ms: result.ms };
  }

  describe.each([20, 24, 28])('a bomb of %i fragments', (n) => {
    it.each([0, 1])('is refused over HTTP (credential %#)', async (which) => {
      const [, bearer] = credentials()[which] as [string, string];
      const { result, ms } = await alongside(() => api.gql(fragmentBomb(n, 'query'), { reference }, bearer));
      expect(result.status).toBe(400);
      expect(result.errors).toEqual([
        { message: `The query Bomb could return about ${2 ** (n + 1) + 1} fields; the limit is 20000. Ask for smaller pages (first).`, extensions: expect.objectContaining({ code: 'QUERY_TOO_COMPLEX', limit: 'GRAPHQL_MAX_COST' }) },
      ]);
      expect(ms).toBeLessThan(BOUND_MS);
    });

    it.each([0, 1])('is refused over graphql-ws (credential %#)', async (which) => {
      const [, bearer] = credentials()[which] as [string, string];
      const client = wsClient(api.url, { bearer });
      clients.push(client);
      const { ms } = await alongside(async () => {
        const sub = client.subscribe(fragmentBomb(n, 'subscription'), { reference });
        await expectEventually(async () => expect(sub.errors).toHaveLength(1), { timeoutMs: BOUND_MS, intervalMs: 5 });
        expect(sub.errors[0]).toEqual([expect.objectContaining({ message: expect.stringMatching(/^The query Bomb could return about \d+ fields; the limit is 20000/), extensions: expect.objectContaining({ code: 'QUERY_TOO_COMPLEX' }) })]);
      });
      expect(ms).toBeLessThan(BOUND_MS);
      // The connection stays good (a lazy client closes it normally once nothing is subscribed).
      expect(client.closes.filter((c) => c.code !== 1000)).toEqual([]);
    });
  });

  describe('a document of 100,000 aliases', () => {
    it.each([0, 1])('is refused over HTTP by its size, before it is parsed (credential %#)', async (which) => {
      const [, bearer] = credentials()[which] as [string, string];
      const flood = aliasFlood(100_000, 'query');
      const { result, ms } = await alongside(() => api.gql(flood, { reference }, bearer));
      expect(result.status).toBe(400);
      expect(result.errors).toEqual([
        { message: `The query is ${flood.length} bytes long; the limit is 32768.`, extensions: { code: 'QUERY_TOO_COMPLEX', limit: 'GRAPHQL_MAX_DOCUMENT_BYTES', value: flood.length, max: 32768 } },
      ]);
      expect(ms).toBeLessThan(BOUND_MS);
    });

    it('over graphql-ws is larger than a message may be: the connection is closed (1009) before anything reads it', async () => {
      const client = wsClient(api.url, { bearer: 'dev' });
      clients.push(client);
      await alongside(async () => {
        client.subscribe(aliasFlood(100_000, 'subscription'), { reference });
        await expectEventually(async () => expect(client.closes).toEqual([expect.objectContaining({ code: 1009 })]), { timeoutMs: BOUND_MS, intervalMs: 5 });
      });
    });

    it.each([0, 1])('of 500 aliases is within the size and token limits and is refused over graphql-ws with QUERY_TOO_COMPLEX (credential %#)', async (which) => {
      const [, bearer] = credentials()[which] as [string, string];
      const client = wsClient(api.url, { bearer });
      clients.push(client);
      const sub = client.subscribe(aliasFlood(500, 'subscription'), { reference });
      await expectEventually(async () => expect(sub.errors).toHaveLength(1), { timeoutMs: BOUND_MS, intervalMs: 5 });
      expect(sub.errors[0]).toEqual([expect.objectContaining({ message: expect.stringMatching(/uses 500 aliases; the limit is 30\.$/), extensions: expect.objectContaining({ code: 'QUERY_TOO_COMPLEX', limit: 'GRAPHQL_MAX_ALIASES' }) })]);
    });
  });

  it('too many tokens: refused with the count, on both transports', async () => {
    const many = `query Many($reference: String!) { payment(reference: $reference) { ${'state '.repeat(2100)}} }`;
    const http = await api.gql(many, { reference });
    expect(http.errors?.[0]).toEqual({ message: 'The query has 2120 tokens; the limit is 2000.', extensions: { code: 'QUERY_TOO_COMPLEX', limit: 'GRAPHQL_MAX_TOKENS', value: 2120, max: 2000 } });
    const client = wsClient(api.url, { bearer: 'dev' });
    clients.push(client);
    const sub = client.subscribe(many.replace('query', 'subscription').replace('payment(', 'paymentUpdated('), { reference });
    await expectEventually(async () => expect(sub.errors).toEqual([[expect.objectContaining({ message: 'The query has 2120 tokens; the limit is 2000.' })]]));
  });
});
