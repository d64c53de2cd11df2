import { randomBytes } from 'node:crypto';
import { withAuditReason } from '../audit/audit-reason';
import { UserFacingError } from '../common/error-code';
import { checkCancelCharge, checkCaptureCharge, checkRefundCharge } from '../recurring/recurring-validation';
import type { ChargeRecord } from '../recurring/recurring-record';
import { consoleActor, seeOther, sendPage, type ConsoleRequest, type ConsoleServices } from './console-context';
import { NONCE, formIdempotencyKey, parseAmount, reasonText } from './console-form';
import { chargePath, renderChargeConfirm, renderChargePage, type ChargeActionName } from './console-charge.render';
import { renderProblemPage } from './console-pages.render';

const ACTIONS: readonly ChargeActionName[] = ['capture', 'refund', 'cancel'];
const CHARGE_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * `/console/agreements/<msn>/<agreementId>/charges/<chargeId>`: the charge (GET), the
 * confirmation of capture, refund or cancel (POST `…/confirm`) and the action (POST `…/do`),
 * through the same ChargeService as GraphQL. The agreement's route has checked merchant and scope.
 */
export async function chargeRoute(s: ConsoleServices, r: ConsoleRequest): Promise<void> {
  const [, msn = '', agreementId = '', , chargeId = '', step, extra] = r.parts;
  const { t } = r.v;
  const notFound = () => sendPage(r.res, 404, renderProblemPage(r.v, t.pageNotFound, t.notFound(chargeId)));
  if (extra !== undefined || !CHARGE_ID.test(chargeId)) return notFound();
  const charge = await s.recurringReader.refreshCharge(msn, agreementId, chargeId);
  if (!charge) return notFound();

  if (step === undefined && r.form === null) {
    const done = r.query.get('done');
    return showCharge(s, r, charge, 200, { done: done && ACTIONS.includes(done as ChargeActionName) ? `charge-${done}` : null });
  }
  if (r.form === null || (step !== 'confirm' && step !== 'do')) return notFound();
  if (!r.key.scopes.has('recurring:write')) return showCharge(s, r, charge, 403, { refusal: t.notAllowed });
  const action = r.form.get('action') as ChargeActionName;
  const reason = reasonText(r.form.get('reason'));
  if (!ACTIONS.includes(action)) return notFound();
  if (!reason) return showCharge(s, r, charge, 400, { refusal: t.badReason });

  if (step === 'confirm') {
    const typed = (r.form.get('amount') ?? '').trim();
    const requested = typed === '' ? null : parseAmount(typed);
    if (typed !== '' && requested === null) return showCharge(s, r, charge, 400, { refusal: t.badAmount });
    const amount = requested === null ? null : { value: requested, currency: charge.currency };
    let value: number;
    try {
      if (action === 'cancel') checkCancelCharge(charge);
      value = action === 'capture' ? checkCaptureCharge(charge, amount) : action === 'refund' ? checkRefundCharge(charge, amount) : charge.amount - charge.summary.captured - charge.summary.cancelled;
    } catch (error) {
      if (error instanceof UserFacingError) return showCharge(s, r, charge, 409, { refusal: error.error.message });
      throw error;
    }
    return sendPage(r.res, 200, renderChargeConfirm(r.v, charge, action, value, reason, randomBytes(16).toString('base64url')));
  }

  const nonce = r.form.get('nonce') ?? '';
  const value = Number(r.form.get('amount'));
  if (!NONCE.test(nonce) || !Number.isSafeInteger(value) || value < 0) return showCharge(s, r, charge, 400, { refusal: t.badForm });
  const key = formIdempotencyKey(nonce, msn, agreementId, chargeId, action, String(value));
  const actor = consoleActor(r.session);
  const outcome = await withAuditReason(reason, () =>
    action === 'cancel'
      ? s.charges.cancel(actor, msn, agreementId, chargeId, key)
      : s.charges[action](actor, msn, agreementId, chargeId, { value, currency: charge.currency }, null, key),
  );
  const error = outcome.errors[0];
  if (error) return showCharge(s, r, (await s.recurringReader.refreshCharge(msn, agreementId, chargeId)) ?? charge, 409, { refusal: error.message });
  return seeOther(r.res, `${chargePath(charge)}?done=${action}`);
}

async function showCharge(s: ConsoleServices, r: ConsoleRequest, charge: ChargeRecord, status: number, extra: { done?: string | null; refusal?: string | null }): Promise<void> {
  const audit = await s.audit.page(charge.merchantSerialNumber, { agreementId: charge.agreementId, chargeId: charge.chargeId }, 50, null);
  sendPage(r.res, status, renderChargePage(r.v, { charge, audit: audit.entries, canWrite: r.key.scopes.has('recurring:write'), ...extra }));
}
