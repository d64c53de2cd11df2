import { AGREEMENT_PAGE_ACTOR } from '../audit/audit-entry';
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AgreementLinks } from '../recurring/agreement-links';
import type { AgreementService } from '../recurring/agreement.service';
import type { RecurringReader } from '../recurring/recurring-reader';
import { ErrorCode } from '../common/error-code';
import type { Config } from '../config/config';
import { chooseLanguage, languageCookie, type Language, type LanguageChoice } from './agreement-page.language';
import { renderAgreementPage, renderProblem, renderStopped } from './agreement-page.render';
import { TEXT } from './agreement-page.text';

export const AGREEMENT_PAGE_PREFIX = '/agreements/manage/';

/**
 * `GET /agreements/manage/<token>` shows the agreement; `POST /agreements/manage/<token>/stop`
 * stops it through the same `AgreementService` the GraphQL API uses. The signed token is the
 * only credential (see `agreement-token.ts`), so the page never shows it to third parties
 * (no referrer) and never lets itself be framed or cached. Every answer, errors included, is in
 * the customer's language (`agreement-page.language.ts`).
 */
/** What the page needs: the agreement's link, its service and its reader, the merchants' names (not the whole services bag). */
export interface AgreementPageServices {
  config: Pick<Config, 'vipps' | 'publicUrl'>;
  agreementLinks: AgreementLinks;
  agreements: AgreementService;
  recurringReader: RecurringReader;
}

export async function handleAgreementPage(services: AgreementPageServices, req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
  const choice = chooseLanguage(req);
  const { language } = choice;
  try {
    await route(services, req, res, path, choice);
  } catch (error) {
    // Vipps or Redis failed: tell the customer in words, and let the server log the fault.
    if (!res.headersSent) send(res, 503, renderProblem(language, ...TEXT[language].tryAgain));
    throw error;
  }
}

async function route(services: AgreementPageServices, req: IncomingMessage, res: ServerResponse, path: string, choice: LanguageChoice): Promise<void> {
  const { language } = choice;
  const t = TEXT[language];
  const rest = path.slice(AGREEMENT_PAGE_PREFIX.length);
  const [token, action, extra] = rest.split('/');
  req.resume(); // The form body carries nothing we need; drain it.
  if (!token || extra !== undefined || (action !== undefined && action !== 'stop')) return send(res, 404, renderProblem(language, ...t.notFound));

  const target = await services.agreementLinks.resolve(token);
  const notFound = () => send(res, 404, renderProblem(language, ...t.linkNotValid));
  if (!target) return notFound();
  const pagePath = `${AGREEMENT_PAGE_PREFIX}${token}`;

  if (action === undefined) {
    if (req.method !== 'GET' && req.method !== 'HEAD') return methodNotAllowed(res, 'GET, HEAD', language);
    // Fresh from Vipps: the customer may have stopped it in the app a moment ago.
    const agreement = await services.recurringReader.refreshAgreement(target.msn, target.agreementId);
    if (!agreement) return notFound();
    const [charges = []] = await services.recurringReader.chargesOfMany([target]);
    // A language picked with ?lang= stays for this page when the customer opens the link again.
    if (choice.picked) res.setHeader('set-cookie', languageCookie(language, pagePath, services.config.publicUrl.startsWith('https:')));
    const merchantName = services.config.vipps.merchants.find((m) => m.msn === target.msn)?.name ?? target.msn;
    return send(res, 200, renderAgreementPage(agreement, charges, { language, pagePath, merchantName }));
  }

  if (req.method !== 'POST') return methodNotAllowed(res, 'POST', language);
  // The page offers no Stop before the customer has accepted; a forged or stale form gets a sentence.
  // The cached record will do (the GET that showed Stop stored it fresh; an agreement never goes
  // back to PENDING), and the stop reads Vipps itself: no extra Vipps call per press.
  const [current] = await services.recurringReader.loadAgreements([target]);
  if (!current) return notFound();
  if (current.status === 'PENDING') return send(res, 409, renderProblem(language, t.notStopped, t.pendingNotStopped));
  // One key per agreement: a double click or a resubmitted form is a replay, not a second stop.
  const key = `page-stop-${createHash('sha256').update(`${target.msn}:${target.agreementId}`).digest('base64url').slice(0, 30)}`;
  const outcome = await services.agreements.stop(AGREEMENT_PAGE_ACTOR, target.msn, target.agreementId, key);
  // The stop has just read the agreement from Vipps (before and after) and cached it.
  const [agreement] = await services.recurringReader.loadAgreements([target]);
  if (!agreement) return notFound();
  const error = outcome.errors[0];
  if (!error) return send(res, 200, renderStopped(agreement, false, language));
  if (error.code === ErrorCode.ALREADY_STOPPED) return send(res, 200, renderStopped(agreement, true, language));
  const status = error.code === ErrorCode.VIPPS_UNAVAILABLE || error.code === ErrorCode.RATE_LIMITED ? 503 : 409;
  // The service's reason is an English sentence: shown as is on the English page only.
  const reason = language === 'en' ? `${error.message} ${t.stopElsewhere}` : t.stopElsewhere;
  return send(res, status, renderProblem(language, t.notStopped, reason));
}

function methodNotAllowed(res: ServerResponse, allow: string, language: Language): void {
  res.setHeader('allow', allow);
  send(res, 405, renderProblem(language, ...TEXT[language].notAllowed));
}

function send(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
    'x-content-type-options': 'nosniff',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  });
  res.end(html);
}
