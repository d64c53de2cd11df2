import { fromStreamFields, outcomeOf, STREAM_ID, SYSTEM_CAPTURE_ACTOR, toStreamFields, type AuditRecord } from '../../../src/audit/audit-entry';

describe('audit entries', () => {
  const at = new Date('2026-03-01T12:00:00.000Z');

  it('round-trips a record through flat stream fields', () => {
    const record: AuditRecord = {
      actor: 'console:partner:Kari Nordmann',
      operation: 'refundPayment',
      msn: '123456',
      reference: 'order-12345678',
      amount: { value: 12500, currency: 'NOK' },
      idempotencyKey: 'ref.1',
      outcome: 'OK',
      reason: 'Returned unopened',
    };
    const fields = toStreamFields(record, at);
    expect(fields).toEqual([
      'at', at.toISOString(), 'actor', 'console:partner:Kari Nordmann', 'operation', 'refundPayment', 'msn', '123456', 'reference', 'order-12345678',
      'amount', '12500', 'currency', 'NOK', 'idempotencyKey', 'ref.1', 'outcome', 'OK', 'reason', 'Returned unopened',
    ]);
    expect(fromStreamFields('1700000000000-0', fields)).toEqual({ ...record, id: '1700000000000-0', at, agreementId: null, chargeId: null });
  });

  it('leaves out what an operation does not have', () => {
    const fields = toStreamFields({ actor: SYSTEM_CAPTURE_ACTOR, operation: 'captureCharge', msn: '1', agreementId: 'agr_1', chargeId: 'chr-1', amount: null, idempotencyKey: 'k', outcome: 'VIPPS_UNAVAILABLE' }, at);
    expect(fields).not.toContain('reference');
    expect(fields).not.toContain('amount');
    expect(fields).not.toContain('reason');
    expect(fromStreamFields('1-1', fields)).toMatchObject({ actor: 'system:capture-before-expiry', amount: null, reference: null, outcome: 'VIPPS_UNAVAILABLE', reason: null });
  });

  it('takes the first error code as the outcome, OK without one', () => {
    expect(outcomeOf([])).toBe('OK');
    expect(outcomeOf([{ code: 'CAPTURE_AMOUNT_TOO_HIGH' }, { code: 'X' }])).toBe('CAPTURE_AMOUNT_TOO_HIGH');
  });

  it('accepts only Redis stream ids as cursors', () => {
    expect(STREAM_ID.test('1700000000000-0')).toBe(true);
    for (const bad of ['+', '-', '(1-0', '1-0 COUNT 5', '', '1700000000000']) expect(STREAM_ID.test(bad)).toBe(false);
  });
});
