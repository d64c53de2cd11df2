import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { getIntrospectionQuery } from 'graphql';
import { WebSocket } from 'ws';
import { startTestApi, type TestApi } from '../../support/api';
import { expectEventually } from '../../support/eventually';
import { wsClient, type TestWsClient } from '../../support/live';
import { createPayment } from '../payments/payment-support';

/** What a tool, a browser or an operator meets at the edge of a running API. */
describe('the API at its edge', () => {
  let api: TestApi;
  const clients: TestWsClient[] = [];
  beforeAll(async () => {
    api = await startTestApi({ WS_MAX_SUBSCRIPTIONS: '2', WS_CONNECTION_INIT_TIMEOUT: '1s', CORS_ORIGINS: 'https://shop.example,http://localhost:*' });
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await api.close();
  });
  const client = (bearer: string | null = 'dev') => {
    const c = wsClient(api.url, { bearer });
    clients.push(c);
    return c;
  };

  describe('introspection for tools', () => {
    it("answers graphql-js's own introspection query, with every option GraphiQL turns on", async () => {
      const query = getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true, schemaDescription: true, inputValueDeprecation: true });
      const result = await api.gql(query);
      expect(result.errors).toBeUndefined();
      const names = result.data.__schema.types.map((t: { name: string }) => t.name);
      expect(names).toEqual(expect.arrayContaining(['Payment', 'Agreement', 'Charge', 'Subscription']));
    });

    it('still refuses types of fields of types … by cost', async () => {
      let nested = 'name';
      for (let i = 0; i < 6; i += 1) nested = `fields { type { ${nested} } }`;
      const result = await api.gql(`{ __schema { types { ${nested} } } }`);
      expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 'GRAPHQL_MAX_COST' });
    });

    it('lets `npm run codegen` load the schema from the running API (CODEGEN_SCHEMA_URL)', async () => {
      // The project's own codegen configuration, generating in memory rather than writing files.
      const outputs = await codegen(`${api.url}/graphql`, 'Bearer dev');
      const testTypes = outputs.find((o) => o.filename.endsWith('test/generated/graphql.ts'))?.content ?? '';
      expect(testTypes).toContain('export type PaymentState =');
      expect(testTypes).toContain('export type CreatePaymentMutation = {');
      expect(outputs.map((o) => o.filename).sort()).toEqual(['examples/client/generated.ts', 'test/generated/graphql.ts']);
      // Without the key, the API refuses to describe itself.
      await expect(codegen(`${api.url}/graphql`, 'Bearer nobody')).rejects.toThrow();
    });
  });

  describe('CORS', () => {
    const preflight = (origin: string) =>
      fetch(`${api.url}/graphql`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' } });

    it('answers a preflight from an allowed origin, cached for two hours', async () => {
      for (const origin of ['https://shop.example', 'http://localhost:5173']) {
        const res = await preflight(origin);
        expect(res.status).toBe(204);
        expect(res.headers.get('access-control-allow-origin')).toBe(origin);
        expect(res.headers.get('access-control-allow-headers')).toMatch(/Authorization, Content-Type/);
        expect(res.headers.get('access-control-max-age')).toBe('7200');
        expect(res.headers.get('access-control-allow-credentials')).toBeNull();
      }
    });

    it('gives a refused origin no CORS headers, on the preflight and on the request', async () => {
      for (const origin of ['https://evil.example', 'https://shop.example.evil.example', 'http://localhost.evil.example:80']) {
        const res = await preflight(origin);
        expect(res.status).toBe(403);
        expect(res.headers.get('access-control-allow-origin')).toBeNull();
      }
      const res = await fetch(`${api.url}/graphql`, { method: 'POST', headers: { origin: 'https://evil.example', authorization: 'Bearer dev', 'content-type': 'application/json' }, body: '{"query":"{ payments { totalCount } }"}' });
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
    });

    it('checks WebSocket upgrades against the same origins; clients without an Origin are not browsers', async () => {
      const opens = (origin?: string) =>
        new Promise<string>((resolve) => {
          const ws = new WebSocket(`${api.url.replace('http', 'ws')}/graphql`, 'graphql-transport-ws', origin ? { origin } : {});
          ws.on('open', () => {
            ws.close();
            resolve('open');
          });
          ws.on('unexpected-response', (_req, res) => resolve(`refused ${res.statusCode}`));
          ws.on('error', () => resolve('error'));
        });
      expect(await opens('https://shop.example')).toBe('open');
      expect(await opens()).toBe('open');
      expect(await opens('https://evil.example')).toBe('refused 401');
    });
  });

  describe('WebSocket limits', () => {
    it('refuses a subscription past WS_MAX_SUBSCRIPTIONS on one connection, and keeps the others', async () => {
      const c = client();
      const query = 'subscription($reference: String!) { paymentUpdated(reference: $reference) { state } }';
      const references = await Promise.all([1, 2, 3].map(async () => (await createPayment(api)).payment.reference));
      const subs = references.map((reference) => c.subscribe(query, { reference }));
      await expectEventually(async () => expect(subs[2]?.errors).toEqual([[expect.objectContaining({ extensions: { code: 'TOO_MANY_SUBSCRIPTIONS', max: 2 } })]]));
      expect(subs[0]?.errors).toEqual([]);
      expect(subs[1]?.errors).toEqual([]);
      expect(c.closes).toEqual([]);
    });

    it('closes a connection that sends no connection_init in time (4408)', async () => {
      const started = Date.now();
      const closed = await new Promise<{ code: number; ms: number }>((resolve) => {
        const ws = new WebSocket(`${api.url.replace('http', 'ws')}/graphql`, 'graphql-transport-ws');
        ws.on('close', (code) => resolve({ code, ms: Date.now() - started }));
      });
      expect(closed.code).toBe(4408);
      expect(closed.ms).toBeGreaterThanOrEqual(900);
      expect(closed.ms).toBeLessThan(5000);
    });

    it('closes a connection whose message is larger than WS_MAX_MESSAGE_BYTES (1009)', async () => {
      const c = client();
      c.subscribe(`subscription { paymentUpdated(reference: "${'x'.repeat(70 * 1024)}") { state } }`, {});
      await expectEventually(async () => expect(c.closes).toEqual([expect.objectContaining({ code: 1009 })]));
    });
  });

  describe('operations endpoints', () => {
    it('serves /metrics on its own loopback port, not on the public one', async () => {
      expect(new URL(api.metricsUrl).hostname).toBe('127.0.0.1');
      expect(new URL(api.metricsUrl).port).not.toBe(new URL(api.url).port);
      expect(await (await fetch(api.metricsUrl)).text()).toMatch(/^# TYPE nodejs_eventloop_lag_seconds gauge$/m);
      expect((await fetch(`${api.url}/metrics`)).status).toBe(404);
    });
  });
});

describe('errors with introspection off', () => {
  let api: TestApi;
  const clients: TestWsClient[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await api.close();
  });

  /** The same typo over HTTP and over graphql-ws. */
  async function typo(): Promise<string[]> {
    const http = await api.gql('{ payment(reference: "x") { stat } }');
    const c = wsClient(api.url, { bearer: 'dev' });
    clients.push(c);
    const sub = c.subscribe('subscription { paymentUpdated(reference: "x") { stat } }', {});
    await expectEventually(async () => expect(sub.errors).toHaveLength(1));
    return [http.errors?.[0]?.message as string, (sub.errors[0] as { message: string }[])[0]?.message as string];
  }

  it('name no field the caller did not send', async () => {
    api = await startTestApi({ GRAPHQL_INTROSPECTION: 'false' });
    expect(await typo()).toEqual(['Cannot query field "stat" on type "Payment".', 'Cannot query field "stat" on type "Payment".']);
  });

  it('(with introspection on, the suggestions help)', async () => {
    api = await startTestApi({ GRAPHQL_INTROSPECTION: 'true' });
    for (const message of await typo()) expect(message).toMatch(/Did you mean "state"( or "status")?\?$/);
  });
});

const run = promisify(execFile);

/** `npm run codegen` against a running API, in memory (test/support/codegen-child.mjs). */
async function codegen(schemaUrl: string, authorization: string): Promise<{ filename: string; content: string }[]> {
  const root = join(__dirname, '..', '..', '..');
  const { stdout } = await run(process.execPath, [join(root, 'test', 'support', 'codegen-child.mjs'), schemaUrl, authorization], { cwd: root, maxBuffer: 16 * 1024 * 1024 });
  return JSON.parse(stdout) as { filename: string; content: string }[];
}
