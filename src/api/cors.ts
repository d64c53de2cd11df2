import type { IncomingMessage, ServerResponse } from 'node:http';
import type { OriginPattern } from '../config/config';

/** How long a browser may reuse a preflight answer (Chromium caps it at two hours). */
const PREFLIGHT_MAX_AGE_SECONDS = 7200;
const ALLOWED_HEADERS = 'Authorization, Content-Type, Accept, Apollo-Require-Preflight, X-Apollo-Operation-Name';

/**
 * Which browser origins may call the API (CORS_ORIGINS): exact origins, or `scheme://host:*` for
 * any port of a host. Callers authenticate with a bearer header, never a cookie, so no
 * credentials are allowed. A request without an Origin header is not from a browser page and
 * is not CORS's business; a page on the API's own origin (the IDE) is always allowed.
 */
export class CorsPolicy {
  private readonly exact: ReadonlySet<string>;
  private readonly anyPort: readonly string[];

  constructor(patterns: readonly OriginPattern[]) {
    this.exact = new Set(patterns.filter((p) => !p.endsWith(':*')));
    this.anyPort = patterns.filter((p) => p.endsWith(':*')).map((p) => p.slice(0, -1));
  }

  allows(origin: string, host: string | undefined): boolean {
    const o = origin.toLowerCase();
    if (this.exact.has(o)) return true;
    if (this.anyPort.some((prefix) => o.startsWith(prefix) && /^\d{1,5}$/.test(o.slice(prefix.length)))) return true;
    return host !== undefined && (o === `http://${host.toLowerCase()}` || o === `https://${host.toLowerCase()}`);
  }

  /**
   * Adds the CORS headers an allowed origin gets; answers a preflight itself. Returns true when
   * the request has been answered (a preflight), false when it should go on.
   */
  handle(req: IncomingMessage, res: ServerResponse): boolean {
    const origin = req.headers.origin;
    const preflight = req.method === 'OPTIONS';
    if (origin === undefined) {
      if (preflight) end(res, 204);
      return preflight;
    }
    res.setHeader('Vary', 'Origin');
    if (!this.allows(origin, req.headers.host)) {
      // No CORS headers: the browser keeps the answer from the page.
      if (preflight) end(res, 403);
      return preflight;
    }
    res.setHeader('Access-Control-Allow-Origin', origin);
    if (!preflight) {
      res.setHeader('Access-Control-Expose-Headers', 'Retry-After');
      return false;
    }
    res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
    res.setHeader('Access-Control-Allow-Headers', ALLOWED_HEADERS);
    res.setHeader('Access-Control-Max-Age', String(PREFLIGHT_MAX_AGE_SECONDS));
    end(res, 204);
    return true;
  }
}

function end(res: ServerResponse, status: number): void {
  res.statusCode = status;
  res.end();
}
