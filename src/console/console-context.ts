import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Services } from '../app/services';
import type { Scope } from '../config/config';
import type { ConsoleSession } from './console-session';
import type { View } from './console-layout';

/** The services the console uses (not the whole bag). */
export type ConsoleServices = Pick<Services, 'config' | 'log' | 'authenticator' | 'audit' | 'paymentReader' | 'paymentRegistry' | 'payments' | 'recurringReader' | 'recurringRegistry' | 'agreements' | 'charges' | 'reservations'>;

/** The signed-in key as configured now: a key removed from API_KEYS ends its sessions. */
export interface ConsoleKey {
  id: string;
  scopes: ReadonlySet<Scope>;
  merchants: readonly string[];
}

/** One signed-in request. */
export interface ConsoleRequest {
  req: IncomingMessage;
  res: ServerResponse;
  v: View;
  session: ConsoleSession;
  key: ConsoleKey;
  /** Path segments after `/console/`. */
  parts: string[];
  query: URLSearchParams;
  /** The POSTed form, for POST. */
  form: URLSearchParams | null;
}

/** Who the audit log names for a console action: the key's id and the staff member. */
export function consoleActor(session: ConsoleSession): string {
  return `console:${session.keyId}:${session.staff}`;
}

const SECURITY_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  // Not no-referrer: with it a browser sends `Origin: null` on our own form posts, which the
  // cross-site check must refuse. Other sites still get no referrer.
  'referrer-policy': 'same-origin',
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
};

export function sendPage(res: ServerResponse, status: number, html: string, headers: Record<string, string | string[]> = {}): void {
  res.writeHead(status, { ...SECURITY_HEADERS, ...headers });
  res.end(html);
}

/** After a POST that changed something: the browser GETs the page (a reload does not resend the form). */
export function seeOther(res: ServerResponse, location: string, headers: Record<string, string | string[]> = {}): void {
  res.writeHead(303, { location, 'cache-control': 'no-store', ...headers });
  res.end();
}
