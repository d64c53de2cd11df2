import { verifyStatusToken } from '../../../src/access/status-token';
import { redisKeys } from '../../../src/redis/keys';
import { startTestApi, type TestApi } from '../../support/api';
import { expectEventually } from '../../support/eventually';
import { PAYMENT_STATUS } from '../../support/status-token';
import { create, CREATE, idem, landingToken, NO_FAULTS, NOK, ref, setFaults } from './security-support';

/**
 * appendStatusToken: Vipps may open the returnUrl in any browser, with no session, so the
 * return page gets the reference and a status token that reads this one payment.
 */
jest.setTimeout(30_000);

describe('createPayment with appendStatusToken', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(async () => {
    await api.close();
  });

  async function approveOnLanding(redirectUrl: string): Promise<Response> {
    return fetch(`${api.sim.url}/landing/approve?token=${encodeURIComponent(landingToken(redirectUrl))}`, { method: 'POST', redirect: 'manual' });
  }

  it('sends the customer back (303) to the returnUrl with reference and a token that reads the payment', async () => {
    const created = await create(api, { returnUrl: 'https://shop.example/thanks?order=42&lang=nb', appendStatusToken: true });
    const { reference } = created.payment;
    const res = await approveOnLanding(created.redirectUrl);
    expect(res.status).toBe(303);
    const back = new URL(res.headers.get('location') ?? '');
    expect(`${back.origin}${back.pathname}`).toBe('https://shop.example/thanks');
    expect(back.searchParams.get('order')).toBe('42');
    expect(back.searchParams.get('lang')).toBe('nb');
    expect(back.searchParams.get('reference')).toBe(reference);
    const token = back.searchParams.get('statusToken') ?? '';

    // The return page, with nothing but the URL: the token reads this payment (its cached CREATED
    // copy lives 5 s when no worker polls), and no other.
    await expectEventually(async () => {
      const read = await api.gql(PAYMENT_STATUS, { reference }, token);
      expect(read.errors).toBeUndefined();
      expect(read.data.payment).toMatchObject({ reference, state: 'AUTHORIZED' });
    });
    const other = await create(api);
    const foreign = await api.gql(PAYMENT_STATUS, { reference: other.payment.reference }, token);
    expect(foreign.data?.payment ?? null).toBeNull();
  });

  /** Creates while Vipps answers 503: the decided request stays in the ledger; returns its returnUrl. */
  async function failedCreate(input: Record<string, unknown>): Promise<string> {
    await setFaults(api, { errorRate: 1, status: 503 });
    try {
      const res = await api.gql(CREATE, { input });
      expect(res.errors).toBeUndefined();
      expect(res.data.createPayment.errors[0].code).toBe('VIPPS_UNAVAILABLE');
    } finally {
      await setFaults(api, NO_FAULTS);
    }
    const entry = JSON.parse((await api.redis.get(redisKeys(api.config.redis.prefix).idempotency('123456', input.idempotencyKey as string))) ?? '{}');
    expect(entry.state).toBe('sending');
    return entry.request.body.returnUrl as string;
  }

  it('sends the very same URL and token when a create is retried with the same idempotency key', async () => {
    const input = { idempotencyKey: idem('same'), reference: ref('same'), amount: NOK(2000), userFlow: 'WEB_REDIRECT', returnUrl: 'https://shop.example/r', description: 'Security test', appendStatusToken: true };
    const decided = await failedCreate(input);
    expect(new URL(decided).searchParams.get('statusToken')).toMatch(/^v1\./);
    const retried = await create(api, input);
    const res = await approveOnLanding(retried.redirectUrl);
    expect(res.headers.get('location')).toBe(decided);
  });

  it('gives a long-living payment a token that lasts until an hour after it expires', async () => {
    const expiresAt = new Date(Date.now() + 3 * 86_400_000);
    const reference = ref('long');
    const decided = await failedCreate({
      idempotencyKey: idem('long'),
      reference,
      amount: NOK(100000),
      userFlow: 'PUSH_MESSAGE',
      customerPhoneNumber: '4791234567',
      returnUrl: 'https://shop.example/r',
      expiresAt: expiresAt.toISOString(),
      receipt: { orderLines: [{ name: 'Ticket', id: 't1', totalAmount: 100000, totalAmountExcludingTax: 80000, totalTaxAmount: 20000, taxRate: 2500 }], currency: 'NOK' },
      appendStatusToken: true,
    });
    const claims = verifyStatusToken(api.config.signingSecret, new URL(decided).searchParams.get('statusToken') ?? '');
    expect(claims?.reference).toBe(reference);
    expect(claims?.exp).toBe(Math.floor(expiresAt.getTime() / 1000) + 3600);
  });

  it('refuses appendStatusToken without a returnUrl', async () => {
    const res = await api.gql(`mutation($input: CreatePaymentInput!) { createPayment(input: $input) { payment { reference } errors { code field } } }`, {
      input: { idempotencyKey: idem('nourl'), amount: NOK(2000), userFlow: 'PUSH_MESSAGE', customerPhoneNumber: '4791234567', appendStatusToken: true },
    });
    expect(res.data.createPayment.errors).toEqual([{ code: 'INVALID_URL', field: ['input', 'returnUrl'] }]);
  });
});
