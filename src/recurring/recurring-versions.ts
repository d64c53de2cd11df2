import type { AgreementRecord, ChargeRecord } from './recurring-record';

/**
 * Versions of what a subscriber sees change: the registry keeps the last one stored, to tell a
 * change from a repeat, and each is published once.
 */
export function agreementVersion(a: AgreementRecord): string {
  const price = 'amount' in a.pricing ? a.pricing.amount : '';
  return `${a.status}:${a.productName}:${a.productDescription ?? ''}:${String(price)}:${a.stop ?? ''}`;
}

export function chargeVersion(c: ChargeRecord): string {
  return `${c.status}:${c.summary.captured}:${c.summary.refunded}:${c.summary.cancelled}`;
}

/**
 * How far an agreement or charge has come: statuses only move forward and money moved only grows,
 * so a record ranked below the stored one is an older read that lost a race (as `progressRank`
 * for payments).
 */
const AGREEMENT_RANK: Record<AgreementRecord['status'], number> = { PENDING: 0, ACTIVE: 1, STOPPED: 2, EXPIRED: 2 };
const CHARGE_RANK: Record<ChargeRecord['status'], number> = {
  PENDING: 0, DUE: 1, PROCESSING: 1, RESERVED: 2, PARTIALLY_CAPTURED: 3, CHARGED: 3, FAILED: 3, CANCELLED: 3, PARTIALLY_REFUNDED: 3, REFUNDED: 3,
};

export function agreementRank(a: AgreementRecord): number {
  return AGREEMENT_RANK[a.status];
}

export function chargeRank(c: ChargeRecord): number {
  return CHARGE_RANK[c.status] * 2 ** 40 + c.summary.captured + c.summary.refunded + c.summary.cancelled;
}
