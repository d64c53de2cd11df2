import { ErrorCode, userError } from '../common/error-code';
import { formatMoney, type Currency } from '../common/money';
import { isReturnUrl } from '../payments/payment-validation';
import { cancellable, capturable, chargeCeiling, refundable } from './charge-rules';
import type { AgreementRecord, CampaignType, ChargeRecord, ChargeType, Period, PricingType, TransactionType } from './recurring-record';

/**
 * Checks made before anything is sent to Vipps (docs/vipps.md §10.1–10.4, §10.7), so a bad request
 * never reaches Vipps. Pure: each throws a `UserFacingError` naming the field.
 */

const MIN_AMOUNT = 100;
/** [now] The highest agreement price or suggested max amount: NOK 20 000 (docs/vipps.md §10.1). */
const MAX_PRICE = 2_000_000;
const ORDER_ID = /^[a-zA-Z0-9-]{1,50}$/;
const PHONE = /^\d{8,15}$/;
const AGREEMENT_ID = /^agr_[A-Za-z0-9]{1,40}$/;
const CHARGE_ID = /^[A-Za-z0-9_-]{1,50}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

export const isAgreementId = (id: string) => AGREEMENT_ID.test(id);
export const isChargeId = (id: string) => CHARGE_ID.test(id);

function text(value: string | null | undefined, min: number, max: number, field: string[], what: string): void {
  if (value == null) return;
  if (value.trim().length < min || value.length > max) {
    throw userError(ErrorCode.INVALID_INPUT, min > 0 ? `${what} must be ${min} to ${max} characters.` : `${what} can be at most ${max} characters.`, field);
  }
}

function amount(value: number, field: string[], what = 'The amount'): void {
  if (!Number.isSafeInteger(value) || value <= 0) throw userError(ErrorCode.INVALID_AMOUNT, `${what} must be a whole number of øre or cents, greater than zero.`, field);
  if (value < MIN_AMOUNT) throw userError(ErrorCode.AMOUNT_TOO_SMALL, `${what} must be at least 1.00 (100 øre or cents).`, field);
}

function url(value: string | null | undefined, field: string[], what: string): void {
  if (value != null && !isReturnUrl(value)) throw userError(ErrorCode.INVALID_URL, `${what} must be an https:// address or an app link, at most 1024 characters.`, field);
}

function interval(p: Period | null | undefined, field: string[]): void {
  if (p && (!Number.isInteger(p.count) || p.count < 1 || p.count > 31)) throw userError(ErrorCode.INVALID_INPUT, 'The interval count must be 1 to 31.', [...field, 'count']);
}

export function checkAgreementId(id: string): void {
  if (!isAgreementId(id)) throw userError(ErrorCode.NOT_FOUND, `Agreement ${id} was not found.`, ['input', 'agreementId']);
}

export function checkChargeIds(agreementId: string, chargeId: string): void {
  checkAgreementId(agreementId);
  if (!isChargeId(chargeId)) throw userError(ErrorCode.NOT_FOUND, `Charge ${chargeId} was not found.`, ['input', 'chargeId']);
}

export interface CreateAgreementCheck {
  pricing: { type: PricingType; currency: Currency; amount?: number | null; suggestedMaxAmount?: number | null };
  interval?: Period | null;
  productName: string;
  productDescription?: string | null;
  merchantRedirectUrl: string;
  merchantAgreementUrl?: string | null;
  phoneNumber?: string | null;
  initialCharge?: { amount: number; description: string; transactionType: TransactionType; orderId?: string | null; externalId?: string | null } | null;
  campaign?: { type: CampaignType; price: number; end?: Date | null; period?: Period | null; interval?: Period | null; eventDate?: Date | null; eventText?: string | null } | null;
  externalId?: string | null;
  countryCode?: string | null;
}

export function checkCreateAgreement(input: CreateAgreementCheck): void {
  const f = (...path: string[]) => ['input', ...path];
  const { pricing } = input;
  if (pricing.type === 'LEGACY') {
    if (pricing.amount == null) throw userError(ErrorCode.INVALID_AMOUNT, 'A fixed-price (LEGACY) agreement needs a price.', f('pricing', 'amount'));
    amount(pricing.amount, f('pricing', 'amount'), 'The price');
    if (pricing.amount > MAX_PRICE) throw userError(ErrorCode.AMOUNT_TOO_HIGH, `The price can be at most ${formatMoney(MAX_PRICE, pricing.currency)}.`, f('pricing', 'amount'));
  } else if (pricing.amount != null) {
    throw userError(ErrorCode.INVALID_INPUT, `A ${pricing.type} agreement has no fixed price.`, f('pricing', 'amount'));
  }
  if (pricing.type === 'VARIABLE') {
    const max = pricing.suggestedMaxAmount;
    if (max == null || !Number.isSafeInteger(max) || max < MIN_AMOUNT || max > MAX_PRICE) {
      throw userError(ErrorCode.INVALID_AMOUNT, `A variable-price agreement needs a suggested maximum amount between 1.00 and ${formatMoney(MAX_PRICE, pricing.currency)}.`, f('pricing', 'suggestedMaxAmount'));
    }
  } else if (pricing.suggestedMaxAmount != null) {
    throw userError(ErrorCode.INVALID_INPUT, 'Only variable-price agreements have a suggested maximum amount.', f('pricing', 'suggestedMaxAmount'));
  }
  if (!input.interval && pricing.type !== 'FLEXIBLE') throw userError(ErrorCode.INVALID_INPUT, 'The agreement needs an interval, like every 1 month.', f('interval'));
  interval(input.interval, f('interval'));
  text(input.productName, 1, 45, f('productName'), 'The product name');
  text(input.productDescription, 0, 100, f('productDescription'), 'The product description');
  url(input.merchantRedirectUrl, f('merchantRedirectUrl'), 'The redirect URL');
  url(input.merchantAgreementUrl, f('merchantAgreementUrl'), 'The agreement page URL');
  if (input.phoneNumber != null && !PHONE.test(input.phoneNumber)) {
    throw userError(ErrorCode.INVALID_PHONE_NUMBER, 'The phone number must be country code and number, digits only, like 4791234567.', f('phoneNumber'));
  }
  text(input.externalId, 1, 64, f('externalId'), 'The external id');
  if (input.countryCode != null && !/^[A-Z]{2}$/.test(input.countryCode)) throw userError(ErrorCode.INVALID_INPUT, 'The country code must be two capital letters, like NO.', f('countryCode'));
  const initial = input.initialCharge;
  if (initial) {
    amount(initial.amount, f('initialCharge', 'amount'));
    text(initial.description, 1, 45, f('initialCharge', 'description'), 'The initial charge description');
    if (initial.orderId != null && !ORDER_ID.test(initial.orderId)) throw userError(ErrorCode.INVALID_INPUT, 'The order id must be 1 to 50 letters, digits and hyphens.', f('initialCharge', 'orderId'));
    text(initial.externalId, 1, 64, f('initialCharge', 'externalId'), 'The external id');
  }
  if (input.campaign) checkCampaign(input.campaign, pricing.type);
}

function checkCampaign(c: NonNullable<CreateAgreementCheck['campaign']>, pricingType: PricingType): void {
  const f = (...path: string[]) => ['input', 'campaign', ...path];
  if (pricingType !== 'LEGACY') throw userError(ErrorCode.INVALID_INPUT, 'Campaigns are only possible on fixed-price (LEGACY) agreements.', f());
  if (!Number.isSafeInteger(c.price) || c.price < 0) throw userError(ErrorCode.INVALID_AMOUNT, 'The campaign price must be a whole number of øre or cents.', f('price'));
  const need = (ok: unknown, field: string, what: string) => {
    if (ok == null) throw userError(ErrorCode.INVALID_INPUT, `A ${c.type.toLowerCase().replace(/_/g, ' ')} needs ${what}.`, f(field));
  };
  if (c.type === 'PRICE_CAMPAIGN' || c.type === 'FULL_FLEX_CAMPAIGN') need(c.end, 'end', 'an end time');
  if (c.type === 'PERIOD_CAMPAIGN') need(c.period, 'period', 'a period');
  if (c.type === 'FULL_FLEX_CAMPAIGN') need(c.interval, 'interval', 'an interval');
  if (c.type === 'EVENT_CAMPAIGN') {
    need(c.eventDate, 'eventDate', 'an event date');
    need(c.eventText, 'eventText', 'an event text');
  }
  if (c.type === 'LEGACY_CAMPAIGN') throw userError(ErrorCode.INVALID_INPUT, 'Legacy campaigns can no longer be created.', f('type'));
  interval(c.period, f('period'));
  interval(c.interval, f('interval'));
}

export interface UpdateAgreementCheck {
  productName?: string | null;
  productDescription?: string | null;
  price?: number | null;
  suggestedMaxAmount?: number | null;
  merchantAgreementUrl?: string | null;
  externalId?: string | null;
  interval?: Period | null;
}

export function checkUpdateAgreement(a: AgreementRecord, u: UpdateAgreementCheck): void {
  const f = (...path: string[]) => ['input', ...path];
  if (Object.values(u).every((v) => v == null)) throw userError(ErrorCode.INVALID_INPUT, 'Nothing to change: give at least one new value.');
  requireActive(a, 'changed', ErrorCode.AGREEMENT_UPDATE_NOT_ALLOWED);
  text(u.productName, 1, 45, f('productName'), 'The product name');
  text(u.productDescription, 0, 100, f('productDescription'), 'The product description');
  url(u.merchantAgreementUrl, f('merchantAgreementUrl'), 'The agreement page URL');
  text(u.externalId, 1, 64, f('externalId'), 'The external id');
  interval(u.interval, f('interval'));
  if (u.price != null) {
    if (a.pricing.type !== 'LEGACY') throw userError(ErrorCode.AGREEMENT_UPDATE_NOT_ALLOWED, `Agreement ${a.agreementId} has ${a.pricing.type.toLowerCase()} pricing, so it has no fixed price to change.`, f('price'));
    amount(u.price, f('price'), 'The price');
  }
  if (u.suggestedMaxAmount != null) {
    if (a.pricing.type !== 'VARIABLE') throw userError(ErrorCode.AGREEMENT_UPDATE_NOT_ALLOWED, `Agreement ${a.agreementId} does not have variable pricing, so it has no suggested maximum amount.`, f('suggestedMaxAmount'));
    if (!Number.isSafeInteger(u.suggestedMaxAmount) || u.suggestedMaxAmount < MIN_AMOUNT || u.suggestedMaxAmount > MAX_PRICE) {
      throw userError(ErrorCode.INVALID_AMOUNT, `The suggested maximum amount must be between 1.00 and ${formatMoney(MAX_PRICE, a.pricing.currency)}.`, f('suggestedMaxAmount'));
    }
  }
}

export function checkStopAgreement(a: AgreementRecord): void {
  if (a.status === 'STOPPED') throw userError(ErrorCode.ALREADY_STOPPED, `Agreement ${a.agreementId} is already stopped.`);
  if (a.status === 'EXPIRED') throw userError(ErrorCode.AGREEMENT_NOT_ACTIVE, `Agreement ${a.agreementId} expired before the customer accepted it, so there is nothing to stop.`);
}

function requireActive(a: AgreementRecord, what: string, code = ErrorCode.AGREEMENT_NOT_ACTIVE): void {
  if (a.status !== 'ACTIVE') throw userError(code, `Agreement ${a.agreementId} is ${a.status.toLowerCase()}, so it cannot be ${what}. Only active agreements can.`);
}

export interface CreateChargeCheck {
  amount: { value: number; currency: string };
  description: string;
  type: Exclude<ChargeType, 'INITIAL'>;
  due?: string | null;
  retryDays?: number | null;
  orderId?: string | null;
  externalId?: string | null;
}

/** `today` is the real UTC date: Vipps validates against its own clock (docs/vipps.md §10.4). */
export function checkCreateCharge(a: AgreementRecord, c: CreateChargeCheck, today: Date): void {
  const f = (...path: string[]) => ['input', ...path];
  if (a.status !== 'ACTIVE') throw userError(ErrorCode.AGREEMENT_NOT_ACTIVE, `Agreement ${a.agreementId} is ${a.status.toLowerCase()}, so no charge can be made on it.`);
  if (c.amount.currency !== a.pricing.currency) throw userError(ErrorCode.INVALID_CURRENCY, `Agreement ${a.agreementId} is in ${a.pricing.currency}, not ${c.amount.currency}.`, f('amount', 'currency'));
  amount(c.amount.value, f('amount', 'value'));
  const ceiling = chargeCeiling(a);
  if (ceiling !== null && c.amount.value > ceiling) {
    const why = a.pricing.type === 'LEGACY' ? 'five times the agreement price' : "the agreement's maximum amount";
    throw userError(ErrorCode.CHARGE_AMOUNT_TOO_HIGH, `A charge on agreement ${a.agreementId} can be at most ${formatMoney(ceiling, a.pricing.currency)} (${why}).`, f('amount', 'value'));
  }
  text(c.description, 1, 45, f('description'), 'The description');
  if (c.orderId != null && !ORDER_ID.test(c.orderId)) throw userError(ErrorCode.INVALID_INPUT, 'The order id must be 1 to 50 letters, digits and hyphens.', f('orderId'));
  text(c.externalId, 1, 64, f('externalId'), 'The external id');
  const retryDays = c.retryDays ?? 0;
  if (!Number.isInteger(retryDays) || retryDays < 0 || retryDays > 14) throw userError(ErrorCode.INVALID_INPUT, 'Retry days must be 0 to 14.', f('retryDays'));
  if (c.type === 'UNSCHEDULED') {
    if (c.due != null) throw userError(ErrorCode.INVALID_DUE_DATE, 'An unscheduled charge is taken at once, so it has no due date.', f('due'));
    if (retryDays !== 0) throw userError(ErrorCode.INVALID_INPUT, 'An unscheduled charge is never retried: retry days must be 0.', f('retryDays'));
    return;
  }
  if (c.retryDays == null) throw userError(ErrorCode.INVALID_INPUT, 'Give retry days (0 to 14; Vipps recommends at least 2).', f('retryDays'));
  checkDue(c.due, today);
}

function checkDue(due: string | null | undefined, today: Date): void {
  const field = ['input', 'due'];
  if (due == null) throw userError(ErrorCode.INVALID_DUE_DATE, 'A recurring charge needs a due date (YYYY-MM-DD).', field);
  const date = new Date(`${due}T00:00:00Z`);
  if (!DATE.test(due) || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== due) {
    throw userError(ErrorCode.INVALID_DUE_DATE, 'The due date must be a calendar date written YYYY-MM-DD.', field);
  }
  const todayUtc = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  if (date.getTime() < todayUtc + DAY_MS) throw userError(ErrorCode.INVALID_DUE_DATE, 'The due date must be at least one day ahead.', field);
  const latest = new Date(todayUtc);
  latest.setUTCFullYear(latest.getUTCFullYear() + 2);
  if (date.getTime() > latest.getTime()) throw userError(ErrorCode.INVALID_DUE_DATE, 'The due date can be at most two years ahead.', field);
}

/** Capture `requested` (or the remainder when null) of a reserved charge; returns the amount to send. */
export function checkCaptureCharge(c: ChargeRecord, requested: { value: number; currency: string } | null): number {
  const field = ['input', 'amount'];
  if (c.transactionType !== 'RESERVE_CAPTURE') throw userError(ErrorCode.CAPTURE_NOT_ALLOWED, `Charge ${c.chargeId} was captured directly when it was paid; there is no reservation to capture.`, field);
  if (c.status === 'CHARGED' || c.status === 'PARTIALLY_REFUNDED' || c.status === 'REFUNDED') throw userError(ErrorCode.ALREADY_CAPTURED, `Charge ${c.chargeId} is already captured.`, field);
  if (c.status === 'CANCELLED') throw userError(ErrorCode.ALREADY_CANCELLED, `Charge ${c.chargeId} was cancelled, so it cannot be captured.`, field);
  const left = capturable(c);
  if (left === 0) throw userError(ErrorCode.CAPTURE_NOT_ALLOWED, `Charge ${c.chargeId} is ${c.status.toLowerCase()}: only reserved charges can be captured.`, field);
  if (!requested) return left;
  if (requested.currency !== c.currency) throw userError(ErrorCode.INVALID_CURRENCY, `Charge ${c.chargeId} is in ${c.currency}, not ${requested.currency}.`, [...field, 'currency']);
  amount(requested.value, field);
  if (requested.value > left) {
    const done = c.summary.captured + c.summary.cancelled;
    const tail = done > 0 ? `: ${formatMoney(c.summary.captured, c.currency)} of ${formatMoney(c.amount, c.currency)} is already captured` : '';
    throw userError(ErrorCode.CAPTURE_AMOUNT_TOO_HIGH, `You can capture at most ${formatMoney(left, c.currency)}${tail}.`, field);
  }
  return requested.value;
}

export function checkCancelCharge(c: ChargeRecord): void {
  if (cancellable(c)) return;
  if (c.status === 'CANCELLED') throw userError(ErrorCode.ALREADY_CANCELLED, `Charge ${c.chargeId} is already cancelled.`);
  if (c.status === 'CHARGED' || c.status === 'PARTIALLY_REFUNDED' || c.status === 'REFUNDED') {
    throw userError(ErrorCode.ALREADY_CAPTURED, `Charge ${c.chargeId} is already paid, so it cannot be cancelled. Refund it instead.`);
  }
  throw userError(ErrorCode.CANCEL_NOT_ALLOWED, `Charge ${c.chargeId} is ${c.status.toLowerCase()}, so it cannot be cancelled.`);
}

/** Refund `requested` (or all that is refundable when null); returns the amount to send. */
export function checkRefundCharge(c: ChargeRecord, requested: { value: number; currency: string } | null): number {
  const field = ['input', 'amount'];
  if (c.status === 'REFUNDED') throw userError(ErrorCode.ALREADY_REFUNDED, `Charge ${c.chargeId} is already fully refunded.`, field);
  const left = refundable(c);
  if (left === 0 && c.status === 'PARTIALLY_CAPTURED') {
    throw userError(ErrorCode.REFUND_BEFORE_CAPTURE, `Charge ${c.chargeId} cannot be refunded while it is partially captured: capture the rest or cancel the remainder first.`, field);
  }
  if (left === 0) throw userError(ErrorCode.REFUND_BEFORE_CAPTURE, `Nothing can be refunded on charge ${c.chargeId}: it is ${c.status.toLowerCase()}, no money has been captured.`, field);
  if (!requested) return left;
  if (requested.currency !== c.currency) throw userError(ErrorCode.INVALID_CURRENCY, `Charge ${c.chargeId} is in ${c.currency}, not ${requested.currency}.`, [...field, 'currency']);
  amount(requested.value, field);
  if (requested.value > left) {
    const tail = c.summary.refunded > 0 ? `: ${formatMoney(c.summary.refunded, c.currency)} of ${formatMoney(c.summary.captured, c.currency)} captured is already refunded` : ', the amount captured';
    throw userError(ErrorCode.REFUND_AMOUNT_TOO_HIGH, `You can refund at most ${formatMoney(left, c.currency)}${tail}.`, field);
  }
  return requested.value;
}
