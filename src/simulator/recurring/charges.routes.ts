import type { SimContext } from '../simulator-context';
import type { Route } from '../http';
import { recurringProblem } from '../problems';
import { idempotent, ownedAgreement, ownedCharge } from './recurring-http';
import { chargeBody } from './recurring-render';
import type { RecurringService } from './recurring-service';
import { validateAmountBody, validateCharge, validateChargeStatusQuery } from './recurring-request-checks';

/** Charges of an agreement (docs/vipps.md §10.4, §10.5, §10.7) and the by-id lookup. */
export function chargeRoutes(ctx: SimContext, service: RecurringService): Route[] {
  const route = (method: Route['method'], path: string, handler: Route['handler']): Route => ({
    method,
    path: `/recurring/v3${path}`,
    auth: 'token',
    api: 'recurring',
    handler,
  });
  const base = '/agreements/:agreementId/charges';

  return [
    route('GET', base, (req) => {
      const agreement = ownedAgreement(service, req);
      const status = validateChargeStatusQuery(req.query);
      const charges = service.store.chargesOf(agreement).filter((c) => status === null || c.status === status);
      return { status: 200, body: charges.map((c) => chargeBody(c, agreement)) };
    }),

    route('POST', base, (req) =>
      idempotent(ctx, req, `create-charge:${req.params.agreementId}`, (key) => {
        const agreement = ownedAgreement(service, req);
        const input = validateCharge(req.body);
        const charge = service.createCharge(agreement, input, key);
        return { status: 201, body: { chargeId: charge.id } };
      }),
    ),

    route('GET', `${base}/:chargeId`, (req) => {
      const agreement = ownedAgreement(service, req);
      return { status: 200, body: chargeBody(ownedCharge(service, req, agreement), agreement) };
    }),

    route('DELETE', `${base}/:chargeId`, (req) =>
      idempotent(ctx, req, `cancel-charge:${req.params.chargeId}`, (key) => {
        const agreement = ownedAgreement(service, req);
        service.cancel(agreement, ownedCharge(service, req, agreement), { now: service.now(), idempotencyKey: key });
        return { status: 204 };
      }),
    ),

    route('POST', `${base}/:chargeId/capture`, (req) =>
      idempotent(ctx, req, `capture-charge:${req.params.chargeId}`, (key) => {
        const agreement = ownedAgreement(service, req);
        const charge = ownedCharge(service, req, agreement);
        const { amount } = validateAmountBody(req.body, 'capture');
        service.capture(agreement, charge, amount, { now: service.now(), idempotencyKey: key });
        return { status: 204 };
      }),
    ),

    route('POST', `${base}/:chargeId/refund`, (req) =>
      idempotent(ctx, req, `refund-charge:${req.params.chargeId}`, (key) => {
        const agreement = ownedAgreement(service, req);
        const charge = ownedCharge(service, req, agreement);
        const { amount } = validateAmountBody(req.body, 'refund');
        service.refund(agreement, charge, amount, { now: service.now(), idempotencyKey: key });
        return { status: 204 };
      }),
    ),

    // Support lookup by charge id alone (docs/vipps.md §10: not meant for automation).
    route('GET', '/charges/:chargeId', (req) => {
      const id = req.params.chargeId ?? '';
      const charge = service.store.charge(req.merchant.msn, id);
      const agreement = charge && service.store.agreement(req.merchant.msn, charge.agreementId);
      if (!charge || !agreement) throw recurringProblem(404, 'resource-not-found', 'Not Found', `Charge ${id} was not found.`);
      return { status: 200, body: chargeBody(charge, agreement) };
    }),
  ];
}
