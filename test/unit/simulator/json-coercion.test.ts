import { coerceBody, parseJsonKeepingNumberText, type BodyTypes } from '../../../src/simulator/json-coercion';
import { CREATE_PAYMENT_TYPES } from '../../../src/simulator/epayment/epayment-body-types';
import { DRAFT_AGREEMENT_TYPES } from '../../../src/simulator/recurring/recurring-body-types';

/** Vipps reads a number where the spec says string, and a digit string where it says integer (json-coercion.ts). */

const read = (raw: string, types: BodyTypes) => coerceBody(parseJsonKeepingNumberText(raw), types);

describe('lenient JSON', () => {
  test("ePayment create as Vipps' collection sends it: a numeric reference keeps every digit, a numeric phone number is read as text", () => {
    const raw = '{"amount":{"value":49900,"currency":"NOK"},"customer":{"phoneNumber":4712345678},"reference":1234561795593461050}';
    expect(read(raw, CREATE_PAYMENT_TYPES)).toEqual({
      amount: { value: 49900, currency: 'NOK' },
      customer: { phoneNumber: '4712345678' },
      reference: '1234561795593461050',
    });
    // An amount as a string stays a string, for the checks to refuse (the simulator's bad-input tests).
    expect(read('{"amount":{"value":"49900"}}', CREATE_PAYMENT_TYPES)).toEqual({ amount: { value: '49900' } });
  });

  test("Recurring draft as Vipps' collection sends it: interval counts as digit strings are read as integers; amounts are not", () => {
    const raw = '{"interval":{"unit":"WEEK","count":"2"},"pricing":{"amount":"1000","currency":"NOK"},"campaign":{"period":{"count":"2"}}}';
    expect(read(raw, DRAFT_AGREEMENT_TYPES)).toEqual({
      interval: { unit: 'WEEK', count: 2 },
      pricing: { amount: '1000', currency: 'NOK' },
      campaign: { period: { count: 2 } },
    });
  });

  test('what does not fit is left as sent, for the checks to refuse', () => {
    const types: BodyTypes = { count: 'integer', name: 'string', inner: { value: 'integer' } };
    expect(read('{"count":"2.5","name":true,"inner":"x","other":7}', types)).toEqual({ count: '2.5', name: true, inner: 'x', other: 7 });
    expect(read('{"count":"two"}', types)).toEqual({ count: 'two' });
    // Fields not named are never coerced.
    expect(read('{"unit":2}', types)).toEqual({ unit: 2 });
    // Named fields that are absent stay absent, not keys holding undefined.
    expect(Object.keys(read('{"unit":2}', types) as object)).toEqual(['unit']);
  });

  test('a body that is not an object, and a route without types, pass through', () => {
    expect(coerceBody([1, 2], { count: 'integer' })).toEqual([1, 2]);
    expect(coerceBody(undefined, { count: 'integer' })).toBeUndefined();
    expect(coerceBody({ count: '2' }, undefined)).toEqual({ count: '2' });
  });
});
