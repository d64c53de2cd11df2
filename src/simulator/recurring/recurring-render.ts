import type { components } from '../../vipps/generated/recurring';
import type { Agreement, Campaign, TimePeriod } from './agreement';
import type { Charge } from './charge';

/**
 * Response bodies in the spec's shapes (`AgreementResponseV3`, `ChargeResponseV3`) with today's
 * values where the stored spec is behind (pricing `type` LEGACY/VARIABLE/FLEXIBLE rather than the
 * generator's discriminator names, DKK/EUR, UNSCHEDULED).
 */
type Schemas = components['schemas'];
type AgreementBody = Omit<Schemas['AgreementResponseV3'], 'pricing' | 'campaign' | 'countryCode' | 'interval'> & {
  pricing: Record<string, unknown>;
  campaign: Record<string, unknown> | null;
  /** Absent for pay-per-use FLEXIBLE agreements. */
  interval?: Schemas['TimePeriodResponse'];
  countryCode: string;
};
type ChargeBody = Omit<Schemas['ChargeResponseV3'], 'type' | 'currency' | 'transactionId' | 'externalId'> & {
  type: Charge['type'];
  currency: Charge['currency'];
  transactionId: string | null;
  externalId: string | null;
};

/** Optional string fields are left out rather than null: the spec does not make them nullable. */
const optional = <K extends string>(key: K, value: string | null): Partial<Record<K, string>> =>
  (value === null ? {} : { [key]: value }) as Partial<Record<K, string>>;
/** The market follows the currency (docs/vipps.md §0) unless the merchant named a country. */
const COUNTRY_OF: Record<Charge['currency'], string> = { NOK: 'NO', DKK: 'DK', EUR: 'FI' };

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

export function intervalText(period: TimePeriod): string {
  const unit = period.unit.toLowerCase();
  return period.count === 1 ? `every ${unit}` : `every ${period.count} ${unit}s`;
}

function campaignBody(campaign: Campaign, createdAt: number): Record<string, unknown> {
  const body: Record<string, unknown> = { ...campaign, explanation: campaignExplanation(campaign) };
  // The response requires `end` for period campaigns too: the end of the first period.
  if (campaign.type === 'PERIOD_CAMPAIGN' && campaign.period) body.end = periodEnd(createdAt, campaign.period);
  return body;
}

function campaignExplanation(campaign: Campaign): string {
  switch (campaign.type) {
    case 'PRICE_CAMPAIGN':
      return `${campaign.price} until ${campaign.end}`;
    case 'PERIOD_CAMPAIGN':
      return `${campaign.price} for ${campaign.period?.count} ${campaign.period?.unit.toLowerCase()}(s)`;
    case 'EVENT_CAMPAIGN':
      return `${campaign.price} ${campaign.eventText}`;
    case 'FULL_FLEX_CAMPAIGN':
      return `${campaign.price} ${campaign.interval ? intervalText(campaign.interval) : ''} until ${campaign.end}`.replace(/\s+/g, ' ');
  }
}

function periodEnd(from: number, period: TimePeriod): string {
  const d = new Date(from);
  if (period.unit === 'YEAR') d.setUTCFullYear(d.getUTCFullYear() + period.count);
  if (period.unit === 'MONTH') d.setUTCMonth(d.getUTCMonth() + period.count);
  if (period.unit === 'WEEK') d.setUTCDate(d.getUTCDate() + 7 * period.count);
  if (period.unit === 'DAY') d.setUTCDate(d.getUTCDate() + period.count);
  return d.toISOString();
}

export function agreementBody(a: Agreement): AgreementBody {
  const { pricing } = a;
  return {
    id: a.id,
    uuid: a.uuid,
    status: a.status,
    created: new Date(a.createdAt).toISOString(),
    start: iso(a.start),
    stop: iso(a.stop),
    productName: a.productName,
    ...optional('productDescription', a.productDescription),
    pricing:
      pricing.type === 'LEGACY'
        ? { type: 'LEGACY', currency: pricing.currency, amount: pricing.amount }
        : pricing.type === 'VARIABLE'
          ? { type: 'VARIABLE', currency: pricing.currency, suggestedMaxAmount: pricing.suggestedMaxAmount, maxAmount: pricing.maxAmount }
          : { type: 'FLEXIBLE', currency: pricing.currency },
    ...(a.interval ? { interval: { ...a.interval, text: intervalText(a.interval) } } : {}),
    campaign: a.campaign ? campaignBody(a.campaign, a.createdAt) : null,
    merchantRedirectUrl: a.merchantRedirectUrl,
    merchantAgreementUrl: a.merchantAgreementUrl,
    ...optional('externalId', a.externalId),
    countryCode: a.countryCode ?? COUNTRY_OF[pricing.currency],
    sub: a.sub ?? null,
    // On the simulator's own address, which the confirmation URL carries.
    userinfoUrl: a.sub ? `${new URL(a.vippsConfirmationUrl).origin}/vipps-userinfo-api/userinfo/${a.sub}` : null,
    vippsConfirmationUrl: a.vippsConfirmationUrl,
  };
}

export function chargeBody(c: Charge, agreement: Agreement): ChargeBody {
  return {
    id: c.id,
    agreementId: c.agreementId,
    externalId: c.externalId,
    ...optional('externalAgreementId', agreement.externalId),
    amount: c.amount,
    currency: c.currency,
    description: c.description,
    due: `${c.due}T00:00:00Z`,
    retryDays: c.retryDays,
    status: c.status,
    type: c.type,
    transactionType: c.transactionType,
    transactionId: c.transactionId,
    failureReason: c.failureReason,
    ...optional('failureDescription', c.failureDescription),
    summary: { ...c.summary },
    history: c.history.map((e) => ({ ...e })),
  };
}
