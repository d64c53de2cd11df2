import { request } from 'node:http';
import { spawnApiProcess, type ApiProcess } from '../../support/api-process';
import { expectEventually } from '../../support/eventually';
import { wsClient } from '../../support/live';
import { deleteKeys, testRedis, uniquePrefix } from '../../support/redis';
import { startTestSimulator, type TestSimulator } from '../../support/simulator';

/**
 * `src/api/main.ts` as a real child process (compiled on the fly, as `npm run start:api` runs the
 * built file) against a simulator whose every Vipps answer is slowed down, then SIGTERM while a
 * createPayment waits for Vipps.
 */
const VIPPS_LATENCY_MS = 2500;

type Readiness = { status: number; body: unknown } | 'refused';

async function readiness(url: string): Promise<Readiness> {
  try {
    const res = await fetch(`${url}/readyz`);
    return { status: res.status, body: await res.json() };
  } catch {
    return 'refused';
  }
}

function createPayment(url: string, key: string): Promise<{ status: number; body: any }> {
  const query = `mutation ($key: String!) {
    createPayment(input: {idempotencyKey: $key, reference: $key, amount: {value: 49900, currency: NOK}, userFlow: WEB_REDIRECT, returnUrl: "https://example.com/return"}) {
      payment { reference state } errors { code message }
    }
  }`;
  return fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer dev' },
    body: JSON.stringify({ query, variables: { key } }),
  }).then(async (res) => ({ status: res.status, body: await res.json() }));
}

describe('the API on SIGTERM', () => {
  let sim: TestSimulator;
  let api: ApiProcess | undefined;
  const prefix = uniquePrefix('api shutdown');

  beforeAll(async () => {
    sim = await startTestSimulator();
  });
  afterEach(async () => {
    if (api && api.child.exitCode === null && api.child.signalCode === null) {
      api.child.kill('SIGKILL');
      await api.exited;
    }
    api = undefined;
    await sim.control('PUT', '/faults', { latencyMs: 0 });
  });
  afterAll(async () => {
    const cleaner = testRedis();
    await deleteKeys(cleaner, prefix);
    await cleaner.quit();
    await sim.close();
  });

  it('turns /readyz 503 first, closes the listener after the grace, finishes the request in flight, closes subscriptions with 1001, exits 0', async () => {
    api = await spawnApiProcess(sim, prefix, { SHUTDOWN_GRACE_SECONDS: '1' });
    const { url } = api;
    const ws = wsClient(url, { bearer: 'dev' });
    const connected = new Promise((resolve) => ws.client.on('connected', resolve));
    ws.subscribe('subscription ($r: String!) { paymentUpdated(reference: $r) { state } }', { r: 'shutdown-live' });
    await connected;
    await sim.control('PUT', '/faults', { latencyMs: VIPPS_LATENCY_MS });

    let answered = false;
    const inFlight = createPayment(url, 'shutdown-in-flight').finally(() => (answered = true));
    const signalledAt = Date.now();
    api.child.kill('SIGTERM');

    // Poll readiness until the listener is gone: 503 "draining" all along, then refused.
    const seen: Readiness[] = [];
    for (;;) {
      const state = await readiness(url);
      seen.push(state);
      if (state === 'refused') break;
      if (Date.now() - signalledAt > 10_000) throw new Error(`the listener was still open 10 s after SIGTERM:\n${api.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const closedAfterMs = Date.now() - signalledAt;
    const answeredWhenClosed = answered;

    const response = await inFlight;
    const [code, signal] = await api.exited;

    expect(seen.length).toBeGreaterThan(2);
    expect(seen.slice(0, -1)).toEqual(seen.slice(0, -1).map(() => ({ status: 503, body: { status: 'draining' } })));
    expect(closedAfterMs).toBeGreaterThanOrEqual(1000);
    // The request outlived the listener (Vipps answers after 2.5 s) and still got its answer.
    expect(answeredWhenClosed).toBe(false);
    expect(response.status).toBe(200);
    expect(response.body.data.createPayment).toEqual({ payment: { reference: 'shutdown-in-flight', state: 'CREATED' }, errors: [] });
    expect(ws.closes.map((c) => c.code)).toEqual([1001]);
    expect([code, signal]).toEqual([0, null]);
    expect(api.output()).toContain('"msg":"stopped"');
    process.stdout.write(`listener closed ${closedAfterMs} ms after SIGTERM (grace 1 s); exited ${Date.now() - signalledAt} ms after it\n`);
  });

  it('exits 1 at SHUTDOWN_TIMEOUT_SECONDS when a request is still running', async () => {
    api = await spawnApiProcess(sim, prefix, { SHUTDOWN_GRACE_SECONDS: '0', SHUTDOWN_TIMEOUT_SECONDS: '2' });
    // A client that announces a body and never finishes sending it: the request never ends.
    const stuck = request(`${api.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': '1000' } });
    const failed = new Promise<Error>((resolve) => stuck.once('error', resolve));
    stuck.write('{"query":');
    await expectEventually(async () => expect(stuck.socket?.bytesWritten).toBeGreaterThan(0));
    const signalledAt = Date.now();
    api.child.kill('SIGTERM');
    const [code] = await api.exited;
    const tookMs = Date.now() - signalledAt;
    expect(code).toBe(1);
    expect(tookMs).toBeGreaterThanOrEqual(2000);
    expect(tookMs).toBeLessThan(5000);
    expect(api.output()).toContain('still draining at SHUTDOWN_TIMEOUT_SECONDS; exiting anyway');
    expect((await failed).message).toMatch(/socket hang up|ECONNRESET/);
  });
});
