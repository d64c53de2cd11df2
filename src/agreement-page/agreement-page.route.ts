import { AGREEMENT_PAGE_ACTOR } from '../audit/audit-entry';
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AgreementLinks } from '../recurring/agreement-links';
import type { AgreementService } from '../recurring/agreement.service';
import type { RecurringReader } from '../recurring/recurring-reader';
import { ErrorCode } from '../common/error-code';
import { renderAgreementPage, renderProblem, renderStopped } from './agreement-page.render';

export const AGREEMENT_PAGE_PREFIX = '/agreements/manage/';

/**
 * `GET /agreements/manage/<token>` shows the agreement; `POST /agreements/manage/<token>/stop`
 * stops it through the same `AgreementService` the GraphQL API uses. The signed token is the
 * only credential (see `agreement-token.ts`), so the page never shows it to third parties
 * (no referrer) and never lets itself be framed or cached.
 */
/** What the page needs: the agreement's link, its service and its reader (not the whole services bag). */
export interface AgreementPageServices {
  agreementLinks: AgreementLinks;
  agreements: AgreementService;
  recurringReader: RecurringReader;
}

export async function handleAgreementPage(services: AgreementPageServices, req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
  try {
    await route(services, req, res, path);
  } catch (error) {
    // Vipps or Redis failed: tell the customer in words, and let the server log the fault.
    if (!res.headersSent) send(res, 503, renderProblem('Please try again', 'We could not reach the payment service just now. Please try again in a minute.'));
    throw error;
  }
}

async function route(services: AgreementPageServices, req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
  const rest = path.slice(AGREEMENT_PAGE_PREFIX.length);
  const [token, action, extra] = rest.split('/');
  req.resume(); // The form body carries nothing we need; drain it.
  if (!token || extra !== undefined || (action !== undefined && action !== 'stop')) return send(res, 404, renderProblem('Page not found', 'This address does not lead to a subscription.'));

  const target = await services.agreementLinks.resolve(token);
  const notFound = () => send(res, 404, renderProblem('Link not valid', 'This link to your subscription is not valid or has expired. Open the subscription in the Vipps or MobilePay app to find a new link.'));
  if (!target) return notFound();

  if (action === undefined) {
    if (req.method !== 'GET' && req.method !== 'HEAD') return methodNotAllowed(res, 'GET, HEAD');
    // Fresh from Vipps: the customer may have stopped it in the app a moment ago.
    const agreement = await services.recurringReader.refreshAgreement(target.msn, target.agreementId);
    if (!agreement) return notFound();
    const [charges = []] = await services.recurringReader.chargesOfMany([target]);
    return send(res, 200, renderAgreementPage(agreement, charges, `${AGREEMENT_PAGE_PREFIX}${token}/stop`));
  }

  if (req.method !== 'POST') return methodNotAllowed(res, 'POST');
  // One key per agreement: a double click or a resubmitted form is a replay, not a second stop.
  const key = `page-stop-${createHash('sha256').update(`${target.msn}:${target.agreementId}`).digest('base64url').slice(0, 30)}`;
  const outcome = await services.agreements.stop(AGREEMENT_PAGE_ACTOR, target.msn, target.agreementId, key);
  // The stop has just read the agreement from Vipps (before and after) and cached it.
  const [agreement] = await services.recurringReader.loadAgreements([target]);
  if (!agreement) return notFound();
  const error = outcome.errors[0];
  if (!error) return send(res, 200, renderStopped(agreement, false));
  if (error.code === ErrorCode.ALREADY_STOPPED) return send(res, 200, renderStopped(agreement, true));
  const status = error.code === ErrorCode.VIPPS_UNAVAILABLE || error.code === ErrorCode.RATE_LIMITED ? 503 : 409;
  return send(res, status, renderProblem('The subscription was not stopped', `${error.message} Please try again, or stop it in the Vipps or MobilePay app.`));
}

function methodNotAllowed(res: ServerResponse, allow: string): void {
  res.setHeader('allow', allow);
  send(res, 405, renderProblem('Not allowed', 'Open the link in your browser.'));
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
