import { capturable, type Payment } from './payment';

/**
 * Payments by MSN and reference (a reference is unique per MSN only, REFERENCE §4), plus the
 * landing-page token index and the set of payments the clock can still change, so `tick` does not
 * scan every payment ever made.
 */
export class PaymentStore {
  private readonly byMsn = new Map<string, Map<string, Payment>>();
  private readonly byToken = new Map<string, { msn: string; reference: string }>();
  /** Keys (`msn reference`) of CREATED payments and AUTHORIZED ones with an uncaptured remainder. */
  private readonly timed = new Set<string>();

  get(msn: string, reference: string): Payment | undefined {
    return this.byMsn.get(msn)?.get(reference);
  }

  getByToken(token: string): Payment | undefined {
    const at = this.byToken.get(token);
    return at ? this.get(at.msn, at.reference) : undefined;
  }

  /** Insert or replace; the store keeps whatever the pure rules returned last. */
  save(payment: Payment): void {
    let payments = this.byMsn.get(payment.msn);
    if (!payments) {
      payments = new Map();
      this.byMsn.set(payment.msn, payments);
    }
    payments.set(payment.reference, payment);
    this.byToken.set(payment.token, { msn: payment.msn, reference: payment.reference });
    const key = `${payment.msn} ${payment.reference}`;
    const clockMatters = payment.state === 'CREATED' || (payment.state === 'AUTHORIZED' && capturable(payment.totals) > 0);
    if (clockMatters) this.timed.add(key);
    else this.timed.delete(key);
  }

  /** Payments whose state or aggregate the clock can still change. */
  timedPayments(): Payment[] {
    const out: Payment[] = [];
    for (const key of this.timed) {
      const [msn, reference] = key.split(' ') as [string, string];
      const payment = this.get(msn, reference);
      if (payment) out.push(payment);
    }
    return out;
  }

  clear(): void {
    this.byMsn.clear();
    this.byToken.clear();
    this.timed.clear();
  }
}
