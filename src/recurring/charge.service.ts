import type { Actor } from '../audit/audit-entry';
import { ErrorCode, userError } from '../common/error-code';
import type { CreateChargeRequest } from '../vipps/api-types';
import type { RecurringClient } from '../vipps/recurring-client';
import type { RecurringReader } from './recurring-reader';
import type { ChargeRecord, TransactionType } from './recurring-record';
import type { RecurringOutcome, RecurringRunner } from './recurring-run';
import { checkAgreementId, checkCancelCharge, checkCaptureCharge, checkChargeIds, checkCreateCharge, checkRefundCharge, type CreateChargeCheck } from './recurring-validation';

export interface CreateChargeCommand extends CreateChargeCheck {
  idempotencyKey: string;
  transactionType: TransactionType;
}

export interface RequestedAmount {
  value: number;
  currency: string;
}

const AUDITED = { capture: 'captureCharge', refund: 'refundCharge', cancel: 'cancelCharge' } as const;

/** Capture and refund bodies need a text the customer sees; the charge's own is the natural default. */
const describe = (c: ChargeRecord, given: string | null | undefined) => (given ?? c.description).slice(0, 100);

/**
 * Charge mutations. Each one: checks the input and the fresh Vipps state (amounts, due date and
 * retry rules, what is left to capture or refund), sends with the caller's idempotency key,
 * reads the charge back (capture, cancel and refund answer 204/202 without a body) and stores it
 * (which announces what moved).
 */
export class ChargeService {
  constructor(
    private readonly vipps: RecurringClient,
    private readonly reader: RecurringReader,
    private readonly runner: RecurringRunner,
    private readonly now: () => Date = () => new Date(),
  ) {}

  create(actor: Actor, msn: string, agreementId: string, cmd: CreateChargeCommand): Promise<RecurringOutcome> {
    return this.runner.mutate<CreateChargeRequest>({
      actor,
      audited: 'createCharge',
      amount: cmd.amount,
      msn,
      key: cmd.idempotencyKey,
      operation: 'create-charge',
      input: { agreementId, ...cmd },
      agreementId,
      decide: async (ctx) => {
        checkAgreementId(agreementId);
        const agreement = await this.reader.refreshAgreement(msn, agreementId);
        if (!agreement) throw userError(ErrorCode.NOT_FOUND, `Agreement ${agreementId} was not found.`, ['input', 'agreementId']);
        ctx.agreement = agreement;
        // Real today: Vipps checks due dates against its own clock, which is today's date.
        checkCreateCharge(agreement, cmd, this.now());
        return createBody(cmd);
      },
      act: async (body) => {
        const created = await this.vipps.createCharge(msn, agreementId, body, cmd.idempotencyKey);
        // The spec leaves chargeId optional; with an orderId the charge id is the orderId.
        const chargeId = created.chargeId ?? cmd.orderId;
        if (!chargeId) throw new Error('Vipps created a charge without telling its id');
        await this.reader.refreshCharge(msn, agreementId, chargeId);
        return { agreementId, chargeId, errors: [] };
      },
    });
  }

  capture(actor: Actor, msn: string, agreementId: string, chargeId: string, amount: RequestedAmount | null, description: string | null, idempotencyKey: string): Promise<RecurringOutcome> {
    return this.modify(actor, msn, agreementId, chargeId, idempotencyKey, 'capture', { amount, description }, (c) => ({ amount: checkCaptureCharge(c, amount), description: describe(c, description) }), (body) =>
      this.vipps.captureCharge(msn, agreementId, chargeId, body, idempotencyKey),
    );
  }

  refund(actor: Actor, msn: string, agreementId: string, chargeId: string, amount: RequestedAmount | null, description: string | null, idempotencyKey: string): Promise<RecurringOutcome> {
    return this.modify(actor, msn, agreementId, chargeId, idempotencyKey, 'refund', { amount, description }, (c) => ({ amount: checkRefundCharge(c, amount), description: describe(c, description) }), (body) =>
      this.vipps.refundCharge(msn, agreementId, chargeId, body, idempotencyKey),
    );
  }

  /** Cancel a charge not yet paid, or release the rest of a partly captured reservation. */
  cancel(actor: Actor, msn: string, agreementId: string, chargeId: string, idempotencyKey: string): Promise<RecurringOutcome> {
    return this.modify(actor, msn, agreementId, chargeId, idempotencyKey, 'cancel', {}, (c) => {
      checkCancelCharge(c);
      return {};
    }, () => this.vipps.cancelCharge(msn, agreementId, chargeId, idempotencyKey));
  }

  private modify<B>(
    actor: Actor,
    msn: string,
    agreementId: string,
    chargeId: string,
    idempotencyKey: string,
    operation: 'capture' | 'refund' | 'cancel',
    input: { amount?: RequestedAmount | null; description?: string | null },
    decide: (c: ChargeRecord) => B,
    send: (body: B) => Promise<void>,
  ): Promise<RecurringOutcome> {
    return this.runner.mutate<B>({
      actor,
      audited: AUDITED[operation],
      amount: input.amount ?? null,
      msn,
      key: idempotencyKey,
      operation,
      input: { agreementId, chargeId, ...input },
      agreementId,
      chargeId,
      decide: async (ctx) => {
        checkChargeIds(agreementId, chargeId);
        const charge = await this.reader.refreshCharge(msn, agreementId, chargeId);
        if (!charge) throw userError(ErrorCode.NOT_FOUND, `Charge ${chargeId} was not found on agreement ${agreementId}.`, ['input', 'chargeId']);
        ctx.charge = charge;
        return decide(charge);
      },
      act: async (body) => {
        await send(body);
        await this.reader.refreshCharge(msn, agreementId, chargeId);
        return { agreementId, chargeId, errors: [] };
      },
    });
  }
}

function createBody(cmd: CreateChargeCommand): CreateChargeRequest {
  const body: Record<string, unknown> = {
    amount: cmd.amount.value,
    description: cmd.description,
    transactionType: cmd.transactionType,
    retryDays: cmd.retryDays ?? 0,
  };
  // `type` and a missing `due` (UNSCHEDULED) are live but not in the stored spec (docs/vipps.md §10.4).
  if (cmd.type === 'UNSCHEDULED') body.type = 'UNSCHEDULED';
  else body.due = cmd.due;
  if (cmd.orderId != null) body.orderId = cmd.orderId;
  if (cmd.externalId != null) body.externalId = cmd.externalId;
  return body as unknown as CreateChargeRequest;
}
