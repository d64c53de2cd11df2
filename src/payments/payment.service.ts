import { outcomeOf, type Actor, type AuditOperation } from '../audit/audit-entry';
import type { AuditLog } from '../audit/audit-log';
import { ErrorCode, UserFacingError, type UserErrorData } from '../common/error-code';
import { IdempotencyLedger, ledgerFingerprint } from '../common/idempotency-ledger';
import { runIdempotent } from '../common/idempotent-run';
import type { Currency } from '../common/money';
import type { Logger } from '../log/logger';
import type { CreatePaymentRequest, ModificationResponse, Receipt } from '../vipps/api-types';
import type { EpaymentClient } from '../vipps/epayment-client';
import type { OrderManagementClient } from '../vipps/order-management-client';
import type { StatusTokens } from './status-tokens';
import { VippsConflictError, VippsError } from '../vipps/errors';
import { explainVippsFailure } from './payment-errors';
import { applyModification } from './payment-mapper';
import type { PaymentReader } from './payment-reader';
import type { PaymentStore } from './payment-store';
import type { PaymentMethod, PaymentRecord, UserFlow } from './payment-record';
import { generatedReference } from './payment-reference';
import { checkCancel, checkCapture, checkCreatePayment, checkPhoneNumber, checkReceipt, checkRefund, checkReference, REFERENCE_PATTERN, type RequestedAmount } from './payment-validation';

/** What a payment mutation returns: the payment it acted on (when known) and why it stopped. */
export interface PaymentOutcome {
  reference: string | null;
  errors: UserErrorData[];
  /** The money the operation moved (or tried to), as decided from the fresh payment; for the audit log. */
  amount?: { value: number; currency: string } | null;
}

export interface CreatePaymentCommand {
  idempotencyKey: string;
  amount: { value: number; currency: Currency };
  reference?: string | null;
  userFlow: UserFlow;
  customerPhoneNumber?: string | null;
  returnUrl?: string | null;
  description?: string | null;
  expiresAt?: Date | null;
  receipt?: Receipt | null;
  paymentMethod?: PaymentMethod | null;
  metadata?: readonly { key: string; value: string }[] | null;
  minimumUserAge?: number | null;
  qrFormat?: { format: 'IMAGE/SVG+XML' | 'IMAGE/PNG' | 'TEXT/TARGETURL'; size?: number | null } | null;
  /** Userinfo scopes (`name`, `phoneNumber`, …) the customer is asked to share. */
  profileScope?: readonly string[] | null;
  customerInteraction?: 'CUSTOMER_PRESENT' | 'CUSTOMER_NOT_PRESENT' | null;
  /** Add `reference` and a `statusToken` to the returnUrl, so a return page with no session can read the payment. */
  appendStatusToken?: boolean | null;
}

/** How the audit log names each modification. */
const AUDITED = { capture: 'capturePayment', refund: 'refundPayment', cancel: 'cancelPayment' } as const;

/** What the audit entry of an operation names before its outcome is known. */
interface Audited {
  actor: Actor;
  operation: AuditOperation;
  reference: string | null;
  amount: { value: number; currency: string } | null;
}

/** A Vipps write we decided on: what to send, so a retry can send exactly the same. */
interface Decided<B> {
  body: B;
}


/**
 * Money mutations on payments. Each one: checks the input, reads the payment fresh from Vipps,
 * checks the money rules, records the decided request in the idempotency ledger, sends it with
 * the caller's idempotency key, writes the result through to cache and registry, and tells
 * listeners. A refusal is a `UserError`; nothing is half-applied.
 */
export class PaymentService {
  constructor(
    private readonly vipps: EpaymentClient,
    private readonly orders: OrderManagementClient,
    private readonly reader: PaymentReader,
    private readonly store: PaymentStore,
    private readonly ledger: IdempotencyLedger,
    private readonly log: Logger,
    private readonly statusTokens: StatusTokens,
    private readonly audit: AuditLog,
    /** Force approve exists only in Vipps' test environment and the simulator. */
    private readonly vippsEnv: 'simulator' | 'test' | 'production' = 'production',
  ) {}

  async create(actor: Actor, msn: string, cmd: CreatePaymentCommand): Promise<PaymentOutcome> {
    const reference = cmd.reference ?? null;
    const audited = { actor, operation: 'createPayment' as const, reference, amount: cmd.amount };
    // A create that fails made no payment: its payload names none (not one that already had the reference).
    return this.runFramed(audited, msn, cmd.idempotencyKey, 'create', cmd, null, async () => {
      checkCreatePayment({
        amount: cmd.amount,
        reference,
        userFlow: cmd.userFlow,
        phoneNumber: cmd.customerPhoneNumber,
        returnUrl: cmd.returnUrl,
        description: cmd.description,
        expiresAt: cmd.expiresAt,
        hasReceipt: Boolean(cmd.receipt),
        paymentMethod: cmd.paymentMethod,
        metadata: cmd.metadata,
        minimumUserAge: cmd.minimumUserAge,
        qrFormat: cmd.qrFormat,
      });
      if (cmd.receipt) checkReceipt(cmd.receipt, ['input', 'receipt']);
      const ref = reference ?? generatedReference(msn, cmd.idempotencyKey);
      // Decided once and kept in the ledger with the request, so a retry with the same key sends the same URL.
      const returnUrl = cmd.appendStatusToken ? this.returnUrlWithToken(msn, ref, cmd) : cmd.returnUrl;
      // Recorded before Vipps is asked: a payment made while our store fails is not lost.
      await this.store.intend(msn, ref);
      return { body: createBody({ ...cmd, returnUrl }, ref) };
    }, async ({ body }) => {
      const created = await this.vipps.createPayment(msn, body, cmd.idempotencyKey);
      const now = new Date().toISOString();
      const record: PaymentRecord = {
        merchantSerialNumber: msn,
        reference: created.reference ?? body.reference,
        pspReference: null,
        state: 'CREATED',
        amount: cmd.amount,
        aggregate: { authorized: 0, captured: 0, refunded: 0, cancelled: 0 },
        redirectUrl: created.redirectUrl ?? null,
        description: cmd.description ?? null,
        userFlow: cmd.userFlow,
        createdAt: now,
        updatedAt: now,
        authorizedAt: null,
        captureGuaranteedUntil: null,
        paymentMethod: body.paymentMethod.type as PaymentMethod,
        metadata: body.metadata ?? null,
      };
      await this.store.created(record);
      return record.reference;
    });
  }

  capture(actor: Actor, msn: string, reference: string, amount: RequestedAmount | null, idempotencyKey: string): Promise<PaymentOutcome> {
    return this.modify(actor, msn, reference, idempotencyKey, 'capture', { amount }, (p) => {
      const value = checkCapture(p, amount);
      return { modificationAmount: { value, currency: p.amount.currency } };
    }, (body) => this.vipps.capturePayment(msn, reference, body, idempotencyKey));
  }

  refund(actor: Actor, msn: string, reference: string, amount: RequestedAmount | null, idempotencyKey: string): Promise<PaymentOutcome> {
    return this.modify(actor, msn, reference, idempotencyKey, 'refund', { amount }, (p) => {
      const value = checkRefund(p, amount);
      return { modificationAmount: { value, currency: p.amount.currency } };
    }, (body) => this.vipps.refundPayment(msn, reference, body, idempotencyKey));
  }

  cancel(actor: Actor, msn: string, reference: string, onlyIfNotApproved: boolean, idempotencyKey: string): Promise<PaymentOutcome> {
    return this.modify(actor, msn, reference, idempotencyKey, 'cancel', { onlyIfNotApproved }, (p) => {
      checkCancel(p, onlyIfNotApproved);
      return onlyIfNotApproved ? { cancelTransactionOnly: true } : {};
    }, (body) => this.vipps.cancelPayment(msn, reference, body, idempotencyKey));
  }

  /**
   * Approve a payment as the customer would (Vipps' test-only endpoint, docs/vipps.md §7.7), with
   * the test user's phone number or, without one, the payment's own landing-page token. Refused in
   * production before anything is sent. Audited; Vipps takes no idempotency key here, and a
   * second approval is refused harmlessly by Vipps.
   */
  async forceApprove(actor: Actor, msn: string, reference: string, phoneNumber: string | null): Promise<PaymentOutcome> {
    const outcome = await this.sendForceApprove(msn, reference, phoneNumber);
    await this.audit.record({ actor, operation: 'forceApprovePayment', msn, reference: outcome.reference ?? reference, idempotencyKey: '', outcome: outcomeOf(outcome.errors) });
    return outcome;
  }

  private async sendForceApprove(msn: string, reference: string, phoneNumber: string | null): Promise<PaymentOutcome> {
    if (this.vippsEnv === 'production') {
      // No payment in the payload: reading it would be a Vipps call too.
      return failed(null, { code: ErrorCode.FEATURE_NOT_ENABLED, message: "Force approve is a test tool: it works only against the simulator and Vipps' test environment, not in production." });
    }
    try {
      checkReference(reference, ['input', 'reference']);
      if (phoneNumber != null) checkPhoneNumber(phoneNumber, ['input', 'phoneNumber']);
      const payment = await this.reader.refresh(msn, reference);
      if (!payment) return failed(reference, notFound(reference));
      if (payment.state !== 'CREATED') {
        return failed(reference, { code: ErrorCode.ALREADY_AUTHORIZED, message: `Payment ${reference} is ${payment.state.toLowerCase()}, so there is nothing to approve.`, field: ['input', 'reference'] });
      }
      const token = phoneNumber == null && payment.redirectUrl ? new URL(payment.redirectUrl).searchParams.get('token') : null;
      if (phoneNumber == null && !token) {
        return failed(reference, { code: ErrorCode.INVALID_INPUT, message: `Give the test user's phone number: payment ${reference} has no landing-page token to approve it with.`, field: ['input', 'phoneNumber'] });
      }
      await this.vipps.forceApprovePayment(msn, reference, phoneNumber != null ? { customer: { phoneNumber } } : { token: token as string });
      // Read again so the payload, cache and listeners see the approval now, not at the next poll.
      await this.reader.refresh(msn, reference);
      return { reference, errors: [] };
    } catch (error) {
      if (error instanceof UserFacingError) return failed(reference, error.error);
      if (error instanceof VippsError) return failed(reference, explainVippsFailure(error));
      throw error;
    }
  }

  /** Attach an Order Management receipt (once per payment, as Vipps allows). Audited, with no idempotency key. */
  async addReceipt(actor: Actor, msn: string, reference: string, receipt: Receipt): Promise<PaymentOutcome> {
    const outcome = await this.sendReceipt(msn, reference, receipt);
    await this.audit.record({ actor, operation: 'addPaymentReceipt', msn, reference, idempotencyKey: '', outcome: outcomeOf(outcome.errors) });
    return outcome;
  }

  private async sendReceipt(msn: string, reference: string, receipt: Receipt): Promise<PaymentOutcome> {
    try {
      checkReference(reference, ['input', 'reference']);
      checkReceipt(receipt, ['input', 'receipt']);
      const payment = await this.reader.refresh(msn, reference);
      if (!payment) return failed(reference, notFound(reference));
      await this.orders.addReceipt(msn, 'ECOM', reference, receipt);
      return { reference, errors: [] };
    } catch (error) {
      if (error instanceof UserFacingError) return failed(reference, error.error);
      if (error instanceof VippsConflictError) {
        return failed(reference, { code: ErrorCode.RECEIPT_ALREADY_EXISTS, message: `Payment ${reference} already has a receipt. Vipps keeps the first one.` });
      }
      if (error instanceof VippsError) return failed(reference, explainVippsFailure(error));
      throw error;
    }
  }

  private modify<B>(
    actor: Actor,
    msn: string,
    reference: string,
    idempotencyKey: string,
    operation: keyof typeof AUDITED,
    input: { amount?: RequestedAmount | null; onlyIfNotApproved?: boolean },
    decide: (p: PaymentRecord) => B,
    send: (body: B) => Promise<ModificationResponse>,
  ): Promise<PaymentOutcome> {
    let current: PaymentRecord | undefined;
    const subject = REFERENCE_PATTERN.test(reference) ? reference : null;
    const audited: Audited = { actor, operation: AUDITED[operation], reference, amount: input.amount ?? null };
    return this.runFramed(audited, msn, idempotencyKey, operation, { reference, ...input }, subject, async () => {
      checkReference(reference, ['input', 'reference']);
      const payment = await this.reader.refresh(msn, reference);
      if (!payment) throw new UserFacingError(notFound(reference));
      current = payment;
      return { body: decide(payment) };
    }, async ({ body }) => {
      const result = await send(body);
      const base = current ?? (await this.reader.refresh(msn, reference));
      if (!base) return reference;
      const updated = applyModification(base, result, new Date());
      await this.store.store(updated);
      return reference;
    }, () => current);
  }

  /** Payments in the idempotent frame (`runIdempotent`): how outcomes and failures read. */
  private runFramed<B>(
    audited: Audited,
    msn: string,
    key: string,
    operation: string,
    input: object,
    reference: string | null,
    decide: () => Promise<Decided<B>>,
    act: (decided: Decided<B>) => Promise<string>,
    paymentForErrors: () => PaymentRecord | undefined = () => undefined,
  ): Promise<PaymentOutcome> {
    return runIdempotent<Decided<B>, PaymentOutcome>(this.ledger, this.log, {
      msn,
      key,
      fingerprint: ledgerFingerprint(operation, input),
      decide,
      act: async (decided) => ({ reference: await act(decided), errors: [], amount: movedAmount(decided.body) }),
      failed: (error, at) => {
        if (typeof at === 'object') return { ...failed(reference, error), amount: movedAmount(at.decided.body) };
        // Refused while deciding: show the payment only when it was found.
        return failed(at === 'deciding' && !paymentForErrors() ? null : reference, error);
      },
      explain: (error, decided) =>
        decided ? explainVippsFailure(error, paymentForErrors(), { operation, reference: sentReference(decided.body) }) : explainVippsFailure(error),
      about: { operation, reference },
      audit: (outcome) =>
        this.audit.record({
          actor: audited.actor,
          operation: audited.operation,
          msn,
          reference: outcome.reference ?? audited.reference,
          amount: outcome.amount ?? audited.amount ?? null,
          idempotencyKey: key,
          outcome: outcomeOf(outcome.errors),
        }),
    });
  }

  /**
   * The returnUrl with `reference` and `statusToken` added (existing parameters kept). The token
   * outlives the normal 1 hour when the customer can still approve later (long-living payments).
   */
  private returnUrlWithToken(msn: string, reference: string, cmd: CreatePaymentCommand): string {
    if (!cmd.returnUrl) {
      throw new UserFacingError({ code: ErrorCode.INVALID_URL, message: 'appendStatusToken needs a return URL to add the token to.', field: ['input', 'returnUrl'] });
    }
    const token = this.statusTokens.issueForReturn(msn, reference, cmd.expiresAt ?? null);
    const url = new URL(cmd.returnUrl);
    url.searchParams.set('reference', reference);
    url.searchParams.set('statusToken', token);
    const text = url.toString();
    if (text.length > MAX_RETURN_URL_LENGTH) {
      throw new UserFacingError({ code: ErrorCode.INVALID_URL, message: `The return URL is too long to add a status token to: keep it under ${MAX_RETURN_URL_LENGTH - (text.length - cmd.returnUrl.length)} characters.`, field: ['input', 'returnUrl'] });
    }
    return text;
  }

}

function createBody(cmd: CreatePaymentCommand, reference: string): CreatePaymentRequest {
  const body: CreatePaymentRequest = {
    amount: { value: cmd.amount.value, currency: cmd.amount.currency },
    paymentMethod: { type: cmd.paymentMethod ?? 'WALLET' },
    reference,
    userFlow: cmd.userFlow,
    customerInteraction: cmd.customerInteraction ?? 'CUSTOMER_NOT_PRESENT',
  };
  if (cmd.customerPhoneNumber) body.customer = { phoneNumber: cmd.customerPhoneNumber };
  if (cmd.returnUrl) body.returnUrl = cmd.returnUrl;
  if (cmd.description) body.paymentDescription = cmd.description;
  if (cmd.expiresAt) body.expiresAt = cmd.expiresAt.toISOString();
  if (cmd.receipt) body.receipt = cmd.receipt;
  if (cmd.metadata && cmd.metadata.length > 0) body.metadata = Object.fromEntries(cmd.metadata.map((e) => [e.key, e.value]));
  if (cmd.minimumUserAge != null) body.minimumUserAge = cmd.minimumUserAge;
  if (cmd.profileScope && cmd.profileScope.length > 0) body.profile = { scope: [...new Set(cmd.profileScope)].join(' ') };
  if (cmd.qrFormat) body.qrFormat = { format: cmd.qrFormat.format, ...(cmd.qrFormat.size != null ? { size: cmd.qrFormat.size } : {}) };
  return body;
}

/** What we accept for a returnUrl sent to Vipps (`isReturnUrl`), token included. */
const MAX_RETURN_URL_LENGTH = 1024;

/** The amount a decided Vipps request moves: a create's amount or a modification's. */
function movedAmount(body: unknown): { value: number; currency: string } | null {
  const b = body as { amount?: { value: number; currency: string }; modificationAmount?: { value: number; currency: string } };
  const money = b?.modificationAmount ?? b?.amount;
  return money ? { value: money.value, currency: money.currency } : null;
}

/** The reference a decided create names (a modification's is in its path). */
function sentReference(body: unknown): string | null {
  const reference = (body as { reference?: unknown } | null)?.reference;
  return typeof reference === 'string' ? reference : null;
}

function failed(reference: string | null, error: UserErrorData): PaymentOutcome {
  return { reference, errors: [error] };
}

function notFound(reference: string): UserErrorData {
  return { code: ErrorCode.NOT_FOUND, message: `Payment ${reference} was not found.`, field: ['input', 'reference'] };
}


