import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { readBody } from '../api/graphql-http';

/** Console forms are a few short fields; anything bigger is not one of ours. */
const MAX_FORM_BYTES = 16 * 1024;

export function cookies(req: IncomingMessage): Map<string, string> {
  const jar = new Map<string, string>();
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0) jar.set(part.slice(0, at).trim(), part.slice(at + 1).trim());
  }
  return jar;
}

/** An `application/x-www-form-urlencoded` body, or null when it is too big. */
export async function readForm(req: IncomingMessage): Promise<URLSearchParams | null> {
  const body = await readBody(req, MAX_FORM_BYTES);
  return body === null ? null : new URLSearchParams(body);
}

/**
 * True when the browser says the request came from another site (`Sec-Fetch-Site`), or its
 * `Origin` is not this API's: a cross-site form post is refused before its fields are read.
 */
export function crossSite(req: IncomingMessage, publicUrl: string): boolean {
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return true;
  const origin = req.headers.origin;
  if (origin === undefined) return false;
  if (origin === 'null') return true;
  try {
    const host = new URL(origin).host;
    return host !== req.headers.host && origin !== new URL(publicUrl).origin;
  } catch {
    return true;
  }
}

/** "150", "150.5", "150.50" or "150,50" as minor units (exact: no floats); null if not an amount above zero. */
export function parseAmount(text: string): number | null {
  const match = /^(\d{1,7})(?:[.,](\d{1,2}))?$/.exec(text.trim().replace(/\s/g, ''));
  if (!match) return null;
  const value = Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
  return value > 0 ? value : null;
}

/** A staff member's name as the audit log shows it; null when it is not a plausible name. */
export function staffName(text: string | null): string | null {
  const name = (text ?? '').trim().replace(/\s+/g, ' ');
  return /^[\p{L}][\p{L} .'’-]{0,59}$/u.test(name) ? name : null;
}

/** A reason of 1 to 200 characters on one line. */
export function reasonText(text: string | null): string | null {
  const reason = (text ?? '').trim().replace(/\s+/g, ' ');
  return reason.length >= 1 && reason.length <= 200 ? reason : null;
}

/** The nonce a confirmation form carries, made when it was shown. */
export const NONCE = /^[A-Za-z0-9_-]{22,64}$/;

/**
 * The Vipps idempotency key of a confirmed action: from the confirmation form's nonce and what
 * it asks for, so a double click or a resent form sends the same key (and is done once), while
 * a new confirmation of the same refund is a new refund. 40 characters, Vipps' limit.
 */
export function formIdempotencyKey(nonce: string, ...what: string[]): string {
  return `c-${createHash('sha256').update([nonce, ...what].join('\u0000')).digest('hex').slice(0, 38)}`;
}
