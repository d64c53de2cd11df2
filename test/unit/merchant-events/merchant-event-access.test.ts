import type { Caller } from '../../../src/access/caller';
import type { Scope } from '../../../src/config/config';
import type { MerchantEvent } from '../../../src/merchant-events/merchant-event';
import { reservationAccess, streamAccess } from '../../../src/merchant-events/merchant-event-access';

const key = (scopes: Scope[], merchants = ['123456']): Caller => ({ kind: 'api-key', keyId: 'k', scopes: new Set(scopes), merchants });
const paymentEvent = { id: 'e1', type: 'PAYMENT_UPDATED', merchantSerialNumber: '123456', occurredAt: '', payment: {} } as MerchantEvent;
const chargeEvent = { id: 'e2', type: 'CHARGE_FAILED', merchantSerialNumber: '123456', occurredAt: '', charge: {} } as MerchantEvent;
const paymentWarning = { ...paymentEvent, id: 'e3', type: 'CAPTURE_DEADLINE_APPROACHING' } as MerchantEvent;
const chargeWarning = { ...chargeEvent, id: 'e4', type: 'CAPTURE_DEADLINE_APPROACHING' } as MerchantEvent;

describe('who hears which merchant events', () => {
  it('lets the scope follow the resource: payments:read hears payment events and warnings, not charge ones', () => {
    const { msn, accepts } = streamAccess(key(['payments:read']), null, null);
    expect(msn).toBe('123456');
    expect([paymentEvent, chargeEvent, paymentWarning, chargeWarning].filter(accepts).map((e) => e.id)).toEqual(['e1', 'e3']);
    const recurring = streamAccess(key(['recurring:read']), null, null);
    expect([paymentEvent, chargeEvent, paymentWarning, chargeWarning].filter(recurring.accepts).map((e) => e.id)).toEqual(['e2', 'e4']);
  });

  it('keeps only the types asked for, and refuses a type the key may not read', () => {
    const { accepts } = streamAccess(key(['payments:read', 'recurring:read']), '123456', ['CAPTURE_DEADLINE_APPROACHING']);
    expect([paymentEvent, chargeEvent, paymentWarning, chargeWarning].filter(accepts).map((e) => e.id)).toEqual(['e3', 'e4']);
    expect(() => streamAccess(key(['payments:read']), null, ['CHARGE_FAILED'])).toThrow('This API key lacks the recurring:read scope needed for CHARGE_FAILED events.');
    expect(() => streamAccess(key(['payments:read']), null, [])).toThrow('types must name at least one event type');
  });

  it("hides another merchant's stream as if it did not exist, and never lets another merchant's event through", () => {
    expect(() => streamAccess(key(['payments:read']), '654321', null)).toThrow('Merchant 654321 was not found.');
    const { accepts } = streamAccess(key(['payments:read']), null, null);
    expect(accepts({ ...paymentEvent, merchantSerialNumber: '654321' })).toBe(false);
  });

  it('asks a key with several merchants to choose one', () => {
    expect(() => streamAccess(key(['payments:read'], ['123456', '654321']), null, null)).toThrow(/give merchantSerialNumber/);
  });

  it('refuses status tokens and keys without a read scope', () => {
    const token: Caller = { kind: 'status-token', msn: '123456', reference: 'order-1' };
    expect(() => streamAccess(token, null, null)).toThrow('A status token cannot read merchant events');
    expect(() => streamAccess(key(['payments:write']), null, null)).toThrow('This API key lacks the payments:read or recurring:read scope needed for merchant events.');
    expect(() => reservationAccess(token, null)).toThrow('A status token cannot read expiring reservations');
  });

  it('lists the reservations a key may read: payments with payments:read, charges with recurring:read', () => {
    expect(reservationAccess(key(['payments:read']), null)).toEqual({ msn: '123456', kinds: ['payment'] });
    expect(reservationAccess(key(['payments:read', 'recurring:read']), null)).toEqual({ msn: '123456', kinds: ['payment', 'charge'] });
    expect(reservationAccess(key(['recurring:read']), '654321')).toEqual({ msn: null, kinds: ['charge'] });
  });
});
