import { ErrorCode, type UserErrorData } from '../common/error-code';
import { formatMoney } from '../common/money';
import { capturable, refundable } from './payment-rules';
import type { PaymentRecord } from './payment-record';

/** What we need of a Vipps failure to explain it (see `src/vipps/errors.ts`). */
export interface VippsFailure {
  status?: number;
  code?: string;
  traceId?: string;
}

/** What the failed request was: the operation, and the reference it named (a create has no payment yet). */
export interface FailureContext {
  operation?: string;
  reference?: string | null;
}

type Explain = (p: PaymentRecord | undefined, context: FailureContext) => string;
const ref = (p: PaymentRecord | undefined) => (p ? `payment ${p.reference}` : 'the payment');

/**
 * Every ePayment error code (docs/vipps.md §5) as an ErrorCode and a sentence for a shop employee.
 * Branch on the numeric code, never on Vipps' text.
 */
const BY_CODE: Record<string, [ErrorCode, Explain]> = {
  '3010': [ErrorCode.VIPPS_UNAVAILABLE, () => 'Vipps had an internal error. Try again in a moment with the same idempotency key.'],
  '4010': [ErrorCode.IDEMPOTENCY_CONFLICT, () => 'This idempotency key was already used for a capture with a different amount. Use a new key for a new capture.'],
  '4020': [ErrorCode.IDEMPOTENCY_CONFLICT, () => 'This idempotency key was already used for another operation. Use a new key for a new operation.'],
  '4040': [ErrorCode.INVALID_AMOUNT, () => 'The amount is not valid. Give it as a whole number of øre or cents.'],
  '4050': [ErrorCode.INVALID_INPUT, () => 'The customer token is not valid.'],
  '4060': [ErrorCode.INVALID_INPUT, () => 'The personal QR code is not valid.'],
  '4070': [ErrorCode.INVALID_PHONE_NUMBER, () => 'The phone number is not valid. Use country code and number, digits only, like 4791234567.'],
  '4080': [ErrorCode.INVALID_INPUT, () => 'The requested customer information (profile scope) is not valid.'],
  '4090': [ErrorCode.INVALID_URL, () => 'The return URL is not valid. Use an https:// address or an app link.'],
  '4100': [ErrorCode.INVALID_INPUT, () => 'A payment can carry at most 5 metadata entries.'],
  '4110': [ErrorCode.INVALID_INPUT, () => 'A metadata key appears twice.'],
  '4120': [ErrorCode.INVALID_INPUT, () => 'A metadata key is longer than 100 characters.'],
  '4130': [ErrorCode.INVALID_INPUT, () => 'A metadata value is longer than 500 characters.'],
  '4140': [ErrorCode.INVALID_INPUT, () => 'Vipps is missing a required value in the request.'],
  '4150': [ErrorCode.REFERENCE_ALREADY_EXISTS, (p, c) => `A payment with ${named(p?.reference ?? c.reference)} already exists. Use a new reference.`],
  // Our own checks refuse CARD outside WEB_REDIRECT, so a 4160 left means the merchant may not take cards.
  '4160': [ErrorCode.FEATURE_NOT_ENABLED, () => 'Vipps refused the payment method: this merchant may not take card payments. Use WALLET, or ask Vipps to enable cards.'],
  '5010': [ErrorCode.FEATURE_NOT_ENABLED, () => 'Blocking payment sources is only available in Denmark and Finland.'],
  '5020': [ErrorCode.FEATURE_NOT_ENABLED, () => 'Express checkout is not enabled for this merchant.'],
  '5030': [ErrorCode.FEATURE_NOT_ENABLED, () => 'This merchant may not ask for that customer information.'],
  '5040': [ErrorCode.INVALID_CURRENCY, () => "This currency is not accepted by the merchant's sales unit."],
  '5050': [ErrorCode.FEATURE_NOT_ENABLED, () => 'Long-living payments (with an expiry time) are not enabled for this merchant.'],
  '5060': [ErrorCode.FEATURE_NOT_ENABLED, () => "The merchant's bank account is not verified yet, so Vipps cannot take payments."],
  '5070': [ErrorCode.VIPPS_REJECTED, () => 'Vipps could not create this payment.'],
  '5080': [ErrorCode.FEATURE_NOT_ENABLED, () => 'Push-message payments are not enabled for this merchant.'],
  '5090': [ErrorCode.NOT_FOUND, (p) => `Vipps does not know ${ref(p)} for this merchant.`],
  '5100': [ErrorCode.FEATURE_NOT_ENABLED, () => 'Refunds are not possible with the current merchant setup.'],
  '6010': [ErrorCode.AMOUNT_TOO_SMALL, () => 'The amount is too small for Vipps.'],
  '6020': [ErrorCode.REFUND_BEFORE_CAPTURE, (p) => `Nothing can be refunded on ${ref(p)} yet: no money has been captured.`],
  '6030': [ErrorCode.CANCEL_PERIOD_EXPIRED, (p) => `It is too late to cancel ${ref(p)}: the reservation period is over.`],
  '6040': [ErrorCode.ALREADY_CAPTURED, (p) => `${capitalize(ref(p))} is fully captured, so it cannot be cancelled. Refund it instead.`],
  '6050': [ErrorCode.CANCEL_NOT_ALLOWED, (p) => `${capitalize(ref(p))} has no reserved money to cancel.`],
  '6060': [ErrorCode.ALREADY_AUTHORIZED, (p) => `The customer has already approved ${ref(p)}, so it was not cancelled. Cancel without "only if not approved" to release the reservation.`],
  '6070': [ErrorCode.ALREADY_CANCELLED, (p) => `${capitalize(ref(p))} was cancelled, so it cannot be captured.`],
  '6080': [ErrorCode.NOT_AUTHORIZED_YET, (p) => `The customer has not approved ${ref(p)} yet, so there is nothing to capture.`],
  '6090': [ErrorCode.CAPTURE_AMOUNT_TOO_HIGH, (p) => captureTooHigh(p)],
  '6100': [ErrorCode.CAPTURE_PERIOD_EXPIRED, (p) => `It is too late to capture ${ref(p)}: the reservation has expired.`],
  '6110': [ErrorCode.INVALID_EXPIRY, () => 'The expiry time is too far ahead. A payment can wait at most 60 days.'],
  '6120': [ErrorCode.INVALID_EXPIRY, () => 'The expiry time is too soon. It must be more than 10 minutes from now.'],
  '6130': [ErrorCode.RECEIPT_REQUIRED, () => 'A payment with an expiry time needs a receipt.'],
  '6140': [ErrorCode.PARTIAL_CAPTURE_NOT_ALLOWED, (p) => `This merchant must capture the full amount of ${ref(p)} at once.`],
  '6150': [ErrorCode.REFUND_AMOUNT_TOO_HIGH, (p) => refundTooHigh(p)],
  '6160': [ErrorCode.OPERATION_IN_PROGRESS, (p) => `Another operation on ${ref(p)} is in progress. Try again in a moment with the same idempotency key.`],
  '6170': [ErrorCode.ALREADY_CAPTURED, (p) => `${capitalize(ref(p))} is already fully captured.`],
  '6180': [ErrorCode.ALREADY_REFUNDED, (p) => `${capitalize(ref(p))} is already fully refunded.`],
  '6190': [ErrorCode.CANCEL_NOT_ALLOWED, (p) => `${capitalize(ref(p))} cannot be cancelled in its current state${stateOf(p)}.`],
  '6200': [ErrorCode.CAPTURE_NOT_ALLOWED, (p) => `${capitalize(ref(p))} cannot be captured in its current state${stateOf(p)}.`],
  '6210': [ErrorCode.REFUND_NOT_ALLOWED, (p) => `${capitalize(ref(p))} cannot be refunded in its current state${stateOf(p)}.`],
  '6220': [ErrorCode.REFUND_PERIOD_EXPIRED, (p) => `It is too late to refund ${ref(p)}: refunds are possible for 365 days.`],
  '6230': [ErrorCode.ALREADY_AUTHORIZED, (p) => `${capitalize(ref(p))} is already approved.`],
  '6250': [ErrorCode.OPERATION_IN_PROGRESS, (p) => `The customer is approving ${ref(p)} right now, so it cannot be cancelled. Try again in a minute.`],
  '6260': [ErrorCode.FUNDS_UNAVAILABLE, (p) => `The customer's bank released the reservation for ${ref(p)}, and the money could not be captured.`],
  '6280': [ErrorCode.VIPPS_UNAVAILABLE, (p) => `Vipps could not capture ${ref(p)} right now. Try again later with the same idempotency key.`],
  '7010': [ErrorCode.CUSTOMER_NOT_ELIGIBLE, () => 'The customer cannot pay with Vipps MobilePay (not found, not eligible or under the age limit).'],
};

export function explainVippsFailure(failure: VippsFailure, payment?: PaymentRecord, context: FailureContext = {}): UserErrorData {
  const extra = { ...(failure.code ? { vippsErrorCode: failure.code } : {}), ...(failure.traceId ? { traceId: failure.traceId } : {}) };
  // 4150 means two things (docs/vipps.md §5, §6): on a refund the key was used for another refund, elsewhere the reference exists.
  if (failure.code === '4150' && context.operation === 'refund') {
    return { code: ErrorCode.IDEMPOTENCY_CONFLICT, message: 'This idempotency key was already used for a refund with a different amount. Use a new key for a new refund.', ...extra };
  }
  const known = failure.code ? BY_CODE[failure.code] : undefined;
  const field = failure.code === '4150' ? { field: ['input', 'reference'] } : failure.code === '4160' ? { field: ['input', 'paymentMethod'] } : {};
  if (known) return { code: known[0], message: known[1](payment, context), ...field, ...extra };
  if (failure.code && /^100\d\d$/.test(failure.code)) {
    return { code: ErrorCode.TEST_ENVIRONMENT_ERROR, message: `The Vipps test environment refused the request (code ${failure.code}).`, ...extra };
  }
  return { ...byStatus(failure.status, payment), ...extra };
}

function byStatus(status: number | undefined, p: PaymentRecord | undefined): Omit<UserErrorData, 'vippsErrorCode' | 'traceId'> {
  switch (status) {
    case 404:
      return { code: ErrorCode.NOT_FOUND, message: `Vipps does not know ${ref(p)} for this merchant.` };
    case 409:
      return { code: ErrorCode.IDEMPOTENCY_CONFLICT, message: 'Vipps refused the request because it conflicts with an earlier one with the same idempotency key.' };
    case 423:
      return { code: ErrorCode.OPERATION_IN_PROGRESS, message: `Another operation on ${ref(p)} is in progress. Try again in a moment with the same idempotency key.` };
    case 429:
      return { code: ErrorCode.RATE_LIMITED, message: 'Vipps is receiving too many requests for this payment. Try again in a minute with the same idempotency key.' };
    case 401:
    case 403:
      return { code: ErrorCode.FEATURE_NOT_ENABLED, message: 'Vipps refused the request for this merchant. Check that the merchant has the product enabled and that its keys are right.' };
    default:
      if (status !== undefined && status < 500) return { code: ErrorCode.VIPPS_REJECTED, message: 'Vipps refused the request as invalid.' };
      return { code: ErrorCode.VIPPS_UNAVAILABLE, message: 'Vipps did not answer properly. Nothing was changed by us; try again with the same idempotency key.' };
  }
}

export function captureTooHigh(p: PaymentRecord | undefined): string {
  if (!p) return 'The capture amount is higher than what is left to capture.';
  const cur = p.amount.currency;
  const done = p.aggregate.captured + p.aggregate.cancelled;
  if (done === 0) return `You can capture at most ${formatMoney(capturable(p), cur)}.`;
  const what = p.aggregate.cancelled > 0 ? 'already captured or released' : 'already captured';
  return `You can capture at most ${formatMoney(capturable(p), cur)}: ${formatMoney(done, cur)} of ${formatMoney(p.aggregate.authorized, cur)} is ${what}.`;
}

export function refundTooHigh(p: PaymentRecord | undefined): string {
  if (!p) return 'The refund amount is higher than what is left to refund.';
  const cur = p.amount.currency;
  if (p.aggregate.refunded === 0) return `You can refund at most ${formatMoney(refundable(p), cur)}, the amount captured.`;
  return `You can refund at most ${formatMoney(refundable(p), cur)}: ${formatMoney(p.aggregate.refunded, cur)} of ${formatMoney(p.aggregate.captured, cur)} captured is already refunded.`;
}

function named(reference: string | null | undefined): string {
  return reference ? `reference ${reference}` : 'this reference';
}

function stateOf(p: PaymentRecord | undefined): string {
  return p ? ` (${p.state.toLowerCase()})` : '';
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
