import { PaymentDocument, PaymentsPageDocument } from '../../generated/graphql';
import { redisKeys } from '../../../src/redis/keys';
import { startTestApi, type TestApi } from '../../support/api';
import { expectEventually } from '../../support/eventually';
import { countVipps, createPayment, simView, vippsReads } from './payment-support';

/**
 * docs/design.md §4 cache rules, counted: a warm page of 50 is one Redis round trip and no Vipps call;
 * a cold page reads each payment from Vipps at most once; concurrent misses for one payment make
 * one Vipps call. Its own API instance, so the registry holds only these payments.
 */
describe('payment cache through /graphql', () => {
  let api: TestApi;
  let references: string[];
  beforeAll(async () => {
    api = await startTestApi();
    // Approved at once, so they are AUTHORIZED (60 s TTL) rather than CREATED (5 s) while we count.
    await api.sim.control('PUT', '/behaviour', { autoApproveAfterMs: 0, userAction: 'APPROVE' });
    references = (await Promise.all(Array.from({ length: 50 }, () => createPayment(api)))).map((c) => c.payment.reference);
    await api.sim.control('PUT', '/behaviour', { autoApproveAfterMs: null, userAction: 'APPROVE' });
    await expectEventually(async () => {
      for (const reference of references) expect((await simView(api, reference)).state).toBe('AUTHORIZED');
    });
  });
  afterAll(async () => {
    await api.close();
  });

  /** Drops every cached payment of merchant 123456 (`…payment:{123456}:*`), not the registry. */
  async function clearPaymentCache(): Promise<number> {
    const pattern = `${redisKeys(api.config.redis.prefix).paymentCache('123456', '')}*`;
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, found] = await api.redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next;
      keys.push(...found);
    } while (cursor !== '0');
    return keys.length > 0 ? api.redis.del(...keys) : 0;
  }

  /** Redis commands the API's own connection sends while `act` runs. */
  async function redisCommands<T>(act: () => Promise<T>): Promise<{ commands: string[]; result: T }> {
    const spy = jest.spyOn(api.redis, 'sendCommand');
    try {
      const result = await act();
      return { commands: spy.mock.calls.map(([command]) => (command as { name: string }).name), result };
    } finally {
      spy.mockRestore();
    }
  }

  const page = () => api.gql(PaymentsPageDocument, { first: 50 });

  it('a cold page reads each payment from Vipps at most once', async () => {
    expect(await clearPaymentCache()).toBeGreaterThan(0);
    const before = new Map(references.map((r) => [r, vippsReads(api, r)]));
    const res = await page();
    expect(res.errors).toBeUndefined();
    expect(res.data.payments.edges).toHaveLength(50);
    expect(res.data.payments.edges.every((e) => e.node.state === 'AUTHORIZED')).toBe(true);
    const reads = references.map((r) => vippsReads(api, r) - (before.get(r) as number));
    expect(reads.every((n) => n <= 1)).toBe(true);
    expect(reads.reduce((a, b) => a + b, 0)).toBe(50);
  });

  it('a warm page of 50 is one Redis round trip and no Vipps call', async () => {
    await page(); // warm: every payment cached, the page script loaded
    const { commands, result } = await redisCommands(() => countVipps(api, page));
    expect(result.result.data.payments.edges.map((e) => e.node.reference).sort()).toEqual([...references].sort());
    expect(result.result.data.payments.edges.every((e) => e.node.state === 'AUTHORIZED' && e.node.amount.value === 100000)).toBe(true);
    expect(result.calls).toBe(0);
    expect(commands).toEqual(['evalsha']);
  });

  it('20 concurrent reads of one uncached payment make one Vipps call', async () => {
    const reference = references[0] as string;
    await clearPaymentCache();
    const before = vippsReads(api, reference);
    const results = await Promise.all(Array.from({ length: 20 }, () => api.gql(PaymentDocument, { reference })));
    expect(results.every((r) => r.data.payment?.reference === reference && r.data.payment.state === 'AUTHORIZED')).toBe(true);
    expect(vippsReads(api, reference) - before).toBe(1);
  });

  it('a cached payment is read without Vipps', async () => {
    const reference = references[1] as string;
    await api.gql(PaymentDocument, { reference });
    const { calls, result } = await countVipps(api, () => api.gql(PaymentDocument, { reference }));
    expect(result.data.payment?.state).toBe('AUTHORIZED');
    expect(calls).toBe(0);
  });
});
