import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The signed part of the customer's agreement page URL (`/agreements/manage/<token>`), like the
 * payment status token (`access/status-token.ts`) but long-lived: it is what Vipps shows the user
 * as `merchantAgreementUrl` for as long as the subscription runs.
 * `a1.<base64url payload>.<base64url HMAC-SHA256>`; the payload binds the merchant and either the
 * agreement id or, for links made before Vipps has assigned the id, the createAgreement
 * idempotency key (see `AgreementLinks`).
 */
export const AGREEMENT_PAGE_TOKEN_LIFETIME_SECONDS = 400 * 86_400;

export type AgreementPageClaims = { msn: string; exp: number } & ({ agreementId: string } | { createKey: string });

export function signAgreementPageToken(secret: string, claims: AgreementPageClaims): string {
  const body = 'agreementId' in claims ? { m: claims.msn, a: claims.agreementId, e: claims.exp } : { m: claims.msn, k: claims.createKey, e: claims.exp };
  const payload = Buffer.from(JSON.stringify(body)).toString('base64url');
  return `a1.${payload}.${mac(secret, payload)}`;
}

export function verifyAgreementPageToken(secret: string, token: string, nowSeconds = Math.floor(Date.now() / 1000)): AgreementPageClaims | null {
  const [version, payload, signature, extra] = token.split('.');
  if (version !== 'a1' || !payload || !signature || extra !== undefined) return null;
  const expected = Buffer.from(mac(secret, payload));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  try {
    const { m, a, k, e } = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    if (typeof m !== 'string' || typeof e !== 'number' || e <= nowSeconds) return null;
    if (typeof a === 'string') return { msn: m, agreementId: a, exp: e };
    if (typeof k === 'string') return { msn: m, createKey: k, exp: e };
    return null;
  } catch {
    return null;
  }
}

function mac(secret: string, payload: string): string {
  // A purpose prefix keeps these MACs from ever being valid status tokens, and the reverse.
  return createHmac('sha256', `agreement-page:${secret}`).update(payload).digest('base64url');
}
