import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MerchantConfig } from '../config/config';
import type { Logger } from '../log/logger';
import { problemFor, TokenAuthority } from './auth';
import { controlModule } from './control';
import { SimContext, type SimModule } from './simulator-context';
import { epaymentModule } from './epayment/epayment.module';
import { matchRoute, type Route, type SimRequest, type SimResponse } from './http';
import { receiptsModule } from './order-management/receipts.module';
import { gatewayProblem, recurringProblem, SimProblem } from './problems';
import { recurringModule } from './recurring/recurring.module';
import { webhooksModule } from './webhooks/webhooks.module';
import { coerceBody, parseJsonKeepingNumberText } from './json-coercion';
import { userinfoModule } from './userinfo/userinfo.module';

const MAX_BODY_BYTES = 1024 * 1024;
const TICK_MS = 500;

/** Every response the simulator sends, for conformance checks against the OpenAPI files. */
export interface SimExchange {
  route: Route;
  method: string;
  path: string;
  status: number;
  body: unknown;
}

export interface SimulatorOptions {
  port?: number;
  host?: string;
  merchants: readonly MerchantConfig[];
  log?: Logger;
  onExchange?: (exchange: SimExchange) => void;
}

export interface Simulator {
  url: string;
  port: number;
  ctx: SimContext;
  close(): Promise<void>;
}

export async function startSimulator(options: SimulatorOptions): Promise<Simulator> {
  const ctx = new SimContext(options.merchants);
  const auth = new TokenAuthority(ctx);
  const modules: SimModule[] = [auth.module(), epaymentModule(ctx), recurringModule(ctx), webhooksModule(ctx), receiptsModule(ctx), userinfoModule(ctx)];
  const resetAll = () => {
    ctx.reset();
    for (const module of modules) module.reset?.();
  };
  modules.push(controlModule(ctx, resetAll));
  const routes = modules.flatMap((m) => m.routes);
  const tick = () => {
    const now = ctx.clock.now();
    for (const module of modules) module.tick?.(now);
  };

  async function handle(req: IncomingMessage): Promise<{ route?: Route; path: string; response: SimResponse }> {
    const url = new URL(req.url ?? '/', 'http://simulator');
    const method = req.method ?? 'GET';
    const matched = matchRoute(routes, method, url.pathname);
    const api: Route['api'] = matched?.route.api ?? apiOf(url.pathname);
    try {
      const rawBody = await readBody(req, api);
      if (!matched) throw problemFor(api, 404, 'Not Found', `No such resource: ${method} ${url.pathname}`);
      const { route, params } = matched;
      if (route.api !== 'control') await injectFaults(ctx, api);
      tick();
      const merchant = route.auth === 'token' ? auth.authenticate(route, req) : undefined;
      const simReq: SimRequest = {
        method,
        path: url.pathname,
        params,
        query: url.searchParams,
        headers: req.headers,
        rawBody,
        body: route.bodyTypes ? coerceBody(parseJson(rawBody, api, parseJsonKeepingNumberText), route.bodyTypes) : parseJson(rawBody, api),
        merchant: merchant as MerchantConfig,
      };
      return { route, path: url.pathname, response: await route.handler(simReq) };
    } catch (error) {
      if (error instanceof SimProblem) return { route: matched?.route, path: url.pathname, response: error.response };
      options.log?.error({ err: error, path: url.pathname }, 'simulator handler failed');
      return { route: matched?.route, path: url.pathname, response: problemFor(api, 500, 'Internal Server Error', 'An internal error occurred.').response };
    }
  }

  const server = createServer((req, res) => {
    handle(req).then(({ route, path, response }) => {
      send(res, response);
      if (route && route.api !== 'control') {
        ctx.record({
          at: new Date().toISOString(),
          method: req.method ?? 'GET',
          path,
          status: response.status,
          headers: recordedHeaders(req),
        });
      }
      if (route) options.onExchange?.({ route, method: req.method ?? 'GET', path, status: response.status, body: response.body });
    });
  });
  server.keepAliveTimeout = 30_000;
  const interval = setInterval(tick, TICK_MS);
  interval.unref();

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    port,
    ctx,
    close: async () => {
      clearInterval(interval);
      ctx.cancelTimers();
      for (const module of modules) module.close?.();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function apiOf(path: string): Route['api'] {
  const first = path.split('/').filter(Boolean)[0]?.toLowerCase();
  if (first === 'recurring') return 'recurring';
  if (first === 'webhooks') return 'webhooks';
  if (first === 'order-management') return 'order-management';
  if (first === 'simulator') return 'control';
  return 'epayment';
}

async function injectFaults(ctx: SimContext, api: Route['api']): Promise<void> {
  const { latencyMs, errorRate, status } = ctx.faults;
  if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs));
  if (errorRate > 0 && Math.random() < errorRate) {
    if (status === 429) throw gatewayProblem(429, 'Rate limit is exceeded. Try again in 1 seconds.', 1);
    throw problemFor(api, status, status === 503 ? 'Service Unavailable' : 'Internal Server Error', 'A simulated fault occurred.');
  }
}

function readBody(req: IncomingMessage, api: Route['api']): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(problemFor(api, 413, 'Payload Too Large', 'The request body is larger than 1 MB.'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** `parse` is `JSON.parse` unless the route coerces fields (`parseJsonKeepingNumberText`, slower: a reviver per value). */
function parseJson(raw: string, api: Route['api'], parse: (text: string) => unknown = JSON.parse): unknown {
  if (raw.trim() === '') return undefined;
  try {
    return parse(raw);
  } catch {
    if (api === 'recurring') throw recurringProblem(400, 'invalid-json', 'Bad Request', 'The request body is not valid JSON.');
    throw problemFor(api, 400, 'Bad Request', 'The request body is not valid JSON.');
  }
}

function send(res: ServerResponse, response: SimResponse): void {
  const headers: Record<string, string> = { ...response.headers };
  let payload: string | Buffer = '';
  if (response.body !== undefined && response.status !== 204) {
    // A string body with a text/* or SVG content type (the landing page, QR images) is sent as is, as are bytes (PNG).
    const text = typeof response.body === 'string' && /^(text\/|image\/svg\+xml)/i.test(headers['content-type'] ?? '');
    payload = Buffer.isBuffer(response.body) ? response.body : text ? (response.body as string) : JSON.stringify(response.body);
    headers['content-type'] ??= 'application/json';
  }
  res.writeHead(response.status, headers);
  res.end(payload);
}

const RECORDED_HEADERS = [
  'merchant-serial-number',
  'idempotency-key',
  'vipps-system-name',
  'vipps-system-version',
  'vipps-system-plugin-name',
  'vipps-system-plugin-version',
];

function recordedHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of RECORDED_HEADERS) {
    const value = req.headers[name];
    if (typeof value === 'string') out[name] = value;
  }
  return out;
}
