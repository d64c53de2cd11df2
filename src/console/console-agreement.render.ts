import type { AuditEntry } from '../audit/audit-entry';
import { escapeHtml as e } from '../common/escape-html';
import { formatMoney } from '../common/money';
import type { AgreementRecord, ChargeRecord } from '../recurring/recurring-record';
import { actionForm, confirmPage, layout, notice, problem, table, when, type View } from './console-layout';
import { auditTable } from './console-payment.render';

export function agreementPath(a: { merchantSerialNumber: string; agreementId: string }): string {
  return `/console/agreements/${encodeURIComponent(a.merchantSerialNumber)}/${encodeURIComponent(a.agreementId)}`;
}

export interface AgreementPageData {
  agreement: AgreementRecord;
  charges: readonly ChargeRecord[];
  audit: readonly AuditEntry[];
  /** The key has recurring:write: the Stop form is shown. */
  canWrite: boolean;
  done?: string | null;
  refusal?: string | null;
}

function price(v: View, a: AgreementRecord): string {
  const p = a.pricing;
  if (p.type === 'LEGACY' && p.amount !== null) return formatMoney(p.amount, p.currency);
  const max = p.maxAmount ?? p.suggestedMaxAmount;
  if (p.type === 'VARIABLE' && max !== null) return v.t.upTo(formatMoney(max, p.currency));
  return v.t.payPerUse;
}

export function canStop(a: AgreementRecord): boolean {
  return a.status === 'ACTIVE' || a.status === 'PENDING';
}

export function renderAgreementPage(v: View, d: AgreementPageData): string {
  const { t } = v;
  const a = d.agreement;
  const stop = !d.canWrite
    ? `<p id="read-only">${e(t.readOnly)}</p>`
    : !canStop(a)
      ? `<p>${e(t.noAgreementActions)}</p>`
      : actionForm(v, { path: agreementPath(a), id: 'stop', action: 'stop', title: t.stop, amountLabel: null });
  const charges = d.charges.length === 0
    ? `<p>${e(t.noCharges)}</p>`
    : table(
        [t.charge, t.due, t.amount, t.status, t.description, t.history],
        d.charges.map((c) => [
          `<a href="${e(`${agreementPath(c)}/charges/${encodeURIComponent(c.chargeId)}`)}">${e(c.chargeId)}</a>`,
          e(c.due.slice(0, 10)),
          e(formatMoney(c.amount, c.currency)),
          e(c.status),
          e(c.description),
          e(c.history.map((h) => `${h.occurred.slice(0, 10)} ${h.event} ${formatMoney(h.amount, c.currency)}${h.success ? '' : ' ✗'}`).join('; ')),
        ]),
      );
  return layout(
    v,
    `${t.agreement} ${a.agreementId}`,
    `<h1>${e(t.agreement)} ${e(a.agreementId)}</h1>
${d.done ? notice(t.done[d.done] ?? '') : ''}${d.refusal ? problem(t.refused, d.refusal) : ''}
<dl>
<dt>${e(t.status)}</dt><dd id="status">${e(a.status)}</dd>
<dt>${e(t.product)}</dt><dd>${e(a.productName)}</dd>
<dt>${e(t.price)}</dt><dd>${e(price(v, a))}</dd>
<dt>${e(t.interval)}</dt><dd>${a.interval ? e(t.every(a.interval.count, a.interval.unit)) : e(t.none)}</dd>
<dt>${e(t.merchant)}</dt><dd>${e(a.merchantSerialNumber)}</dd>
<dt>${e(t.created)}</dt><dd>${e(when(a.created))}</dd>
</dl>
<h2>${e(t.actions)}</h2>
${stop}
<h2>${e(t.charges)}</h2>
${charges}
<h2>${e(t.auditTrail)}</h2>
<div id="audit">${auditTable(v, d.audit)}</div>`,
  );
}

export function renderStopConfirm(v: View, a: AgreementRecord, reason: string, nonce: string): string {
  const { t } = v;
  return confirmPage(v, { path: agreementPath(a), action: 'stop', label: t.stop, question: t.confirmStop(a.productName, a.agreementId), amount: null, reason, nonce, button: t.yes(t.stop) });
}
