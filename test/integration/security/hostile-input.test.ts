import fc from 'fast-check';
import { startTestApi, type TestApi } from '../../support/api';
import { authorized, CAPTURE, idem, NOK, simMoney, type SimMoney } from './security-support';

/**
 * Hostile input, property-based: random and edge-case inputs at every mutation through HTTP
 * /graphql, as variables so GraphQL's own type checks run too. Never a 5xx; always a validation
 * error (400, GRAPHQL_VALIDATION_FAILED / BAD_USER_INPUT), a typed UserError, or a success for
 * input that happens to be valid; and payments the run must not move keep their money.
 * Bounded: 150 runs with a fixed seed (FC_SEED overrides), printed by fast-check on failure.
 */
jest.setTimeout(120_000);

const SEED = Number(process.env.FC_SEED ?? 0x7f3a9c);
const RUNS = 150;

const ERRORS = 'errors { code message field vippsErrorCode traceId }';
const MUTATIONS = {
  createPayment: ['CreatePaymentInput', `payment { reference state } redirectUrl statusToken ${ERRORS}`],
  capturePayment: ['CapturePaymentInput', `payment { reference } ${ERRORS}`],
  refundPayment: ['RefundPaymentInput', `payment { reference } ${ERRORS}`],
  cancelPayment: ['CancelPaymentInput', `payment { reference } ${ERRORS}`],
  addPaymentReceipt: ['AddPaymentReceiptInput', `payment { reference } ${ERRORS}`],
  createAgreement: ['CreateAgreementInput', `agreement { agreementId } vippsConfirmationUrl ${ERRORS}`],
  updateAgreement: ['UpdateAgreementInput', `agreement { agreementId } ${ERRORS}`],
  stopAgreement: ['StopAgreementInput', `agreement { agreementId } ${ERRORS}`],
  createCharge: ['CreateChargeInput', `charge { chargeId } ${ERRORS}`],
  captureCharge: ['CaptureChargeInput', `charge { chargeId } ${ERRORS}`],
  cancelCharge: ['CancelChargeInput', `charge { chargeId } ${ERRORS}`],
  refundCharge: ['RefundChargeInput', `charge { chargeId } ${ERRORS}`],
} as const;
type MutationName = keyof typeof MUTATIONS;

const document = (name: MutationName) => `mutation Hostile($input: ${MUTATIONS[name][0]}!) { ${name}(input: $input) { ${MUTATIONS[name][1]} } }`;

// ---- arbitraries -------------------------------------------------------------------------------

const nasty = fc.constantFrom(
  '', ' ', "'; DROP TABLE payments;--", '" OR 1=1 --', '<script>alert(1)</script>', '../../etc/passwd', '%00', '\u0000', '\u202e', '${jndi:ldap://x/a}',
  '{"$gt":""}', '__proto__', 'constructor', 'Ω≈ç√∫˜µ≤', 'ÆØÅ-ordre-1234', '🙂'.repeat(30), 'x'.repeat(5000), 'order-12345678', '-1', '1e309', 'NaN', 'null', '\r\nX-Injected: 1',
);
const text = fc.oneof(nasty, fc.string({ maxLength: 80 }), fc.string({ unit: 'grapheme', maxLength: 40 }));
/** Whole numbers at and past the edges, floats, and numbers as strings. */
const amountValue = fc.oneof(
  fc.constantFrom<unknown>(0, -1, -100, 1, 99, 100, 101, 2147483647, -2147483648, 2147483648, Number.MAX_SAFE_INTEGER + 2, 1e21, 10.5, '10.50', '100', '1e3', 'abc', null, true, [], {}),
  fc.integer(),
  fc.double(),
);
const currency = fc.constantFrom<unknown>('NOK', 'DKK', 'EUR', 'SEK', 'USD', 'nok', '', 1, null);
const money = fc.record({ value: amountValue, currency });
const msn = fc.constantFrom<unknown>(undefined, null, '123456', '654321', '999999', '', '12', 'abc', "1' OR '1'='1", 123456);
const idempotencyKey = fc.oneof(
  fc.constantFrom<unknown>('', ' ', 'a'.repeat(41), 'key#1', 'key/../x', 'ключ', 'k\u0000', null, 42),
  fc.string({ maxLength: 60 }),
  fc.constant(null).map(() => idem('fuzz')),
);
const url = fc.oneof(
  fc.constantFrom('https://shop.example/back', 'javascript:alert(1)', 'http://evil.example/x', 'data:text/html,x', 'ftp://x', 'file:///etc/passwd', 'not a url', '', `https://${'a'.repeat(2000)}.example`, 'myapp://x?y=1'),
  text,
);
const phone = fc.constantFrom<unknown>('4791234567', '+4791234567', '0047', '', 'abc', '9'.repeat(30), '47 91 23 45 67', 4791234567, null);
const reference = fc.oneof(text, fc.constantFrom('order-12345678', `x${'y'.repeat(64)}`, 'short'));
const id = fc.oneof(text, fc.constantFrom('agr_ABCDEFG', 'chr-1', 'agr_'.padEnd(50, 'Z')));
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

const inputs: Record<MutationName, fc.Arbitrary<Record<string, unknown>>> = {
  createPayment: fc.record({
    merchantSerialNumber: msn,
    idempotencyKey,
    amount: money,
    reference: maybe(reference),
    userFlow: fc.constantFrom<unknown>('WEB_REDIRECT', 'PUSH_MESSAGE', 'QR', 'NATIVE_REDIRECT', 'BOGUS', null),
    customerPhoneNumber: maybe(phone),
    returnUrl: maybe(url),
    description: maybe(text),
    expiresAt: maybe(fc.constantFrom<unknown>('2020-01-01T00:00:00Z', '9999-12-31T23:59:59Z', 'tomorrow', new Date(Date.now() + 86_400_000).toISOString(), 0)),
    appendStatusToken: maybe(fc.constantFrom<unknown>(true, false, 'yes')),
  }),
  capturePayment: fc.record({ merchantSerialNumber: msn, reference, idempotencyKey, amount: maybe(money) }),
  refundPayment: fc.record({ merchantSerialNumber: msn, reference, idempotencyKey, amount: maybe(money) }),
  cancelPayment: fc.record({ merchantSerialNumber: msn, reference, idempotencyKey, onlyIfNotApproved: maybe(fc.boolean()) }),
  addPaymentReceipt: fc.record({
    merchantSerialNumber: msn,
    reference,
    receipt: fc.record({
      orderLines: fc.array(fc.record({ name: text, id: text, totalAmount: amountValue, totalAmountExcludingTax: amountValue, totalTaxAmount: amountValue, quantity: maybe(text) }), { maxLength: 3 }),
      currency,
    }),
  }),
  createAgreement: fc.record({
    merchantSerialNumber: msn,
    idempotencyKey,
    pricing: fc.record({ type: maybe(fc.constantFrom<unknown>('LEGACY', 'VARIABLE', 'FLEXIBLE', 'X')), currency, amount: maybe(amountValue), suggestedMaxAmount: maybe(amountValue) }),
    interval: maybe(fc.record({ unit: fc.constantFrom<unknown>('DAY', 'WEEK', 'MONTH', 'YEAR', 'CENTURY'), count: amountValue })),
    productName: text,
    merchantRedirectUrl: url,
    merchantAgreementUrl: maybe(url),
    phoneNumber: maybe(phone),
    initialCharge: maybe(fc.record({ amount: amountValue, description: text, transactionType: fc.constantFrom<unknown>('DIRECT_CAPTURE', 'RESERVE_CAPTURE', 'NOPE'), orderId: maybe(text) })),
    countryCode: maybe(fc.constantFrom<unknown>('NO', 'no', 'XX', '', 'NOR')),
  }),
  updateAgreement: fc.record({ merchantSerialNumber: msn, agreementId: id, idempotencyKey, productName: maybe(text), price: maybe(amountValue), merchantAgreementUrl: maybe(url) }),
  stopAgreement: fc.record({ merchantSerialNumber: msn, agreementId: id, idempotencyKey }),
  createCharge: fc.record({
    merchantSerialNumber: msn,
    agreementId: id,
    idempotencyKey,
    amount: money,
    description: text,
    type: maybe(fc.constantFrom<unknown>('RECURRING', 'UNSCHEDULED', 'INITIAL', 'X')),
    due: maybe(fc.constantFrom<unknown>('2030-01-01', '1999-01-01', '2025-02-30', 'soon', '')),
    retryDays: maybe(amountValue),
    orderId: maybe(text),
  }),
  captureCharge: fc.record({ merchantSerialNumber: msn, agreementId: id, chargeId: id, idempotencyKey, amount: maybe(money), description: maybe(text) }),
  cancelCharge: fc.record({ merchantSerialNumber: msn, agreementId: id, chargeId: id, idempotencyKey }),
  refundCharge: fc.record({ merchantSerialNumber: msn, agreementId: id, chargeId: id, idempotencyKey, amount: maybe(money), description: maybe(text) }),
};

interface Attempt {
  name: MutationName;
  input: Record<string, unknown>;
  key: string;
}

const anyAttempt: fc.Arbitrary<Attempt> = fc.record({
  name: fc.constantFrom(...(Object.keys(MUTATIONS) as MutationName[])),
  key: fc.constantFrom('dev', 'partner'),
}).chain(({ name, key }) => inputs[name].map((input) => ({ name, input, key })));

/** Money that no payment may accept: not positive, not whole, wrong currency, or far too much. */
const badMoney = fc.oneof(
  fc.record({ value: fc.oneof(fc.constantFrom<unknown>(0, -1, -100000, 10.5, '10.50', 1e21, null), fc.integer({ max: 0 })), currency: fc.constant('NOK') }),
  fc.record({ value: fc.integer({ min: 100, max: 1000 }), currency: fc.constantFrom<unknown>('DKK', 'EUR', 'SEK', '') }),
  fc.record({ value: fc.integer({ min: 2_000_000, max: 2_000_000_000 }), currency: fc.constant('NOK') }),
);

// ---- the property ------------------------------------------------------------------------------

const ALLOWED_TOP_LEVEL = new Set(['GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT', 'GRAPHQL_PARSE_FAILED', 'BAD_REQUEST']);

describe('hostile input at every mutation', () => {
  let api: TestApi;
  let protectedRefs: string[];
  let before: SimMoney[];

  beforeAll(async () => {
    api = await startTestApi();
    protectedRefs = [await authorized(api, 100000), await authorized(api, 50000), await authorized(api, 20000)];
    const partial = await api.gql(CAPTURE, { input: { reference: protectedRefs[0], idempotencyKey: idem('pre'), amount: NOK(40000) } });
    expect(partial.data.capturePayment.errors).toEqual([]);
    before = await Promise.all(protectedRefs.map((r) => simMoney(api, r)));
  });
  afterAll(async () => {
    await api.close();
  });

  async function send(attempt: Attempt): Promise<{ status: number; body: any }> {
    const res = await fetch(`${api.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${attempt.key}` },
      body: JSON.stringify({ query: document(attempt.name), variables: { input: attempt.input } }),
    });
    const text = await res.text();
    let body: any;
    try {
      body = JSON.parse(text);
    } catch {
      body = { unparsed: text };
    }
    return { status: res.status, body };
  }

  function checkAnswer(attempt: Attempt, status: number, body: any): void {
    const where = `${attempt.name} as ${attempt.key}: HTTP ${status} ${JSON.stringify(body).slice(0, 600)}`;
    if (status >= 500) throw new Error(`server error for ${where}`);
    if (body.errors) {
      for (const e of body.errors) if (!ALLOWED_TOP_LEVEL.has(e.extensions?.code)) throw new Error(`unexpected top-level error ${e.extensions?.code} for ${where}`);
      if (status !== 400 && status !== 200) throw new Error(`unexpected status for ${where}`);
      return;
    }
    if (status !== 200) throw new Error(`non-200 success for ${where}`);
    const payload = body.data?.[attempt.name];
    if (!payload || !Array.isArray(payload.errors)) throw new Error(`no payload for ${where}`);
    for (const e of payload.errors) {
      if (typeof e.code !== 'string' || typeof e.message !== 'string' || e.message.length === 0) throw new Error(`untyped UserError for ${where}`);
    }
  }

  it(`answers ${RUNS} random mutations with a validation error, a typed UserError or a success, never a 5xx`, async () => {
    // One in four attempts aims at a payment the run must not move, with money no payment accepts
    // or for a merchant that does not have it.
    const aimed: fc.Arbitrary<Attempt> = fc
      .record({
        name: fc.constantFrom<MutationName>('capturePayment', 'refundPayment', 'cancelPayment'),
        index: fc.integer({ min: 0, max: 2 }),
        amount: badMoney,
        idempotencyKey: fc.constant(null).map(() => idem('aim')),
      })
      .map(({ name, index, amount, idempotencyKey }) => {
        const reference = protectedRefs[index];
        if (name === 'cancelPayment') return { name, key: 'partner', input: { merchantSerialNumber: '654321', reference, idempotencyKey } };
        return { name, key: 'dev', input: { reference, idempotencyKey, amount } };
      });
    const seen = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(fc.oneof({ arbitrary: anyAttempt, weight: 3 }, { arbitrary: aimed, weight: 1 }), async (attempt) => {
        const { status, body } = await send(attempt);
        checkAnswer(attempt, status, body);
        const outcome = body.errors ? `top:${body.errors[0].extensions.code}` : (body.data[attempt.name].errors[0]?.code ?? 'OK');
        seen.set(outcome, (seen.get(outcome) ?? 0) + 1);
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
    if (process.env.FC_VERBOSE) console.log(Object.fromEntries(seen));
    // The run reached both layers: GraphQL's type checks and the services' rules.
    expect([...seen.keys()].some((k) => k.startsWith('top:'))).toBe(true);
    expect([...seen.keys()].some((k) => !k.startsWith('top:'))).toBe(true);

    const after = await Promise.all(protectedRefs.map((r) => simMoney(api, r)));
    expect(after.map(({ events: _e, ...money }) => money)).toEqual(before.map(({ events: _e, ...money }) => money));
    expect(after.map((m) => m.events.length)).toEqual(before.map((m) => m.events.length));
  });
});
