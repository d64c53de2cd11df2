import { randomId, type SimContext } from '../simulator-context';
import { requestHost, type Handler, type Route, type SimRequest, type SimResponse } from '../http';
import { epaymentProblem } from '../problems';
import { cancel, capture, createPayment, declineReason, refund, type OpOutcome, type Payment } from './payment';
import { answerIdempotently, type EpaymentOperation } from './epayment-idempotency';
import type { EpaymentSimulation } from './epayment-simulation';
import { validateCancel, validateCreatePayment, validateForceApprove, validateModification } from './epayment-request-checks';
import { eventBody, modificationBody, paymentBody } from './payment-view';
import { qrRedirectUrl } from './qr-image.routes';
import { CREATE_PAYMENT_TYPES, FORCE_APPROVE_TYPES } from './epayment-body-types';

/** The ePayment v1 endpoints (docs/vipps.md §7), including the test-only force approve. */
export function epaymentRoutes(ctx: SimContext, service: EpaymentSimulation): Route[] {
  const route = (method: Route['method'], path: string, handler: Handler): Route => ({
    method,
    path: `/epayment/v1${path}`,
    auth: 'token',
    api: 'epayment',
    handler,
  });

  const create: Handler = (req) =>
    answerIdempotently(ctx.idempotency, req, 'create', undefined, (key) => {
      const input = validateCreatePayment(req.body, ctx.clock.nowMs());
      const msn = req.merchant.msn;
      if (input.paymentMethod === 'CARD' && !ctx.settingsOf(msn).cardPayments) {
        throw epaymentProblem(400, 'Invalid payment method type', 'This merchant is not allowed to take CARD payments.', '4160');
      }
      if (service.store.get(msn, input.reference)) {
        throw epaymentProblem(409, 'Conflict', `Reference ${input.reference} already exists.`, '4150');
      }
      const token = randomId(32);
      // Redirect flows get the simulator's own landing page, QR an image of it (or its URL); PUSH_MESSAGE gets nothing.
      const landing = `http://${requestHost(req)}/landing?token=${token}`;
      const redirectUrl = input.userFlow === 'PUSH_MESSAGE' ? undefined : input.userFlow === 'QR' ? qrRedirectUrl(req, token, landing) : landing;
      const { expiresAtMs, ...rest } = input;
      const outcome = createPayment(
        { ...rest, msn, token, ...(redirectUrl ? { redirectUrl } : {}), ...(expiresAtMs !== undefined ? { expiresAtMs } : {}) },
        service.op(key),
      );
      const payment = service.commit(outcome);
      service.scheduleUser(payment);
      return { status: 201, body: { ...(redirectUrl ? { redirectUrl } : {}), reference: payment.reference } };
    });

  /** Capture, refund and cancel share everything but the rule and the body. */
  const modification =
    (operation: Exclude<EpaymentOperation, 'create'>, rule: (payment: Payment, req: SimRequest, key: string) => OpOutcome): Handler =>
    (req) => {
      const { msn } = req.merchant;
      const reference = req.params.reference as string;
      // An unknown reference is answered before the key is consumed, so the key stays usable.
      service.find(msn, reference);
      return answerIdempotently(
        ctx.idempotency,
        req,
        operation,
        reference,
        (key) => {
          const outcome = rule(service.find(msn, reference), req, key);
          if (!outcome.ok) throw epaymentProblem(400, outcome.title, outcome.detail, outcome.code);
          const payment = service.commit(outcome);
          return { status: 200, body: modificationBody(payment, outcome.events[0]?.pspReference ?? payment.pspReference) };
        },
        // A replayed success answers with the current state, as Vipps does (docs/vipps.md §6).
        (existing) => ({ status: 200, body: modificationBody(service.find(msn, reference), pspReferenceOf(existing.response)) }),
      );
    };

  const forceApprove: Handler = (req) => {
    const payment = service.find(req.merchant.msn, req.params.reference as string);
    const { token } = validateForceApprove(req.body);
    if (token !== undefined && token !== payment.token) {
      throw epaymentProblem(400, 'Approve failed', 'The token does not belong to this payment.', '10010');
    }
    const outcome = service.userAct(payment, 'APPROVE');
    if (!outcome.ok) throw epaymentProblem(400, outcome.title, outcome.detail, outcome.code);
    if (outcome.payment.state === 'ABORTED') {
      const reason = declineReason(payment.amount.value) ?? 'declined';
      throw epaymentProblem(400, 'Approve failed', `The authorization was declined (${reason}); the payment is ABORTED.`, '10010');
    }
    return { status: 200 };
  };

  return [
    { ...route('POST', '/payments', create), bodyTypes: CREATE_PAYMENT_TYPES },
    route('GET', '/payments/:reference', (req) => ({
      status: 200,
      body: paymentBody(service.find(req.merchant.msn, req.params.reference as string)),
    })),
    route('GET', '/payments/:reference/events', (req) => {
      const payment = service.find(req.merchant.msn, req.params.reference as string);
      return { status: 200, body: payment.events.map((event) => eventBody(payment, event)) };
    }),
    route('POST', '/payments/:reference/capture', modification('capture', (p, req, key) => capture(p, validateModification(req.body), service.op(key)))),
    route('POST', '/payments/:reference/refund', modification('refund', (p, req, key) => refund(p, validateModification(req.body), service.op(key)))),
    route('POST', '/payments/:reference/cancel', modification('cancel', (p, req, key) => cancel(p, validateCancel(req.body), service.op(key)))),
    { ...route('POST', '/test/payments/:reference/approve', forceApprove), bodyTypes: FORCE_APPROVE_TYPES },
  ];
}

function pspReferenceOf(response: SimResponse): string {
  const body = response.body as { pspReference?: unknown } | undefined;
  return typeof body?.pspReference === 'string' ? body.pspReference : '';
}
