import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SIMULATOR_MERCHANT, type MerchantConfig } from '../../src/config/config';
import type { SimEvent } from '../../src/simulator/simulator-context';
import { startSimulator, type SimExchange, type Simulator } from '../../src/simulator/simulator-server';
import { conformanceViolations } from './conformance';

/**
 * An in-process simulator on a free port for integration tests, with a raw HTTP caller that
 * sends the same headers a Vipps client does. Every exchange is kept so tests can check that
 * the responses conform to the official OpenAPI files.
 */
export interface CallOptions {
  body?: unknown;
  /** Raw body text, sent as is (for malformed-JSON tests). */
  rawBody?: string;
  headers?: Record<string, string>;
  idempotencyKey?: string;
  /** Merchant whose credentials are used; defaults to the simulator's test merchant. */
  merchant?: MerchantConfig;
  /** Send no Authorization / subscription key / MSN headers. */
  anonymous?: boolean;
}

export interface CallResult<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export interface TestSimulator {
  sim: Simulator;
  url: string;
  exchanges: SimExchange[];
  token(merchant?: MerchantConfig): Promise<string>;
  call<T = any>(method: string, path: string, options?: CallOptions): Promise<CallResult<T>>;
  control(method: string, path: string, body?: unknown): Promise<CallResult>;
  /**
   * Throws if any response so far does not conform to the official OpenAPI files
   * (`test/support/conformance.ts`), then forgets the checked exchanges.
   */
  assertConformance(): void;
  /** Stops the simulator, then asserts conformance, so every test file that closes it checks for drift. */
  close(): Promise<void>;
}

export async function startTestSimulator(merchants: MerchantConfig[] = [SIMULATOR_MERCHANT]): Promise<TestSimulator> {
  const exchanges: SimExchange[] = [];
  const sim = await startSimulator({ merchants, onExchange: (e) => exchanges.push(e) });
  const tokens = new Map<string, string>();

  async function token(merchant: MerchantConfig = merchants[0] as MerchantConfig): Promise<string> {
    const cached = tokens.get(merchant.msn);
    if (cached) return cached;
    const res = await fetch(`${sim.url}/accesstoken/get`, {
      method: 'POST',
      headers: {
        client_id: merchant.clientId,
        client_secret: merchant.clientSecret,
        'Ocp-Apim-Subscription-Key': merchant.subscriptionKey,
        'Merchant-Serial-Number': merchant.msn,
      },
    });
    const body = (await res.json()) as { access_token: string };
    tokens.set(merchant.msn, body.access_token);
    return body.access_token;
  }

  async function call<T>(method: string, path: string, options: CallOptions = {}): Promise<CallResult<T>> {
    const merchant = options.merchant ?? (merchants[0] as MerchantConfig);
    const headers: Record<string, string> = { 'Vipps-System-Name': 'vipps-graph-tests', ...options.headers };
    if (!options.anonymous) {
      headers.Authorization = `Bearer ${await token(merchant)}`;
      headers['Ocp-Apim-Subscription-Key'] = merchant.subscriptionKey;
      headers['Merchant-Serial-Number'] = merchant.msn;
    }
    if (options.idempotencyKey) headers['Idempotency-Key'] = options.idempotencyKey;
    let body: string | undefined = options.rawBody;
    if (body === undefined && options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const res = await fetch(`${sim.url}${path}`, { method, headers, body });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers } as CallResult<T>;
  }

  async function control(method: string, path: string, body?: unknown): Promise<CallResult> {
    // A reset forgets every issued token, so cached ones would now get 401.
    if (path === '/reset') tokens.clear();
    return call(method, `/simulator/v1${path}`, { body, anonymous: true });
  }

  function assertConformance(): void {
    const checked = exchanges.splice(0, exchanges.length);
    const violations = conformanceViolations(checked);
    if (violations.length > 0) {
      throw new Error(`${violations.length} simulator response(s) do not conform to the Vipps OpenAPI files:\n${violations.join('\n')}`);
    }
  }

  async function close(): Promise<void> {
    await sim.close();
    assertConformance();
  }

  return { sim, url: sim.url, exchanges, token, call, control, assertConformance, close };
}

/** One request the webhook receiver got, with the raw body for signature checks. */
/** Every event the simulator publishes for webhook delivery, collected as it happens. */
export function recordEvents(t: TestSimulator): SimEvent[] {
  const events: SimEvent[] = [];
  t.sim.ctx.onEvent((event) => events.push(event));
  return events;
}

export interface ReceivedWebhook {
  method: string;
  /** Path and query as received. */
  url: string;
  headers: IncomingHttpHeaders;
  rawBody: string;
  body: any;
  /** The status the receiver answered with. */
  status: number;
}

export interface WebhookReceiver {
  /** Base URL, e.g. `http://127.0.0.1:12345`; register `${url}/any/path`. */
  url: string;
  received: ReceivedWebhook[];
  /** Status to answer each next request with, in order; 200 once exhausted. */
  respondWith(...statuses: number[]): void;
  /** Resolves when at least `count` requests have arrived; rejects after `timeoutMs`. */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedWebhook[]>;
  close(): Promise<void>;
}

/** A plain HTTP server on a free port that records webhook deliveries, for simulator tests. */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  const planned: number[] = [];
  let waiters: (() => void)[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const status = planned.shift() ?? 200;
      let body: unknown;
      try {
        body = JSON.parse(rawBody);
      } catch {
        body = undefined;
      }
      received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, rawBody, body, status });
      res.writeHead(status).end();
      for (const wake of waiters) wake();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;

  function waitFor(count: number, timeoutMs = 10_000): Promise<ReceivedWebhook[]> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (received.length < count) return false;
        clearTimeout(timer);
        waiters = waiters.filter((w) => w !== check);
        resolve(received.slice());
        return true;
      };
      const timer = setTimeout(() => {
        waiters = waiters.filter((w) => w !== check);
        reject(new Error(`expected ${count} webhook(s) within ${timeoutMs} ms, got ${received.length}`));
      }, timeoutMs);
      if (!check()) waiters.push(check);
    });
  }

  return {
    url: `http://127.0.0.1:${port}`,
    received,
    respondWith: (...statuses) => planned.push(...statuses),
    waitFor,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
