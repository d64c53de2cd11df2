import { startTestSimulator, type TestSimulator } from '../../support/simulator';
import {
  AGREEMENTS, activeAgreement, advanceDays, chargeBody, chargeOp, chargesPath, createCharge, draft, draftBody, expectErrorV3, getAgreement, getCharge, newKey,
  simDate,
} from './recurring-support';

/** Malformed requests get Recurring's ErrorV3 `validation-error` with field details and change nothing. */

let t: TestSimulator;

beforeAll(async () => {
  t = await startTestSimulator();
});
afterAll(async () => {
  await t.close();
});

const agreementIds = async () => ((await t.call('GET', `${AGREEMENTS}?status=PENDING`)).body as { id: string }[]).map((a) => a.id);

describe('draft agreement', () => {
  test.each([
    ['float amount', { pricing: { type: 'LEGACY', amount: 100.5, currency: 'NOK' } }, 'pricing.amount'],
    ['string amount', { pricing: { type: 'LEGACY', amount: '10000', currency: 'NOK' } }, 'pricing.amount'],
    ['amount below 100', { pricing: { type: 'LEGACY', amount: 99, currency: 'NOK' } }, 'pricing.amount'],
    ['unknown currency', { pricing: { type: 'LEGACY', amount: 10000, currency: 'SEK' } }, 'pricing.currency'],
    ['VARIABLE above 2 000 000', { pricing: { type: 'VARIABLE', suggestedMaxAmount: 2_000_001, currency: 'NOK' } }, 'pricing.suggestedMaxAmount'],
    ['missing interval', { interval: undefined }, 'interval'],
    ['interval count 32', { interval: { unit: 'MONTH', count: 32 } }, 'interval.count'],
    ['interval unit HOUR', { interval: { unit: 'HOUR', count: 1 } }, 'interval.unit'],
    ['http redirect URL', { merchantRedirectUrl: 'http://shop.example/back' }, 'merchantRedirectUrl'],
    ['missing agreement URL', { merchantAgreementUrl: undefined }, 'merchantAgreementUrl'],
    ['URL over 1024', { merchantAgreementUrl: `https://shop.example/${'a'.repeat(1010)}` }, 'merchantAgreementUrl'],
    ['productName over 45', { productName: 'n'.repeat(46) }, 'productName'],
    ['productDescription over 100', { productDescription: 'd'.repeat(101) }, 'productDescription'],
    ['phone with +', { phoneNumber: '+4791234567' }, 'phoneNumber'],
    ['phone over 15 digits', { phoneNumber: '4'.repeat(16) }, 'phoneNumber'],
    ['initialCharge without transactionType', { initialCharge: { amount: 1000, description: 'First' } }, 'initialCharge.transactionType'],
    ['initialCharge float amount', { initialCharge: { amount: 10.5, description: 'First', transactionType: 'DIRECT_CAPTURE' } }, 'initialCharge.amount'],
  ])('%s → validation-error naming %s, no agreement', async (_name, overrides, field) => {
    const before = await agreementIds();
    const res = await t.call('POST', AGREEMENTS, { body: draftBody(overrides), idempotencyKey: newKey() });
    expectErrorV3(res, 400, 'validation-error');
    expect(res.body.extraDetails).toEqual(expect.arrayContaining([expect.objectContaining({ field, text: expect.any(String) })]));
    expect(await agreementIds()).toEqual(before);
  });

  test('local development URLs on http://localhost and 127.0.0.1 and app deeplinks are allowed', async () => {
    await draft(t, { merchantRedirectUrl: 'http://localhost:3000/back', merchantAgreementUrl: 'http://127.0.0.1:3000/mine' });
    await draft(t, { merchantRedirectUrl: 'myapp://home' });
  });

  test('every field error is reported at once', async () => {
    const res = await t.call('POST', AGREEMENTS, { body: { pricing: { amount: 1.5, currency: 'NOK' } }, idempotencyKey: newKey() });
    expectErrorV3(res, 400, 'validation-error');
    expect(res.body.extraDetails.map((d: { field: string }) => d.field).sort()).toEqual(
      ['interval', 'merchantAgreementUrl', 'merchantRedirectUrl', 'pricing.amount', 'productName'].sort(),
    );
  });

  test('malformed JSON → invalid-json; an empty body or an array → validation-error', async () => {
    expectErrorV3(await t.call('POST', AGREEMENTS, { rawBody: '{"pricing":', idempotencyKey: newKey() }), 400, 'invalid-json');
    expectErrorV3(await t.call('POST', AGREEMENTS, { idempotencyKey: newKey() }), 400, 'validation-error');
    expectErrorV3(await t.call('POST', AGREEMENTS, { body: [draftBody()], idempotencyKey: newKey() }), 400, 'validation-error');
  });

  test('without a token the gateway answers 401 and nothing is created', async () => {
    const before = await agreementIds();
    const res = await t.call('POST', AGREEMENTS, { body: draftBody(), idempotencyKey: newKey(), anonymous: true });
    expect(res.status).toBe(401);
    expect(await agreementIds()).toEqual(before);
  });
});

describe('charges', () => {
  test.each([
    ['float amount', { amount: 1000.5 }, 'amount'],
    ['string amount', { amount: '1000' }, 'amount'],
    ['amount below 100', { amount: 99 }, 'amount'],
    ['empty description', { description: '' }, 'description'],
    ['description over 45', { description: 'd'.repeat(46) }, 'description'],
    ['due with a time', { due: '2099-01-01T00:00:00Z' }, 'due'],
    ['due not a calendar date', { due: '2099-02-30' }, 'due'],
    ['due as a number', { due: 20990101 }, 'due'],
    ['missing due', { due: undefined }, 'due'],
    ['retryDays 15', { retryDays: 15 }, 'retryDays'],
    ['retryDays float', { retryDays: 1.5 }, 'retryDays'],
    ['unknown transactionType', { transactionType: 'CAPTURE' }, 'transactionType'],
    ['unknown type', { type: 'INITIAL' }, 'type'],
    ['orderId with spaces', { orderId: 'order 1' }, 'orderId'],
  ])('create with %s → validation-error naming %s, no charge', async (_name, overrides, field) => {
    const agreementId = await activeAgreement(t);
    const res = await t.call('POST', chargesPath(agreementId), { body: await chargeBody(t, overrides), idempotencyKey: newKey() });
    expectErrorV3(res, 400, 'validation-error');
    expect(res.body.extraDetails).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    expect((await t.call('GET', chargesPath(agreementId))).body).toEqual([]);
  });

  test.each([
    ['float amount', { amount: 100.5, description: 'x' }],
    ['string amount', { amount: '100', description: 'x' }],
    ['missing description', { amount: 100 }],
    ['missing amount', { description: 'x' }],
  ])('capture and refund with %s → validation-error; summary unchanged', async (_name, body) => {
    const agreementId = await activeAgreement(t);
    const chargeId = await createCharge(t, agreementId, { due: await simDate(t, 1), transactionType: 'RESERVE_CAPTURE' });
    await advanceDays(t, 1);
    for (const op of ['capture', 'refund']) {
      const res = await t.call('POST', `${chargesPath(agreementId)}/${chargeId}/${op}`, { body, idempotencyKey: newKey() });
      expectErrorV3(res, 400, 'validation-error');
    }
    expect((await getCharge(t, agreementId, chargeId)).body).toMatchObject({ status: 'RESERVED', summary: { captured: 0, refunded: 0, cancelled: 0 } });
    expect((await chargeOp(t, agreementId, chargeId, 'capture', 10000)).status).toBe(204);
  });
});

describe('agreement update and force accept', () => {
  test.each([
    ['float price', { pricing: { amount: 100.5 } }, 'pricing.amount'],
    ['string price', { pricing: { amount: '100' } }, 'pricing.amount'],
    ['empty productName', { productName: '' }, 'productName'],
    ['unknown status', { status: 'PAUSED' }, 'status'],
    ['bad interval', { interval: { type: 'RECURRING', period: { unit: 'MONTH', count: 0 } } }, 'interval.period.count'],
  ])('PATCH with %s → validation-error naming %s; agreement unchanged', async (_name, body, field) => {
    const agreementId = await activeAgreement(t);
    const before = (await getAgreement(t, agreementId)).body;
    const res = await t.call('PATCH', `${AGREEMENTS}/${agreementId}`, { body, idempotencyKey: newKey() });
    expectErrorV3(res, 400, 'validation-error');
    expect(res.body.extraDetails).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    expect((await getAgreement(t, agreementId)).body).toEqual(before);
  });

  test('force accept without a valid phoneNumber → validation-error; still PENDING', async () => {
    const { agreementId } = await draft(t);
    for (const body of [{}, { phoneNumber: 4791234567 }, { phoneNumber: '+47 912' }]) {
      expectErrorV3(await t.call('PATCH', `${AGREEMENTS}/${agreementId}/accept`, { body, idempotencyKey: newKey() }), 400, 'validation-error');
    }
    expect((await getAgreement(t, agreementId)).body.status).toBe('PENDING');
  });

  test('list query: createdAfter and pageNumber must be whole numbers', async () => {
    expectErrorV3(await t.call('GET', `${AGREEMENTS}?createdAfter=yesterday`), 400, 'validation-error');
    expectErrorV3(await t.call('GET', `${AGREEMENTS}?pageNumber=1.5`), 400, 'validation-error');
    expectErrorV3(await t.call('GET', `${AGREEMENTS}?pageNumber=0`), 400, 'validation-error');
  });
});
