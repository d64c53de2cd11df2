import { randomBytes } from 'node:crypto';
import { withAuditReason } from '../audit/audit-reason';
import { UserFacingError } from '../common/error-code';
import { capturable } from '../payments/payment-rules';
import { checkCancel, checkCapture, checkRefund, REFERENCE_PATTERN } from '../payments/payment-validation';
import type { PaymentRecord } from '../payments/payment-record';
import { consoleActor, seeOther, sendPage, type ConsoleRequest, type ConsoleServices } from './console-context';
import { NONCE, formIdempotencyKey, parseAmount, reasonText } from './console-form';
import { renderPaymentConfirm, renderPaymentPage, paymentPath, type PaymentActionName } from './console-payment.render';
import { renderProblemPage } from './console-pages.render';

const ACTIONS: readonly PaymentActionName[] = ['capture', 'refund', 'cancel'];

/**
 * `/console/payments/<msn>/<reference>`: the page (GET), the confirmation of an action (POST
 * `…/confirm`) and the action itself (POST `…/do`), through the same PaymentService as GraphQL.
 */
export async function paymentRoute(s: ConsoleServices, r: ConsoleRequest): Promise<void> {
  const [, msn = '', reference = '', step, extra] = r.parts;
  const { t } = r.v;
  const notFound = () => sendPage(r.res, 404, renderProblemPage(r.v, t.pageNotFound, t.notFound(reference)));
  if (extra !== undefined || !r.key.scopes.has('payments:read') || !r.key.merchants.includes(msn) || !REFERENCE_PATTERN.test(reference)) return notFound();
  const payment = await s.paymentReader.refresh(msn, reference);
  if (!payment) return notFound();

  if (step === undefined && r.form === null) {
    const done = r.query.get('done');
    return showPayment(s, r, payment, 200, { done: done && ACTIONS.includes(done as PaymentActionName) ? done : null });
  }
  if (r.form === null || (step !== 'confirm' && step !== 'do')) return notFound();
  if (!r.key.scopes.has('payments:write')) return showPayment(s, r, payment, 403, { refusal: t.notAllowed });

  const action = r.form.get('action') as PaymentActionName;
  const reason = reasonText(r.form.get('reason'));
  if (!ACTIONS.includes(action)) return notFound();
  if (!reason) return showPayment(s, r, payment, 400, { refusal: t.badReason });

  if (step === 'confirm') {
    const amount = confirmedAmount(payment, action, r.form.get('amount') ?? '');
    if (amount === null) return showPayment(s, r, payment, 400, { refusal: t.badAmount });
    if ('refusal' in amount) return showPayment(s, r, payment, 409, amount);
    return sendPage(r.res, 200, renderPaymentConfirm(r.v, payment, action, amount.value, reason, randomBytes(16).toString('base64url')));
  }

  const nonce = r.form.get('nonce') ?? '';
  const value = Number(r.form.get('amount'));
  if (!NONCE.test(nonce) || !Number.isSafeInteger(value) || value <= 0) return showPayment(s, r, payment, 400, { refusal: t.badForm });
  const currency = payment.amount.currency;
  const key = formIdempotencyKey(nonce, msn, reference, action, String(value));
  const actor = consoleActor(r.session);
  const outcome = await withAuditReason(reason, () =>
    action === 'cancel'
      ? s.payments.cancel(actor, msn, reference, false, key)
      : s.payments[action](actor, msn, reference, { value, currency }, key),
  );
  const error = outcome.errors[0];
  if (error) return showPayment(s, r, (await s.paymentReader.refresh(msn, reference)) ?? payment, 409, { refusal: error.message });
  return seeOther(r.res, `${paymentPath(payment)}?done=${action}`);
}

/** The amount a confirmation names: what was typed, or all that the action can move; or why not. */
function confirmedAmount(p: PaymentRecord, action: PaymentActionName, typed: string): { value: number } | { refusal: string } | null {
  const requested = typed.trim() === '' ? null : parseAmount(typed);
  if (typed.trim() !== '' && requested === null) return null;
  const amount = requested === null ? null : { value: requested, currency: p.amount.currency };
  try {
    if (action === 'capture') return { value: checkCapture(p, amount) };
    if (action === 'refund') return { value: checkRefund(p, amount) };
    checkCancel(p, false);
    return { value: p.state === 'CREATED' ? p.amount.value : capturable(p) };
  } catch (error) {
    if (error instanceof UserFacingError) return { refusal: error.error.message };
    throw error;
  }
}

async function showPayment(s: ConsoleServices, r: ConsoleRequest, payment: PaymentRecord, status: number, extra: { done?: string | null; refusal?: string | null }): Promise<void> {
  const [events, audit] = await Promise.all([
    s.paymentReader.events(payment),
    s.audit.page(payment.merchantSerialNumber, { reference: payment.reference }, 50, null),
  ]);
  const html = renderPaymentPage(r.v, { payment, events, audit: audit.entries, canWrite: r.key.scopes.has('payments:write'), ...extra });
  sendPage(r.res, status, html);
}
