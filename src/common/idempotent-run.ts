import type { Logger } from '../log/logger';
import { isRedisUnavailable } from '../redis/client';
import type { VippsError } from '../vipps/errors';
import { ErrorCode, UserFacingError, type UserErrorData } from './error-code';
import { checkIdempotencyKey } from './idempotency-key';
import { LedgerUnavailableError, type IdempotencyLedger } from './idempotency-ledger';
import { isTransient, isVippsRefusal } from './vipps-failure';

export type Stage<B> = 'start' | 'deciding' | { decided: B };

export interface IdempotentSpec<B, O> {
  msn: string;
  key: string;
  /** `ledgerFingerprint(operation, input)`: the same key with another input is a conflict. */
  fingerprint: string;
  /** Read fresh state and check the rules; returns the request to send (stored before it is sent). */
  decide: () => Promise<B>;
  /** Send it with the caller's key, write the result through, and say what happened. */
  act: (decided: B) => Promise<O>;
  /**
   * The outcome of an operation that stopped with `error`: before anything was looked at
   * (`start`), while deciding (`deciding`), or after a request was decided (`{ decided }`).
   */
  failed: (error: UserErrorData, at: Stage<B>) => O;
  /** A Vipps failure in words; `decided` is null when Vipps failed while we were deciding. */
  explain: (error: VippsError, decided: B | null) => UserErrorData;
  /** For the log line when Vipps did not confirm, e.g. `{ operation: 'capture', reference }`. */
  about: Record<string, unknown>;
  /** Writes the audit entry of an outcome: every outcome but a replay, which was audited when it happened. */
  audit: (outcome: O) => Promise<void>;
}

/**
 * The idempotent frame around every mutation that moves money or creates something (see
 * `IdempotencyLedger`): a replay answers the stored outcome, another input with the same key is a
 * conflict, a decided request is stored before it is sent so a retry after a crash or a timeout
 * re-sends exactly it, refusals (ours and Vipps') are kept as `UserError`s, and an unconfirmed
 * send stays resumable with the same key. Every outcome but a replay is audited here, once.
 */
export async function runIdempotent<B, O>(ledger: IdempotencyLedger, log: Logger, spec: IdempotentSpec<B, O>): Promise<O> {
  const seen = { replay: false };
  const outcome = await decideAndAct(ledger, log, spec, seen);
  if (!seen.replay) await spec.audit(outcome);
  return outcome;
}

async function decideAndAct<B, O>(ledger: IdempotencyLedger, log: Logger, spec: IdempotentSpec<B, O>, seen: { replay: boolean }): Promise<O> {
  const { msn, key, fingerprint } = spec;
  try {
    checkIdempotencyKey(key);
  } catch (error) {
    return spec.failed((error as UserFacingError).error, 'start');
  }
  let begun;
  try {
    begun = await ledger.begin<B, O>(msn, key, fingerprint);
  } catch (error) {
    if (error instanceof LedgerUnavailableError) return spec.failed(STORE_UNAVAILABLE, 'start');
    throw error;
  }
  if (begun.kind === 'replay') {
    seen.replay = true;
    return begun.outcome;
  }
  if (begun.kind === 'conflict') return spec.failed(CONFLICT, 'start');
  if (begun.kind === 'in-progress') return spec.failed(IN_PROGRESS, 'start');
  const finish = async (outcome: O): Promise<O> => {
    await ledger.done(msn, key, fingerprint, outcome);
    return outcome;
  };

  let decided: B;
  if (begun.kind === 'resume') {
    decided = begun.request;
  } else {
    try {
      decided = await spec.decide();
    } catch (error) {
      if (error instanceof UserFacingError) return finish(spec.failed(error.error, 'deciding'));
      await ledger.release(msn, key);
      if (isTransient(error)) return spec.failed(spec.explain(error as VippsError, null), 'deciding');
      if (error instanceof LedgerUnavailableError || isRedisUnavailable(error)) return spec.failed(STORE_UNAVAILABLE, 'start');
      throw error;
    }
    try {
      await ledger.sending(msn, key, fingerprint, decided);
    } catch (error) {
      if (!(error instanceof LedgerUnavailableError)) throw error;
      await ledger.release(msn, key);
      return spec.failed(STORE_UNAVAILABLE, 'start');
    }
  }
  try {
    return await finish(await spec.act(decided));
  } catch (error) {
    if (isVippsRefusal(error)) return finish(spec.failed(spec.explain(error, decided), { decided }));
    await ledger.interrupted(msn, key, fingerprint, decided);
    if (isTransient(error)) {
      log.warn({ err: error, ...spec.about }, 'Vipps did not confirm an operation; a retry with the same key will resend it');
      return spec.failed(spec.explain(error as VippsError, decided), { decided });
    }
    throw error;
  }
}

const CONFLICT: UserErrorData = {
  code: ErrorCode.IDEMPOTENCY_CONFLICT,
  message: 'This idempotency key was already used with different details. Use a new key for a new operation.',
  field: ['input', 'idempotencyKey'],
};

/** Nothing was sent to Vipps: the ledger (or what deciding needed) is not reachable. Retry with the same key. */
const STORE_UNAVAILABLE: UserErrorData = {
  code: ErrorCode.STORE_UNAVAILABLE,
  message: 'Our storage is not reachable right now, so nothing was done and nothing was sent to Vipps. Try again shortly with the same idempotency key.',
};

const IN_PROGRESS: UserErrorData = {
  code: ErrorCode.OPERATION_IN_PROGRESS,
  message: 'The same request is being processed right now. Try again in a moment with the same idempotency key.',
};
