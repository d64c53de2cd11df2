import { startTestApi, type TestApi } from '../../support/api';
import {
  accept, activeAgreement, advanceDays, AGREEMENT, CANCEL_CHARGE, CAPTURE_CHARGE, CHARGE, CREATE_CHARGE, createAgreement, dueIn, key, pollCharge, REFUND_CHARGE, STOP_AGREEMENT,
} from './recurring-support';

/**
 * The Vipps Recurring go-live checklist (docs/vipps.md §15) through /graphql against the simulator:
 * an agreement ending ACTIVE, one ending STOPPED, a RECURRING charge ending CHARGED and one ending
 * REFUNDED; plus a failed charge and a partly captured reservation.
 */
describe('Recurring checklist through /graphql', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(async () => {
    await api.close();
  });

  it('creates an agreement that the customer accepts: it ends ACTIVE', async () => {
    const created = await createAgreement(api);
    expect(created.agreement).toMatchObject({ status: 'PENDING', productName: 'Premium news', pricing: { type: 'LEGACY', currency: 'NOK', amount: { value: 19900, currency: 'NOK' } } });
    expect(created.vippsConfirmationUrl).toMatch(/recurring-landing\?agreement=agr_/);
    expect(created.agreement.merchantAgreementUrl).toMatch(/\/agreements\/manage\/a1\./);
    const agreementId = created.agreement.agreementId;

    await accept(api, agreementId);
    await api.services.recurringReader.refreshAgreement('123456', agreementId);
    const read = await api.gql(AGREEMENT, { agreementId });
    expect(read.data.agreement).toMatchObject({ agreementId, status: 'ACTIVE', interval: { unit: 'MONTH', count: 1 } });
    expect(read.data.agreement.start).not.toBeNull();
  });

  it('stops an agreement: it ends STOPPED and its due charge is cancelled', async () => {
    const agreement = await activeAgreement(api);
    const charge = await api.gql(CREATE_CHARGE, {
      input: { agreementId: agreement.agreementId, idempotencyKey: key('chg'), amount: { value: 19900, currency: 'NOK' }, description: 'March', due: await dueIn(api, 3), retryDays: 2 },
    });
    expect(charge.data.createCharge.errors).toEqual([]);
    expect(charge.data.createCharge.charge.status).toBe('DUE');

    const stopped = await api.gql(STOP_AGREEMENT, { input: { agreementId: agreement.agreementId, idempotencyKey: key('stop') } });
    expect(stopped.data.stopAgreement.errors).toEqual([]);
    expect(stopped.data.stopAgreement.agreement.status).toBe('STOPPED');
    const after = await api.gql(CHARGE, { agreementId: agreement.agreementId, chargeId: charge.data.createCharge.charge.chargeId });
    expect(after.data.charge.status).toBe('CANCELLED');
  });

  it('takes a RECURRING charge on its due date: it ends CHARGED, then REFUNDED in two parts', async () => {
    const agreement = await activeAgreement(api);
    const created = await api.gql(CREATE_CHARGE, {
      input: { agreementId: agreement.agreementId, idempotencyKey: key('chg'), amount: { value: 19900, currency: 'NOK' }, description: 'April', due: await dueIn(api, 2), retryDays: 3 },
    });
    const charge = created.data.createCharge.charge;
    expect(charge).toMatchObject({ type: 'RECURRING', transactionType: 'DIRECT_CAPTURE', amount: { value: 19900, currency: 'NOK' }, retryDays: 3 });

    await advanceDays(api, 3);
    await pollCharge(api, agreement.agreementId, charge.chargeId);
    const charged = await api.gql(CHARGE, { agreementId: agreement.agreementId, chargeId: charge.chargeId });
    expect(charged.data.charge).toMatchObject({ status: 'CHARGED', summary: { captured: { value: 19900 } }, refundable: { value: 19900 } });

    const part = await api.gql(REFUND_CHARGE, {
      input: { agreementId: agreement.agreementId, chargeId: charge.chargeId, idempotencyKey: key('ref'), amount: { value: 5000, currency: 'NOK' } },
    });
    expect(part.data.refundCharge).toMatchObject({ errors: [], charge: { status: 'PARTIALLY_REFUNDED', refundable: { value: 14900 } } });
    const rest = await api.gql(REFUND_CHARGE, { input: { agreementId: agreement.agreementId, chargeId: charge.chargeId, idempotencyKey: key('ref') } });
    expect(rest.data.refundCharge).toMatchObject({ errors: [], charge: { status: 'REFUNDED', summary: { refunded: { value: 19900 } }, refundable: { value: 0 } } });
  });

  it('marks a charge FAILED once its retry days are over (magic amount 151)', async () => {
    const agreement = await activeAgreement(api, { price: 100 });
    const created = await api.gql(CREATE_CHARGE, {
      input: { agreementId: agreement.agreementId, idempotencyKey: key('chg'), amount: { value: 151, currency: 'NOK' }, description: 'Insufficient funds', due: await dueIn(api, 1), retryDays: 2 },
    });
    const { chargeId } = created.data.createCharge.charge;
    await advanceDays(api, 2);
    expect((await pollCharge(api, agreement.agreementId, chargeId))?.status).toBe('DUE');
    await advanceDays(api, 2);
    await pollCharge(api, agreement.agreementId, chargeId);
    const failed = await api.gql(CHARGE, { agreementId: agreement.agreementId, chargeId });
    expect(failed.data.charge).toMatchObject({ status: 'FAILED', failureReason: 'user_action_required' });
    expect(failed.data.charge.history.filter((h: { event: string }) => h.event === 'FAIL').length).toBeGreaterThanOrEqual(2);
  });

  it('reserves an initial charge when the customer accepts, and captures it in full', async () => {
    const created = await createAgreement(api, { initialCharge: { amount: 4900, description: 'First box', transactionType: 'RESERVE_CAPTURE' } });
    const { agreementId } = created.agreement;
    await accept(api, agreementId);
    await api.services.recurringReader.refreshAgreement('123456', agreementId);
    await api.services.recurringReader.refreshChargeList('123456', agreementId);
    const read = await api.gql(`query($a: String!) { agreement(agreementId: $a) { status initialCharge { chargeId type status capturable { value } captureDeadline } } }`, { a: agreementId });
    const initial = read.data.agreement.initialCharge;
    expect(read.data.agreement.status).toBe('ACTIVE');
    expect(initial).toMatchObject({ type: 'INITIAL', status: 'RESERVED', capturable: { value: 4900 } });
    expect(initial.captureDeadline).not.toBeNull();
    const captured = await api.gql(CAPTURE_CHARGE, { input: { agreementId, chargeId: initial.chargeId, idempotencyKey: key('cap') } });
    expect(captured.data.captureCharge).toMatchObject({ errors: [], charge: { status: 'CHARGED', summary: { captured: { value: 4900 } } } });
  });

  it('captures part of a reserved charge, then cancels the rest', async () => {
    const agreement = await activeAgreement(api);
    const created = await api.gql(CREATE_CHARGE, {
      input: {
        agreementId: agreement.agreementId, idempotencyKey: key('chg'), amount: { value: 30000, currency: 'NOK' }, description: 'Box', due: await dueIn(api, 1), retryDays: 0, transactionType: 'RESERVE_CAPTURE',
      },
    });
    const { chargeId } = created.data.createCharge.charge;
    await advanceDays(api, 1);
    expect((await pollCharge(api, agreement.agreementId, chargeId))?.status).toBe('RESERVED');

    const captured = await api.gql(CAPTURE_CHARGE, { input: { agreementId: agreement.agreementId, chargeId, idempotencyKey: key('cap'), amount: { value: 10000, currency: 'NOK' } } });
    expect(captured.data.captureCharge).toMatchObject({ errors: [], charge: { status: 'PARTIALLY_CAPTURED', capturable: { value: 20000 }, summary: { captured: { value: 10000 } } } });
    const cancelled = await api.gql(CANCEL_CHARGE, { input: { agreementId: agreement.agreementId, chargeId, idempotencyKey: key('can') } });
    expect(cancelled.data.cancelCharge).toMatchObject({
      errors: [],
      charge: { status: 'CHARGED', capturable: { value: 0 }, summary: { captured: { value: 10000 }, cancelled: { value: 20000 } }, refundable: { value: 10000 } },
    });
  });
});
