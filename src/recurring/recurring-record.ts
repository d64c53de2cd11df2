import type { Currency } from '../common/money';

/**
 * What we know of Recurring agreements and charges: Vipps' GET answers (docs/vipps.md §10.2, §10.5),
 * flattened and JSON-safe. This is what the cache stores and what listeners receive.
 */

export const AGREEMENT_STATUSES = ['PENDING', 'ACTIVE', 'STOPPED', 'EXPIRED'] as const;
export type AgreementStatus = (typeof AGREEMENT_STATUSES)[number];
/** An agreement in these never changes again (docs/vipps.md §10.6). */
export const FINAL_AGREEMENT_STATUSES: ReadonlySet<AgreementStatus> = new Set(['STOPPED', 'EXPIRED']);

export const CHARGE_STATUSES = [
  'PENDING', 'DUE', 'PROCESSING', 'RESERVED', 'CHARGED', 'PARTIALLY_CAPTURED', 'FAILED', 'CANCELLED', 'PARTIALLY_REFUNDED', 'REFUNDED',
] as const;
export type ChargeStatus = (typeof CHARGE_STATUSES)[number];
/** No money can move on these any more (docs/vipps.md §10.7). */
export const FINAL_CHARGE_STATUSES: ReadonlySet<ChargeStatus> = new Set(['FAILED', 'CANCELLED', 'REFUNDED']);

export type PricingType = 'LEGACY' | 'VARIABLE' | 'FLEXIBLE';
export type IntervalUnit = 'YEAR' | 'MONTH' | 'WEEK' | 'DAY';
export type CampaignType = 'PRICE_CAMPAIGN' | 'PERIOD_CAMPAIGN' | 'EVENT_CAMPAIGN' | 'FULL_FLEX_CAMPAIGN' | 'LEGACY_CAMPAIGN';
export type TransactionType = 'DIRECT_CAPTURE' | 'RESERVE_CAPTURE';
export type ChargeType = 'INITIAL' | 'RECURRING' | 'UNSCHEDULED';

export interface Period {
  unit: IntervalUnit;
  count: number;
}

export interface PricingRecord {
  type: PricingType;
  currency: Currency;
  /** LEGACY: the price per interval. */
  amount: number | null;
  /** VARIABLE: what the merchant suggested, and the ceiling the user accepted. */
  suggestedMaxAmount: number | null;
  maxAmount: number | null;
}

export interface CampaignRecord {
  type: CampaignType;
  price: number;
  end: string | null;
  period: Period | null;
  interval: Period | null;
  eventDate: string | null;
  eventText: string | null;
  explanation: string | null;
}

export interface AgreementRecord {
  merchantSerialNumber: string;
  agreementId: string;
  uuid: string | null;
  status: AgreementStatus;
  productName: string;
  productDescription: string | null;
  pricing: PricingRecord;
  /** Null for pay-per-use FLEXIBLE agreements. */
  interval: (Period & { text: string | null }) | null;
  campaign: CampaignRecord | null;
  merchantAgreementUrl: string;
  merchantRedirectUrl: string;
  vippsConfirmationUrl: string | null;
  externalId: string | null;
  countryCode: string | null;
  sub: string | null;
  userinfoUrl: string | null;
  created: string;
  start: string | null;
  stop: string | null;
}

export interface ChargeHistoryRecord {
  occurred: string;
  event: 'CREATE' | 'RESERVE' | 'CAPTURE' | 'REFUND' | 'CANCEL' | 'FAIL';
  amount: number;
  idempotencyKey: string | null;
  success: boolean;
}

export interface ChargeRecord {
  merchantSerialNumber: string;
  agreementId: string;
  chargeId: string;
  status: ChargeStatus;
  type: ChargeType;
  transactionType: TransactionType;
  amount: number;
  currency: Currency;
  description: string;
  /** ISO date-time of the due date (Vipps sends midnight UTC). */
  due: string;
  retryDays: number;
  externalId: string | null;
  externalAgreementId: string | null;
  transactionId: string | null;
  failureReason: string | null;
  failureDescription: string | null;
  summary: { captured: number; refunded: number; cancelled: number };
  history: ChargeHistoryRecord[];
}
