import { header, type SimRequest, type SimResponse } from '../http';
import { fingerprint, type IdempotencyRecord, type IdempotencyStore } from '../idempotency';
import { epaymentProblem, SimProblem } from '../problems';
import { validateIdempotencyKey } from './epayment-request-checks';

export type EpaymentOperation = 'create' | 'capture' | 'refund' | 'cancel';

/**
 * Runs one ePayment write under its Idempotency-Key (docs/vipps.md §6). Keys are scoped per
 * merchant and operation (create, capture, refund, cancel): Vipps' own Postman collection sends
 * the create's key again on the capture, refund and cancel of that payment, and Vipps accepts
 * it. Errors thrown by `act` become the stored outcome, so a 4xx is sticky. Reusing a key for a
 * different request of the same operation is 409: 4010 for capture and 4150 for refund when the
 * key was a capture/refund of the same payment with another body, otherwise 4020 "key already
 * exists" (e.g. one capture key for two payments).
 */
export function answerIdempotently(
  store: IdempotencyStore,
  req: SimRequest,
  operation: EpaymentOperation,
  reference: string | undefined,
  act: (key: string) => SimResponse,
  replay?: (existing: IdempotencyRecord) => SimResponse,
): SimResponse {
  const key = validateIdempotencyKey(header(req, 'idempotency-key'));
  const name = reference === undefined ? operation : `${operation}:${reference}`;
  const path = reference === undefined ? '/epayment/v1/payments' : `/epayment/v1/payments/${reference}/${operation}`;
  return store.once({
    scope: `epayment:${req.merchant.msn}:${operation}`,
    key,
    operation: name,
    fingerprint: fingerprint('POST', path, req.body),
    act: () => act(key),
    conflict: (existing) => conflict(existing, name, operation, key).response,
    ...(replay ? { replay } : {}),
  });
}

function conflict(existing: IdempotencyRecord, name: string, operation: EpaymentOperation, key: string): SimProblem {
  if (existing.operation === name && operation === 'capture') {
    return epaymentProblem(409, 'Capture idempotency conflict', `Idempotency-Key ${key} was used for a capture with another body.`, '4010');
  }
  if (existing.operation === name && operation === 'refund') {
    return epaymentProblem(409, 'Refund idempotency conflict', `Idempotency-Key ${key} was used for a refund with another body.`, '4150');
  }
  return epaymentProblem(409, 'Idempotency-Key already exists', `Idempotency-Key ${key} was already used for another request.`, '4020');
}
