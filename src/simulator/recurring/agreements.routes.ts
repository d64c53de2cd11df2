import type { SimContext } from '../simulator-context';
import { requestHost, type Route, type SimRequest } from '../http';
import { idempotent, ownedAgreement } from './recurring-http';
import { agreementBody } from './recurring-render';
import type { RecurringService } from './recurring-service';
import { validateAccept, validateDraft, validateListAgreements, validatePatch } from './recurring-request-checks';
import { DRAFT_AGREEMENT_TYPES } from './recurring-body-types';

/** `/recurring/v3/agreements…` (docs/vipps.md §10, §10.1–10.3, §14 force accept). */
export function agreementRoutes(ctx: SimContext, service: RecurringService): Route[] {
  const route = (method: Route['method'], path: string, handler: Route['handler']): Route => ({
    method,
    path: `/recurring/v3/agreements${path}`,
    auth: 'token',
    api: 'recurring',
    ...(method === 'POST' && path === '' ? { bodyTypes: DRAFT_AGREEMENT_TYPES } : {}),
    handler,
  });

  return [
    route('GET', '', (req) => {
      const query = validateListAgreements(req.query);
      const matching = service.store
        .agreementsOf(req.merchant.msn)
        .filter((a) => a.status === query.status && (query.createdAfter === null || a.createdAt > query.createdAfter));
      const start = (query.pageNumber - 1) * query.pageSize;
      return { status: 200, body: matching.slice(start, start + query.pageSize).map(agreementBody) };
    }),

    route('POST', '', (req) =>
      idempotent(ctx, req, 'draft-agreement', (key) => {
        const draft = validateDraft(req.body);
        const agreement = service.createAgreement(req.merchant.msn, draft, landingBaseUrl(req), key);
        return {
          status: 201,
          body: { agreementId: agreement.id, uuid: agreement.uuid, vippsConfirmationUrl: agreement.vippsConfirmationUrl, chargeId: agreement.initialChargeId },
        };
      }),
    ),

    route('GET', '/:agreementId', (req) => ({ status: 200, body: agreementBody(ownedAgreement(service, req)) })),

    route('PATCH', '/:agreementId', (req) =>
      idempotent(ctx, req, `update-agreement:${req.params.agreementId}`, (key) => {
        const agreement = ownedAgreement(service, req);
        const input = validatePatch(req.body);
        if (input.stop) service.stopByMerchant(agreement, key);
        else service.update(agreement, input.patch);
        return { status: 204 };
      }),
    ),

    route('PATCH', '/:agreementId/accept', (req) =>
      idempotent(ctx, req, `accept-agreement:${req.params.agreementId}`, () => {
        const agreement = ownedAgreement(service, req);
        const { phoneNumber } = validateAccept(req.body);
        service.accept(agreement, phoneNumber);
        return { status: 204 };
      }),
    ),
  ];
}

/** The landing page lives on the simulator itself, at the address the merchant called. */
function landingBaseUrl(req: SimRequest): string {
  return `http://${requestHost(req)}`;
}
