import type { Agreement } from './agreement';
import type { Charge } from './charge';

/**
 * In-memory agreements and charges. Agreements belong to one MSN; charge ids (generated or the
 * merchant's `orderId`) are unique per MSN (REFERENCE §4), so charges are keyed by both.
 */
export class RecurringStore {
  private readonly agreements = new Map<string, Agreement>();
  private readonly charges = new Map<string, Charge>();

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
  }

  /** In creation order. */
  agreementsOf(msn: string): Agreement[] {
    return [...this.agreements.values()].filter((a) => a.msn === msn);
  }

  allAgreements(): Agreement[] {
    return [...this.agreements.values()];
  }

  charge(msn: string, id: string): Charge | undefined {
    return this.charges.get(chargeKey(msn, id));
  }

  saveCharge(charge: Charge): void {
    this.charges.set(chargeKey(charge.msn, charge.id), charge);
  }

  /** In creation order. */
  chargesOf(agreement: Agreement): Charge[] {
    return [...this.charges.values()].filter((c) => c.msn === agreement.msn && c.agreementId === agreement.id);
  }

  allCharges(): Charge[] {
    return [...this.charges.values()];
  }

  clear(): void {
    this.agreements.clear();
    this.charges.clear();
  }
}

function chargeKey(msn: string, id: string): string {
  return `${msn}\u0000${id}`;
}
