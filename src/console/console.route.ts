import type { IncomingMessage, ServerResponse } from 'node:http';
import { GraphQLError } from 'graphql';
import type { Redis } from 'ioredis';
import { RateLimiter } from '../access/rate-limiter';
import { REFERENCE_PATTERN } from '../payments/payment-validation';
import { redisKeys } from '../redis/keys';
import { AGREEMENT_ID, agreementRoute } from './console-agreements';
import { sendPage, seeOther, type ConsoleKey, type ConsoleRequest, type ConsoleServices } from './console-context';
import { cookies, crossSite, readForm, staffName } from './console-form';
import { view, type View } from './console-layout';
import { agreementPath } from './console-agreement.render';
import { paymentPath } from './console-payment.render';
import { renderExpiring, renderFailedCharges, renderHome, renderProblemPage, renderSignIn } from './console-pages.render';
import { paymentRoute } from './console-payments';
import { paymentList } from './console-payment-list';
import { csrfMatches, ConsoleSessions } from './console-session';
import { chosenLang } from './console-text';

export const CONSOLE_PATH = '/console';
const SESSION_COOKIE = 'vg_console';
const LANG_COOKIE = 'vg_console_lang';
/** Sign-in attempts per client address in any rolling minute: enough for typos, too few to guess keys. */
const SIGN_IN_PER_MINUTE = 20;
const WEEK_MS = 7 * 86_400_000;
/**
 * Active agreements per merchant whose charges the failed-charges list reads. There is no index
 * of failed charges yet, so the list reads the registry's active agreements and their charges
 * (cached, else from Vipps); this bounds one page view.
 */
const FAILED_SCAN = 200;

export interface SupportConsole {
  /** Answers any request under `/console`. */
  handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<void>;
}

/**
 * The support console (issue 15): server-rendered pages and plain form POSTs, so it works without
 * JavaScript and with a screen reader. A session (Redis, idle timeout) keeps the API key's id and
 * the staff member's name; every POST must be same-site and carry the session's CSRF token.
 */
export function createSupportConsole(services: ConsoleServices, redis: Redis): SupportConsole {
  const { config } = services;
  const keys = redisKeys(config.redis.prefix);
  const sessions = new ConsoleSessions(redis, keys, config.console.idleTimeoutSeconds);
  const signInLimit = new RateLimiter(redis, keys, SIGN_IN_PER_MINUTE, services.log);
  const secure = config.vipps.env === 'simulator' ? '' : '; Secure';
  const sessionCookie = (value: string, clear = false) => `${SESSION_COOKIE}=${value}; Path=${CONSOLE_PATH}; HttpOnly; SameSite=Strict${secure}${clear ? '; Max-Age=0' : ''}`;

  const keyOf = (keyId: string): ConsoleKey | null => {
    const key = config.apiKeys.find((k) => k.id === keyId);
    return key && key.scopes.includes('support') ? { id: key.id, scopes: new Set(key.scopes), merchants: key.merchants } : null;
  };

  async function signIn(req: IncomingMessage, res: ServerResponse, v: View, form: URLSearchParams): Promise<void> {
    const { t } = v;
    const staff = staffName(form.get('staff'));
    try {
      await signInLimit.take(`console-sign-in:${req.socket.remoteAddress ?? 'unknown'}`);
    } catch (error) {
      if (!(error instanceof GraphQLError)) throw error;
      return sendPage(res, 429, renderSignIn(v, { problem: t.tooManyAttempts(Number(error.extensions.retryAfterSeconds ?? 60)) }, staff ?? ''));
    }
    let keyId: string | null = null;
    try {
      const caller = services.authenticator.authenticate(`Bearer ${form.get('key') ?? ''}`);
      if (caller.kind === 'api-key') keyId = caller.keyId;
    } catch (error) {
      if (!(error instanceof GraphQLError)) throw error;
    }
    if (keyId === null) return sendPage(res, 401, renderSignIn(v, { problem: t.badKey }, staff ?? ''));
    if (!keyOf(keyId)) return sendPage(res, 403, renderSignIn(v, { problem: t.noSupportScope }, staff ?? ''));
    if (!staff) return sendPage(res, 400, renderSignIn(v, { problem: t.badStaff }));
    const id = await sessions.start(keyId, staff);
    services.log.info({ keyId }, 'console sign-in');
    return seeOther(res, CONSOLE_PATH, { 'set-cookie': sessionCookie(id) });
  }

  async function find(r: ConsoleRequest): Promise<void> {
    const q = (r.query.get('q') ?? '').trim();
    // Cache first (Vipps on a miss): the page found reads Vipps fresh anyway.
    for (const msn of r.key.merchants) {
      if (r.key.scopes.has('payments:read') && REFERENCE_PATTERN.test(q) && (await services.paymentReader.loadMany([{ msn, reference: q }]))[0]) {
        return seeOther(r.res, paymentPath({ merchantSerialNumber: msn, reference: q }));
      }
      if (r.key.scopes.has('recurring:read') && AGREEMENT_ID.test(q) && (await services.recurringReader.loadAgreements([{ msn, agreementId: q }]))[0]) {
        return seeOther(r.res, agreementPath({ merchantSerialNumber: msn, agreementId: q }));
      }
    }
    return sendPage(r.res, 404, renderHome(r.v, await recent(r.key), q, true));
  }

  /** The newest actions on the key's merchants (the first merchant's, for a key of several). */
  async function recent(key: ConsoleKey) {
    const msn = key.merchants[0];
    return msn ? (await services.audit.page(msn, {}, 10, null)).entries : [];
  }

  async function expiring(r: ConsoleRequest): Promise<void> {
    const kinds = [...(r.key.scopes.has('payments:read') ? ['payment' as const] : []), ...(r.key.scopes.has('recurring:read') ? ['charge' as const] : [])];
    const now = Date.now();
    const pages = kinds.length === 0 ? [] : await Promise.all(r.key.merchants.map((msn) => services.reservations.page(msn, kinds, now, now + WEEK_MS, 50, null)));
    const entries = pages.flatMap((p) => p.entries).sort((a, b) => a.deadlineMs - b.deadlineMs);
    return sendPage(r.res, 200, renderExpiring(r.v, entries));
  }

  async function failedCharges(r: ConsoleRequest): Promise<void> {
    if (!r.key.scopes.has('recurring:read')) return sendPage(r.res, 403, renderProblemPage(r.v, r.v.t.refused, r.v.t.notAllowed));
    const perMerchant = await Promise.all(
      r.key.merchants.map(async (msn) => {
        const { rows } = await services.recurringRegistry.agreements(msn, 'ACTIVE', null, FAILED_SCAN);
        return (await services.recurringReader.chargesOfMany(rows.map((row) => ({ msn, agreementId: row.agreementId })))).flat();
      }),
    );
    const failed = perMerchant.flat().filter((c) => c.status === 'FAILED').sort((a, b) => b.due.localeCompare(a.due)).slice(0, 100);
    return sendPage(r.res, 200, renderFailedCharges(r.v, failed, FAILED_SCAN));
  }

  async function signedIn(r: ConsoleRequest): Promise<void> {
    const [first = '', ...rest] = r.parts;
    const get = r.form === null;
    if (get && first === '' && rest.length === 0) return sendPage(r.res, 200, renderHome(r.v, await recent(r.key)));
    if (get && first === 'find' && rest.length === 0) return find(r);
    if (get && first === 'expiring' && rest.length === 0) return expiring(r);
    if (get && first === 'failed-charges' && rest.length === 0) return failedCharges(r);
    if (get && first === 'payments' && rest.length === 0) return paymentList(services, r);
    if (first === 'payments') return paymentRoute(services, r);
    if (first === 'agreements') return agreementRoute(services, r);
    return sendPage(r.res, 404, renderProblemPage(r.v, r.v.t.pageNotFound, r.v.t.pageNotFoundText));
  }

  async function handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const query = new URL(req.url ?? path, 'http://console.invalid').searchParams;
    const jar = cookies(req);
    const lang = chosenLang(req, query, jar.get(LANG_COOKIE));
    const headers: Record<string, string[]> = { 'set-cookie': [] };
    if (query.has('lang')) headers['set-cookie']?.push(`${LANG_COOKIE}=${lang}; Path=${CONSOLE_PATH}; SameSite=Strict; Max-Age=31536000${secure}`);
    const sessionId = jar.get(SESSION_COOKIE);
    const session = await sessions.read(sessionId);
    const key = session ? keyOf(session.keyId) : null;
    const v = view(lang, key ? session : null, path);
    const { t } = v;
    const parts = path.slice(CONSOLE_PATH.length + 1).split('/').map(decoded);
    const send = (status: number, html: string) => sendPage(res, status, html, headers);

    if (req.method === 'POST') {
      if (crossSite(req, config.publicUrl)) {
        req.resume();
        return send(403, renderProblemPage(v, t.refused, t.crossSite));
      }
      const form = await readForm(req);
      if (form === null) return send(413, renderProblemPage(v, t.refused, t.badForm));
      if (path === `${CONSOLE_PATH}/sign-in`) return signIn(req, res, v, form);
      if (!session || !key) return send(401, renderSignIn(v, { problem: t.expired }));
      if (!csrfMatches(session, form.get('csrf'))) return send(403, renderProblemPage(v, t.refused, t.badForm));
      if (path === `${CONSOLE_PATH}/sign-out`) {
        await sessions.end(sessionId);
        return sendPage(res, 200, renderSignIn(view(lang, null, CONSOLE_PATH), { notice: t.signedOut }), { 'set-cookie': sessionCookie('', true) });
      }
      return signedIn({ req, res, v, session, key, parts, query, form });
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD, POST');
      return send(405, renderProblemPage(v, t.refused, t.pageNotFoundText));
    }
    if (!session || !key) {
      // An old cookie says the session ended; no cookie is a first visit.
      const status = path === CONSOLE_PATH ? 200 : 401;
      return send(status, renderSignIn(v, sessionId ? { problem: t.expired } : {}));
    }
    if (headers['set-cookie']?.length) res.setHeader('set-cookie', headers['set-cookie']);
    return signedIn({ req, res, v, session, key, parts, query, form: null });
  }

  return {
    async handle(req, res, path) {
      try {
        await handle(req, res, path);
      } catch (error) {
        // Vipps or Redis failed: say so in words, and let the server log the fault.
        if (!res.headersSent) sendPage(res, 503, renderProblemPage(view('en', null, CONSOLE_PATH), 'Please try again', view('en', null, CONSOLE_PATH).t.unavailable));
        throw error;
      }
    },
  };
}

/** A path segment as written; a malformed escape leads nowhere (a 404), not to an error. */
function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return '\u0000';
  }
}
