import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { loadConfig, type MerchantConfig } from '../../../../src/config/config';
import { createLogger } from '../../../../src/log/logger';

/**
 * A raw HTTP server on port 0 that plays Vipps (stripe-node's test approach): every request is
 * recorded exactly as it arrived, and each test scripts the answers to inject failures.
 */
export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  /** Objects are sent as JSON, strings as they are. */
  body?: unknown;
  /** Never answer (to provoke a client timeout). */
  hang?: boolean;
}

export type Handler = (request: RecordedRequest, index: number) => Reply;

export const MERCHANT: MerchantConfig = {
  msn: '654321',
  clientId: 'client-id-4c1d',
  clientSecret: 'client-secret-S3CR3T-9f2e',
  subscriptionKey: 'subscription-key-K3Y-77aa',
};

export const SYSTEM = { name: 'vg-test', version: '1.2.3', pluginName: 'vg-plugin', pluginVersion: '4.5.6' };

export interface FakeVipps {
  url: string;
  /** API requests (not token requests), in arrival order. */
  requests: RecordedRequest[];
  tokenRequests: RecordedRequest[];
  /** Tokens issued so far: tok-1, tok-2, … */
  issued: string[];
  /** Tokens the API will reject with 401. */
  revoked: Set<string>;
  handle(handler: Handler): void;
  close(): Promise<void>;
}

export async function startFakeVipps(): Promise<FakeVipps> {
  const requests: RecordedRequest[] = [];
  const tokenRequests: RecordedRequest[] = [];
  const issued: string[] = [];
  const revoked = new Set<string>();
  let handler: Handler = () => ({ status: 200, body: {} });

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const recorded: RecordedRequest = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() };
      if (recorded.url === '/accesstoken/get') {
        tokenRequests.push(recorded);
        const token = `tok-${issued.length + 1}`;
        issued.push(token);
        return reply(res, { status: 200, body: { token_type: 'Bearer', expires_in: '3600', ext_expires_in: '0', access_token: token } });
      }
      requests.push(recorded);
      const bearer = /^Bearer (.+)$/.exec(recorded.headers.authorization ?? '')?.[1];
      if (!bearer || revoked.has(bearer)) {
        return reply(res, { status: 401, body: { statusCode: 401, message: 'Access denied due to invalid or expired access token.' } });
      }
      reply(res, handler(recorded, requests.length - 1));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    tokenRequests,
    issued,
    revoked,
    handle: (next) => {
      handler = next;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function reply(res: ServerResponse, { status, headers = {}, body, hang }: Reply): void {
  if (hang) return;
  const payload = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { ...(typeof body === 'object' ? { 'content-type': 'application/json' } : {}), ...headers });
  res.end(payload);
}

/** Config for a client pointed at `url`, with our recognisable merchant secrets. */
export function testConfig(url: string, overrides: Record<string, string> = {}) {
  return loadConfig({
    VIPPS_ENV: 'simulator',
    VIPPS_BASE_URL: url,
    VIPPS_MERCHANTS: JSON.stringify([MERCHANT]),
    VIPPS_TIMEOUT_MS: '2000',
    VIPPS_MAX_RETRIES: '3',
    VIPPS_SYSTEM_NAME: SYSTEM.name,
    VIPPS_SYSTEM_VERSION: SYSTEM.version,
    VIPPS_SYSTEM_PLUGIN_NAME: SYSTEM.pluginName,
    VIPPS_SYSTEM_PLUGIN_VERSION: SYSTEM.pluginVersion,
    ...overrides,
  });
}

/** A logger whose JSON lines are kept for assertions. */
export function capturingLogger(level = 'debug') {
  const lines: Record<string, unknown>[] = [];
  const raw: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
        raw.push(line);
        lines.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
  return { log: createLogger(level, destination), lines, raw };
}
