import { randomBytes } from 'node:crypto';
import { withAuditReason } from '../audit/audit-reason';
import type { AgreementRecord } from '../recurring/recurring-record';
import { consoleActor, seeOther, sendPage, type ConsoleRequest, type ConsoleServices } from './console-context';
import { NONCE, formIdempotencyKey, reasonText } from './console-form';
import { agreementPath, canStop, renderAgreementPage, renderStopConfirm } from './console-agreement.render';
import { renderProblemPage } from './console-pages.render';
import { chargeRoute } from './console-charges';

/** What an agreement id can be before Vipps is asked about it. */
export const AGREEMENT_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * `/console/agreements/<msn>/<agreementId>`: the page (GET), the confirmation of Stop (POST
 * `…/confirm`) and the stop itself (POST `…/do`), through the same AgreementService as GraphQL.
 */
export async function agreementRoute(s: ConsoleServices, r: ConsoleRequest): Promise<void> {
  const [, msn = '', agreementId = '', step, extra] = r.parts;
  const { t } = r.v;
  const notFound = () => sendPage(r.res, 404, renderProblemPage(r.v, t.pageNotFound, t.notFound(agreementId)));
  if (!r.key.scopes.has('recurring:read') || !r.key.merchants.includes(msn) || !AGREEMENT_ID.test(agreementId)) return notFound();
  if (step === 'charges') return chargeRoute(s, r);
  if (extra !== undefined) return notFound();
  const agreement = await s.recurringReader.refreshAgreement(msn, agreementId);
  if (!agreement) return notFound();

  if (step === undefined && r.form === null) return showAgreement(s, r, agreement, 200, { done: r.query.get('done') === 'stop' ? 'stop' : null });
  if (r.form === null || (step !== 'confirm' && step !== 'do') || r.form.get('action') !== 'stop') return notFound();
  if (!r.key.scopes.has('recurring:write')) return showAgreement(s, r, agreement, 403, { refusal: t.notAllowed });
  const reason = reasonText(r.form.get('reason'));
  if (!reason) return showAgreement(s, r, agreement, 400, { refusal: t.badReason });

  if (step === 'confirm') {
    if (!canStop(agreement)) return showAgreement(s, r, agreement, 409, { refusal: t.noAgreementActions });
    return sendPage(r.res, 200, renderStopConfirm(r.v, agreement, reason, randomBytes(16).toString('base64url')));
  }
  const nonce = r.form.get('nonce') ?? '';
  if (!NONCE.test(nonce)) return showAgreement(s, r, agreement, 400, { refusal: t.badForm });
  const key = formIdempotencyKey(nonce, msn, agreementId, 'stop');
  const outcome = await withAuditReason(reason, () => s.agreements.stop(consoleActor(r.session), msn, agreementId, key));
  const error = outcome.errors[0];
  if (error) return showAgreement(s, r, (await s.recurringReader.refreshAgreement(msn, agreementId)) ?? agreement, 409, { refusal: error.message });
  return seeOther(r.res, `${agreementPath(agreement)}?done=stop`);
}

async function showAgreement(s: ConsoleServices, r: ConsoleRequest, agreement: AgreementRecord, status: number, extra: { done?: string | null; refusal?: string | null }): Promise<void> {
  const key = { msn: agreement.merchantSerialNumber, agreementId: agreement.agreementId };
  const [[charges = []], audit] = await Promise.all([
    s.recurringReader.chargesOfMany([key]),
    s.audit.page(agreement.merchantSerialNumber, { agreementId: agreement.agreementId }, 50, null),
  ]);
  const html = renderAgreementPage(r.v, { agreement, charges, audit: audit.entries, canWrite: r.key.scopes.has('recurring:write'), ...extra });
  sendPage(r.res, status, html);
}
