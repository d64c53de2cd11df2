import { CancelPaymentDocument, PaymentDocument, PaymentsDocument, type PaymentsQuery, type PaymentsQueryVariables, type PaymentState } from '../../generated/graphql';
import { startTestApi, type GqlResult, type TestApi } from '../../support/api';
import { approve, createPayment, dropCached, uniqueKey } from './payment-support';

/**
 * `payments(...)` from the registry (docs/design.md §4): newest first, filtered by one or several states,
 * Relay paging with no duplicates and no gaps, totalCount, and the page size limit. Its own API
 * instance, so the registry holds only this file's payments.
 */
describe('payments listing through /graphql', () => {
  let api: TestApi;
  /** References in creation order, oldest first. */
  const created: string[] = [];
  const states = new Map<string, PaymentState>();

  beforeAll(async () => {
    api = await startTestApi();
    for (let i = 0; i < 9; i += 1) {
      const { payment } = await createPayment(api);
      created.push(payment.reference);
      states.set(payment.reference, 'CREATED');
    }
    for (const i of [1, 4, 7]) {
      const reference = created[i] as string;
      await approve(api, reference);
      await dropCached(api, reference);
      // Reading it after the change in Vipps records the new state in the registry.
      expect((await api.gql(PaymentDocument, { reference })).data.payment?.state).toBe('AUTHORIZED');
      states.set(reference, 'AUTHORIZED');
    }
    for (const i of [2, 8]) {
      const reference = created[i] as string;
      await api.gql(CancelPaymentDocument, { input: { reference, idempotencyKey: uniqueKey('cancel') } });
      states.set(reference, 'TERMINATED');
    }
  });
  afterAll(async () => {
    await api.close();
  });

  async function all(variables: PaymentsQueryVariables, pageSize: number): Promise<string[]> {
    const seen: string[] = [];
    let after: string | null = null;
    for (let pages = 0; pages < 100; pages += 1) {
      const res: GqlResult<PaymentsQuery> = await api.gql(PaymentsDocument, { ...variables, first: pageSize, after });
      expect(res.errors).toBeUndefined();
      const page = res.data.payments;
      expect(page.edges.length).toBeLessThanOrEqual(pageSize);
      seen.push(...page.edges.map((e) => e.node.reference));
      expect(page.pageInfo.hasPreviousPage).toBe(after !== null);
      if (!page.pageInfo.hasNextPage) return seen;
      expect(page.edges).toHaveLength(pageSize);
      after = page.pageInfo.endCursor;
    }
    throw new Error('paging did not end');
  }

  const newestFirst = () => [...created].reverse();
  const inStates = (...wanted: PaymentState[]) => newestFirst().filter((r) => wanted.includes(states.get(r) as PaymentState));

  it('lists newest first with totalCount', async () => {
    const res = await api.gql(PaymentsDocument, { first: 50 });
    expect(res.data.payments.edges.map((e) => e.node.reference)).toEqual(newestFirst());
    expect(res.data.payments.edges.map((e) => e.node.state)).toEqual(newestFirst().map((r) => states.get(r)));
    expect(res.data.payments.totalCount).toBe(9);
    expect(res.data.payments.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: false });
    const times = res.data.payments.edges.map((e) => Date.parse(e.node.createdAt));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
  });

  it('filters by one state', async () => {
    const res = await api.gql(PaymentsDocument, { state: ['AUTHORIZED'], first: 50 });
    expect(res.data.payments.edges.map((e) => e.node.reference)).toEqual(inStates('AUTHORIZED'));
    expect(res.data.payments.edges.every((e) => e.node.state === 'AUTHORIZED')).toBe(true);
    expect(res.data.payments.totalCount).toBe(3);
  });

  it('filters by several states, still newest first', async () => {
    const res = await api.gql(PaymentsDocument, { state: ['TERMINATED', 'AUTHORIZED'], first: 50 });
    expect(res.data.payments.edges.map((e) => e.node.reference)).toEqual(inStates('AUTHORIZED', 'TERMINATED'));
    expect(res.data.payments.totalCount).toBe(5);
    const none = await api.gql(PaymentsDocument, { state: ['EXPIRED'] });
    expect(none.data.payments).toMatchObject({ edges: [], totalCount: 0, pageInfo: { hasNextPage: false, endCursor: null } });
  });

  it.each([1, 2, 4, 9])('pages of %i cover every payment once, in order', async (size) => {
    expect(await all({}, size)).toEqual(newestFirst());
  });

  it('pages a state filter across pages', async () => {
    expect(await all({ state: ['CREATED', 'TERMINATED'] }, 2)).toEqual(inStates('CREATED', 'TERMINATED'));
  });

  it('pages without gaps or duplicates when many payments share a creation millisecond', async () => {
    const api2 = await startTestApi();
    try {
      const burst = await Promise.all(Array.from({ length: 30 }, () => createPayment(api2)));
      const refs = burst.map((b) => b.payment.reference);
      const listed: string[] = [];
      let after: string | null = null;
      for (;;) {
        const res: GqlResult<PaymentsQuery> = await api2.gql(PaymentsDocument, { first: 4, after });
        listed.push(...res.data.payments.edges.map((e) => e.node.reference));
        if (!res.data.payments.pageInfo.hasNextPage) break;
        after = res.data.payments.pageInfo.endCursor;
      }
      expect(new Set(listed).size).toBe(listed.length);
      expect([...listed].sort()).toEqual([...refs].sort());
      const full = await api2.gql(PaymentsDocument, { first: 100 });
      expect(full.data.payments.edges.map((e) => e.node.reference)).toEqual(listed);
      expect(full.data.payments.totalCount).toBe(30);
    } finally {
      await api2.close();
    }
  });

  it.each([101, 0, -1])('first: %i is refused', async (first) => {
    const res = await api.gql(PaymentsDocument, { first });
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0]?.message).toBe('first must be between 1 and 100.');
  });

  it('a cursor that is not ours is refused', async () => {
    const res = await api.gql(PaymentsDocument, { first: 2, after: 'bm9wZQ' });
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
