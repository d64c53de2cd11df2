import { decide, ledgerFingerprint, type LedgerEntry } from '../../../src/common/idempotency-ledger';

const fp = ledgerFingerprint('capture', { reference: 'order-1', amount: { value: 100, currency: 'NOK' } });
const now = 1_000_000;

describe('idempotency ledger decisions', () => {
  test.each<[string, LedgerEntry<string, string>, string, string]>([
    ['same input, finished: replay', { state: 'done', fingerprint: fp, at: now - 5, outcome: 'ok' }, fp, 'replay'],
    ['other input: conflict', { state: 'done', fingerprint: fp, at: now - 5, outcome: 'ok' }, 'capture:{}', 'conflict'],
    ['same input, being decided now: in progress', { state: 'deciding', fingerprint: fp, at: now - 1000 }, fp, 'in-progress'],
    ['same input, being sent now: in progress', { state: 'sending', fingerprint: fp, at: now - 1000, request: 'r' }, fp, 'in-progress'],
    ['same input, sending interrupted: resume the same request', { state: 'sending', fingerprint: fp, at: 0, request: 'r' }, fp, 'resume'],
    ['same input, decision abandoned long ago: start again', { state: 'deciding', fingerprint: fp, at: now - 60_000 }, fp, 'new'],
  ])('%s', (_name, entry, fingerprint, kind) => {
    expect(decide(entry, fingerprint, now).kind).toBe(kind);
  });

  it('gives the stored request back when resuming', () => {
    expect(decide({ state: 'sending', fingerprint: fp, at: 0, request: { amount: 100 } }, fp, now)).toEqual({ kind: 'resume', request: { amount: 100 } });
  });

  it('fingerprints ignore key order', () => {
    expect(ledgerFingerprint('x', { a: 1, b: 2 })).toBe(ledgerFingerprint('x', { b: 2, a: 1 }));
  });
});
