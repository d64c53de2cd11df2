import { escapeHtml } from '../../common/escape-html';
import type { Route, SimRequest, SimResponse } from '../http';
import type { Agreement } from './agreement';
import { intervalText } from './recurring-render';
import type { RecurringService } from './recurring-service';

/**
 * The simulator's stand-in for the Vipps landing page behind `vippsConfirmationUrl`: plain HTML
 * forms (no JavaScript) where a person plays the user. Accept and Reject act exactly like the
 * user in the app, then send the browser to `merchantRedirectUrl` with a 303.
 */
export const LANDING_PATH = '/recurring-landing';

export function landingRoutes(service: RecurringService): Route[] {
  const route = (method: Route['method'], path: string, handler: Route['handler']): Route => ({
    method,
    path: `${LANDING_PATH}${path}`,
    auth: 'none',
    api: 'recurring',
    handler,
  });
  const act = (req: SimRequest, action: 'accept' | 'reject'): SimResponse => {
    const agreement = agreementOf(service, req);
    if (!agreement) return notFound();
    if (agreement.status !== 'PENDING') return html(409, page('Agreement not pending', `<p>This agreement is ${escapeHtml(agreement.status)}.</p>`));
    if (action === 'accept') service.accept(agreement, agreement.phoneNumber);
    else service.rejectByUser(agreement);
    return { status: 303, headers: { location: agreement.merchantRedirectUrl } };
  };

  return [
    route('GET', '', (req) => {
      const agreement = agreementOf(service, req);
      return agreement ? html(200, landingPage(agreement)) : notFound();
    }),
    route('POST', '/accept', (req) => act(req, 'accept')),
    route('POST', '/reject', (req) => act(req, 'reject')),
  ];
}

function agreementOf(service: RecurringService, req: SimRequest): Agreement | undefined {
  const id = req.query.get('agreement');
  return id ? service.store.agreementById(id) : undefined;
}

function landingPage(a: Agreement): string {
  const price = a.pricing.type === 'LEGACY' ? `${a.pricing.amount} (minor units)` : a.pricing.type === 'VARIABLE' ? `up to ${a.pricing.suggestedMaxAmount} (minor units)` : 'pay per use';
  const query = `?agreement=${encodeURIComponent(a.id)}`;
  const actions =
    a.status === 'PENDING'
      ? `<form method="post" action="${LANDING_PATH}/accept${query}"><button type="submit">Accept</button></form>
<form method="post" action="${LANDING_PATH}/reject${query}"><button type="submit">Reject</button></form>`
      : `<p>This agreement is ${escapeHtml(a.status)}.</p>`;
  return page(
    `Vipps simulator: ${a.productName}`,
    `<h1>${escapeHtml(a.productName)}</h1>
<p>${escapeHtml(a.productDescription ?? '')}</p>
<dl><dt>Price</dt><dd>${escapeHtml(price)} ${escapeHtml(a.pricing.currency)}</dd>
<dt>Interval</dt><dd>${escapeHtml(a.interval ? intervalText(a.interval) : 'when used')}</dd>
<dt>Agreement</dt><dd>${escapeHtml(a.id)}</dd></dl>
${actions}`,
  );
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body>${body}</body></html>`;
}

function html(status: number, body: string): SimResponse {
  return { status, headers: { 'content-type': 'text/html; charset=utf-8' }, body };
}

function notFound(): SimResponse {
  return html(404, page('Not found', '<p>No such agreement.</p>'));
}

