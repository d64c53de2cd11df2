import { randomUUID } from 'node:crypto';
import { randomDigits, randomId, type SimContext } from '../simulator-context';
import { recurringProblem } from '../problems';
import { activate, applyPatch, chargeCeiling, expire, isTimedOut, reject, stop, userMaxAmount, type Agreement, type AgreementPatch } from './agreement';
import { cancelCharge, captureCharge, refundCharge, type Charge, type OperationContext } from './charge';
import { advanceCharge, attemptPayment, type PaymentTerms, type Processed } from './charge-processing';
import { checkDueDate, dateOf } from './due-date';
import { publishAgreementEvent, publishChargeEvent, type StopActor } from './recurring-events';
import { RecurringStore } from './recurring-store';
import type { ChargeInput, DraftInput, InitialChargeInput } from './recurring-request-checks';

/**
 * The Recurring simulator's behaviour: stores what the pure transitions of `agreement.ts`,
 * `charge.ts` and `charge-processing.ts` decide, and publishes the webhook events. Routes, the
 * landing page and the simulated user all act through here.
 */
export class RecurringService {
  readonly store = new RecurringStore();

  constructor(private readonly ctx: SimContext) {}

  now(): Date {
    return this.ctx.clock.now();
  }

  createAgreement(msn: string, draft: DraftInput, landingBaseUrl: string, idempotencyKey: string): Agreement {
    const id = this.newAgreementId();
    const now = this.now();
    const initialChargeId = draft.initialCharge ? this.claimChargeId(msn, draft.initialCharge.orderId) : null;
    const agreement: Agreement = {
      id,
      uuid: randomUUID(),
      msn,
      status: 'PENDING',
      createdAt: now.getTime(),
      start: null,
      stop: null,
      productName: draft.productName,
      productDescription: draft.productDescription ?? null,
      pricing: draft.pricing,
      interval: draft.interval,
      campaign: draft.campaign ?? null,
      merchantRedirectUrl: draft.merchantRedirectUrl,
      merchantAgreementUrl: draft.merchantAgreementUrl,
      externalId: draft.externalId ?? null,
      phoneNumber: draft.phoneNumber ?? null,
      countryCode: draft.countryCode ?? null,
      scope: draft.scope ?? null,
      vippsConfirmationUrl: `${landingBaseUrl}/recurring-landing?agreement=${id}`,
      initialChargeId,
    };
    this.store.saveAgreement(agreement);
    if (draft.initialCharge && initialChargeId) this.store.saveCharge(this.initialCharge(agreement, initialChargeId, draft.initialCharge, now, idempotencyKey));
    this.scheduleUser(agreement.id);
    return agreement;
  }

  /** The user (landing page, force accept or simulated user) accepts a PENDING agreement. */
  accept(agreement: Agreement, phoneNumber: string | null): Agreement {
    const now = this.now();
    const activated = activate(agreement, now, phoneNumber);
    const active = agreement.scope ? { ...activated, sub: this.shareProfile(agreement.msn, agreement.scope) } : activated;
    const initial = this.initialChargeOf(agreement);
    if (!initial) return this.saveAndAnnounce(active, 'activated');
    const processed = attemptPayment(initial, now, this.terms(active), true);
    if (processed.charge.status === 'FAILED') {
      // A failed initial charge means the user could not pay: the agreement never starts.
      const expired = this.saveAndAnnounce(expire(agreement), 'expired');
      this.applyProcessed(processed, expired);
      return expired;
    }
    this.saveAndAnnounce(active, 'activated');
    this.applyProcessed(processed, active);
    return active;
  }

  rejectByUser(agreement: Agreement): Agreement {
    const rejected = this.saveAndAnnounce(reject(agreement, this.now()), 'rejected');
    this.cancelOpenCharges(rejected, `${agreement.id}-Rejected`);
    return rejected;
  }

  /** Merchant stop: cancels PENDING, DUE and RESERVED charges (docs/vipps.md §10.6). */
  stopByMerchant(agreement: Agreement, idempotencyKey: string): Agreement {
    const stopped = this.saveAndAnnounce(stop(agreement, this.now()), 'stopped', 'MERCHANT');
    this.cancelOpenCharges(stopped, idempotencyKey);
    return stopped;
  }

  update(agreement: Agreement, patch: AgreementPatch): Agreement {
    const updated = applyPatch(agreement, patch);
    this.store.saveAgreement(updated);
    return updated;
  }

  createCharge(agreement: Agreement, input: ChargeInput, idempotencyKey: string): Charge {
    const now = this.now();
    if (agreement.status !== 'ACTIVE') {
      throw recurringProblem(400, 'charge-creation-failed', 'Bad Request', `Cannot create a charge on agreement ${agreement.id} with status ${agreement.status}.`);
    }
    const ceiling = chargeCeiling(agreement);
    if (ceiling !== null && input.amount > ceiling) {
      throw recurringProblem(400, 'charge-amount-too-high', 'Bad Request', `Charge amount ${input.amount} is higher than the ${agreement.pricing.type} limit ${ceiling}.`, [
        { field: 'amount', text: `must be at most ${ceiling}` },
      ]);
    }
    if (input.due !== undefined) checkDueDate(input.due, now);
    const charge: Charge = {
      ...this.blankCharge(agreement, this.claimChargeId(agreement.msn, input.orderId), now),
      amount: input.amount,
      description: input.description,
      due: input.due ?? dateOf(now),
      retryDays: input.retryDays,
      type: input.type,
      transactionType: input.transactionType,
      externalId: input.externalId ?? null,
    };
    const created = { ...charge, history: [{ occurred: now.toISOString(), event: 'CREATE' as const, amount: input.amount, idempotencyKey, success: true }] };
    // UNSCHEDULED charges are processed at once and never retried (docs/vipps.md §10.4).
    const processed = input.type === 'UNSCHEDULED' ? attemptPayment(created, now, this.terms(agreement), true) : advanceCharge(created, now, this.terms(agreement));
    this.applyProcessed(processed, agreement);
    return processed.charge;
  }

  capture(agreement: Agreement, charge: Charge, amount: number, op: OperationContext): Charge {
    const next = captureCharge(charge, amount, op);
    this.store.saveCharge(next);
    publishChargeEvent(this.ctx, next, agreement, 'captured', amount);
    return next;
  }

  cancel(agreement: Agreement, charge: Charge, op: OperationContext): Charge {
    const next = cancelCharge(charge, op);
    this.store.saveCharge(next);
    publishChargeEvent(this.ctx, next, agreement, 'canceled', next.summary.cancelled - charge.summary.cancelled);
    return next;
  }

  refund(agreement: Agreement, charge: Charge, amount: number, op: OperationContext): Charge {
    const next = refundCharge(charge, amount, op);
    this.store.saveCharge(next);
    publishChargeEvent(this.ctx, next, agreement, 'refunded', amount);
    return next;
  }

  /** Expire unanswered agreements and move charges along the simulator clock. */
  tick(now: Date): void {
    for (const agreement of this.store.pendingAgreements()) {
      if (!isTimedOut(agreement, now)) continue;
      const expired = this.saveAndAnnounce(expire(agreement), 'expired');
      this.cancelOpenCharges(expired, `${agreement.id}-Expired`);
    }
    for (const charge of this.store.openCharges()) {
      if (charge.type === 'INITIAL' && charge.status === 'PENDING') continue;
      const agreement = this.store.agreement(charge.msn, charge.agreementId);
      if (!agreement) continue;
      const processed = advanceCharge(charge, now, this.terms(agreement));
      if (processed.charge !== charge) this.applyProcessed(processed, agreement);
    }
  }

  /** The simulated user (`PUT /simulator/v1/behaviour`) acts on a new agreement after a real delay. */
  private scheduleUser(agreementId: string): void {
    const { autoApproveAfterMs, userAction } = this.ctx.behaviour;
    if (autoApproveAfterMs === null || userAction === 'NONE') return;
    this.ctx.schedule(autoApproveAfterMs, () => {
      this.tick(this.now());
      const agreement = this.store.agreementById(agreementId);
      if (agreement?.status !== 'PENDING') return;
      if (userAction === 'APPROVE') this.accept(agreement, null);
      else this.rejectByUser(agreement);
    });
  }

  /** The user shares the scope with the merchant: a new `sub` the merchant may read userinfo for. */
  private shareProfile(msn: string, scope: string): string {
    const sub = randomUUID();
    this.ctx.profiles.set(sub, { msn, scope });
    return sub;
  }

  private saveAndAnnounce(agreement: Agreement, event: 'activated' | 'rejected' | 'stopped' | 'expired', actor?: StopActor): Agreement {
    this.store.saveAgreement(agreement);
    publishAgreementEvent(this.ctx, agreement, event, actor);
    return agreement;
  }

  private applyProcessed(processed: Processed, agreement: Agreement): void {
    this.store.saveCharge(processed.charge);
    for (const outcome of processed.outcomes) publishChargeEvent(this.ctx, processed.charge, agreement, outcome.event, outcome.amount);
  }

  private cancelOpenCharges(agreement: Agreement, idempotencyKey: string): void {
    const op = { now: this.now(), idempotencyKey };
    for (const charge of this.store.chargesOf(agreement)) {
      if (charge.status === 'PENDING' || charge.status === 'DUE' || charge.status === 'RESERVED') this.cancel(agreement, charge, op);
    }
  }

  private initialChargeOf(agreement: Agreement): Charge | undefined {
    return agreement.initialChargeId ? this.store.charge(agreement.msn, agreement.initialChargeId) : undefined;
  }

  private terms(agreement: Agreement): PaymentTerms {
    return { maxAmount: userMaxAmount(agreement), transactionId: () => randomDigits(10) };
  }

  private newAgreementId(): string {
    let id: string;
    do id = `agr_${randomId(7)}`;
    while (this.store.hasAgreementId(id));
    return id;
  }

  /** The merchant's `orderId` (unique per MSN, else 409) or a generated `chr-XXXXXXX`. */
  private claimChargeId(msn: string, orderId: string | undefined): string {
    if (orderId !== undefined) {
      if (this.store.charge(msn, orderId)) {
        throw recurringProblem(409, 'conflict', 'Conflict', `A charge with orderId ${orderId} already exists.`, [{ field: 'orderId', text: 'must be unique' }]);
      }
      return orderId;
    }
    let id: string;
    do id = `chr-${randomId(7)}`;
    while (this.store.charge(msn, id));
    return id;
  }

  private blankCharge(agreement: Agreement, id: string, now: Date): Charge {
    return {
      id,
      agreementId: agreement.id,
      msn: agreement.msn,
      amount: 0,
      currency: agreement.pricing.currency,
      description: '',
      due: dateOf(now),
      retryDays: 0,
      type: 'RECURRING',
      transactionType: 'DIRECT_CAPTURE',
      status: 'PENDING',
      externalId: null,
      transactionId: null,
      failureReason: null,
      failureDescription: null,
      summary: { captured: 0, refunded: 0, cancelled: 0 },
      history: [],
      reservedAt: null,
      capturedAt: null,
      lastAttemptDate: null,
      createdAt: now.getTime(),
    };
  }

  private initialCharge(agreement: Agreement, id: string, input: InitialChargeInput, now: Date, idempotencyKey: string): Charge {
    return {
      ...this.blankCharge(agreement, id, now),
      amount: input.amount,
      description: input.description,
      type: 'INITIAL',
      transactionType: input.transactionType,
      externalId: input.externalId ?? null,
      history: [{ occurred: now.toISOString(), event: 'CREATE', amount: input.amount, idempotencyKey, success: true }],
    };
  }
}
