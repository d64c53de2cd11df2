import { SIMULATOR_MERCHANT } from '../../../src/config/config';
import { answerIdempotently, type EpaymentOperation } from '../../../src/simulator/epayment/epayment-idempotency';
import type { SimRequest } from '../../../src/simulator/http';
import { IdempotencyStore } from '../../../src/simulator/idempotency';

/**
 * ePayment keys are scoped per merchant and operation: Vipps' ePayment collection sends the
 * create's key again on capture, refund and cancel of the same payment. Within one operation a
 * key still means one request.
 */

const KEY = 'fb492b5e-7907-4d83-ba20-c7fb60ca35de';

function answer(store: IdempotencyStore, operation: EpaymentOperation, reference: string | undefined, body: unknown) {
  const req = { headers: { 'idempotency-key': KEY }, body, merchant: SIMULATOR_MERCHANT } as unknown as SimRequest;
  let acted = false;
  const response = answerIdempotently(store, req, operation, reference, () => {
    acted = true;
    return { status: 200, body: { operation } };
  });
  const code = (response.body as { extraDetails?: { reason: string }[] }).extraDetails?.[0]?.reason;
  return { status: response.status, acted, code };
}

const amount = (value: number) => ({ modificationAmount: { currency: 'NOK', value } });

test("the create's key on capture, refund and cancel of the payment: each acts once", () => {
  const store = new IdempotencyStore();
  expect(answer(store, 'create', undefined, { reference: 'order-1' })).toEqual({ status: 200, acted: true, code: undefined });
  expect(answer(store, 'capture', 'order-1', amount(1000))).toEqual({ status: 200, acted: true, code: undefined });
  expect(answer(store, 'refund', 'order-1', amount(200))).toEqual({ status: 200, acted: true, code: undefined });
  expect(answer(store, 'cancel', 'order-1', undefined)).toEqual({ status: 200, acted: true, code: undefined });
  expect(answer(store, 'capture', 'order-1', amount(1000))).toEqual({ status: 200, acted: false, code: undefined });
});

test('within one operation a key is one request: 4010, 4150, 4020', () => {
  const store = new IdempotencyStore();
  answer(store, 'capture', 'order-1', amount(1000));
  answer(store, 'refund', 'order-1', amount(200));
  expect(answer(store, 'capture', 'order-1', amount(2000))).toEqual({ status: 409, acted: false, code: '4010' });
  expect(answer(store, 'refund', 'order-1', amount(300))).toEqual({ status: 409, acted: false, code: '4150' });
  expect(answer(store, 'capture', 'order-2', amount(1000))).toEqual({ status: 409, acted: false, code: '4020' });
  answer(store, 'create', undefined, { reference: 'order-1' });
  expect(answer(store, 'create', undefined, { reference: 'order-3' })).toEqual({ status: 409, acted: false, code: '4020' });
});
