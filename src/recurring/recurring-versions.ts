import type { AgreementRecord, ChargeRecord } from './recurring-record';

/** Versions of what a subscriber sees change: publish once per distinct version. */
export function agreementVersion(a: AgreementRecord): string {
  const price = 'amount' in a.pricing ? a.pricing.amount : '';
  return `${a.status}:${a.productName}:${a.productDescription ?? ''}:${String(price)}:${a.stop ?? ''}`;
}

export function chargeVersion(c: ChargeRecord): string {
  return `${c.status}:${c.summary.captured}:${c.summary.refunded}:${c.summary.cancelled}`;
}
