import type { AuditEntry } from '../audit/audit-entry';
import { escapeHtml as e } from '../common/escape-html';
import { formatMoney } from '../common/money';
import { availableActions, capturable, captureDeadline, refundable, type PaymentAction } from '../payments/payment-rules';
import type { PaymentEventRecord, PaymentRecord } from '../payments/payment-record';
import { actionForm, confirmPage, layout, notice, problem, table, when, type View } from './console-layout';

export type PaymentActionName = 'capture' | 'refund' | 'cancel';

export function paymentPath(p: { merchantSerialNumber: string; reference: string }): string {
  return `/console/payments/${encodeURIComponent(p.merchantSerialNumber)}/${encodeURIComponent(p.reference)}`;
}

export interface PaymentPageData {
  payment: PaymentRecord;
  events: readonly PaymentEventRecord[];
  audit: readonly AuditEntry[];
  /** The key has payments:write: action forms are shown. */
  canWrite: boolean;
  /** The action just done (after its redirect), or the sentence of a refusal. */
  done?: string | null;
  refusal?: string | null;
  now?: Date;
}

function timeLeft(v: View, deadline: Date | null, now: Date): string {
  if (!deadline) return e(v.t.none);
  const ms = deadline.getTime() - now.getTime();
  if (ms <= 0) return `${e(when(deadline))} (${e(v.t.passed)})`;
  const hours = Math.floor(ms / 3_600_000);
  return `${e(when(deadline))} (<span id="time-left">${e(v.t.timeLeft(Math.floor(hours / 24), hours % 24))}</span>)`;
}

function paymentActionForm(v: View, p: PaymentRecord, action: PaymentAction): string {
  const name = action.toLowerCase() as PaymentActionName;
  const max = action === 'CAPTURE' ? capturable(p) : action === 'REFUND' ? refundable(p) : 0;
  const title = { capture: v.t.capture, refund: v.t.refund, cancel: v.t.cancel }[name];
  return actionForm(v, { path: paymentPath(p), id: name, action: name, title, amountLabel: max > 0 ? v.t.amountLabel(formatMoney(max, p.amount.currency)) : null });
}

export function auditTable(v: View, entries: readonly AuditEntry[]): string {
  if (entries.length === 0) return `<p>${e(v.t.noAudit)}</p>`;
  return table(
    [v.t.time, v.t.who, v.t.what, v.t.amount, v.t.result, v.t.why],
    entries.map((a) => [
      e(when(a.at)),
      e(a.actor),
      e(a.operation),
      a.amount ? e(formatMoney(a.amount.value, a.amount.currency)) : '',
      e(a.outcome),
      e(a.reason ?? ''),
    ]),
  );
}

export function renderPaymentPage(v: View, d: PaymentPageData): string {
  const { t } = v;
  const p = d.payment;
  const money = (value: number) => e(formatMoney(value, p.amount.currency));
  const actions = availableActions(p, d.now);
  const actionSection = !d.canWrite
    ? `<p id="read-only">${e(t.readOnly)}</p>`
    : actions.length === 0
      ? `<p>${e(t.noActions)}</p>`
      : actions.map((a) => paymentActionForm(v, p, a)).join('\n');
  const timeline = table(
    [t.time, t.event, t.amount, t.result],
    d.events.map((ev) => [e(when(ev.timestamp)), e(ev.name), money(ev.amount.value), e(ev.success ? t.ok : t.failed)]),
  );
  return layout(
    v,
    `${t.payment} ${p.reference}`,
    `<h1>${e(t.payment)} ${e(p.reference)}</h1>
${d.done ? notice(t.done[d.done] ?? '') : ''}${d.refusal ? problem(t.refused, d.refusal) : ''}
<dl>
<dt>${e(t.state)}</dt><dd id="state">${e(p.state)}</dd>
<dt>${e(t.amount)}</dt><dd>${money(p.amount.value)}</dd>
<dt>${e(t.authorized)}</dt><dd id="authorized">${money(p.aggregate.authorized)}</dd>
<dt>${e(t.captured)}</dt><dd id="captured">${money(p.aggregate.captured)}</dd>
<dt>${e(t.refunded)}</dt><dd id="refunded">${money(p.aggregate.refunded)}</dd>
<dt>${e(t.cancelled)}</dt><dd id="cancelled">${money(p.aggregate.cancelled)}</dd>
<dt>${e(t.captureDeadline)}</dt><dd id="deadline">${timeLeft(v, capturable(p) > 0 ? captureDeadline(p) : null, d.now ?? new Date())}</dd>
<dt>${e(t.description)}</dt><dd>${e(p.description ?? '')}</dd>
<dt>${e(t.pspReference)}</dt><dd>${e(p.pspReference ?? '')}</dd>
<dt>${e(t.merchant)}</dt><dd>${e(p.merchantSerialNumber)}</dd>
<dt>${e(t.created)}</dt><dd>${e(when(p.createdAt))}</dd>
</dl>
<h2 id="actions">${e(t.actions)}</h2>
${actionSection}
<h2>${e(t.timeline)}</h2>
<div id="timeline">${timeline}</div>
<h2>${e(t.auditTrail)}</h2>
<div id="audit">${auditTable(v, d.audit)}</div>`,
  );
}

/** The confirmation of a payment action: says exactly what happens, with the amount in the payment's currency. */
export function renderPaymentConfirm(v: View, p: PaymentRecord, action: PaymentActionName, amount: number, reason: string, nonce: string): string {
  const { t } = v;
  const money = formatMoney(amount, p.amount.currency);
  const question = { capture: t.confirmCapture, refund: t.confirmRefund, cancel: t.confirmCancel }[action](money, p.reference);
  const label = { capture: t.capture, refund: t.refund, cancel: t.cancel }[action];
  return confirmPage(v, { path: paymentPath(p), action, label, question, amount, reason, nonce, button: t.yes(`${label} ${money}`) });
}
