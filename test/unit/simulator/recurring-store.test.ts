import { RecurringStore } from '../../../src/simulator/recurring/recurring-store';
import { aCharge, anAgreement } from './recurring-fixtures';

/** The Recurring clock visits only what it can still change, in creation order. */
describe('RecurringStore', () => {
  it('lists PENDING agreements only, and drops one once it is answered', () => {
    const store = new RecurringStore();
    store.saveAgreement(anAgreement({ id: 'agr_pending1', status: 'PENDING' }));
    store.saveAgreement(anAgreement({ id: 'agr_active1', status: 'ACTIVE' }));
    store.saveAgreement(anAgreement({ id: 'agr_pending2', status: 'PENDING' }));
    expect(store.pendingAgreements().map((a) => a.id)).toEqual(['agr_pending1', 'agr_pending2']);
    store.saveAgreement(anAgreement({ id: 'agr_pending1', status: 'ACTIVE' }));
    expect(store.pendingAgreements().map((a) => a.id)).toEqual(['agr_pending2']);
    store.clear();
    expect(store.pendingAgreements()).toEqual([]);
  });

  it('lists the charges the clock can move (pending, due, reserved, partly captured), latest version, in creation order', () => {
    const store = new RecurringStore();
    const statuses = ['PENDING', 'CHARGED', 'DUE', 'FAILED', 'RESERVED', 'CANCELLED', 'PARTIALLY_CAPTURED', 'REFUNDED'] as const;
    statuses.forEach((status, i) => store.saveCharge(aCharge({ id: `chr-${i}`, status })));
    expect(store.openCharges().map((c) => c.status)).toEqual(['PENDING', 'DUE', 'RESERVED', 'PARTIALLY_CAPTURED']);
    store.saveCharge(aCharge({ id: 'chr-0', status: 'DUE' }));
    store.saveCharge(aCharge({ id: 'chr-4', status: 'CHARGED' }));
    expect(store.openCharges().map((c) => `${c.id} ${c.status}`)).toEqual(['chr-0 DUE', 'chr-2 DUE', 'chr-6 PARTIALLY_CAPTURED']);
  });
});
