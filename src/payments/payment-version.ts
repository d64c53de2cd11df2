import type { PaymentRecord } from './payment-record';

/** A version of a payment's progress: it changes whenever the state or any amount does. */
export function progressVersion(p: PaymentRecord): string {
  const a = p.aggregate;
  return `${p.state}:${a.authorized}:${a.captured}:${a.refunded}:${a.cancelled}`;
}

/**
 * How far a payment has come, as a number that never decreases at Vipps: leaving CREATED, then
 * every amount authorized, captured, refunded or cancelled only grows.
 */
export function progressRank(p: PaymentRecord): number {
  const a = p.aggregate;
  return (p.state === 'CREATED' ? 0 : 1) * 2 ** 40 + a.authorized + a.captured + a.refunded + a.cancelled;
}
