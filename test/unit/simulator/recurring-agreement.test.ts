import { AGREEMENT_TIMEOUT_MS, activate, applyPatch, chargeCeiling, expire, isTimedOut, reject, stop, type Agreement, type AgreementStatus } from '../../../src/simulator/recurring/agreement';
import { NOW, anAgreement, outcome } from './recurring-fixtures';

/** Agreement state machine of docs/vipps.md §10.6 and update rules of §10.3. */

const STATUSES: AgreementStatus[] = ['PENDING', 'ACTIVE', 'STOPPED', 'EXPIRED'];
const later = new Date(NOW.getTime() + 1000);
const statusAfter = (fn: () => Agreement) => {
  let status = '';
  const id = outcome(() => (status = fn().status));
  return id === 'ok' ? status : id;
};

test.each(STATUSES)('transitions from %s', (status) => {
  const a = anAgreement({ status });
  const expected: Record<AgreementStatus, Record<string, string>> = {
    PENDING: { accept: 'ACTIVE', reject: 'STOPPED', expire: 'EXPIRED', stop: 'STOPPED', patch: 'illegal-agreement-update' },
    ACTIVE: { accept: 'conflict', reject: 'conflict', expire: 'conflict', stop: 'STOPPED', patch: 'ACTIVE' },
    STOPPED: { accept: 'conflict', reject: 'conflict', expire: 'conflict', stop: 'illegal-agreement-update', patch: 'illegal-agreement-update' },
    EXPIRED: { accept: 'conflict', reject: 'conflict', expire: 'conflict', stop: 'illegal-agreement-update', patch: 'illegal-agreement-update' },
  };
  expect({
    accept: statusAfter(() => activate(a, later, '4791234567')),
    reject: statusAfter(() => reject(a, later)),
    expire: statusAfter(() => expire(a)),
    stop: statusAfter(() => stop(a, later)),
    patch: statusAfter(() => applyPatch(a, { productName: 'New' })),
  }).toEqual(expected[status]);
});

test('accept sets start; stop and reject set stop; a VARIABLE user accepts the suggested max', () => {
  const variable = anAgreement({ pricing: { type: 'VARIABLE', currency: 'NOK', suggestedMaxAmount: 30000 } });
  const active = activate(variable, later, '4790000000');
  expect(active).toMatchObject({ start: later.getTime(), stop: null, phoneNumber: '4790000000', pricing: { maxAmount: 30000 } });
  expect(stop(active, later).stop).toBe(later.getTime());
  expect(reject(anAgreement(), later)).toMatchObject({ status: 'STOPPED', start: null, stop: later.getTime() });
});

test('a PENDING agreement times out after exactly 10 minutes; other states never do', () => {
  const a = anAgreement();
  expect(isTimedOut(a, new Date(NOW.getTime() + AGREEMENT_TIMEOUT_MS - 1))).toBe(false);
  expect(isTimedOut(a, new Date(NOW.getTime() + AGREEMENT_TIMEOUT_MS))).toBe(true);
  expect(isTimedOut(anAgreement({ status: 'ACTIVE' }), new Date(NOW.getTime() + 2 * AGREEMENT_TIMEOUT_MS))).toBe(false);
});

describe('patch', () => {
  const active = anAgreement({ status: 'ACTIVE' });
  const variable = anAgreement({ status: 'ACTIVE', pricing: { type: 'VARIABLE', currency: 'NOK', suggestedMaxAmount: 30000, maxAmount: 30000 } });
  const flexible = anAgreement({ status: 'ACTIVE', pricing: { type: 'FLEXIBLE', currency: 'NOK' } });

  test('pricing.amount only for LEGACY, suggestedMaxAmount only for VARIABLE; pricing type never changes', () => {
    expect(applyPatch(active, { pricing: { amount: 20000 } }).pricing).toEqual({ type: 'LEGACY', currency: 'NOK', amount: 20000 });
    expect(outcome(() => applyPatch(variable, { pricing: { amount: 20000 } }))).toBe('illegal-agreement-update');
    expect(outcome(() => applyPatch(flexible, { pricing: { amount: 20000 } }))).toBe('illegal-agreement-update');
    expect(applyPatch(variable, { pricing: { suggestedMaxAmount: 50000 } }).pricing).toEqual({ type: 'VARIABLE', currency: 'NOK', suggestedMaxAmount: 50000, maxAmount: 30000 });
    expect(outcome(() => applyPatch(active, { pricing: { suggestedMaxAmount: 50000 } }))).toBe('invalid-suggested-max-amount');
  });

  test('fields not in the patch keep their values', () => {
    const patched = applyPatch(anAgreement({ status: 'ACTIVE', productDescription: 'Old', externalId: 'x' }), { productName: 'New', interval: { unit: 'WEEK', count: 2 } });
    expect(patched).toMatchObject({ productName: 'New', productDescription: 'Old', externalId: 'x', interval: { unit: 'WEEK', count: 2 } });
  });
});

test('charge ceilings: LEGACY 5 × price, VARIABLE the higher of suggested and user max, FLEXIBLE none', () => {
  expect(chargeCeiling(anAgreement())).toBe(50000);
  expect(chargeCeiling(anAgreement({ pricing: { type: 'VARIABLE', currency: 'NOK', suggestedMaxAmount: 30000, maxAmount: 20000 } }))).toBe(30000);
  expect(chargeCeiling(anAgreement({ pricing: { type: 'VARIABLE', currency: 'NOK', suggestedMaxAmount: 10000, maxAmount: 20000 } }))).toBe(20000);
  expect(chargeCeiling(anAgreement({ pricing: { type: 'FLEXIBLE', currency: 'NOK' } }))).toBeNull();
});
