import { startTestApi, type TestApi } from '../../support/api';
import {
  activeAgreement, advanceDays, CANCEL_CHARGE, CAPTURE_CHARGE, CREATE_CHARGE, createAgreement, dueIn, key, pollCharge, REFUND_CHARGE, STOP_AGREEMENT, UPDATE_AGREEMENT,
} from './recurring-support';

/** Every refused operation ends as a typed UserError with a sentence, before or after Vipps. */
describe('Recurring refusals through /graphql', () => {
  let api: TestApi;
  let agreementId: string;
  beforeAll(async () => {
    api = await startTestApi();
    agreementId = (await activeAgreement(api, { price: 10000 })).agreementId;
  });
  afterAll(async () => {
    await api.close();
  });

  const realDate = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
  const charge = (input: Record<string, unknown>) =>
    api.gql(CREATE_CHARGE, { input: { agreementId, idempotencyKey: key('chg'), amount: { value: 10000, currency: 'NOK' }, description: 'Monthly', due: realDate(5), retryDays: 2, ...input } });
  const firstError = (result: any, field: string) => {
    expect(result.errors).toBeUndefined();
    return result.data[field].errors[0];
  };

  it.each([
    ['an amount below 1.00', { amount: { value: 99, currency: 'NOK' } }, 'AMOUNT_TOO_SMALL', 'The amount must be at least 1.00 (100 øre or cents).'],
    ['more than five times the price', { amount: { value: 50001, currency: 'NOK' } }, 'CHARGE_AMOUNT_TOO_HIGH', `A charge on agreement AGR can be at most 500.00 NOK (five times the agreement price).`],
    ['another currency', { amount: { value: 10000, currency: 'DKK' } }, 'INVALID_CURRENCY', 'Agreement AGR is in NOK, not DKK.'],
    ['a due date today', { due: realDate(0) }, 'INVALID_DUE_DATE', 'The due date must be at least one day ahead.'],
    ['a due date in three years', { due: realDate(3 * 366) }, 'INVALID_DUE_DATE', 'The due date can be at most two years ahead.'],
    ['a date that does not exist', { due: '2031-02-30' }, 'INVALID_DUE_DATE', 'The due date must be a calendar date written YYYY-MM-DD.'],
    ['no due date', { due: null }, 'INVALID_DUE_DATE', 'A recurring charge needs a due date (YYYY-MM-DD).'],
    ['15 retry days', { retryDays: 15 }, 'INVALID_INPUT', 'Retry days must be 0 to 14.'],
    ['a 46-character description', { description: 'x'.repeat(46) }, 'INVALID_INPUT', 'The description must be 1 to 45 characters.'],
    ['an unscheduled charge with a due date', { type: 'UNSCHEDULED', retryDays: 0 }, 'INVALID_DUE_DATE', 'An unscheduled charge is taken at once, so it has no due date.'],
    ['a bad idempotency key', { idempotencyKey: 'has/slash' }, 'INVALID_INPUT', 'The idempotency key must be 1 to 40 characters: letters, digits and . _ : = + - only.'],
  ])('refuses a charge with %s before calling Vipps', async (_name, input, code, message) => {
    const before = api.vippsCalls();
    const error = firstError(await charge(input), 'createCharge');
    expect(error).toMatchObject({ code, message: message.replace('AGR', agreementId) });
    // Only the fresh read of the agreement went to Vipps, never a create.
    expect(api.sim.sim.ctx.requests.slice(before).filter((r) => r.method === 'POST')).toHaveLength(0);
  });

  it('maps the simulator’s own due-date refusal (its clock runs ahead) to INVALID_DUE_DATE', async () => {
    const own = await activeAgreement(api, { price: 10000 });
    await advanceDays(api, 10);
    const result = await api.gql(CREATE_CHARGE, {
      input: { agreementId: own.agreementId, idempotencyKey: key('chg'), amount: { value: 10000, currency: 'NOK' }, description: 'Too soon there', due: realDate(2), retryDays: 0 },
    });
    expect(firstError(result, 'createCharge')).toEqual({
      code: 'INVALID_DUE_DATE', message: 'The due date is too soon. Vipps needs it at least one day ahead.', field: null, vippsErrorCode: 'charge-due-too-soon',
    });
  });

  it('maps a duplicate order id (Vipps conflict) to ORDER_ID_ALREADY_EXISTS', async () => {
    const orderId = `order-${process.pid}-1`;
    expect((await charge({ orderId, due: await dueIn(api, 5) })).data.createCharge.errors).toEqual([]);
    const again = firstError(await charge({ orderId, due: await dueIn(api, 6) }), 'createCharge');
    expect(again).toMatchObject({ code: 'ORDER_ID_ALREADY_EXISTS', vippsErrorCode: 'conflict' });
  });

  it('refuses charges on a pending agreement, and unknown agreements', async () => {
    const pending = await createAgreement(api);
    const onPending = await api.gql(CREATE_CHARGE, {
      input: { agreementId: pending.agreement.agreementId, idempotencyKey: key('chg'), amount: { value: 10000, currency: 'NOK' }, description: 'x', due: await dueIn(api, 3), retryDays: 0 },
    });
    expect(firstError(onPending, 'createCharge')).toMatchObject({ code: 'AGREEMENT_NOT_ACTIVE', message: `Agreement ${pending.agreement.agreementId} is pending, so no charge can be made on it.` });
    const unknown = await api.gql(CREATE_CHARGE, {
      input: { agreementId: 'agr_NOPE123', idempotencyKey: key('chg'), amount: { value: 10000, currency: 'NOK' }, description: 'x', due: await dueIn(api, 3), retryDays: 0 },
    });
    expect(firstError(unknown, 'createCharge')).toMatchObject({ code: 'NOT_FOUND', message: 'Agreement agr_NOPE123 was not found.' });
  });

  it('refuses captures, cancels and refunds that the charge cannot take', async () => {
    const created = await charge({ due: await dueIn(api, 1) });
    const { chargeId } = created.data.createCharge.charge;
    const refundEarly = await api.gql(REFUND_CHARGE, { input: { agreementId, chargeId, idempotencyKey: key('ref') } });
    expect(firstError(refundEarly, 'refundCharge')).toMatchObject({ code: 'REFUND_BEFORE_CAPTURE' });

    await advanceDays(api, 1);
    expect((await pollCharge(api, agreementId, chargeId))?.status).toBe('CHARGED');
    const capture = await api.gql(CAPTURE_CHARGE, { input: { agreementId, chargeId, idempotencyKey: key('cap') } });
    expect(firstError(capture, 'captureCharge')).toMatchObject({ code: 'CAPTURE_NOT_ALLOWED', message: `Charge ${chargeId} was captured directly when it was paid; there is no reservation to capture.` });
    const cancel = await api.gql(CANCEL_CHARGE, { input: { agreementId, chargeId, idempotencyKey: key('can') } });
    expect(firstError(cancel, 'cancelCharge')).toMatchObject({ code: 'ALREADY_CAPTURED', message: `Charge ${chargeId} is already paid, so it cannot be cancelled. Refund it instead.` });
    const tooMuch = await api.gql(REFUND_CHARGE, { input: { agreementId, chargeId, idempotencyKey: key('ref'), amount: { value: 10001, currency: 'NOK' } } });
    expect(firstError(tooMuch, 'refundCharge')).toMatchObject({ code: 'REFUND_AMOUNT_TOO_HIGH', message: 'You can refund at most 100.00 NOK, the amount captured.' });
  });

  it('refuses capturing more than is reserved, and cancelling twice', async () => {
    const created = await charge({ due: await dueIn(api, 1), transactionType: 'RESERVE_CAPTURE' });
    const { chargeId } = created.data.createCharge.charge;
    await advanceDays(api, 1);
    await pollCharge(api, agreementId, chargeId);
    await api.gql(CAPTURE_CHARGE, { input: { agreementId, chargeId, idempotencyKey: key('cap'), amount: { value: 4000, currency: 'NOK' } } });
    const over = await api.gql(CAPTURE_CHARGE, { input: { agreementId, chargeId, idempotencyKey: key('cap'), amount: { value: 7000, currency: 'NOK' } } });
    expect(firstError(over, 'captureCharge')).toMatchObject({ code: 'CAPTURE_AMOUNT_TOO_HIGH', message: 'You can capture at most 60.00 NOK: 40.00 NOK of 100.00 NOK is already captured.' });

    const due = await charge({ due: await dueIn(api, 7) });
    const pendingId = due.data.createCharge.charge.chargeId;
    expect((await api.gql(CANCEL_CHARGE, { input: { agreementId, chargeId: pendingId, idempotencyKey: key('can') } })).data.cancelCharge.charge.status).toBe('CANCELLED');
    const twice = await api.gql(CANCEL_CHARGE, { input: { agreementId, chargeId: pendingId, idempotencyKey: key('can') } });
    expect(firstError(twice, 'cancelCharge')).toMatchObject({ code: 'ALREADY_CANCELLED', message: `Charge ${pendingId} is already cancelled.` });
  });

  it('updates an active agreement, and refuses what pricing or status forbids', async () => {
    const own = await activeAgreement(api, { price: 10000 });
    const updated = await api.gql(UPDATE_AGREEMENT, { input: { agreementId: own.agreementId, idempotencyKey: key('upd'), price: 12900, productDescription: 'Now with podcasts' } });
    expect(updated.data.updateAgreement).toMatchObject({ errors: [], agreement: { pricing: { amount: { value: 12900 } }, productDescription: 'Now with podcasts' } });
    const wrongPricing = await api.gql(UPDATE_AGREEMENT, { input: { agreementId: own.agreementId, idempotencyKey: key('upd'), suggestedMaxAmount: 50000 } });
    expect(firstError(wrongPricing, 'updateAgreement')).toMatchObject({ code: 'AGREEMENT_UPDATE_NOT_ALLOWED' });
    const nothing = await api.gql(UPDATE_AGREEMENT, { input: { agreementId: own.agreementId, idempotencyKey: key('upd') } });
    expect(firstError(nothing, 'updateAgreement')).toMatchObject({ code: 'INVALID_INPUT', message: 'Nothing to change: give at least one new value.' });

    expect((await api.gql(STOP_AGREEMENT, { input: { agreementId: own.agreementId, idempotencyKey: key('stop') } })).data.stopAgreement.errors).toEqual([]);
    const again = await api.gql(STOP_AGREEMENT, { input: { agreementId: own.agreementId, idempotencyKey: key('stop') } });
    expect(firstError(again, 'stopAgreement')).toEqual({ code: 'ALREADY_STOPPED', message: `Agreement ${own.agreementId} is already stopped.`, field: null, vippsErrorCode: null });
    const afterStop = await api.gql(UPDATE_AGREEMENT, { input: { agreementId: own.agreementId, idempotencyKey: key('upd'), productName: 'Again' } });
    expect(firstError(afterStop, 'updateAgreement')).toMatchObject({ code: 'AGREEMENT_UPDATE_NOT_ALLOWED', message: `Agreement ${own.agreementId} is stopped, so it cannot be changed. Only active agreements can.` });
  });

  it('refuses a create with invalid agreement terms', async () => {
    const result = await api.gql(`mutation($input: CreateAgreementInput!) { createAgreement(input: $input) { agreement { agreementId } errors { code message field } } }`, {
      input: { idempotencyKey: key('agr'), pricing: { type: 'VARIABLE', currency: 'NOK' }, interval: { unit: 'MONTH', count: 1 }, productName: 'Box', merchantRedirectUrl: 'https://shop.example' },
    });
    expect(result.data.createAgreement).toEqual({
      agreement: null,
      errors: [{ code: 'INVALID_AMOUNT', message: 'A variable-price agreement needs a suggested maximum amount between 1.00 and 20000.00 NOK.', field: ['input', 'pricing', 'suggestedMaxAmount'] }],
    });
  });

  it('keeps read-only keys out of mutations (a top-level FORBIDDEN, not a UserError)', async () => {
    const result = await api.gql(STOP_AGREEMENT, { input: { agreementId, idempotencyKey: key('stop') } }, 'reader');
    expect(result.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
