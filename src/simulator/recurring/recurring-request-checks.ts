import { header, type SimRequest } from '../http';
import { recurringProblem } from '../problems';
import type { AgreementPatch, AgreementStatus, Campaign, CampaignType, Pricing, PricingType, TimePeriod } from './agreement';
import { CURRENCIES } from '../../common/money';
import { MIN_CHARGE_AMOUNT, type ChargeStatus, type TransactionType } from './charge';
import { isCalendarDate } from './due-date';
import { bodyObject, FieldChecker } from './field-checker';

/** Request validation for Recurring v3 (docs/vipps.md §3, §10.1, §10.3, §10.4). */

const PRICING_TYPES: readonly PricingType[] = ['LEGACY', 'VARIABLE', 'FLEXIBLE'];
const UNITS: readonly TimePeriod['unit'][] = ['YEAR', 'MONTH', 'WEEK', 'DAY'];
const TRANSACTION_TYPES: readonly TransactionType[] = ['DIRECT_CAPTURE', 'RESERVE_CAPTURE'];
const CAMPAIGN_TYPES: readonly CampaignType[] = ['PRICE_CAMPAIGN', 'PERIOD_CAMPAIGN', 'EVENT_CAMPAIGN', 'FULL_FLEX_CAMPAIGN'];
export const AGREEMENT_STATUSES: readonly AgreementStatus[] = ['PENDING', 'ACTIVE', 'STOPPED', 'EXPIRED'];
export const CHARGE_STATUSES: readonly ChargeStatus[] = [
  'PENDING', 'DUE', 'PROCESSING', 'RESERVED', 'CHARGED', 'PARTIALLY_CAPTURED', 'FAILED', 'CANCELLED', 'PARTIALLY_REFUNDED', 'REFUNDED',
];

const ORDER_ID = /^[a-zA-Z\d-]+$/;
const PHONE = /^\d{1,15}$/;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
/** Key rules of Recurring: 1–40 characters without `#`, `?`, `/` or `\` (docs/vipps.md §3). */
const IDEMPOTENCY_KEY = /^[^#?/\\]{1,40}$/;

/**
 * https, an app's custom scheme, or plain http to this machine (local development only; Vipps
 * itself refuses http).
 */
export function isAllowedUrl(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.protocol === 'https:') return url.hostname !== '';
  if (url.protocol === 'http:') return url.hostname === 'localhost' || url.hostname === '127.0.0.1';
  return /^[a-z][a-z0-9+.-]*:$/i.test(url.protocol) && url.protocol !== 'javascript:' && url.protocol !== 'data:' && url.protocol !== 'file:';
}

function url(checker: FieldChecker, field: string, value: unknown, required: boolean): string | undefined {
  const text = checker.string(field, value, { required, max: 1024 });
  if (text !== undefined && !isAllowedUrl(text)) return checker.fail(field, 'must be an https:// URL or an app deeplink');
  return text;
}

function period(checker: FieldChecker, field: string, value: unknown, required: boolean): TimePeriod | undefined {
  const obj = checker.object(field, value, required);
  if (!obj) return undefined;
  const unit = checker.oneOf(`${field}.unit`, obj.unit, UNITS, true);
  const count = checker.int(`${field}.count`, obj.count, { required: true, min: 1, max: 31 });
  return unit && count !== undefined ? { unit, count } : undefined;
}

function dateTime(checker: FieldChecker, field: string, value: unknown): string | undefined {
  return checker.string(field, value, { required: true, pattern: ISO_DATE_TIME, patternText: 'must be an ISO 8601 date-time' });
}

export function requireIdempotencyKey(req: SimRequest): string {
  const key = header(req, 'idempotency-key');
  if (key === undefined || !IDEMPOTENCY_KEY.test(key)) {
    const text = key === undefined ? 'is required' : 'must be 1-40 characters without #, ?, / or \\';
    throw recurringProblem(400, 'idempotency-key-header', 'Bad Request', `Idempotency-Key header ${text}.`, [{ field: 'Idempotency-Key', text }]);
  }
  return key;
}

export interface InitialChargeInput {
  amount: number;
  description: string;
  transactionType: TransactionType;
  orderId?: string;
  externalId?: string;
}

export interface DraftInput {
  pricing: Pricing;
  interval: TimePeriod | null;
  merchantRedirectUrl: string;
  merchantAgreementUrl: string;
  productName: string;
  productDescription?: string;
  phoneNumber?: string;
  initialCharge?: InitialChargeInput;
  campaign?: Campaign;
  externalId?: string;
  countryCode?: string;
  scope?: string;
}

function pricing(c: FieldChecker, value: unknown): Pricing | undefined {
  const obj = c.object('pricing', value, true);
  if (!obj) return undefined;
  const type = obj.type === undefined ? 'LEGACY' : c.oneOf('pricing.type', obj.type, PRICING_TYPES, true);
  const currency = c.oneOf('pricing.currency', obj.currency, CURRENCIES, true);
  if (!type || !currency) return undefined;
  if (type === 'LEGACY') {
    const amount = c.int('pricing.amount', obj.amount, { required: true, min: MIN_CHARGE_AMOUNT });
    return amount === undefined ? undefined : { type, currency, amount };
  }
  if (type === 'VARIABLE') {
    const suggestedMaxAmount = c.int('pricing.suggestedMaxAmount', obj.suggestedMaxAmount, { required: true, min: MIN_CHARGE_AMOUNT, max: 2_000_000 });
    return suggestedMaxAmount === undefined ? undefined : { type, currency, suggestedMaxAmount, maxAmount: suggestedMaxAmount };
  }
  return { type, currency };
}

function campaign(c: FieldChecker, value: unknown): Campaign | undefined {
  const obj = c.object('campaign', value, false);
  if (!obj) return undefined;
  const type = c.oneOf('campaign.type', obj.type, CAMPAIGN_TYPES, true);
  const price = c.int('campaign.price', obj.price, { required: true, min: 0 });
  if (!type || price === undefined) return undefined;
  switch (type) {
    case 'PRICE_CAMPAIGN':
      return { type, price, end: dateTime(c, 'campaign.end', obj.end) };
    case 'PERIOD_CAMPAIGN':
      return { type, price, period: period(c, 'campaign.period', obj.period, true) };
    case 'EVENT_CAMPAIGN':
      return {
        type,
        price,
        eventDate: dateTime(c, 'campaign.eventDate', obj.eventDate),
        eventText: c.string('campaign.eventText', obj.eventText, { required: true, max: 100 }),
      };
    case 'FULL_FLEX_CAMPAIGN':
      return { type, price, end: dateTime(c, 'campaign.end', obj.end), interval: period(c, 'campaign.interval', obj.interval, true) };
  }
}

function initialCharge(c: FieldChecker, value: unknown): InitialChargeInput | undefined {
  const obj = c.object('initialCharge', value, false);
  if (!obj) return undefined;
  const amount = c.int('initialCharge.amount', obj.amount, { required: true, min: MIN_CHARGE_AMOUNT });
  const description = c.string('initialCharge.description', obj.description, { required: true, max: 45 });
  const transactionType = c.oneOf('initialCharge.transactionType', obj.transactionType, TRANSACTION_TYPES, true);
  const orderId = c.string('initialCharge.orderId', obj.orderId, { required: false, min: 1, max: 50, pattern: ORDER_ID });
  const externalId = c.string('initialCharge.externalId', obj.externalId, { required: false, min: 1, max: 64 });
  if (amount === undefined || description === undefined || !transactionType) return undefined;
  return { amount, description, transactionType, orderId, externalId };
}

export function validateDraft(body: unknown): DraftInput {
  const obj = bodyObject(body, 'agreement');
  const c = new FieldChecker('agreement');
  const price = pricing(c, obj.pricing);
  const flexible = price?.type === 'FLEXIBLE';
  // [now]: FLEXIBLE (pay-per-use) agreements may omit the interval.
  const interval = period(c, 'interval', obj.interval, !flexible);
  const draft = {
    merchantRedirectUrl: url(c, 'merchantRedirectUrl', obj.merchantRedirectUrl, true),
    merchantAgreementUrl: url(c, 'merchantAgreementUrl', obj.merchantAgreementUrl, true),
    productName: c.string('productName', obj.productName, { required: true, max: 45 }),
    productDescription: c.string('productDescription', obj.productDescription, { required: false, max: 100 }),
    phoneNumber: c.string('phoneNumber', obj.phoneNumber, { required: false, pattern: PHONE, patternText: 'must be digits only (MSISDN), at most 15' }),
    initialCharge: initialCharge(c, obj.initialCharge),
    campaign: campaign(c, obj.campaign),
    externalId: c.string('externalId', obj.externalId, { required: false, min: 1, max: 64 }),
    countryCode: c.string('countryCode', obj.countryCode, { required: false, pattern: /^[A-Z]{2}$/ }),
    scope: c.string('scope', obj.scope, { required: false, max: 200 }),
  };
  c.boolean('isApp', obj.isApp);
  c.boolean('skipLandingPage', obj.skipLandingPage);
  if (obj.campaign != null && price && price.type !== 'LEGACY') c.fail('campaign', `is not allowed with ${price.type} pricing`);
  c.done();
  return { ...draft, pricing: price as Pricing, interval: interval ?? null } as DraftInput;
}

/** `{status: "STOPPED"}` alone, or field updates. */
export type PatchInput = { stop: true } | { stop: false; patch: AgreementPatch };

export function validatePatch(body: unknown): PatchInput {
  const obj = bodyObject(body, 'agreement update');
  const c = new FieldChecker('agreement update');
  if (obj.status !== undefined) {
    c.oneOf('status', obj.status, ['STOPPED'], true);
    const others = Object.keys(obj).filter((k) => k !== 'status' && obj[k] !== undefined);
    if (others.length > 0) c.fail('status', `STOPPED must be sent alone (also got ${others.join(', ')})`);
    c.done();
    return { stop: true };
  }
  const pricingObj = c.object('pricing', obj.pricing, false);
  const intervalObj = c.object('interval', obj.interval, false);
  let interval: TimePeriod | undefined;
  if (intervalObj) {
    c.oneOf('interval.type', intervalObj.type ?? 'RECURRING', ['RECURRING'], true);
    interval = period(c, 'interval.period', intervalObj.period, true);
  }
  const patch: AgreementPatch = {
    productName: c.string('productName', obj.productName, { required: false, min: 1, max: 45 }),
    productDescription: c.string('productDescription', obj.productDescription, { required: false, max: 100 }),
    merchantAgreementUrl: url(c, 'merchantAgreementUrl', obj.merchantAgreementUrl, false),
    externalId: c.string('externalId', obj.externalId, { required: false, min: 1, max: 64 }),
    interval,
    pricing: pricingObj && {
      amount: c.int('pricing.amount', pricingObj.amount, { required: false, min: MIN_CHARGE_AMOUNT }),
      suggestedMaxAmount: c.int('pricing.suggestedMaxAmount', pricingObj.suggestedMaxAmount, { required: false, min: MIN_CHARGE_AMOUNT, max: 2_000_000 }),
    },
  };
  c.done();
  return { stop: false, patch };
}

export interface ChargeInput {
  amount: number;
  description: string;
  /** Absent for UNSCHEDULED charges. */
  due?: string;
  retryDays: number;
  transactionType: TransactionType;
  type: 'RECURRING' | 'UNSCHEDULED';
  orderId?: string;
  externalId?: string;
}

export function validateCharge(body: unknown): ChargeInput {
  const obj = bodyObject(body, 'charge');
  const c = new FieldChecker('charge');
  const type = obj.type === undefined ? 'RECURRING' : c.oneOf('type', obj.type, ['RECURRING', 'UNSCHEDULED'] as const, true);
  const amount = c.int('amount', obj.amount, { required: true, min: MIN_CHARGE_AMOUNT });
  const description = c.string('description', obj.description, { required: true, max: 45 });
  let due: string | undefined;
  if (type === 'UNSCHEDULED') {
    // Processed at once and never retried, so a due date makes no sense (docs/vipps.md §10.4).
    if (obj.due != null) c.fail('due', 'must not be set for UNSCHEDULED charges');
  } else {
    due = c.string('due', obj.due, { required: true, pattern: /^\d{4}-\d{2}-\d{2}$/, patternText: 'must be a date YYYY-MM-DD' });
    if (due !== undefined && !isCalendarDate(due)) due = c.fail('due', 'is not a calendar date');
  }
  const retryDays = c.int('retryDays', obj.retryDays ?? (type === 'UNSCHEDULED' ? 0 : undefined), { required: true, min: 0, max: 14 });
  if (type === 'UNSCHEDULED' && retryDays !== undefined && retryDays > 0) c.fail('retryDays', 'must be 0 for UNSCHEDULED charges');
  const transactionType = c.oneOf('transactionType', obj.transactionType, TRANSACTION_TYPES, true);
  const orderId = c.string('orderId', obj.orderId, { required: false, min: 1, max: 50, pattern: ORDER_ID });
  const externalId = c.string('externalId', obj.externalId, { required: false, min: 1, max: 64 });
  c.done();
  return { amount, description, due, retryDays, transactionType, type, orderId, externalId } as ChargeInput;
}

/** Capture and refund bodies: `{amount, description}`, both required. */
export function validateAmountBody(body: unknown, what: string): { amount: number; description: string } {
  const obj = bodyObject(body, what);
  const c = new FieldChecker(what);
  const amount = c.int('amount', obj.amount, { required: true, min: MIN_CHARGE_AMOUNT });
  const description = c.string('description', obj.description, { required: true, max: 100 });
  c.done();
  return { amount: amount as number, description: description as string };
}

export function validateAccept(body: unknown): { phoneNumber: string } {
  const obj = bodyObject(body, 'force accept');
  const c = new FieldChecker('force accept');
  const phoneNumber = c.string('phoneNumber', obj.phoneNumber, { required: true, pattern: PHONE, patternText: 'must be digits only (MSISDN), at most 15' });
  c.done();
  return { phoneNumber: phoneNumber as string };
}

export interface ListQuery {
  status: AgreementStatus;
  createdAfter: number | null;
  pageNumber: number;
  pageSize: number;
}

function queryInt(c: FieldChecker, query: URLSearchParams, name: string, min: number, max: number): number | undefined {
  const raw = query.get(name);
  if (raw === null) return undefined;
  if (!/^\d+$/.test(raw)) return c.fail(name, 'must be a whole number');
  return c.int(name, Number(raw), { required: true, min, max });
}

export function validateListAgreements(query: URLSearchParams): ListQuery {
  const c = new FieldChecker('query');
  const status = c.oneOf('status', query.get('status') ?? 'ACTIVE', AGREEMENT_STATUSES, true);
  const createdAfter = queryInt(c, query, 'createdAfter', 0, Number.MAX_SAFE_INTEGER);
  const pageNumber = queryInt(c, query, 'pageNumber', 1, 1_000_000);
  const pageSize = queryInt(c, query, 'pageSize', 1, 2000);
  c.done();
  return { status: status as AgreementStatus, createdAfter: createdAfter ?? null, pageNumber: pageNumber ?? 1, pageSize: pageSize ?? 500 };
}

export function validateChargeStatusQuery(query: URLSearchParams): ChargeStatus | null {
  const raw = query.get('status');
  if (raw === null) return null;
  const c = new FieldChecker('query');
  const status = c.oneOf('status', raw, CHARGE_STATUSES, true);
  c.done();
  return status as ChargeStatus;
}
