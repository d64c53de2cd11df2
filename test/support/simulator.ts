import { SIMULATOR_MERCHANT, type MerchantConfig } from '../../src/config/config';
import { startSimulator, type SimExchange, type Simulator } from '../../src/simulator/server';

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
    return call(method, `/simulator/v1${path}`, { body, anonymous: true });
  }

  return { sim, url: sim.url, exchanges, token, call, control, close: () => sim.close() };
}
