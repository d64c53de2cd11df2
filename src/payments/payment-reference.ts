import { createHash } from 'node:crypto';

/**
 * A reference for a payment the caller did not name, following Vipps' advice (docs/vipps.md §4):
 * letters, digits and hyphens, not digits only, no leading zero. Derived from the merchant and
 * the caller's idempotency key, so a retried `createPayment` names the same payment.
 */
export function generatedReference(msn: string, idempotencyKey: string): string {
  const digest = createHash('sha256').update(`${msn}\u0000${idempotencyKey}`).digest('hex');
  return `vg-${msn}-${digest.slice(0, 20)}`;
}
