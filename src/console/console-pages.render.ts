import type { AuditEntry } from '../audit/audit-entry';
import { escapeHtml as e } from '../common/escape-html';
import { formatMoney } from '../common/money';
import type { ReservationEntry } from '../merchant-events/reservation-index';
import type { ChargeRecord } from '../recurring/recurring-record';
import { chargePath } from './console-charge.render';
import { agreementPath } from './console-agreement.render';
import { layout, notice, problem, table, when, type View } from './console-layout';
import { auditTable, paymentPath } from './console-payment.render';

export function renderSignIn(v: View, message: { notice?: string; problem?: string } = {}, staff = ''): string {
  const { t } = v;
  return layout(
    v,
    t.signInTitle,
    `<h1>${e(t.consoleName)}: ${e(t.signInTitle)}</h1>
${message.notice ? notice(message.notice) : ''}${message.problem ? problem(t.signInTitle, message.problem) : ''}
<p>${e(t.signInIntro)}</p>
<form method="post" action="/console/sign-in" class="action">
<label for="key">${e(t.apiKey)}</label><input type="password" id="key" name="key" required autocomplete="off">
<label for="staff-name">${e(t.staffName)}</label><input type="text" id="staff-name" name="staff" required maxlength="60" autocomplete="name" value="${e(staff)}">
<button type="submit" class="primary">${e(t.signIn)}</button>
</form>`,
  );
}

export function renderHome(v: View, recent: readonly AuditEntry[], query = '', notFound = false): string {
  const { t } = v;
  return layout(
    v,
    t.find,
    `<h1>${e(t.findTitle)}</h1>
${notFound ? problem(t.find, t.notFound(query)) : ''}
<form method="get" action="/console/find" role="search" class="action">
<label for="q">${e(t.findLabel)}</label><input type="text" id="q" name="q" required value="${e(query)}">
<button type="submit" class="primary">${e(t.findButton)}</button>
</form>
<h2>${e(t.recent)}</h2>
${recent.length === 0 ? `<p>${e(t.noRecent)}</p>` : auditTable(v, recent)}`,
  );
}

export function renderExpiring(v: View, entries: readonly ReservationEntry[]): string {
  const { t } = v;
  const rows = entries.map((r) =>
    r.kind === 'payment'
      ? [e(t.kindPayment), `<a href="${e(paymentPath({ merchantSerialNumber: r.msn, reference: r.reference }))}">${e(r.reference)}</a>`, e(when(new Date(r.deadlineMs)))]
      : [e(t.kindCharge), `<a href="${e(agreementPath({ merchantSerialNumber: r.msn, agreementId: r.agreementId }))}">${e(`${r.agreementId} / ${r.chargeId}`)}</a>`, e(when(new Date(r.deadlineMs)))],
  );
  return layout(
    v,
    t.expiring,
    `<h1>${e(t.expiringTitle)}</h1>
${rows.length === 0 ? `<p>${e(t.noExpiring)}</p>` : table([t.what, t.which, t.deadline], rows)}`,
  );
}

export function renderFailedCharges(v: View, charges: readonly ChargeRecord[], scanned: number): string {
  const { t } = v;
  const rows = charges.map((c) => [
    `<a href="${e(chargePath(c))}">${e(c.chargeId)}</a>`,
    `<a href="${e(agreementPath(c))}">${e(c.agreementId)}</a>`,
    e(c.due.slice(0, 10)),
    e(formatMoney(c.amount, c.currency)),
    e(`${c.failureReason ?? ''} ${c.failureDescription ?? ''}`.trim()),
  ]);
  return layout(
    v,
    t.failedCharges,
    `<h1>${e(t.failedCharges)}</h1>
<p>${e(t.failedIntro(scanned))}</p>
${rows.length === 0 ? `<p>${e(t.noFailed)}</p>` : table([t.charge, t.agreement, t.due, t.amount, t.why], rows)}`,
  );
}

export function renderProblemPage(v: View, title: string, text: string): string {
  return layout(v, title, `<h1>${e(title)}</h1>\n${problem(title, text)}\n<p><a href="/console">${e(v.t.find)}</a></p>`);
}
