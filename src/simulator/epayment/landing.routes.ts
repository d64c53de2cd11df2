import { escapeHtml } from '../../common/escape-html';
import { formatMoney } from '../../common/money';
import type { SimContext } from '../simulator-context';
import type { Handler, Route, SimRequest, SimResponse } from '../http';
import type { Payment } from './payment';
import type { EpaymentSimulation, UserAction } from './epayment-simulation';

/**
 * A stand-in for Vipps' landing page (`redirectUrl`), so a demo can approve or reject a payment
 * in a browser without the Vipps app. Plain HTML forms, no JS. The token travels in the form's
 * action URL because the simulator parses request bodies as JSON and a field-less form posts an
 * empty body.
 */
export function landingRoutes(ctx: SimContext, service: EpaymentSimulation): Route[] {
  const route = (method: Route['method'], path: string, handler: Handler): Route => ({ method, path, auth: 'none', api: 'epayment', handler });

  const show: Handler = (req) => {
    const payment = paymentFor(service, req);
    if (!payment) return html(404, 'Payment not found', '<p>This payment link is unknown or no longer valid.</p>');
    if (payment.state !== 'CREATED') return html(200, 'Payment', `<p>This payment is ${escapeHtml(payment.state)}.</p>`);
    const token = encodeURIComponent(payment.token);
    const merchant = ctx.merchants.get(payment.msn)?.name ?? `Merchant ${payment.msn}`;
    return html(
      200,
      'Pay with Vipps (simulator)',
      `<p><strong>${escapeHtml(merchant)}</strong></p>
<p style="font-size:2em">${formatMoney(payment.amount.value, payment.amount.currency)}</p>
${payment.description ? `<p>${escapeHtml(payment.description)}</p>` : ''}
<p>Reference ${escapeHtml(payment.reference)}</p>
<form method="post" action="/landing/approve?token=${token}"><button type="submit">Approve</button></form>
<form method="post" action="/landing/reject?token=${token}"><button type="submit">Reject</button></form>`,
    );
  };

  const act =
    (action: UserAction): Handler =>
    (req) => {
      const payment = paymentFor(service, req);
      if (!payment) return html(404, 'Payment not found', '<p>This payment link is unknown or no longer valid.</p>');
      const outcome = service.userAct(payment, action);
      if (!outcome.ok) return html(409, 'Payment', `<p>This payment is ${escapeHtml(payment.state)} and can no longer be changed.</p>`);
      // Like Vipps, send the user back to the merchant; the merchant must still check the state.
      if (payment.returnUrl) return { status: 303, headers: { location: payment.returnUrl } };
      return html(200, 'Payment', `<p>The payment is ${escapeHtml(outcome.payment.state)}. You can close this page.</p>`);
    };

  return [route('GET', '/landing', show), route('POST', '/landing/approve', act('APPROVE')), route('POST', '/landing/reject', act('REJECT'))];
}

function paymentFor(service: EpaymentSimulation, req: SimRequest): Payment | undefined {
  const token = req.query.get('token');
  return token ? service.store.getByToken(token) : undefined;
}

function html(status: number, title: string, content: string): SimResponse {
  return {
    status,
    headers: { 'content-type': 'text/html; charset=utf-8' },
    body: `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(title)}</title></head>
<body style="font-family:sans-serif;max-width:28em;margin:2em auto">
<h1>${escapeHtml(title)}</h1>
${content}
</body></html>`,
  };
}

