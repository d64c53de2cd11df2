import { PaymentDocument, PaymentsDocument } from '../../generated/graphql';
import { startTestApi, type TestApi } from '../../support/api';
import { createPayment, vippsReads } from './payment-support';

/**
 * Redis is a cache here, not the source of truth: with the API's Redis connection gone, a
 * payment is still read from Vipps. A dedicated API instance, since its connection is broken.
 */
describe('payment reads with Redis down', () => {
  let api: TestApi;
  let reference: string;
  beforeAll(async () => {
    api = await startTestApi();
    reference = (await createPayment(api)).payment.reference;
    api.redis.disconnect();
  });
  afterAll(async () => {
    await api.close();
  });

  it('payment(reference) answers from Vipps', async () => {
    const before = vippsReads(api, reference);
    const res = await api.gql(PaymentDocument, { reference });
    expect(res.errors).toBeUndefined();
    expect(res.data.payment).toMatchObject({ reference, state: 'CREATED', amount: { value: 100000, currency: 'NOK' } });
    expect(vippsReads(api, reference) - before).toBe(1);
  });

  it('an unknown payment is still null, not an error', async () => {
    const res = await api.gql(PaymentDocument, { reference: 'no-such-order-9' });
    expect(res.errors).toBeUndefined();
    expect(res.data.payment).toBeNull();
  });

  it('payments(...) needs the registry, so it fails as a top-level error that leaks nothing', async () => {
    const res = await api.gql(PaymentsDocument, {});
    expect(res.data).toBeNull();
    expect(res.errors).toHaveLength(1);
    expect(res.errors?.[0]?.message).not.toMatch(/connection|redis|closed/i);
  });
});
