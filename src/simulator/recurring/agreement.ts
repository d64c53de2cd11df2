import type { components } from '../../vipps/generated/recurring';
import { recurringProblem } from '../problems';
import type { Currency } from './charge';

/**
 * A Recurring agreement and its state machine (docs/vipps.md §10.2, §10.3, §10.6) as pure functions.
 *
 *   PENDING --accept--> ACTIVE          PENDING --reject or merchant stop--> STOPPED
 *   PENDING --10 min, or failed initial charge--> EXPIRED
 *   ACTIVE  --merchant stop--> STOPPED (final)
 */
type Schemas = components['schemas'];

export type AgreementStatus = Schemas['AgreementStatus'];
export type TimePeriod = Schemas['TimePeriod'];
/** FLEXIBLE is live but not in the stored spec (docs/vipps.md §0). */
export type PricingType = 'LEGACY' | 'VARIABLE' | 'FLEXIBLE';
export type CampaignType = 'PRICE_CAMPAIGN' | 'PERIOD_CAMPAIGN' | 'EVENT_CAMPAIGN' | 'FULL_FLEX_CAMPAIGN';

export interface Pricing {
  type: PricingType;
  currency: Currency;
  /** LEGACY: the price per interval. */
  amount?: number;
  /** VARIABLE: what the merchant suggests and what the user accepted (their ceiling). */
  suggestedMaxAmount?: number;
  maxAmount?: number;
}

export interface Campaign {
  type: CampaignType;
  price: number;
  end?: string;
  period?: TimePeriod;
  interval?: TimePeriod;
  eventDate?: string;
  eventText?: string;
}

export interface Agreement {
  id: string;
  uuid: string;
  msn: string;
  status: AgreementStatus;
  createdAt: number;
  start: number | null;
  stop: number | null;
  productName: string;
  productDescription: string | null;
  pricing: Pricing;
  /** Null for pay-per-use FLEXIBLE agreements. */
  interval: TimePeriod | null;
  campaign: Campaign | null;
  merchantRedirectUrl: string;
  merchantAgreementUrl: string;
  externalId: string | null;
  phoneNumber: string | null;
  countryCode: string | null;
  scope: string | null;
  /** OpenID `sub` of the user, once an agreement with a scope is accepted (userinfo module). */
  sub?: string;
  vippsConfirmationUrl: string;
  initialChargeId: string | null;
}

/** A user who does nothing lets the agreement expire after 10 minutes (docs/vipps.md §9). */
export const AGREEMENT_TIMEOUT_MS = 10 * 60 * 1000;

/** The fields PATCH may change; `status` must come alone (docs/vipps.md §10.3). */
export interface AgreementPatch {
  productName?: string;
  productDescription?: string;
  merchantAgreementUrl?: string;
  externalId?: string;
  pricing?: { amount?: number; suggestedMaxAmount?: number };
  interval?: TimePeriod;
}

export function isTimedOut(agreement: Agreement, now: Date): boolean {
  return agreement.status === 'PENDING' && now.getTime() >= agreement.createdAt + AGREEMENT_TIMEOUT_MS;
}

function requirePending(agreement: Agreement, action: string): void {
  if (agreement.status !== 'PENDING') {
    throw recurringProblem(409, 'conflict', 'Conflict', `Cannot ${action} agreement ${agreement.id} with status ${agreement.status}.`);
  }
}

/** The user accepted: the agreement starts; a VARIABLE user accepts the suggested ceiling. */
export function activate(agreement: Agreement, now: Date, phoneNumber: string | null): Agreement {
  requirePending(agreement, 'accept');
  const pricing = agreement.pricing.type === 'VARIABLE' ? { ...agreement.pricing, maxAmount: agreement.pricing.suggestedMaxAmount } : agreement.pricing;
  return { ...agreement, status: 'ACTIVE', start: now.getTime(), pricing, phoneNumber: phoneNumber ?? agreement.phoneNumber };
}

export function reject(agreement: Agreement, now: Date): Agreement {
  requirePending(agreement, 'reject');
  return { ...agreement, status: 'STOPPED', stop: now.getTime() };
}

/** Timeout, or a failed DIRECT_CAPTURE initial charge. */
export function expire(agreement: Agreement): Agreement {
  requirePending(agreement, 'expire');
  return { ...agreement, status: 'EXPIRED' };
}

/** Merchant stop (`PATCH {status: "STOPPED"}`): final; a PENDING agreement is withdrawn. */
export function stop(agreement: Agreement, now: Date): Agreement {
  if (agreement.status !== 'ACTIVE' && agreement.status !== 'PENDING') {
    throw illegalUpdate(agreement);
  }
  return { ...agreement, status: 'STOPPED', stop: now.getTime() };
}

function illegalUpdate(agreement: Agreement) {
  return recurringProblem(400, 'illegal-agreement-update', 'Bad Request', `Agreement ${agreement.id} with status ${agreement.status} cannot be updated.`);
}

/** Apply a validated PATCH to an ACTIVE agreement. Pricing type never changes. */
export function applyPatch(agreement: Agreement, patch: AgreementPatch): Agreement {
  if (agreement.status !== 'ACTIVE') throw illegalUpdate(agreement);
  const pricing = { ...agreement.pricing };
  if (patch.pricing?.amount !== undefined) {
    if (pricing.type !== 'LEGACY') {
      throw recurringProblem(400, 'illegal-agreement-update', 'Bad Request', `pricing.amount can only be changed on LEGACY agreements; this one is ${pricing.type}.`, [
        { field: 'pricing.amount', text: 'only for LEGACY pricing' },
      ]);
    }
    pricing.amount = patch.pricing.amount;
  }
  if (patch.pricing?.suggestedMaxAmount !== undefined) {
    if (pricing.type !== 'VARIABLE') {
      throw recurringProblem(400, 'invalid-suggested-max-amount', 'Bad Request', `pricing.suggestedMaxAmount can only be changed on VARIABLE agreements; this one is ${pricing.type}.`, [
        { field: 'pricing.suggestedMaxAmount', text: 'only for VARIABLE pricing' },
      ]);
    }
    // The user is not notified and their own max amount stays as it was (docs/vipps.md §10.3).
    pricing.suggestedMaxAmount = patch.pricing.suggestedMaxAmount;
  }
  return {
    ...agreement,
    pricing,
    productName: patch.productName ?? agreement.productName,
    productDescription: patch.productDescription ?? agreement.productDescription,
    merchantAgreementUrl: patch.merchantAgreementUrl ?? agreement.merchantAgreementUrl,
    externalId: patch.externalId ?? agreement.externalId,
    interval: patch.interval ?? agreement.interval,
  };
}

/** The most a new charge may be (docs/vipps.md §10.4); null = no ceiling (FLEXIBLE). */
export function chargeCeiling(agreement: Agreement): number | null {
  const { pricing } = agreement;
  if (pricing.type === 'LEGACY') return 5 * (pricing.amount ?? 0);
  if (pricing.type === 'VARIABLE') return Math.max(pricing.suggestedMaxAmount ?? 0, pricing.maxAmount ?? 0);
  return null;
}

/** Amounts above the user's own max fail at payment time (VARIABLE only). */
export function userMaxAmount(agreement: Agreement): number | null {
  return agreement.pricing.type === 'VARIABLE' ? (agreement.pricing.maxAmount ?? agreement.pricing.suggestedMaxAmount ?? null) : null;
}
