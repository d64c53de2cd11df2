import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { freePort } from '../../../src/dev/free-port';
import { spawnApiProcess } from '../../support/api-process';
import { deleteKeys, testRedis, uniquePrefix } from '../../support/redis';
import { startTestSimulator, type TestSimulator } from '../../support/simulator';

/**
 * The real exporter over real HTTP, from `src/api/main.ts` as a child process (jest's module
 * sandbox cannot run the exporter's lazy `import()` of node:http): with
 * OTEL_EXPORTER_OTLP_ENDPOINT set, the API's spans reach the collector's `/v1/traces` under the
 * default service name, the last ones when SIGTERM stops it; a collector that is gone costs a
 * warning, never a failed stop.
 */
jest.setTimeout(60_000);

async function runApi(sim: TestSimulator, prefix: string, endpoint: string): Promise<{ code: number | null; output: string }> {
  const { child, url, output, exited } = await spawnApiProcess(sim, prefix, { LOG_LEVEL: 'warn', OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_SERVICE_NAME: '' });
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer dev' },
    body: JSON.stringify({ query: 'query PaymentState($reference: String!) { payment(reference: $reference) { state } }', variables: { reference: 'otlp-none' } }),
  });
  expect(res.status).toBe(200);
  child.kill('SIGTERM');
  const [code] = await exited;
  return { code, output: output() };
}

describe('OTLP export from the API process', () => {
  let sim: TestSimulator;
  const prefix = uniquePrefix('otlp-export');

  beforeAll(async () => {
    sim = await startTestSimulator();
  });
  afterAll(async () => {
    await sim.close();
    const cleaner = testRedis();
    await deleteKeys(cleaner, prefix);
    await cleaner.quit();
  });

  it('posts its spans to <endpoint>/v1/traces as vipps-graph-api, the last ones on SIGTERM', async () => {
    const received: { path: string; body: string }[] = [];
    const collector: Server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        received.push({ path: req.url ?? '', body: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    try {
      // The base URL, as OTEL_EXPORTER_OTLP_ENDPOINT names it; the signal's path is added.
      const { code } = await runApi(sim, prefix, `http://127.0.0.1:${(collector.address() as AddressInfo).port}/`);
      expect(code).toBe(0);
      expect(new Set(received.map((r) => r.path))).toEqual(new Set(['/v1/traces']));
      const body = received.map((r) => r.body).join('\n');
      expect(body).toContain('vipps-graph-api');
      expect(body).toContain('query PaymentState');
    } finally {
      collector.close();
    }
  });

  it('stops cleanly with a warning when the collector is gone', async () => {
    const { code, output } = await runApi(sim, `${prefix}-gone`, `http://127.0.0.1:${await freePort()}`);
    expect(code).toBe(0);
    expect(output).toMatch(/tracing: (the last spans could not be exported|gave up waiting for the last spans)/);
  });
});
