import type { IncomingMessage, ServerResponse } from 'node:http';
import { assetBodies, IDE_ASSETS_PREFIX, resolveIdeAssets, type IdeAsset } from './ide.assets';
import { renderIdePage } from './ide.page';

export { IDE_ASSETS_PREFIX };

export interface IdeOptions {
  /** Serve the IDE at all: it follows `graphql.introspection`, since GraphiQL needs the schema. */
  enabled: boolean;
  /** Simulator mode: the headers editor starts with the simulator's API key. */
  simulator: boolean;
}

export interface Ide {
  /** A browser opening `/graphql`: GET or HEAD, accepts HTML, asks no `query`. */
  wantsPage(req: IncomingMessage): boolean;
  /**
   * Answers the page at `/graphql` (when `wantsPage`) and the files under IDE_ASSETS_PREFIX;
   * returns false, having written nothing, for any other request or when the IDE is off.
   */
  handle(req: IncomingMessage, res: ServerResponse, path: string | undefined): boolean;
}

/** The simulator's API key (`dev`), as the headers editor shows it. */
const SIMULATOR_HEADERS = JSON.stringify({ Authorization: 'Bearer dev' }, null, 2);

/** GraphiQL served by the API itself from npm packages: no CDN, works with no internet. */
export function createIde({ enabled, simulator }: IdeOptions): Ide {
  if (!enabled) return { wantsPage: () => false, handle: () => false };
  const assets = resolveIdeAssets();
  const byUrl = new Map<string, IdeAsset>(Object.values(assets).map((a) => [a.url, a]));
  const bodyOf = assetBodies();
  const page = renderIdePage({ assets, ...(simulator ? { defaultHeaders: SIMULATOR_HEADERS } : {}) });

  const wantsPage = (req: IncomingMessage): boolean => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    if (!(req.headers.accept ?? '').includes('text/html')) return false;
    return !new URL(req.url ?? '/', 'http://localhost').searchParams.has('query');
  };

  return {
    wantsPage,
    handle(req, res, path) {
      if (path === '/graphql' && wantsPage(req)) {
        sendPage(req, res, page);
        return true;
      }
      if (!path?.startsWith(IDE_ASSETS_PREFIX)) return false;
      const asset = byUrl.get(path);
      if (!asset) sendText(res, 404, 'Not found');
      else if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.setHeader('allow', 'GET, HEAD');
        sendText(res, 405, 'Method not allowed');
      } else sendAsset(req, res, asset, bodyOf);
      return true;
    },
  };
}

function sendAsset(req: IncomingMessage, res: ServerResponse, asset: IdeAsset, bodyOf: ReturnType<typeof assetBodies>): void {
  const body = bodyOf(asset);
  const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
  const bytes = gzip ? body.gzip : body.raw;
  res.writeHead(200, {
    'content-type': asset.contentType,
    'content-length': bytes.length,
    // The version (or our file's hash) is in the URL: a new build is a new URL.
    'cache-control': 'public, max-age=31536000, immutable',
    'x-content-type-options': 'nosniff',
    vary: 'accept-encoding',
    ...(gzip ? { 'content-encoding': 'gzip' } : {}),
  });
  res.end(req.method === 'HEAD' ? undefined : bytes);
}

function sendPage(req: IncomingMessage, res: ServerResponse, html: string): void {
  res.writeHead(200, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': contentSecurityPolicy(req.headers.host),
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
    'x-content-type-options': 'nosniff',
  });
  res.end(req.method === 'HEAD' ? undefined : html);
}

/** A Host we can name in a header: name or IPv4 or [IPv6], optional port. Anything else is left out. */
const HOST = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/**
 * Scripts from 'self' only. GraphiQL sets inline styles (its dialogs add a <style> element) and
 * its stylesheet embeds fonts and images as data: URLs. Older browsers do not count ws: and wss:
 * as 'self', so the same host's sockets are named.
 */
function contentSecurityPolicy(host: string | undefined): string {
  const sockets = host && HOST.test(host) ? ` ws://${host} wss://${host}` : '';
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "font-src 'self' data:",
    "img-src 'self' data:",
    `connect-src 'self'${sockets}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
