import { escapeHtml } from '../common/escape-html';
import { upcomingCharges } from '../recurring/charge-rules';
import type { AgreementRecord, ChargeRecord } from '../recurring/recurring-record';
import { formatAmount, formatDate, priceText } from './agreement-page.format';
import { LANGUAGES, type Language } from './agreement-page.language';
import { TEXT, type PageText } from './agreement-page.text';

/**
 * The customer's agreement page and its result pages: plain server-rendered HTML, no script,
 * every value from Vipps or the merchant escaped. The Stop button is an ordinary form POST, so it
 * works in any browser and in the in-app browser without JavaScript.
 */

/** What the page knows beyond the agreement: who sells it, in which language, at which address. */
export interface PageContext {
  language: Language;
  /** `/agreements/manage/<token>`: the language links and the Stop form point here. */
  pagePath: string;
  merchantName: string;
}

const PAST_CHARGES_SHOWN = 12;

function layout(language: Language, title: string, body: string): string {
  return `<!doctype html>
<html lang="${language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title>
<style>
body{font-family:system-ui,-apple-system,sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem;color:#222;line-height:1.5}
h1{font-size:1.5rem;margin-bottom:.25rem}.muted{color:#595959}.price{font-size:1.25rem;font-weight:600}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}td,th{text-align:left;padding:.35rem .25rem;border-bottom:1px solid #ddd}
button{background:#c62828;color:#fff;border:0;border-radius:.4rem;padding:.7rem 1.4rem;font-size:1rem;cursor:pointer}
.box{border:1px solid #ddd;border-radius:.5rem;padding:1rem;margin:1rem 0}
nav ul{list-style:none;display:flex;gap:1rem;padding:0;margin:0 0 1rem;justify-content:flex-end}
nav a{color:#0b57d0}nav a[aria-current]{color:#222;font-weight:600;text-decoration:none}
</style>
</head>
<body>
${body}
</body>
</html>
`;
}

/** Links to the same page in each language, each named in its own language. */
function languageSwitch(ctx: PageContext): string {
  const links = LANGUAGES.map((l) => {
    const current = l === ctx.language ? ' aria-current="true"' : '';
    return `<li><a href="${escapeHtml(`${ctx.pagePath}?lang=${l}`)}" lang="${l}" hreflang="${l}"${current}>${escapeHtml(TEXT[l].name)}</a></li>`;
  }).join('');
  return `<nav aria-label="${escapeHtml(TEXT[ctx.language].languageSwitch)}"><ul>${links}</ul></nav>`;
}

function chargeTable(id: string, charges: readonly ChargeRecord[], t: PageText, withStatus: boolean): string {
  const head = [t.date, t.amount, t.chargeFor, ...(withStatus ? [t.status] : [])].map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join('');
  const rows = charges
    .map((c) => {
      const cells = [formatDate(c.due, t), formatAmount(c.amount, c.currency, t), c.description, ...(withStatus ? [t.chargeStatus[c.status]] : [])];
      return `<tr>${cells.map((v) => `<td>${escapeHtml(v)}</td>`).join('')}</tr>`;
    })
    .join('\n');
  return `<table id="${id}"><thead><tr>${head}</tr></thead><tbody>\n${rows}\n</tbody></table>`;
}

function nextCharges(a: AgreementRecord, charges: readonly ChargeRecord[], t: PageText): string {
  const upcoming = a.status === 'ACTIVE' ? upcomingCharges(charges).slice(0, 6) : [];
  return upcoming.length === 0 ? `<p class="muted">${escapeHtml(t.noNextCharges)}</p>` : chargeTable('next-charges', upcoming, t, false);
}

/** Charges that have had their outcome (taken, reserved, failed, cancelled, refunded), newest first. */
function pastCharges(charges: readonly ChargeRecord[], t: PageText): string {
  const upcoming = new Set(upcomingCharges(charges));
  const past = charges.filter((c) => !upcoming.has(c)).sort((x, y) => y.due.localeCompare(x.due)).slice(0, PAST_CHARGES_SHOWN);
  return past.length === 0 ? `<p class="muted">${escapeHtml(t.noPastCharges)}</p>` : chargeTable('past-charges', past, t, true);
}

/**
 * Stop is offered only on an ACTIVE agreement: a PENDING one has taken nothing, and the customer
 * declines it in the app (the route refuses a forged Stop on it as well).
 */
function stopPart(a: AgreementRecord, ctx: PageContext, t: PageText): string {
  if (a.status === 'ACTIVE') {
    return `<form method="post" action="${escapeHtml(`${ctx.pagePath}/stop?lang=${ctx.language}`)}" class="box">
<p>${escapeHtml(t.stopExplained)}</p>
<button type="submit" name="confirm" value="stop">${escapeHtml(t.stopButton)}</button>
</form>`;
  }
  if (a.status === 'PENDING') return `<p class="box">${escapeHtml(t.pendingExplained)}</p>`;
  return `<p class="muted">${escapeHtml(t.cannotChange)}</p>`;
}

export function renderAgreementPage(a: AgreementRecord, charges: readonly ChargeRecord[], ctx: PageContext): string {
  const t = TEXT[ctx.language];
  const campaign = a.campaign?.explanation ? `<p>${escapeHtml(t.campaign)}: ${escapeHtml(a.campaign.explanation)}</p>` : '';
  return layout(
    ctx.language,
    a.productName,
    `${languageSwitch(ctx)}
<main>
<h1>${escapeHtml(a.productName)}</h1>
${a.productDescription ? `<p class="muted">${escapeHtml(a.productDescription)}</p>` : ''}
<p>${escapeHtml(t.seller)}: <strong id="merchant">${escapeHtml(ctx.merchantName)}</strong></p>
<p class="price" id="price">${escapeHtml(priceText(a, t))}</p>
${campaign}
<p>${escapeHtml(t.status)}: <strong id="status">${escapeHtml(t.agreementStatus[a.status])}</strong></p>
<h2>${escapeHtml(t.nextCharges)}</h2>
${nextCharges(a, charges, t)}
<h2>${escapeHtml(t.pastCharges)}</h2>
${pastCharges(charges, t)}
${stopPart(a, ctx, t)}
</main>
<footer><p class="muted">${escapeHtml(t.footer(a.agreementId))}</p></footer>`,
  );
}

export function renderStopped(a: AgreementRecord, alreadyStopped: boolean, language: Language): string {
  const t = TEXT[language];
  return layout(
    language,
    t.stoppedTitle,
    `<main>
<h1 id="result">${escapeHtml(t.stoppedHeading(alreadyStopped))}</h1>
<p>${escapeHtml(a.productName)}: ${escapeHtml(t.noMoreCharges)}</p>
<p class="muted">${escapeHtml(t.seeInApp)} ${escapeHtml(t.footer(a.agreementId))}</p>
</main>`,
  );
}

export function renderProblem(language: Language, title: string, message: string): string {
  return layout(language, title, `<main>\n<h1 id="result">${escapeHtml(title)}</h1>\n<p>${escapeHtml(message)}</p>\n</main>`);
}
