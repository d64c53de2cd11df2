import type { IncomingHttpHeaders } from 'node:http';
import type { MerchantConfig } from '../config/config';
import type { BodyTypes } from './json-coercion';

export interface SimRequest {
  method: string;
  /** Path without query string, as received. */
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  rawBody: string;
  /** Parsed JSON body, or undefined when the body is empty. */
  body: unknown;
  /** The merchant the access token belongs to (routes with `auth: 'token'`). */
  merchant: MerchantConfig;
}

export interface SimResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type Handler = (req: SimRequest) => SimResponse | Promise<SimResponse>;

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** `/epayment/v1/payments/:reference`; matched case-insensitively on literal segments. */
  path: string;
  /** `token`: Bearer token + subscription key (+ MSN rules); `none`: control API and token endpoint. */
  auth: 'token' | 'none';
  /** Which API the route belongs to, so auth failures use that API's error shape. */
  api: 'epayment' | 'recurring' | 'webhooks' | 'order-management' | 'userinfo' | 'token' | 'control';
  /** Body fields read leniently, as Vipps does (json-coercion.ts). */
  bodyTypes?: BodyTypes;
  handler: Handler;
}

export interface MatchedRoute {
  route: Route;
  params: Record<string, string>;
}

/** First route whose method and path match; `:name` segments capture URL-decoded values. */
export function matchRoute(routes: readonly Route[], method: string, path: string): MatchedRoute | undefined {
  const segments = path.split('/').filter(Boolean);
  for (const route of routes) {
    if (route.method !== method) continue;
    const pattern = route.path.split('/').filter(Boolean);
    if (pattern.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const ok = pattern.every((part, i) => {
      const actual = segments[i] as string;
      if (part.startsWith(':')) {
        try {
          params[part.slice(1)] = decodeURIComponent(actual);
          return true;
        } catch {
          return false;
        }
      }
      return part.toLowerCase() === actual.toLowerCase();
    });
    if (ok) return { route, params };
  }
  return undefined;
}

export function header(req: { headers: IncomingHttpHeaders }, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** The Host the caller used, for links back to the simulator; only host[:port], so it cannot be bent into markup. */
export function requestHost(req: { headers: IncomingHttpHeaders }): string {
  const host = header(req, 'host') ?? '';
  return /^[A-Za-z0-9.\-[\]:]+$/.test(host) ? host : 'localhost';
}
