import { escapeHtml as e } from '../common/escape-html';
import { formatMoney } from '../common/money';
import type { PaymentRecord } from '../payments/payment-record';
import { sendPage, type ConsoleRequest, type ConsoleServices } from './console-context';
import { parseAmount } from './console-form';
import { layout, problem, table, when, type View } from './console-layout';
import { paymentPath } from './console-payment.render';

/** Payments read per merchant when filtering (newest first): bounds one page view. */
const SCAN = 1_000;
const PAGE = 100;
const SHOWN = 50;
const DAY_MS = 86_400_000;

interface Filter {
  amount: string;
  from: string;
  to: string;
}

/**
 * `/console/payments`: a merchant's payments newest first, filtered by exact amount and creation
 * date range. The registry indexes payments by creation time only, so the date range starts the
 * scan and the amount is matched on the way, over at most SCAN payments per merchant.
 */
export async function paymentList(s: ConsoleServices, r: ConsoleRequest): Promise<void> {
  const { t } = r.v;
  const filter: Filter = { amount: r.query.get('amount') ?? '', from: r.query.get('from') ?? '', to: r.query.get('to') ?? '' };
  const amount = filter.amount.trim() === '' ? null : parseAmount(filter.amount);
  const from = day(filter.from);
  const to = day(filter.to);
  if (filter.amount.trim() !== '' && amount === null) return sendPage(r.res, 400, render(r.v, filter, [], t.badAmount));
  if (from === undefined || to === undefined) return sendPage(r.res, 400, render(r.v, filter, [], t.badDate));
  if (!r.key.scopes.has('payments:read')) return sendPage(r.res, 403, render(r.v, filter, [], t.notAllowed));

  const found: PaymentRecord[] = [];
  for (const msn of r.key.merchants) {
    // Each merchant gets its own SHOWN: the merged list is cut to the newest SHOWN after sorting.
    const before = found.length;
    // The cursor is exclusive: one past the end of the `to` day starts at that day's last payment.
    let after = to === null ? null : { createdAtMs: to + DAY_MS, reference: '' };
    for (let scanned = 0; scanned < SCAN && found.length - before < SHOWN; scanned += PAGE) {
      const { rows } = await s.paymentRegistry.page(msn, null, PAGE, after);
      const inRange = rows.filter((row) => from === null || row.createdAtMs >= from);
      const loaded = await s.paymentReader.loadMany(inRange.filter((row) => !row.cached).map((row) => ({ msn, reference: row.reference })));
      const byReference = new Map(loaded.filter((p): p is PaymentRecord => p !== null).map((p) => [p.reference, p]));
      for (const row of inRange) {
        const p = row.cached ?? byReference.get(row.reference);
        if (p && (amount === null || p.amount.value === amount)) found.push(p);
      }
      const last = rows.at(-1);
      if (rows.length < PAGE || !last || inRange.length < rows.length) break;
      after = { createdAtMs: last.createdAtMs, reference: last.reference };
    }
  }
  found.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  return sendPage(r.res, 200, render(r.v, filter, found.slice(0, SHOWN)));
}

/** Midnight UTC of a YYYY-MM-DD date in ms; null when not given, undefined when not a date. */
function day(text: string): number | null | undefined {
  if (text.trim() === '') return null;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text.trim())) return undefined;
  const ms = Date.parse(`${text.trim()}T00:00:00Z`);
  return Number.isNaN(ms) ? undefined : ms;
}

function render(v: View, f: Filter, payments: readonly PaymentRecord[], refusal?: string): string {
  const { t } = v;
  const rows = payments.map((p) => [
    `<a href="${e(paymentPath(p))}">${e(p.reference)}</a>`,
    e(when(p.createdAt)),
    e(p.state),
    e(formatMoney(p.amount.value, p.amount.currency)),
    e(p.description ?? ''),
  ]);
  return layout(
    v,
    t.payments,
    `<h1>${e(t.payments)}</h1>
${refusal ? problem(t.refused, refusal) : ''}
<form method="get" action="/console/payments" class="action" role="search" aria-label="${e(t.payments)}">
<label for="amount">${e(t.exactAmount)}</label><input type="text" inputmode="decimal" id="amount" name="amount" value="${e(f.amount)}">
<label for="from">${e(t.fromDate)}</label><input type="date" id="from" name="from" value="${e(f.from)}">
<label for="to">${e(t.toDate)}</label><input type="date" id="to" name="to" value="${e(f.to)}">
<button type="submit" class="primary">${e(t.filter)}</button>
</form>
<p>${e(t.paymentsIntro(SCAN))}</p>
<div id="payments">${rows.length === 0 ? `<p>${e(t.noPayments)}</p>` : table([t.payment, t.created, t.state, t.amount, t.description], rows)}</div>`,
  );
}
