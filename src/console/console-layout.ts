import { escapeHtml as e } from '../common/escape-html';
import type { ConsoleSession } from './console-session';
import { TEXT, type Lang, type Text } from './console-text';

/** What every console page knows: the language, and the session when signed in. */
export interface View {
  lang: Lang;
  t: Text;
  session: ConsoleSession | null;
  /** This page's GET address, for the language switch. */
  here: string;
}

export function view(lang: Lang, session: ConsoleSession | null, here: string): View {
  return { lang, t: TEXT[lang], session, here };
}

const STYLE = `
body{font-family:system-ui,-apple-system,sans-serif;margin:0;color:#1a1a1a;line-height:1.5;background:#fafafa}
header{background:#ff5b24;color:#000;padding:.5rem 1rem;display:flex;flex-wrap:wrap;gap:1rem;align-items:center}
header a{color:#000}header .brand{font-weight:700;margin-right:auto}
nav ul{list-style:none;display:flex;gap:1rem;margin:0;padding:0}
main{max-width:60rem;margin:1rem auto;padding:0 1rem}
h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem}
table{border-collapse:collapse;width:100%;background:#fff;margin:.5rem 0}th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid #ccc;vertical-align:top}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;background:#fff;padding:1rem;border:1px solid #ccc}dt{font-weight:600}dd{margin:0}
form.action{background:#fff;border:1px solid #ccc;padding:1rem;margin:.75rem 0}
label{display:block;font-weight:600;margin-top:.5rem}input[type=text],input[type=password],textarea{font:inherit;padding:.4rem;width:100%;max-width:30rem;box-sizing:border-box;border:1px solid #555}
form.action button{display:block}
button{font:inherit;margin-top:.75rem;padding:.45rem 1rem;border:2px solid #1a1a1a;background:#fff;cursor:pointer;border-radius:.3rem}
button.primary{background:#1a1a1a;color:#fff}button.danger{background:#b00020;border-color:#b00020;color:#fff}
:focus-visible{outline:3px solid #0b57d0;outline-offset:2px}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:#fff;padding:.5rem;z-index:1}
.notice{padding:.75rem 1rem;border-left:4px solid #1b7d3a;background:#e8f5ec}.problem{padding:.75rem 1rem;border-left:4px solid #b00020;background:#fdecee}
.hint{color:#444;font-size:.9rem;margin:.1rem 0}
header form{display:inline;margin:0}header button{margin:0;padding:.2rem .6rem}
`;

/** Hidden CSRF field for a form of this session. */
export function csrfField(v: View): string {
  return v.session ? `<input type="hidden" name="csrf" value="${e(v.session.csrf)}">` : '';
}

export function layout(v: View, title: string, main: string): string {
  const { t, session } = v;
  const other: Lang = v.lang === 'en' ? 'nb' : 'en';
  const switchLink = `<a href="${e(`${v.here}${v.here.includes('?') ? '&' : '?'}lang=${other}`)}" lang="${other}" hreflang="${other}">${e(t.otherLanguage)}</a>`;
  const nav = session
    ? `<nav aria-label="${e(t.navLabel)}"><ul><li><a href="/console">${e(t.find)}</a></li><li><a href="/console/payments">${e(t.payments)}</a></li><li><a href="/console/expiring">${e(t.expiring)}</a></li><li><a href="/console/failed-charges">${e(t.failedCharges)}</a></li></ul></nav>
<span>${e(t.signedInAs)} <strong id="staff">${e(session.staff)}</strong> (${e(session.keyId)})</span>
<form method="post" action="/console/sign-out">${csrfField(v)}<button type="submit">${e(t.signOut)}</button></form>`
    : '';
  return `<!doctype html>
<html lang="${v.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${e(title)} · ${e(t.consoleName)}</title>
<style>${STYLE}</style>
</head>
<body>
<a class="skip" href="#main">${e(t.skip)}</a>
<header><span class="brand">${e(t.consoleName)}</span>${nav}${switchLink}</header>
<main id="main">
${main}
</main>
</body>
</html>
`;
}

/** A table with a caption-less header row; cells are HTML already escaped by the caller. */
export function table(headers: readonly string[], rows: readonly string[][]): string {
  const head = headers.map((h) => `<th scope="col">${e(h)}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('\n');
  return `<table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

/** "2026-11-25 07:42 UTC": one unambiguous form in both languages. */
export function when(iso: string | Date): string {
  const d = typeof iso === 'string' ? new Date(iso) : iso;
  return Number.isNaN(d.getTime()) ? '' : `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function notice(text: string): string {
  return `<p class="notice" role="status" id="notice">${e(text)}</p>`;
}

export function problem(title: string, text: string): string {
  return `<div class="problem" role="alert" id="problem"><strong>${e(title)}:</strong> ${e(text)}</div>`;
}

/**
 * An action's first step (POST `<path>/confirm`): the amount when the action takes one, and the
 * reason. `id` prefixes the form's element ids, so several forms fit on one page.
 */
export function actionForm(v: View, f: { path: string; id: string; action: string; title: string; amountLabel: string | null }): string {
  const { t } = v;
  const amount = f.amountLabel === null
    ? ''
    : `<label for="${f.id}-amount">${e(f.amountLabel)}</label><input type="text" inputmode="decimal" id="${f.id}-amount" name="amount" autocomplete="off">\n`;
  return `<form method="post" action="${e(f.path)}/confirm" class="action" aria-labelledby="${f.id}-title">
<h3 id="${f.id}-title">${e(f.title)}</h3>
${csrfField(v)}<input type="hidden" name="action" value="${e(f.action)}">
${amount}<label for="${f.id}-reason">${e(t.reason)}</label><p class="hint" id="${f.id}-reason-hint">${e(t.reasonHint)}</p>
<textarea id="${f.id}-reason" name="reason" rows="2" required maxlength="200" aria-describedby="${f.id}-reason-hint"></textarea>
<button type="submit" class="primary">${e(t.continue)}…</button>
</form>`;
}

/**
 * An action's confirmation page: says exactly what happens, and POSTs `<path>/do` with the
 * action, the amount when it has one, the reason and the nonce its idempotency key comes from.
 */
export function confirmPage(v: View, c: { path: string; action: string; label: string; question: string; amount: number | null; reason: string; nonce: string; button: string }): string {
  const { t } = v;
  const amount = c.amount === null ? '' : `<input type="hidden" name="amount" value="${c.amount}">`;
  return layout(
    v,
    t.confirmTitle,
    `<h1>${e(t.confirmTitle)}: ${e(c.label)}</h1>
<p id="question">${e(c.question)}</p>
<p>${e(t.reason)}: <q id="reason">${e(c.reason)}</q></p>
<form method="post" action="${e(c.path)}/do">
${csrfField(v)}<input type="hidden" name="action" value="${e(c.action)}">${amount}
<input type="hidden" name="reason" value="${e(c.reason)}"><input type="hidden" name="nonce" value="${e(c.nonce)}">
<button type="submit" class="danger" id="confirm">${e(c.button)}</button>
</form>
<p><a href="${e(c.path)}">${e(t.back)}</a></p>`,
  );
}
