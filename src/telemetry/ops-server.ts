import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

/** What a GET on one path answers. */
export type OpsRoute = () => Promise<{ status: number; contentType: string; body: string }>;

export interface OpsServer {
  /** `http://host:port`, with the port actually bound (a free one when asked for 0). */
  baseUrl: string;
  close(): Promise<void>;
}

/**
 * A process's operator endpoints on a listener of their own (loopback by default), apart from any
 * public port: what the process counts is for operators and their scraper, not for callers. The
 * API serves `/metrics` here; the worker `/metrics` and `/healthz`.
 */
export async function startOpsServer(host: string, port: number, routes: Record<string, OpsRoute>): Promise<OpsServer> {
  const server = createServer((req, res) => void answer(routes, req, res));
  const bound = await listen(server, port, host);
  return {
    baseUrl: `http://${host.includes(':') ? `[${host}]` : host}:${bound}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Listens on host:port; the port actually bound (a free one when asked for 0). Rejects when it cannot (EADDRINUSE). */
export async function listen(server: Server, port: number, host: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return (server.address() as AddressInfo).port;
}

async function answer(routes: Record<string, OpsRoute>, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const route = routes[(req.url ?? '/').split('?')[0] ?? '/'];
  if (!route || (req.method !== 'GET' && req.method !== 'HEAD')) {
    res.writeHead(404, { 'content-type': 'text/plain' });
    return void res.end('Not found\n');
  }
  try {
    const { status, contentType, body } = await route();
    res.writeHead(status, { 'content-type': contentType });
    res.end(body);
  } catch {
    res.writeHead(500, { 'content-type': 'text/plain' });
    res.end('This could not be answered right now.\n');
  }
}

/** `/metrics`: the registry in Prometheus text format. */
export function metricsRoute(registry: Registry): OpsRoute {
  return async () => ({ status: 200, contentType: registry.contentType, body: await registry.metrics() });
}
