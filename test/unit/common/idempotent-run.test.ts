import { ErrorCode, userError } from '../../../src/common/error-code';
import { LedgerUnavailableError, type Begin, type IdempotencyLedger } from '../../../src/common/idempotency-ledger';
import { runIdempotent, type IdempotentSpec } from '../../../src/common/idempotent-run';
import { createLogger } from '../../../src/log/logger';
import { VippsApiError, VippsInvalidRequestError } from '../../../src/vipps/errors';

/**
 * A ledger that answers `begin` as told and records what the frame asks of it (pure, no I/O);
 * `down` makes `begin` or `sending` fail as they do when Redis is unreachable.
 */
function ledger(begin: Begin<string, string>, down: 'begin' | 'sending' | null = null) {
  const calls: string[] = [];
  const fake = {
    begin: async () => {
      if (down === 'begin') throw new LedgerUnavailableError(new Error('Connection is closed.'));
      return begin;
    },
    sending: async (_m: string, _k: string, _f: string, request: string) => {
      if (down === 'sending') throw new LedgerUnavailableError(new Error('Connection is closed.'));
      calls.push(`sending ${request}`);
    },
    interrupted: async (_m: string, _k: string, _f: string, request: string) => void calls.push(`sending ${request} (interrupted)`),
    done: async (_m: string, _k: string, _f: string, outcome: string) => void calls.push(`done ${outcome}`),
    release: async () => void calls.push('release'),
  };
  return { ledger: fake as unknown as IdempotencyLedger, calls };
}

const log = createLogger('silent');
/** What the frame audited, across a test. */
let audited: string[] = [];
beforeEach(() => {
  audited = [];
});
const vippsFields = { title: 't', api: 'epayment' as const, method: 'POST', path: '/x' };

function spec(over: Partial<IdempotentSpec<string, string>> = {}): IdempotentSpec<string, string> {
  return {
    msn: '123456',
    key: 'key-1',
    fingerprint: 'f',
    decide: async () => 'request',
    act: async (decided) => `acted on ${decided}`,
    failed: (error, at) => `failed ${error.code} at ${typeof at === 'object' ? `decided ${at.decided}` : at}`,
    explain: (error) => ({ code: ErrorCode.VIPPS_REJECTED, message: String(error.status) }),
    about: {},
    audit: async (outcome) => void audited.push(outcome),
    ...over,
  };
}

describe('the idempotent frame', () => {
  it('decides, records the request, sends it and keeps the outcome', async () => {
    const { ledger: l, calls } = ledger({ kind: 'new' });
    expect(await runIdempotent(l, log, spec())).toBe('acted on request');
    expect(calls).toEqual(['sending request', 'done acted on request']);
  });

  it('answers a replay from the ledger without deciding or acting', async () => {
    const { ledger: l, calls } = ledger({ kind: 'replay', outcome: 'stored' });
    const act = jest.fn();
    expect(await runIdempotent(l, log, spec({ act }))).toBe('stored');
    expect(act).not.toHaveBeenCalled();
    expect(calls).toEqual([]);
  });

  it('resends exactly the stored request when resuming, without deciding again', async () => {
    const { ledger: l } = ledger({ kind: 'resume', request: 'stored request' });
    const decide = jest.fn();
    expect(await runIdempotent(l, log, spec({ decide }))).toBe('acted on stored request');
    expect(decide).not.toHaveBeenCalled();
  });

  it('ends a conflict, work in progress or a bad key at the start, keeping nothing', async () => {
    expect(await runIdempotent(ledger({ kind: 'conflict' }).ledger, log, spec())).toBe('failed IDEMPOTENCY_CONFLICT at start');
    expect(await runIdempotent(ledger({ kind: 'in-progress' }).ledger, log, spec())).toBe('failed OPERATION_IN_PROGRESS at start');
    expect(await runIdempotent(ledger({ kind: 'new' }).ledger, log, spec({ key: 'has/slash' }))).toBe('failed INVALID_INPUT at start');
  });

  it('keeps our own refusal, and releases the key when Vipps failed while deciding', async () => {
    const refused = ledger({ kind: 'new' });
    const refusal = spec({ decide: async () => Promise.reject(userError(ErrorCode.NOT_FOUND, 'no')) });
    expect(await runIdempotent(refused.ledger, log, refusal)).toBe('failed NOT_FOUND at deciding');
    expect(refused.calls).toEqual(['done failed NOT_FOUND at deciding']);
    const down = ledger({ kind: 'new' });
    const outage = spec({ decide: async () => Promise.reject(new VippsApiError({ ...vippsFields, status: 503 })) });
    expect(await runIdempotent(down.ledger, log, outage)).toBe('failed VIPPS_REJECTED at deciding');
    expect(down.calls).toEqual(['release']);
  });

  it("keeps Vipps' refusal, and leaves an unconfirmed send resumable", async () => {
    const refused = ledger({ kind: 'new' });
    const refusal = spec({ act: async () => Promise.reject(new VippsInvalidRequestError({ ...vippsFields, status: 400 })) });
    expect(await runIdempotent(refused.ledger, log, refusal)).toBe('failed VIPPS_REJECTED at decided request');
    expect(refused.calls).toEqual(['sending request', 'done failed VIPPS_REJECTED at decided request']);
    const unconfirmed = ledger({ kind: 'new' });
    const timeout = spec({ act: async () => Promise.reject(new VippsApiError({ ...vippsFields, status: 500 })) });
    expect(await runIdempotent(unconfirmed.ledger, log, timeout)).toBe('failed VIPPS_REJECTED at decided request');
    expect(unconfirmed.calls).toEqual(['sending request', 'sending request (interrupted)']);
  });

  it('sends nothing when the ledger cannot be read or written, and answers STORE_UNAVAILABLE (not stored, so a retry decides)', async () => {
    const acted: string[] = [];
    const act = async (decided: string) => {
      acted.push(decided);
      return `acted on ${decided}`;
    };
    const atBegin = ledger({ kind: 'new' }, 'begin');
    expect(await runIdempotent(atBegin.ledger, log, spec({ act }))).toBe('failed STORE_UNAVAILABLE at start');
    expect(atBegin.calls).toEqual([]);
    const atSending = ledger({ kind: 'new' }, 'sending');
    expect(await runIdempotent(atSending.ledger, log, spec({ act }))).toBe('failed STORE_UNAVAILABLE at start');
    expect(atSending.calls).toEqual(['release']);
    const whileDeciding = ledger({ kind: 'new' });
    const decide = async () => Promise.reject(new Error('Connection is closed.'));
    expect(await runIdempotent(whileDeciding.ledger, log, spec({ act, decide }))).toBe('failed STORE_UNAVAILABLE at start');
    expect(whileDeciding.calls).toEqual(['release']);
    expect(acted).toEqual([]);
  });

  it('audits every outcome once, refusals included, and a replay not again', async () => {
    await runIdempotent(ledger({ kind: 'new' }).ledger, log, spec());
    await runIdempotent(ledger({ kind: 'conflict' }).ledger, log, spec());
    await runIdempotent(ledger({ kind: 'new' }, 'begin').ledger, log, spec());
    await runIdempotent(ledger({ kind: 'replay', outcome: 'acted on request' }).ledger, log, spec());
    expect(audited).toEqual(['acted on request', 'failed IDEMPOTENCY_CONFLICT at start', 'failed STORE_UNAVAILABLE at start']);
  });
});
