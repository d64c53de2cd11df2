import type { Currency } from '../common/money';
import type { Agreement, Charge } from '../vipps/api-types';
import type {
  AgreementRecord,
  AgreementStatus,
  CampaignRecord,
  ChargeHistoryRecord,
  ChargeRecord,
  ChargeStatus,
  ChargeType,
  Period,
  PricingRecord,
  TransactionType,
} from './recurring-record';

/**
 * Pure conversions from Vipps' Recurring answers to our records. The stored spec is behind the
 * live API (FLEXIBLE pricing, DKK/EUR, UNSCHEDULED, optional interval: docs/vipps.md §0), so the
 * bodies are read field by field rather than trusted to the generated types.
 */

type Loose = Record<string, unknown>;
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const obj = (v: unknown): Loose | null => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Loose) : null);

function period(v: unknown): Period | null {
  const o = obj(v);
  const unit = str(o?.unit);
  const count = num(o?.count);
  return unit && count !== null ? { unit: unit as Period['unit'], count } : null;
}

function pricing(v: unknown): PricingRecord {
  const o = obj(v) ?? {};
  return {
    type: (str(o.type) ?? 'LEGACY') as PricingRecord['type'],
    currency: (str(o.currency) ?? 'NOK') as Currency,
    amount: num(o.amount),
    suggestedMaxAmount: num(o.suggestedMaxAmount),
    maxAmount: num(o.maxAmount),
  };
}

function campaign(v: unknown): CampaignRecord | null {
  const o = obj(v);
  if (!o) return null;
  return {
    type: (str(o.type) ?? 'LEGACY_CAMPAIGN') as CampaignRecord['type'],
    price: num(o.price) ?? num(o.campaignPrice) ?? 0,
    end: str(o.end),
    period: period(o.period),
    interval: period(o.interval),
    eventDate: str(o.eventDate),
    eventText: str(o.eventText),
    explanation: str(o.explanation),
  };
}

export function agreementFromVipps(msn: string, a: Agreement): AgreementRecord {
  const body = a as unknown as Loose;
  const interval = period(body.interval);
  return {
    merchantSerialNumber: msn,
    agreementId: a.id,
    uuid: str(body.uuid),
    status: (str(body.status) ?? 'PENDING') as AgreementStatus,
    productName: a.productName,
    productDescription: str(body.productDescription),
    pricing: pricing(body.pricing),
    interval: interval ? { ...interval, text: str(obj(body.interval)?.text) } : null,
    campaign: campaign(body.campaign),
    merchantAgreementUrl: a.merchantAgreementUrl,
    merchantRedirectUrl: a.merchantRedirectUrl,
    vippsConfirmationUrl: str(body.vippsConfirmationUrl),
    externalId: str(body.externalId),
    countryCode: str(body.countryCode),
    sub: str(body.sub),
    userinfoUrl: str(body.userinfoUrl),
    created: a.created,
    start: str(body.start),
    stop: str(body.stop),
  };
}

export function chargeFromVipps(msn: string, c: Charge): ChargeRecord {
  const body = c as unknown as Loose;
  const summary = obj(body.summary) ?? {};
  const history = Array.isArray(body.history) ? (body.history as Loose[]) : [];
  return {
    merchantSerialNumber: msn,
    agreementId: c.agreementId,
    chargeId: c.id,
    status: c.status as ChargeStatus,
    type: (str(body.type) ?? 'RECURRING') as ChargeType,
    transactionType: (str(body.transactionType) ?? 'DIRECT_CAPTURE') as TransactionType,
    amount: c.amount,
    currency: (str(body.currency) ?? 'NOK') as Currency,
    description: c.description,
    due: c.due,
    retryDays: num(body.retryDays) ?? 0,
    externalId: str(body.externalId),
    externalAgreementId: str(body.externalAgreementId),
    transactionId: str(body.transactionId),
    failureReason: str(body.failureReason),
    failureDescription: str(body.failureDescription),
    summary: { captured: num(summary.captured) ?? 0, refunded: num(summary.refunded) ?? 0, cancelled: num(summary.cancelled) ?? 0 },
    history: history.map(
      (h): ChargeHistoryRecord => ({
        occurred: str(h.occurred) ?? '',
        event: str(h.event) as ChargeHistoryRecord['event'],
        amount: num(h.amount) ?? 0,
        idempotencyKey: str(h.idempotencyKey),
        success: h.success !== false,
      }),
    ),
  };
}
