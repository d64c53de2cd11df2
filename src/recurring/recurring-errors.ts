import { ErrorCode, type UserErrorData } from '../common/error-code';
import { formatMoney } from '../common/money';
import { capturable, refundable } from './charge-rules';
import type { AgreementRecord, ChargeRecord } from './recurring-record';

/** What we need of a Vipps failure to explain it (see `src/vipps/errors.ts`). */
export interface RecurringFailure {
  status?: number;
  problem?: string;
  traceId?: string;
}

export type RecurringOperation = 'create-agreement' | 'update-agreement' | 'stop-agreement' | 'create-charge' | 'capture' | 'cancel' | 'refund';

/** What the sentence may mention: the operation and what we knew before sending it. */
export interface FailureContext {
  operation: RecurringOperation;
  agreement?: AgreementRecord;
  charge?: ChargeRecord;
}

type Explain = (ctx: FailureContext) => [ErrorCode, string];

const agreementName = (c: FailureContext) => (c.agreement ? `agreement ${c.agreement.agreementId}` : 'the agreement');
const chargeName = (c: FailureContext) => (c.charge ? `charge ${c.charge.chargeId}` : 'the charge');
const statusOf = (s: string | undefined) => (s ? ` (it is ${s.toLowerCase().replace(/_/g, ' ')})` : '');

/**
 * Every Recurring problem identifier (docs/vipps.md §5) as an ErrorCode and a sentence for a shop
 * employee. Branch on the identifier in the problem `type`, never on Vipps' text.
 */
const BY_PROBLEM: Record<string, Explain> = {
  'validation-error': () => [ErrorCode.INVALID_INPUT, 'Vipps refused the request because a value is not valid. Check the amounts, texts and dates.'],
  'invalid-agreement-id': (c) => [ErrorCode.NOT_FOUND, `Vipps does not know ${agreementName(c)} for this merchant.`],
  'invalid-json': () => [ErrorCode.VIPPS_REJECTED, 'Vipps could not read the request. This is a fault on our side; nothing was changed.'],
  'unsupported-media-type': () => [ErrorCode.VIPPS_REJECTED, 'Vipps could not read the request. This is a fault on our side; nothing was changed.'],
  'not-authorized': () => [ErrorCode.FEATURE_NOT_ENABLED, 'Vipps refused the request for this merchant. Check that Recurring payments are enabled for the sales unit.'],
  'idempotency-key-header': () => [ErrorCode.INVALID_INPUT, 'Vipps refused the idempotency key. Use 1 to 40 characters without #, ?, / or \\.'],
  'charge-amount-too-high': chargeAmountTooHigh,
  'charge-due-too-soon': () => [ErrorCode.INVALID_DUE_DATE, 'The due date is too soon. Vipps needs it at least one day ahead.'],
  'charge-due-in-too-long': () => [ErrorCode.INVALID_DUE_DATE, 'The due date is too far ahead. Vipps allows at most two years.'],
  'unsupported-feature': () => [ErrorCode.FEATURE_NOT_ENABLED, 'This merchant may not use this Recurring feature (for example unscheduled charges or skipping the landing page). Ask Vipps MobilePay to enable it.'],
  'illegal-agreement-update': (c) => [
    ErrorCode.AGREEMENT_UPDATE_NOT_ALLOWED,
    `${cap(agreementName(c))} cannot be changed now${statusOf(c.agreement?.status)}. Only active agreements can be changed, and the pricing type never changes.`,
  ],
  'invalid-suggested-max-amount': () => [ErrorCode.INVALID_AMOUNT, 'The suggested maximum amount is not valid. It must be between 1.00 and 20000.00, and only variable-price agreements have one.'],
  'cancel-charge-failed': (c) => [ErrorCode.CANCEL_NOT_ALLOWED, `${cap(chargeName(c))} cannot be cancelled${statusOf(c.charge?.status)}. Only pending, due and reserved charges can be cancelled; refund a charged one instead.`],
  'charge-creation-failed': (c) => [ErrorCode.CHARGE_CREATION_FAILED, `Vipps did not create the charge on ${agreementName(c)}${statusOf(c.agreement?.status)}. Charges can only be made on active agreements.`],
  'charge-capture-failed': (c) => [ErrorCode.CAPTURE_NOT_ALLOWED, `${cap(chargeName(c))} cannot be captured${statusOf(c.charge?.status)}. Only reserved charges can be captured.`],
  'missing-request-header': () => [ErrorCode.VIPPS_REJECTED, 'Vipps missed a required header. This is a fault on our side; nothing was changed.'],
  'invalid-sale-unit': () => [ErrorCode.MERCHANT_NOT_ALLOWED, 'Vipps does not accept this merchant serial number for Recurring payments.'],
  'resource-not-found': (c) => [ErrorCode.NOT_FOUND, `Vipps does not know ${c.charge || c.operation === 'capture' || c.operation === 'cancel' || c.operation === 'refund' ? chargeName(c) : agreementName(c)} for this merchant.`],
  'operation-failed': operationFailed,
  conflict: (c) =>
    c.operation === 'create-charge' || c.operation === 'create-agreement'
      ? [ErrorCode.ORDER_ID_ALREADY_EXISTS, 'A charge with this order id already exists for this merchant. Use a new order id.']
      : [ErrorCode.INVALID_STATE, `Vipps refused because ${agreementName(c)} is not in a state that allows this.`],
  'idempotency-conflict': () => [ErrorCode.IDEMPOTENCY_CONFLICT, 'This idempotency key was already used for a different request. Use a new key for a new operation.'],
};

function chargeAmountTooHigh(c: FailureContext): [ErrorCode, string] {
  const ch = c.charge;
  if (c.operation === 'capture') {
    return [ErrorCode.CAPTURE_AMOUNT_TOO_HIGH, ch ? `You can capture at most ${formatMoney(capturable(ch), ch.currency)} of ${chargeName(c)}.` : 'The capture amount is higher than what is left to capture.'];
  }
  if (c.operation === 'refund') {
    return [ErrorCode.REFUND_AMOUNT_TOO_HIGH, ch ? `You can refund at most ${formatMoney(refundable(ch), ch.currency)} of ${chargeName(c)}.` : 'The refund amount is higher than what is left to refund.'];
  }
  return [ErrorCode.CHARGE_AMOUNT_TOO_HIGH, `The charge amount is higher than ${agreementName(c)} allows.`];
}

function operationFailed(c: FailureContext): [ErrorCode, string] {
  if (c.operation === 'refund') {
    return [ErrorCode.REFUND_NOT_ALLOWED, `Vipps could not refund ${chargeName(c)}${statusOf(c.charge?.status)}. Refunds are possible for 365 days after capture, to a customer who still has an account.`];
  }
  return [ErrorCode.VIPPS_REJECTED, 'Vipps could not carry out the operation.'];
}

export function explainRecurringFailure(failure: RecurringFailure, ctx: FailureContext): UserErrorData {
  const extra = { ...(failure.problem ? { vippsErrorCode: failure.problem } : {}), ...(failure.traceId ? { traceId: failure.traceId } : {}) };
  const known = failure.problem ? BY_PROBLEM[failure.problem] : undefined;
  if (known) {
    const [code, message] = known(ctx);
    return { code, message, ...extra };
  }
  return { ...byStatus(failure.status, ctx), ...extra };
}

function byStatus(status: number | undefined, c: FailureContext): { code: ErrorCode; message: string } {
  switch (status) {
    case 404:
      return { code: ErrorCode.NOT_FOUND, message: `Vipps does not know ${c.charge ? chargeName(c) : agreementName(c)} for this merchant.` };
    case 409:
      return { code: ErrorCode.IDEMPOTENCY_CONFLICT, message: 'Vipps refused the request because it conflicts with an earlier one with the same idempotency key.' };
    case 429:
      return { code: ErrorCode.RATE_LIMITED, message: 'Vipps is receiving too many requests for this agreement. Try again in a minute with the same idempotency key.' };
    case 401:
    case 403:
      return { code: ErrorCode.FEATURE_NOT_ENABLED, message: 'Vipps refused the request for this merchant. Check that Recurring is enabled and that its keys are right.' };
    default:
      if (status !== undefined && status < 500) return { code: ErrorCode.VIPPS_REJECTED, message: 'Vipps refused the request as invalid.' };
      return { code: ErrorCode.VIPPS_UNAVAILABLE, message: 'Vipps did not answer properly. Try again with the same idempotency key.' };
  }
}

function cap(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
