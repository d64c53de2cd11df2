import { registerEnumType } from 'type-graphql';

export enum AgreementStatus {
  PENDING = 'PENDING',
  ACTIVE = 'ACTIVE',
  STOPPED = 'STOPPED',
  EXPIRED = 'EXPIRED',
}
registerEnumType(AgreementStatus, { name: 'AgreementStatus', description: 'PENDING until the customer accepts; STOPPED and EXPIRED are final.' });

export enum PricingType {
  LEGACY = 'LEGACY',
  VARIABLE = 'VARIABLE',
  FLEXIBLE = 'FLEXIBLE',
}
registerEnumType(PricingType, {
  name: 'PricingType',
  description: 'LEGACY: a fixed price per interval. VARIABLE: up to a maximum the customer accepts. FLEXIBLE: pay per use, no ceiling.',
});

export enum IntervalUnit {
  YEAR = 'YEAR',
  MONTH = 'MONTH',
  WEEK = 'WEEK',
  DAY = 'DAY',
}
registerEnumType(IntervalUnit, { name: 'IntervalUnit' });

export enum CampaignType {
  PRICE_CAMPAIGN = 'PRICE_CAMPAIGN',
  PERIOD_CAMPAIGN = 'PERIOD_CAMPAIGN',
  EVENT_CAMPAIGN = 'EVENT_CAMPAIGN',
  FULL_FLEX_CAMPAIGN = 'FULL_FLEX_CAMPAIGN',
  LEGACY_CAMPAIGN = 'LEGACY_CAMPAIGN',
}
registerEnumType(CampaignType, { name: 'CampaignType', description: 'LEGACY_CAMPAIGN is only reported for old agreements; it cannot be created.' });

export enum ChargeStatus {
  PENDING = 'PENDING',
  DUE = 'DUE',
  PROCESSING = 'PROCESSING',
  RESERVED = 'RESERVED',
  CHARGED = 'CHARGED',
  PARTIALLY_CAPTURED = 'PARTIALLY_CAPTURED',
  FAILED = 'FAILED',
  CANCELLED = 'CANCELLED',
  PARTIALLY_REFUNDED = 'PARTIALLY_REFUNDED',
  REFUNDED = 'REFUNDED',
}
registerEnumType(ChargeStatus, { name: 'ChargeStatus' });

export enum ChargeType {
  INITIAL = 'INITIAL',
  RECURRING = 'RECURRING',
  UNSCHEDULED = 'UNSCHEDULED',
}
registerEnumType(ChargeType, { name: 'ChargeType', description: 'INITIAL is paid when the customer accepts; UNSCHEDULED is taken at once (allow-listed merchants).' });

export enum TransactionType {
  DIRECT_CAPTURE = 'DIRECT_CAPTURE',
  RESERVE_CAPTURE = 'RESERVE_CAPTURE',
}
registerEnumType(TransactionType, { name: 'TransactionType', description: 'RESERVE_CAPTURE reserves the money; capture it later (within 180 days in Norway, 14 in Denmark and Finland).' });

export enum ChargeEventType {
  CREATE = 'CREATE',
  RESERVE = 'RESERVE',
  CAPTURE = 'CAPTURE',
  REFUND = 'REFUND',
  CANCEL = 'CANCEL',
  FAIL = 'FAIL',
}
registerEnumType(ChargeEventType, { name: 'ChargeEventType' });
