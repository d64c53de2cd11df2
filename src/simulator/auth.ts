import { randomBytes } from 'node:crypto';
import type { MerchantConfig } from '../config/config';
import type { SimContext, SimModule } from './simulator-context';
import { header, type Route, type SimRequest } from './http';
import { epaymentProblem, gatewayProblem, recurringProblem, SimProblem, webhooksProblem } from './problems';

/** Test-environment token lifetime (docs/vipps.md §1). Tokens expire in real time, not simulator time. */
export const TOKEN_LIFETIME_SECONDS = 3600;

interface IssuedToken {
  msn: string;
  expiresAtMs: number;
}

/**
 * `POST /accesstoken/get` and the checks every API call passes: a valid Bearer token, the
 * subscription key of the same merchant, and (for ePayment, required) a matching
 * Merchant-Serial-Number.
 */
export class TokenAuthority {
  private readonly tokens = new Map<string, IssuedToken>();

  constructor(private readonly ctx: SimContext) {}

  module(): SimModule {
    const route: Route = { method: 'POST', path: '/accesstoken/get', auth: 'none', api: 'token', handler: (req) => this.issue(req) };
    return { routes: [route], reset: () => this.tokens.clear() };
  }

  private issue(req: SimRequest) {
    const merchant = this.merchantForKey(header(req, 'ocp-apim-subscription-key'));
    const clientId = header(req, 'client_id');
    const clientSecret = header(req, 'client_secret');
    if (!clientId || !clientSecret || clientId !== merchant.clientId || clientSecret !== merchant.clientSecret) {
      throw gatewayProblem(401, 'Access denied due to invalid client credentials.');
    }
    const msn = header(req, 'merchant-serial-number');
    if (msn !== undefined && msn !== merchant.msn) {
      throw gatewayProblem(401, `The credentials are not valid for Merchant-Serial-Number ${msn}.`);
    }
    const nowSeconds = Math.floor(Date.now() / 1000);
    const token = fakeJwt(merchant.msn, nowSeconds);
    this.tokens.set(token, { msn: merchant.msn, expiresAtMs: (nowSeconds + TOKEN_LIFETIME_SECONDS) * 1000 });
    return {
      status: 200,
      headers: { 'content-type': 'application/json;charset=UTF-8' },
      body: {
        token_type: 'Bearer',
        expires_in: String(TOKEN_LIFETIME_SECONDS),
        ext_expires_in: '0',
        expires_on: String(nowSeconds + TOKEN_LIFETIME_SECONDS),
        not_before: String(nowSeconds),
        resource: '00000002-0000-0000-c000-000000000000',
        access_token: token,
      },
    };
  }

  /** The merchant a request acts for, or the API's 400/401/403 error. */
  authenticate(route: Route, req: Pick<SimRequest, 'headers'>): MerchantConfig {
    // The Userinfo API takes no subscription key: the token alone names the merchant.
    if (route.api === 'userinfo') return this.merchantOfToken(this.issuedToken(req), header(req, 'merchant-serial-number'));
    const keyMerchant = this.merchantForKey(header(req, 'ocp-apim-subscription-key'));
    const issued = this.issuedToken(req);
    if (issued.msn !== keyMerchant.msn) {
      throw gatewayProblem(401, 'Access denied: the access token was issued for another subscription key.');
    }
    const msn = header(req, 'merchant-serial-number');
    if (msn === undefined) {
      if (route.api === 'epayment') {
        throw epaymentProblem(400, 'Bad Request', 'The Merchant-Serial-Number header is required.', '4140');
      }
      return keyMerchant;
    }
    if (msn !== keyMerchant.msn) {
      throw problemFor(route.api, 403, 'Forbidden', `Merchant-Serial-Number ${msn} is not available with these credentials.`);
    }
    return keyMerchant;
  }

  private issuedToken(req: Pick<SimRequest, 'headers'>): IssuedToken {
    const authorization = header(req, 'authorization');
    // The scheme is case-insensitive (RFC 9110 §11.1): Vipps' Recurring collection sends `bearer`.
    const match = authorization?.match(/^Bearer (\S+)$/i);
    const issued = match ? this.tokens.get(match[1] as string) : undefined;
    if (!issued || issued.expiresAtMs <= Date.now()) {
      throw gatewayProblem(401, 'Access denied due to invalid or expired access token.');
    }
    return issued;
  }

  private merchantOfToken(issued: IssuedToken, msn: string | undefined): MerchantConfig {
    const merchant = this.ctx.merchants.get(issued.msn) as MerchantConfig;
    if (msn !== undefined && msn !== merchant.msn) {
      throw problemFor('userinfo', 403, 'Forbidden', `Merchant-Serial-Number ${msn} is not available with this access token.`);
    }
    return merchant;
  }

  private merchantForKey(key: string | undefined): MerchantConfig {
    if (!key) {
      throw gatewayProblem(401, 'Access denied due to missing subscription key. Make sure to include subscription key when making requests to an API.');
    }
    for (const merchant of this.ctx.merchants.values()) if (merchant.subscriptionKey === key) return merchant;
    throw gatewayProblem(401, 'Access denied due to invalid subscription key. Make sure to provide a valid key for an active subscription.');
  }
}

/** A generic error in the shape of the API the route belongs to. */
export function problemFor(api: Route['api'], status: number, title: string, detail: string): SimProblem {
  switch (api) {
    case 'recurring':
      return recurringProblem(status, status === 404 ? 'resource-not-found' : status >= 500 ? 'operation-failed' : 'validation-error', title, detail);
    case 'webhooks':
    case 'order-management':
      return webhooksProblem(status, title, detail);
    default:
      return epaymentProblem(status, title, detail, status >= 500 ? '3010' : undefined);
  }
}

function fakeJwt(msn: string, nowSeconds: number): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const head = encode({ typ: 'JWT', alg: 'RS256' });
  const body = encode({ sub: msn, iat: nowSeconds, exp: nowSeconds + TOKEN_LIFETIME_SECONDS, iss: 'vipps-simulator' });
  return `${head}.${body}.${randomBytes(32).toString('base64url')}`;
}
