import type { AgreementRecord, ChargeRecord } from './recurring-record';

/**
 * Money rules of a charge (docs/vipps.md §9, §10.4, §10.7), shared by validation, the GraphQL type
 * and the agreement page. Pure.
 */

const DAY_MS = 86_400_000;
/** Reserved charges can be captured for 180 days in Norway, 14 in Denmark and Finland (docs/vipps.md §9). */
const RESERVATION_DAYS: Record<string, number> = { NOK: 180, DKK: 14, EUR: 14 };

/** Reserved money still to capture: reserved − captured − released. */
export function capturable(c: ChargeRecord): number {
  if (c.status !== 'RESERVED' && c.status !== 'PARTIALLY_CAPTURED') return 0;
  return Math.max(0, c.amount - c.summary.captured - c.summary.cancelled);
}

/** Captured money still to refund. */
export function refundable(c: ChargeRecord): number {
  if (c.status !== 'CHARGED' && c.status !== 'PARTIALLY_REFUNDED') return 0;
  return Math.max(0, c.summary.captured - c.summary.refunded);
}

export function cancellable(c: ChargeRecord): boolean {
  return c.status === 'PENDING' || c.status === 'DUE' || c.status === 'RESERVED' || c.status === 'PARTIALLY_CAPTURED';
}

/** When an uncaptured reservation is released, from the RESERVE entry of the history. */
export function captureDeadline(c: ChargeRecord): Date | null {
  if (capturable(c) === 0) return null;
  const reserved = c.history.find((h) => h.event === 'RESERVE' && h.success);
  if (!reserved) return null;
  return new Date(new Date(reserved.occurred).getTime() + (RESERVATION_DAYS[c.currency] ?? 14) * DAY_MS);
}

/**
 * The most a new charge may be (docs/vipps.md §10.4): LEGACY 5 × the price, VARIABLE the higher of
 * the suggested and the user's max amount, FLEXIBLE no ceiling (null).
 */
export function chargeCeiling(a: AgreementRecord): number | null {
  const p = a.pricing;
  if (p.type === 'LEGACY') return 5 * (p.amount ?? 0);
  if (p.type === 'VARIABLE') return Math.max(p.suggestedMaxAmount ?? 0, p.maxAmount ?? 0);
  return null;
}

/** Charges that will still take money, soonest first (for the customer's agreement page). */
export function upcomingCharges(charges: readonly ChargeRecord[]): ChargeRecord[] {
  return charges.filter((c) => c.status === 'PENDING' || c.status === 'DUE' || c.status === 'PROCESSING').sort((a, b) => a.due.localeCompare(b.due));
}
