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
  ) {}

  run<B>(spec: RunSpec<B>): Promise<RecurringOutcome> {
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
    });
  }
}

/** A charge, capture or refund body carries its amount as a number of minor units. */
function amountOf(body: unknown): number | null {
  const amount = (body as { amount?: unknown } | null)?.amount;
  return typeof amount === 'number' ? amount : null;
}
