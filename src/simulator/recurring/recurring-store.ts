import type { Agreement } from './agreement';
import type { Charge, ChargeStatus } from './charge';

/** Charge statuses the clock can still move (due, attempted, reservation released). */
const OPEN_CHARGE_STATUSES: ReadonlySet<ChargeStatus> = new Set(['PENDING', 'DUE', 'RESERVED', 'PARTIALLY_CAPTURED']);

/**
 * In-memory agreements and charges. Agreements belong to one MSN; charge ids (generated or the
 * merchant's `orderId`) are unique per MSN (docs/vipps.md §4), so charges are keyed by both.
 */
export class RecurringStore {
  private readonly agreements = new Map<string, Agreement>();
  private readonly charges = new Map<string, Charge>();
  /** What the clock can still change, so `tick` does not walk everything ever made. */
  private readonly pending = new Set<string>();
  private readonly open = new Set<string>();

  /** The agreement, or undefined when it does not exist or belongs to another MSN. */
  agreement(msn: string, id: string): Agreement | undefined {
    const agreement = this.agreements.get(id);
    return agreement?.msn === msn ? agreement : undefined;
  }

  /** Lookup without an MSN, for the landing page (the user is not a merchant). */
  agreementById(id: string): Agreement | undefined {
    return this.agreements.get(id);
  }

  hasAgreementId(id: string): boolean {
    return this.agreements.has(id);
  }

  saveAgreement(agreement: Agreement): void {
    this.agreements.set(agreement.id, agreement);
    if (agreement.status === 'PENDING') this.pending.add(agreement.id);
    else this.pending.delete(agreement.id);
  }

  /** In creation order. */
  agreementsOf(msn: string): Agreement[] {
    return [...this.agreements.values()].filter((a) => a.msn === msn);
  }

  /** PENDING agreements (the clock expires them), in creation order. */
  pendingAgreements(): Agreement[] {
    return [...this.pending].map((id) => this.agreements.get(id) as Agreement);
  }

  charge(msn: string, id: string): Charge | undefined {
    return this.charges.get(chargeKey(msn, id));
  }

  saveCharge(charge: Charge): void {
    const key = chargeKey(charge.msn, charge.id);
    this.charges.set(key, charge);
    if (OPEN_CHARGE_STATUSES.has(charge.status)) this.open.add(key);
    else this.open.delete(key);
  }

  /** In creation order. */
  chargesOf(agreement: Agreement): Charge[] {
    return [...this.charges.values()].filter((c) => c.msn === agreement.msn && c.agreementId === agreement.id);
  }

  /** Charges the clock can still move (OPEN_CHARGE_STATUSES), in creation order. */
  openCharges(): Charge[] {
    return [...this.open].map((key) => this.charges.get(key) as Charge);
  }

  clear(): void {
    this.agreements.clear();
    this.charges.clear();
    this.pending.clear();
    this.open.clear();
  }
}

function chargeKey(msn: string, id: string): string {
  return `${msn}\u0000${id}`;
}
