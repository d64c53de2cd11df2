import { UserFacingError, type UserErrorData } from '../common/error-code';
import { checkIdempotencyKey } from '../common/idempotency-key';
import { ledgerFingerprint, type IdempotencyLedger } from '../common/idempotency-ledger';
import { ErrorCode } from '../common/error-code';
import { isTransient, isVippsRefusal } from '../common/vipps-failure';
import type { Logger } from '../log/logger';
import type { VippsError } from '../vipps/errors';
import { explainRecurringFailure, type FailureContext, type RecurringOperation } from './recurring-errors';

/** What a Recurring mutation returns: what it acted on (when known) and why it stopped. JSON-safe (kept in the ledger). */
export interface RecurringOutcome {
  agreementId: string | null;
  chargeId: string | null;
  errors: UserErrorData[];
  vippsConfirmationUrl?: string | null;
  /** Minor units a charge request sent (or was to send): for the audit log when the caller gave none. */
  decidedAmount?: number | null;
}

export interface RunSpec<B> {
  msn: string;
  key: string;
  operation: RecurringOperation;
  /** The caller's input: the same key with another input is a conflict. */
  input: object;
  agreementId: string | null;
  chargeId?: string | null;
  /** Read fresh state and check the rules; returns the request to send (stored before it is sent). */
  decide: (ctx: FailureContext) => Promise<B>;
  /** Send it with the caller's key, read the result back, write through. */
  act: (body: B, ctx: FailureContext) => Promise<RecurringOutcome>;
}

/**
 * The idempotent frame around every Recurring mutation, as `PaymentService.run` does for ePayment
 * (see `IdempotencyLedger`): a replay answers the stored outcome, another input with the same key
 * is a conflict, a decided request is stored before it is sent so a retry after a crash or a
 * timeout re-sends exactly it, and Vipps' refusals end as `UserError`s that are kept.
 */
export class RecurringRunner {
  constructor(
    private readonly ledger: IdempotencyLedger,
    private readonly log: Logger,
  ) {}

  async run<B>(spec: RunSpec<B>): Promise<RecurringOutcome> {
    const { msn, key } = spec;
    const failed = (error: UserErrorData): RecurringOutcome => ({ agreementId: spec.agreementId, chargeId: spec.chargeId ?? null, errors: [error] });
    try {
      checkIdempotencyKey(key);
    } catch (error) {
      return failed((error as UserFacingError).error);
    }
    const fingerprint = ledgerFingerprint(`recurring:${spec.operation}`, spec.input);
    const begun = await this.ledger.begin<B, RecurringOutcome>(msn, key, fingerprint);
    if (begun.kind === 'replay') return begun.outcome;
    if (begun.kind === 'conflict') {
      return failed({ code: ErrorCode.IDEMPOTENCY_CONFLICT, message: 'This idempotency key was already used with different details. Use a new key for a new operation.', field: ['input', 'idempotencyKey'] });
    }
    if (begun.kind === 'in-progress') {
      return failed({ code: ErrorCode.OPERATION_IN_PROGRESS, message: 'The same request is being processed right now. Try again in a moment with the same idempotency key.' });
    }
    const finish = async (outcome: RecurringOutcome) => {
      await this.ledger.done(msn, key, fingerprint, outcome);
      return outcome;
    };

    const ctx: FailureContext = { operation: spec.operation };
    let body: B;
    if (begun.kind === 'resume') {
      body = begun.request;
    } else {
      try {
        body = await spec.decide(ctx);
      } catch (error) {
        if (error instanceof UserFacingError) return finish(failed(error.error));
        await this.ledger.release(msn, key);
        if (isTransient(error)) return failed(explainRecurringFailure(error as VippsError, ctx));
        throw error;
      }
      await this.ledger.sending(msn, key, fingerprint, body);
    }
    const decidedAmount = amountOf(body);
    try {
      return await finish({ ...(await spec.act(body, ctx)), decidedAmount });
    } catch (error) {
      if (isVippsRefusal(error)) return finish({ ...failed(explainRecurringFailure(error, ctx)), decidedAmount });
      await this.ledger.sending(msn, key, fingerprint, body, true);
      if (isTransient(error)) {
        this.log.warn({ err: error, operation: spec.operation, agreementId: spec.agreementId }, 'Vipps did not confirm a Recurring operation; a retry with the same key will resend it');
        return failed(explainRecurringFailure(error as VippsError, ctx));
      }
      throw error;
    }
  }
}

/** A charge, capture or refund body carries its amount as a number of minor units. */
function amountOf(body: unknown): number | null {
  const amount = (body as { amount?: unknown } | null)?.amount;
  return typeof amount === 'number' ? amount : null;
}
