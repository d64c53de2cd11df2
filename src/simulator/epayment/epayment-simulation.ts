import { randomUUID } from 'node:crypto';
import { randomDigits, type SimContext } from '../simulator-context';
import { epaymentProblem } from '../problems';
import { approve, expireIfDue, reject, releaseIfDue, type OpContext, type OpOutcome, type OpSuccess, type Payment } from './payment';
import type { PaymentStore } from './payment-store';
import { webhookName, webhookPayload } from './payment-view';

export type UserAction = 'APPROVE' | 'REJECT';

/**
 * The glue between the pure rules and the world: stores each new payment version, then publishes
 * one webhook event per appended event (docs/design.md, convention 9: publish after storing). Shared by the API
 * routes, the landing page, the simulated user and the clock.
 */
export class EpaymentSimulation {
  constructor(
    private readonly ctx: SimContext,
    readonly store: PaymentStore,
  ) {}

  op(idempotencyKey: string | null): OpContext {
    return { nowMs: this.ctx.clock.nowMs(), idempotencyKey, newPspReference: newPspReference };
  }

  /** The payment, or Vipps' 404 for an unknown reference or another MSN's payment. */
  find(msn: string, reference: string): Payment {
    const payment = this.store.get(msn, reference);
    if (!payment) throw epaymentProblem(404, 'Not Found', `Payment with reference ${reference} not found.`, '5090');
    return payment;
  }

  commit(outcome: OpSuccess): Payment {
    this.store.save(outcome.payment);
    for (const event of outcome.events) {
      this.ctx.publish({ msn: outcome.payment.msn, name: webhookName(event), payload: { ...webhookPayload(outcome.payment, event) } });
    }
    return outcome.payment;
  }

  /** What the user does in the app or on the landing page; expiry is applied first, so late acts fail. */
  userAct(payment: Payment, action: UserAction): OpOutcome {
    this.tick(this.ctx.clock.now());
    const current = this.store.get(payment.msn, payment.reference) ?? payment;
    const outcome = action === 'APPROVE' ? approve(current, this.op(null), randomUUID()) : reject(current, this.op(null));
    if (outcome.ok) {
      const { sub, profileScope, msn } = this.commit(outcome);
      if (sub && profileScope) this.ctx.profiles.set(sub, { msn, scope: profileScope });
    }
    return outcome;
  }

  /** The simulated user of `PUT /simulator/v1/behaviour`, decided when the payment is created. */
  scheduleUser(payment: Payment): void {
    const { autoApproveAfterMs, userAction } = this.ctx.behaviour;
    if (autoApproveAfterMs === null || userAction === 'NONE') return;
    this.ctx.schedule(autoApproveAfterMs, () => {
      const current = this.store.get(payment.msn, payment.reference);
      // After a reset the store no longer holds it (timers are cancelled too; this is belt and braces).
      if (current && current.state === 'CREATED') this.userAct(current, userAction);
    });
  }

  /** Expire CREATED payments and release reservations whose capture deadline has passed. */
  tick(now: Date): void {
    const nowMs = now.getTime();
    for (const payment of this.store.duePayments(nowMs)) {
      const outcome = expireIfDue(payment, nowMs, newPspReference) ?? releaseIfDue(payment, nowMs, newPspReference);
      if (outcome) this.commit(outcome);
    }
  }
}

/** Each event gets its own 10-digit pspReference (docs/vipps.md §7.3). */
function newPspReference(): string {
  return randomDigits(10);
}
