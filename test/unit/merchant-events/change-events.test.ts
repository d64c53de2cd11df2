import { agreementEvents, captureWarningEvent, chargeEvents, paymentEvents } from '../../../src/merchant-events/change-events';
import type { PaymentRecord } from '../../../src/payments/payment-record';
import type { AgreementRecord, ChargeRecord } from '../../../src/recurring/recurring-record';

const payment = {
  merchantSerialNumber: '123456',
  reference: 'order-1',
  state: 'AUTHORIZED',
  amount: { value: 10_000, currency: 'NOK' },
  aggregate: { authorized: 10_000, captured: 0, refunded: 0, cancelled: 0 },
  updatedAt: '2026-11-25T10:00:00.000Z',
} as PaymentRecord;
const agreement = { merchantSerialNumber: '123456', agreementId: 'agr_1', status: 'ACTIVE', productName: 'News', productDescription: null, pricing: { type: 'LEGACY', amount: 100 }, stop: null } as unknown as AgreementRecord;
const charge = { merchantSerialNumber: '123456', agreementId: 'agr_1', chargeId: 'chr-1', status: 'DUE', summary: { captured: 0, refunded: 0, cancelled: 0 }, history: [] } as unknown as ChargeRecord;

describe('merchant events of a stored change', () => {
  it('gives the same change the same id, and another change another id', () => {
    const [first] = paymentEvents(payment);
    expect(paymentEvents({ ...payment })[0]?.id).toBe(first?.id);
    expect(paymentEvents({ ...payment, aggregate: { ...payment.aggregate, captured: 5_000 } })[0]?.id).not.toBe(first?.id);
    expect(paymentEvents({ ...payment, merchantSerialNumber: '654321' })[0]?.id).not.toBe(first?.id);
    expect(first?.id).toMatch(/^evt_[0-9a-f]{32}$/);
  });

  it('adds AGREEMENT_STOPPED to a stopped agreement and CHARGE_FAILED to a failed charge, each with its own id', () => {
    expect(agreementEvents(agreement).map((e) => e.type)).toEqual(['AGREEMENT_UPDATED']);
    const stopped = agreementEvents({ ...agreement, status: 'STOPPED', stop: '2026-11-25T10:00:00.000Z' });
    expect(stopped.map((e) => e.type)).toEqual(['AGREEMENT_UPDATED', 'AGREEMENT_STOPPED']);
    expect(stopped[0]?.id).not.toBe(stopped[1]?.id);
    expect(chargeEvents(charge).map((e) => e.type)).toEqual(['CHARGE_UPDATED']);
    expect(chargeEvents({ ...charge, status: 'FAILED' }).map((e) => e.type)).toEqual(['CHARGE_UPDATED', 'CHARGE_FAILED']);
  });

  it('names a capture warning by reservation, deadline and threshold, not by the amount left', () => {
    const warning = (value: number) => ({ capturable: { value, currency: 'NOK' as const }, deadline: '2027-05-24T10:00:00.000Z' });
    const first = captureWarningEvent({ payment }, 'first', warning(10_000));
    expect(captureWarningEvent({ payment }, 'first', warning(4_000)).id).toBe(first.id);
    expect(captureWarningEvent({ payment }, 'final', warning(10_000)).id).not.toBe(first.id);
    expect(captureWarningEvent({ charge: { ...charge, status: 'RESERVED' } }, 'first', warning(10_000)).id).not.toBe(first.id);
    expect(first).toMatchObject({ type: 'CAPTURE_DEADLINE_APPROACHING', merchantSerialNumber: '123456', payment, captureWarning: warning(10_000) });
  });
});
