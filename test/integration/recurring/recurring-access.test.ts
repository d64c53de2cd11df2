import { OTHER_MERCHANT, startTestApi, type TestApi } from '../../support/api';
import {
  accept, activeAgreement, advanceDays, AGREEMENT, CAPTURE_CHARGE, CHARGE, CREATE_AGREEMENT, CREATE_CHARGE, createAgreement, dueIn, key, pollCharge, STOP_AGREEMENT,
} from './recurring-support';

/** Idempotent replays, tenancy, listing, node ids and what a warm page costs in Vipps calls. */
describe('Recurring idempotency, tenancy and reads through /graphql', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(async () => {
    await api.close();
  });

  const posts = (since: number, path: RegExp) => api.sim.sim.ctx.requests.slice(since).filter((r) => r.method !== 'GET' && path.test(r.path)).length;
  const input = (idempotencyKey: string, productName = 'Weekly box') => ({
    idempotencyKey, pricing: { type: 'LEGACY', currency: 'NOK', amount: 25000 }, interval: { unit: 'WEEK', count: 1 }, productName, merchantRedirectUrl: 'https://shop.example/after',
  });

  it('replays createAgreement with the same key: one agreement; another input with the key is a conflict', async () => {
    const k = key('agr-replay');
    const before = api.sim.sim.ctx.requests.length;
    const first = await api.gql(CREATE_AGREEMENT, { input: input(k) });
    const second = await api.gql(CREATE_AGREEMENT, { input: input(k) });
    expect(second.data.createAgreement.agreement.agreementId).toBe(first.data.createAgreement.agreement.agreementId);
    expect(second.data.createAgreement.vippsConfirmationUrl).toBe(first.data.createAgreement.vippsConfirmationUrl);
    expect(posts(before, /^\/recurring\/v3\/agreements$/)).toBe(1);
    const other = await api.gql(CREATE_AGREEMENT, { input: input(k, 'Another box') });
    expect(other.data.createAgreement).toMatchObject({ agreement: null, errors: [{ code: 'IDEMPOTENCY_CONFLICT', field: ['input', 'idempotencyKey'] }] });
  });

  it('replays createCharge, captureCharge and stopAgreement without acting twice', async () => {
    const agreement = await activeAgreement(api);
    const chargeInput = { agreementId: agreement.agreementId, idempotencyKey: key('chg'), amount: { value: 20000, currency: 'NOK' }, description: 'Box', due: await dueIn(api, 1), retryDays: 0, transactionType: 'RESERVE_CAPTURE' };
    const first = await api.gql(CREATE_CHARGE, { input: chargeInput });
    const again = await api.gql(CREATE_CHARGE, { input: chargeInput });
    const { chargeId } = first.data.createCharge.charge;
    expect(again.data.createCharge.charge.chargeId).toBe(chargeId);

    await advanceDays(api, 1);
    await pollCharge(api, agreement.agreementId, chargeId);
    const capture = { agreementId: agreement.agreementId, chargeId, idempotencyKey: key('cap'), amount: { value: 5000, currency: 'NOK' } };
    const before = api.sim.sim.ctx.requests.length;
    await api.gql(CAPTURE_CHARGE, { input: capture });
    const replay = await api.gql(CAPTURE_CHARGE, { input: capture });
    expect(replay.data.captureCharge).toMatchObject({ errors: [], charge: { status: 'PARTIALLY_CAPTURED', summary: { captured: { value: 5000 } } } });
    expect(posts(before, /\/capture$/)).toBe(1);
    expect(replay.data.captureCharge.charge.history.filter((h: { event: string }) => h.event === 'CAPTURE')).toHaveLength(1);

    const stop = { agreementId: agreement.agreementId, idempotencyKey: key('stop') };
    expect((await api.gql(STOP_AGREEMENT, { input: stop })).data.stopAgreement.errors).toEqual([]);
    expect((await api.gql(STOP_AGREEMENT, { input: stop })).data.stopAgreement).toMatchObject({ errors: [], agreement: { status: 'STOPPED' } });
  });

  it('keeps merchants apart: another merchant’s agreement reads as not found and cannot be touched', async () => {
    const mine = await activeAgreement(api);
    const id = mine.agreementId;
    expect((await api.gql(AGREEMENT, { agreementId: id }, 'other')).data.agreement).toBeNull();
    expect((await api.gql(AGREEMENT, { agreementId: id, msn: OTHER_MERCHANT.msn }, 'dev')).data.agreement).toBeNull();
    expect((await api.gql(AGREEMENT, { agreementId: id, msn: OTHER_MERCHANT.msn }, 'partner')).data.agreement).toBeNull();
    expect((await api.gql(AGREEMENT, { agreementId: id, msn: '123456' }, 'partner')).data.agreement.agreementId).toBe(id);

    const node = await api.gql(`query($id: ID!) { node(id: $id) { id ... on Agreement { agreementId } } }`, { id: (await api.gql(AGREEMENT, { agreementId: id })).data.agreement.id }, 'other');
    expect(node.data.node).toBeNull();
    const stop = await api.gql(STOP_AGREEMENT, { input: { agreementId: id, idempotencyKey: key('stop') } }, 'other');
    expect(stop.data.stopAgreement).toMatchObject({ agreement: null, errors: [{ code: 'NOT_FOUND' }] });
    const foreignMsn = await api.gql(STOP_AGREEMENT, { input: { merchantSerialNumber: OTHER_MERCHANT.msn, agreementId: id, idempotencyKey: key('stop') } }, 'dev');
    expect(foreignMsn.data.stopAgreement.errors).toMatchObject([{ code: 'NOT_FOUND', message: 'Merchant 654321 was not found.' }]);
    const ambiguous = await api.gql(STOP_AGREEMENT, { input: { agreementId: id, idempotencyKey: key('stop') } }, 'partner');
    expect(ambiguous.data.stopAgreement.errors).toMatchObject([{ code: 'MERCHANT_REQUIRED' }]);
    expect((await api.gql(AGREEMENT, { agreementId: id })).data.agreement.status).toBe('ACTIVE');

    // The other merchant's own agreements are theirs alone.
    const theirs = await createAgreement(api, { apiKey: 'other' });
    await accept(api, theirs.agreement.agreementId, OTHER_MERCHANT);
    expect((await api.gql(AGREEMENT, { agreementId: theirs.agreement.agreementId }, 'dev')).data.agreement).toBeNull();
    expect((await api.gql(AGREEMENT, { agreementId: theirs.agreement.agreementId }, 'other')).data.agreement.merchantSerialNumber).toBe(OTHER_MERCHANT.msn);
  });

  it('resolves Agreement and Charge global ids through node(id)', async () => {
    const agreement = await activeAgreement(api);
    const created = await api.gql(CREATE_CHARGE, {
      input: { agreementId: agreement.agreementId, idempotencyKey: key('chg'), amount: { value: 19900, currency: 'NOK' }, description: 'Node', due: await dueIn(api, 4), retryDays: 1 },
    });
    const charge = created.data.createCharge.charge;
    const read = await api.gql(`query($a: ID!, $c: ID!) {
      a: node(id: $a) { id ... on Agreement { agreementId status } }
      c: node(id: $c) { id ... on Charge { chargeId status agreement { agreementId } } }
    }`, { a: (await api.gql(AGREEMENT, { agreementId: agreement.agreementId })).data.agreement.id, c: charge.id });
    expect(read.data).toEqual({
      a: { id: expect.any(String), agreementId: agreement.agreementId, status: 'ACTIVE' },
      c: { id: charge.id, chargeId: charge.chargeId, status: 'DUE', agreement: { agreementId: agreement.agreementId } },
    });
    const direct = await api.gql(CHARGE, { agreementId: agreement.agreementId, chargeId: charge.chargeId });
    expect(direct.data.charge.id).toBe(charge.id);
  });

  it('lists agreements by status with their charges, pages them, and costs no Vipps call when warm', async () => {
    const fresh = await startTestApi();
    try {
      const ids: string[] = [];
      for (let i = 0; i < 3; i += 1) {
        const a = await activeAgreement(fresh);
        ids.push(a.agreementId);
        for (let j = 0; j < 2; j += 1) {
          await fresh.gql(CREATE_CHARGE, {
            input: { agreementId: a.agreementId, idempotencyKey: key('chg'), amount: { value: 19900, currency: 'NOK' }, description: `Charge ${j}`, due: await dueIn(fresh, 5 + j), retryDays: 1 },
          });
        }
      }
      await createAgreement(fresh); // stays PENDING
      const LIST = `query($after: String, $status: AgreementStatus) {
        agreements(status: $status, first: 2, after: $after) {
          totalCount pageInfo { hasNextPage endCursor }
          edges { node { agreementId status charges(status: DUE, first: 10) { totalCount edges { node { chargeId status } } } } }
        }
      }`;
      const first = await fresh.gql(LIST, {});
      expect(first.errors).toBeUndefined();
      expect(first.data.agreements).toMatchObject({ totalCount: 3, pageInfo: { hasNextPage: true } });
      const rest = await fresh.gql(LIST, { after: first.data.agreements.pageInfo.endCursor });
      const listed = [...first.data.agreements.edges, ...rest.data.agreements.edges].map((e: any) => e.node);
      expect(listed.map((n: any) => n.agreementId)).toEqual(ids);
      expect(listed.every((n: any) => n.charges.totalCount === 2)).toBe(true);
      expect(rest.data.agreements.pageInfo.hasNextPage).toBe(false);
      expect((await fresh.gql(LIST, { status: 'PENDING' })).data.agreements.totalCount).toBe(1);

      const before = fresh.vippsCalls();
      const warm = await fresh.gql(LIST, {});
      expect(warm.data).toEqual(first.data);
      expect(fresh.vippsCalls()).toBe(before);
    } finally {
      await fresh.close();
    }
  });

  it('reads a cold agreement asked for three times in one request from Vipps once', async () => {
    const agreement = await activeAgreement(api);
    const id = (await api.gql(AGREEMENT, { agreementId: agreement.agreementId })).data.agreement.id;
    const cacheKeys = await api.redis.keys(`${api.config.redis.prefix}:agreement:*`);
    await api.redis.del(...cacheKeys);
    const before = api.sim.sim.ctx.requests.length;
    const result = await api.gql(`query($a: String!, $id: ID!) {
      one: agreement(agreementId: $a) { status } two: agreement(agreementId: $a) { status } three: node(id: $id) { id }
    }`, { a: agreement.agreementId, id });
    expect(result.data.one.status).toBe('ACTIVE');
    expect(api.sim.sim.ctx.requests.slice(before).filter((r) => r.path === `/recurring/v3/agreements/${agreement.agreementId}`)).toHaveLength(1);
  });
});
