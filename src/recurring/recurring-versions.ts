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
