import { escapeHtml } from '../common/escape-html';
import { formatMoney } from '../common/money';
import { upcomingCharges } from '../recurring/charge-rules';
import type { AgreementRecord, ChargeRecord } from '../recurring/recurring-record';

/**
 * The customer's agreement page and its result pages: plain server-rendered HTML, no script,
 * every value from Vipps or the merchant escaped. The Stop button is an ordinary form POST, so it
 * works in any browser and in the in-app browser without JavaScript.
 */

const STATUS_TEXT: Record<AgreementRecord['status'], string> = {
  PENDING: 'Waiting for you to accept it in the app',
  ACTIVE: 'Active',
  STOPPED: 'Stopped',
  EXPIRED: 'Expired (never accepted)',
};

function intervalText(a: AgreementRecord): string {
  if (!a.interval) return '';
  if (a.interval.text) return a.interval.text;
  const unit = a.interval.unit.toLowerCase();
  return a.interval.count === 1 ? `every ${unit}` : `every ${a.interval.count} ${unit}s`;
}

/** "199.00 NOK every month", "up to 500.00 NOK every month", or "Pay per use". */
export function priceText(a: AgreementRecord): string {
  const { pricing: p } = a;
  const every = intervalText(a);
  if (p.type === 'LEGACY' && p.amount !== null) return `${formatMoney(p.amount, p.currency)} ${every}`.trim();
  if (p.type === 'VARIABLE') {
    const max = p.maxAmount ?? p.suggestedMaxAmount;
    return max !== null ? `Up to ${formatMoney(max, p.currency)} ${every}`.trim() : `Variable price ${every}`.trim();
  }
  return 'Pay per use';
}

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title>
<style>
body{font-family:system-ui,-apple-system,sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem;color:#222;line-height:1.5}
h1{font-size:1.5rem;margin-bottom:.25rem}.muted{color:#666}.price{font-size:1.25rem;font-weight:600}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}td,th{text-align:left;padding:.35rem .25rem;border-bottom:1px solid #ddd}
button{background:#c62828;color:#fff;border:0;border-radius:.4rem;padding:.7rem 1.4rem;font-size:1rem;cursor:pointer}
.box{border:1px solid #ddd;border-radius:.5rem;padding:1rem;margin:1rem 0}
</style>
</head>
<body>
${body}
</body>
</html>
`;
}

function chargeRows(charges: readonly ChargeRecord[]): string {
  const upcoming = upcomingCharges(charges).slice(0, 6);
  if (upcoming.length === 0) return '<p class="muted">No charges are planned.</p>';
  const rows = upcoming
    .map((c) => `<tr><td>${escapeHtml(c.due.slice(0, 10))}</td><td>${escapeHtml(formatMoney(c.amount, c.currency))}</td><td>${escapeHtml(c.description)}</td></tr>`)
    .join('\n');
  return `<table><thead><tr><th>Date</th><th>Amount</th><th>For</th></tr></thead><tbody>\n${rows}\n</tbody></table>`;
}

export function renderAgreementPage(a: AgreementRecord, charges: readonly ChargeRecord[], stopAction: string): string {
  const canStop = a.status === 'ACTIVE' || a.status === 'PENDING';
  const campaign = a.campaign?.explanation ? `<p>Campaign: ${escapeHtml(a.campaign.explanation)}</p>` : '';
  const stop = canStop
    ? `<form method="post" action="${escapeHtml(stopAction)}" class="box">
<p>Stopping ends the subscription now. No further charges are taken. This cannot be undone.</p>
<button type="submit" name="confirm" value="stop">Stop subscription</button>
</form>`
    : '<p class="muted">This subscription can no longer be changed.</p>';
  return layout(
    a.productName,
    `<h1>${escapeHtml(a.productName)}</h1>
${a.productDescription ? `<p class="muted">${escapeHtml(a.productDescription)}</p>` : ''}
<p class="price" id="price">${escapeHtml(priceText(a))}</p>
${campaign}
<p>Status: <strong id="status">${escapeHtml(STATUS_TEXT[a.status])}</strong></p>
<h2>Next charges</h2>
${a.status === 'ACTIVE' ? chargeRows(charges) : '<p class="muted">No charges are planned.</p>'}
${stop}
<p class="muted">Agreement ${escapeHtml(a.agreementId)}. Payments are made with Vipps MobilePay.</p>`,
  );
}

export function renderStopped(a: AgreementRecord, alreadyStopped: boolean): string {
  const what = alreadyStopped ? 'was already stopped' : 'is now stopped';
  return layout(
    'Subscription stopped',
    `<h1 id="result">Your subscription ${what}</h1>
<p>${escapeHtml(a.productName)} ${what}. No further charges will be taken.</p>
<p class="muted">You can also see this in the Vipps or MobilePay app. Agreement ${escapeHtml(a.agreementId)}.</p>`,
  );
}

export function renderProblem(title: string, message: string): string {
  return layout(title, `<h1 id="result">${escapeHtml(title)}</h1>\n<p>${escapeHtml(message)}</p>`);
}
