import { DueQueue } from '../due-queue';
import { capturable, type Payment } from './payment';

/**
 * When the clock changes a payment by itself: a CREATED one expires, an AUTHORIZED one with an
 * uncaptured remainder is released at its capture deadline. Undefined when the clock cannot.
 */
export function clockDueAtMs(payment: Payment): number | undefined {
  if (payment.state === 'CREATED') return payment.expiresAtMs;
  if (payment.state === 'AUTHORIZED' && capturable(payment.totals) > 0) return payment.captureDeadlineMs;
  return undefined;
}

/**
 * Payments by MSN and reference (a reference is unique per MSN only, docs/vipps.md §4), plus the
 * landing-page token index and the payments the clock will change, ordered by when: `tick` visits
 * only what is due, however many payments are pending.
 */
export class PaymentStore {
  private readonly byMsn = new Map<string, Map<string, Payment>>();
  private readonly byToken = new Map<string, { msn: string; reference: string }>();
  /** Keys (`msn reference`) by the time the clock changes them; `dueAt` holds each key's current one. */
  private readonly due = new DueQueue();
  private readonly dueAt = new Map<string, number>();

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
    const at = clockDueAtMs(payment);
    if (at === undefined) this.dueAt.delete(key);
    else if (this.dueAt.get(key) !== at) {
      this.dueAt.set(key, at);
      this.due.push(at, key);
    }
  }

  /** Payments the clock changes at `nowMs` or before (clockDueAtMs), earliest first. */
  duePayments(nowMs: number): Payment[] {
    const out: Payment[] = [];
    for (const key of this.due.popDue(nowMs)) {
      const at = this.dueAt.get(key);
      // Stale entries: the payment moved on (no longer timed, or due at another time).
      if (at === undefined || at > nowMs) continue;
      this.dueAt.delete(key);
      const [msn, reference] = key.split(' ') as [string, string];
      const payment = this.get(msn, reference);
      if (payment) out.push(payment);
    }
    return out;
  }

  clear(): void {
    this.byMsn.clear();
    this.byToken.clear();
    this.due.clear();
    this.dueAt.clear();
  }
}
