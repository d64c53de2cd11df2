import type { AuditEntry } from '../audit/audit-entry';
import { escapeHtml as e } from '../common/escape-html';
import { formatMoney } from '../common/money';
import { cancellable, capturable, refundable } from '../recurring/charge-rules';
import type { ChargeRecord } from '../recurring/recurring-record';
import { agreementPath } from './console-agreement.render';
import { actionForm, confirmPage, layout, notice, problem, table, when, type View } from './console-layout';
import { auditTable } from './console-payment.render';

export type ChargeActionName = 'capture' | 'refund' | 'cancel';

export function chargePath(c: { merchantSerialNumber: string; agreementId: string; chargeId: string }): string {
  return `${agreementPath(c)}/charges/${encodeURIComponent(c.chargeId)}`;
}

/** What can be done to the charge now, and the most money each action can move. */
export function chargeActions(c: ChargeRecord): { action: ChargeActionName; max: number }[] {
  return [
    ...(capturable(c) > 0 ? [{ action: 'capture' as const, max: capturable(c) }] : []),
    ...(refundable(c) > 0 ? [{ action: 'refund' as const, max: refundable(c) }] : []),
    ...(cancellable(c) ? [{ action: 'cancel' as const, max: 0 }] : []),
  ];
}

export function chargeActionLabel(v: View, action: ChargeActionName): string {
  return { capture: v.t.capture, refund: v.t.refund, cancel: v.t.cancelCharge }[action];
}

export interface ChargePageData {
  charge: ChargeRecord;
  audit: readonly AuditEntry[];
  canWrite: boolean;
  done?: string | null;
  refusal?: string | null;
}

function chargeActionForm(v: View, c: ChargeRecord, action: ChargeActionName, max: number): string {
  const amountLabel = max > 0 ? v.t.amountLabel(formatMoney(max, c.currency)) : null;
  return actionForm(v, { path: chargePath(c), id: `charge-${action}`, action, title: chargeActionLabel(v, action), amountLabel });
}

export function renderChargePage(v: View, d: ChargePageData): string {
  const { t } = v;
  const c = d.charge;
  const money = (value: number) => e(formatMoney(value, c.currency));
  const actions = chargeActions(c);
  const actionSection = !d.canWrite
    ? `<p id="read-only">${e(t.readOnly)}</p>`
    : actions.length === 0
      ? `<p>${e(t.noActions)}</p>`
      : actions.map((a) => chargeActionForm(v, c, a.action, a.max)).join('\n');
  return layout(
    v,
    `${t.charge} ${c.chargeId}`,
    `<h1>${e(t.charge)} ${e(c.chargeId)}</h1>
${d.done ? notice(t.done[d.done] ?? '') : ''}${d.refusal ? problem(t.refused, d.refusal) : ''}
<dl>
<dt>${e(t.agreement)}</dt><dd><a href="${e(agreementPath(c))}">${e(c.agreementId)}</a></dd>
<dt>${e(t.status)}</dt><dd id="status">${e(c.status)}</dd>
<dt>${e(t.amount)}</dt><dd>${money(c.amount)}</dd>
<dt>${e(t.captured)}</dt><dd id="captured">${money(c.summary.captured)}</dd>
<dt>${e(t.refunded)}</dt><dd id="refunded">${money(c.summary.refunded)}</dd>
<dt>${e(t.cancelled)}</dt><dd id="cancelled">${money(c.summary.cancelled)}</dd>
<dt>${e(t.due)}</dt><dd>${e(c.due.slice(0, 10))}</dd>
<dt>${e(t.description)}</dt><dd>${e(c.description)}</dd>
${c.failureReason ? `<dt>${e(t.failed)}</dt><dd>${e(`${c.failureReason} ${c.failureDescription ?? ''}`.trim())}</dd>` : ''}
</dl>
<h2>${e(t.actions)}</h2>
${actionSection}
<h2>${e(t.history)}</h2>
${table([t.time, t.event, t.amount, t.result], c.history.map((h) => [e(when(h.occurred)), e(h.event), money(h.amount), e(h.success ? t.ok : t.failed)]))}
<h2>${e(t.auditTrail)}</h2>
<div id="audit">${auditTable(v, d.audit)}</div>`,
  );
}

export function renderChargeConfirm(v: View, c: ChargeRecord, action: ChargeActionName, amount: number, reason: string, nonce: string): string {
  const { t } = v;
  const label = chargeActionLabel(v, action);
  const money = formatMoney(amount, c.currency);
  return confirmPage(v, { path: chargePath(c), action, label, question: t.confirmCharge(label, money, c.chargeId), amount, reason, nonce, button: t.yes(`${label} ${money}`) });
}
