import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * A short-lived signed token for one payment (docs/design.md §2): lets a mobile client or a return page
 * read and follow that payment, nothing else. `v1.<base64url payload>.<base64url HMAC-SHA256>`.
 */
export const STATUS_TOKEN_LIFETIME_SECONDS = 3600;

export interface StatusTokenClaims {
  msn: string;
  reference: string;
  /** Expiry, epoch seconds. */
  exp: number;
}

export function signStatusToken(secret: string, claims: StatusTokenClaims): string {
  const payload = Buffer.from(JSON.stringify({ m: claims.msn, r: claims.reference, e: claims.exp })).toString('base64url');
  return `v1.${payload}.${mac(secret, payload)}`;
}

export function verifyStatusToken(secret: string, token: string, nowSeconds = Math.floor(Date.now() / 1000)): StatusTokenClaims | null {
  const read = readStatusToken(secret, token, nowSeconds);
  return 'claims' in read ? read.claims : null;
}

/** As `verifyStatusToken`, saying why a token is refused: a genuine token past its time is `expired`. */
export function readStatusToken(secret: string, token: string, nowSeconds = Math.floor(Date.now() / 1000)): { claims: StatusTokenClaims } | { problem: 'invalid' | 'expired' } {
  const [version, payload, signature] = token.split('.');
  if (version !== 'v1' || !payload || !signature) return { problem: 'invalid' };
  const expected = Buffer.from(mac(secret, payload));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { problem: 'invalid' };
  try {
    const { m, r, e } = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { m: unknown; r: unknown; e: unknown };
    if (typeof m !== 'string' || typeof r !== 'string' || typeof e !== 'number') return { problem: 'invalid' };
    return e <= nowSeconds ? { problem: 'expired' } : { claims: { msn: m, reference: r, exp: e } };
  } catch {
    return { problem: 'invalid' };
  }
}

function mac(secret: string, payload: string): string {
  return createHmac('sha256', `status-token:${secret}`).update(payload).digest('base64url');
}
