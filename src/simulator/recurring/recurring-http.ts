import type { SimContext } from '../simulator-context';
import type { SimRequest, SimResponse } from '../http';
import { fingerprint } from '../idempotency';
import { recurringProblem } from '../problems';
import type { Agreement } from './agreement';
import type { Charge } from './charge';
import type { RecurringService } from './recurring-service';
import { requireIdempotencyKey } from './recurring-request-checks';

/** Shared plumbing of the Recurring routes: idempotency and ownership lookups. */

const AGREEMENT_ID = /^agr_[A-Za-z0-9]{1,40}$/;

/**
 * Runs a state-changing request once per Idempotency-Key (docs/vipps.md §6): a replay of the same
 * request gets the first outcome, 4xx included; the same key on another request is a 409.
 */
export function idempotent(ctx: SimContext, req: SimRequest, operation: string, act: (key: string) => SimResponse): SimResponse {
  const key = requireIdempotencyKey(req);
  return ctx.idempotency.once({
    scope: `recurring:${req.merchant.msn}`,
    key,
    operation,
    fingerprint: fingerprint(req.method, req.path, req.body),
    act: () => act(key),
    conflict: (existing) =>
      recurringProblem(409, 'idempotency-conflict', 'Conflict', `Idempotency-Key ${key} was already used for another request (${existing.operation}).`).response,
  });
}

/** The caller's agreement; another MSN's agreement is indistinguishable from a missing one. */
export function ownedAgreement(service: RecurringService, req: SimRequest): Agreement {
  const id = req.params.agreementId ?? '';
  if (!AGREEMENT_ID.test(id)) {
    throw recurringProblem(400, 'invalid-agreement-id', 'Bad Request', `${id} is not a valid agreement id.`, [{ field: 'agreementId', text: 'must look like agr_XXXXXXX' }]);
  }
  const agreement = service.store.agreement(req.merchant.msn, id);
  if (!agreement) throw recurringProblem(404, 'resource-not-found', 'Not Found', `Agreement ${id} was not found.`);
  return agreement;
}

export function ownedCharge(service: RecurringService, req: SimRequest, agreement: Agreement): Charge {
  const id = req.params.chargeId ?? '';
  const charge = service.store.charge(req.merchant.msn, id);
  if (!charge || charge.agreementId !== agreement.id) {
    throw recurringProblem(404, 'resource-not-found', 'Not Found', `Charge ${id} was not found on agreement ${agreement.id}.`);
  }
  return charge;
}
