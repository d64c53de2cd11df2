import { outcomeOf, type Actor, type AuditOperation } from '../audit/audit-entry';
import type { AuditLog } from '../audit/audit-log';
import type { UserErrorData } from '../common/error-code';
import { ledgerFingerprint, type IdempotencyLedger } from '../common/idempotency-ledger';
import { runIdempotent } from '../common/idempotent-run';
import type { Logger } from '../log/logger';
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
  /** Who it is done for, and how the audit log names the operation. */
  actor: Actor;
  audited: AuditOperation;
  /** The money the caller named, when it did; otherwise what was decided is audited. */
  amount?: { value: number; currency: string } | null;
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

/** Recurring mutations in the idempotent frame (`runIdempotent`): how outcomes and failures read. */
export class RecurringRunner {
  constructor(
    private readonly ledger: IdempotencyLedger,
    private readonly log: Logger,
    private readonly audit: AuditLog,
  ) {}

  mutate<B>(spec: RunSpec<B>): Promise<RecurringOutcome> {
    const ctx: FailureContext = { operation: spec.operation };
    const failed = (error: UserErrorData): RecurringOutcome => ({ agreementId: spec.agreementId, chargeId: spec.chargeId ?? null, errors: [error] });
    return runIdempotent<B, RecurringOutcome>(this.ledger, this.log, {
      msn: spec.msn,
      key: spec.key,
      fingerprint: ledgerFingerprint(`recurring:${spec.operation}`, spec.input),
      decide: () => spec.decide(ctx),
      act: async (body) => ({ ...(await spec.act(body, ctx)), decidedAmount: amountOf(body) }),
      failed: (error, at) => (typeof at === 'object' ? { ...failed(error), decidedAmount: amountOf(at.decided) } : failed(error)),
      explain: (error) => explainRecurringFailure(error, ctx),
      about: { operation: spec.operation, agreementId: spec.agreementId },
      audit: (outcome) =>
        this.audit.record({
          actor: spec.actor,
          operation: spec.audited,
          msn: spec.msn,
          agreementId: outcome.agreementId ?? spec.agreementId,
          chargeId: outcome.chargeId ?? spec.chargeId ?? null,
          amount: spec.amount ?? decidedMoney(outcome, ctx),
          idempotencyKey: spec.key,
          outcome: outcomeOf(outcome.errors),
        }),
    });
  }
}

/** The amount the service decided (all that was left), in the charge's or agreement's currency. */
function decidedMoney(outcome: RecurringOutcome, ctx: FailureContext): { value: number; currency: string } | null {
  const currency = ctx.charge?.currency ?? ctx.agreement?.pricing.currency;
  return outcome.decidedAmount != null && currency ? { value: outcome.decidedAmount, currency } : null;
}

/** A charge, capture or refund body carries its amount as a number of minor units. */
function amountOf(body: unknown): number | null {
  const amount = (body as { amount?: unknown } | null)?.amount;
  return typeof amount === 'number' ? amount : null;
}
