import { once } from 'node:events';
import { sweeperProcessor } from '../../../jobs/sweeper.processor';
import { jobIds, QueueName } from '../../../src/queues/queues';
import type { AgreementRecord } from '../../../src/recurring/recurring-record';
import { startTestApi, type TestApi } from '../../support/api';
import { draft } from '../simulator/recurring-support';
import { accept, AGREEMENT, createAgreement, key, STOP_AGREEMENT } from './recurring-support';

/**
 * `agreements(...)` lists from our registry (a status index per merchant that every store keeps in
 * step with the version), never through Vipps' ListAgreements (5 calls a minute per merchant);
 * the sweeper lists at Vipps once an hour to add agreements that never passed through us.
 */
describe('agreements(...) from the registry', () => {
  let api: TestApi;
  beforeEach(async () => {
    api = await startTestApi();
    // The tests below use the API's connection directly, which queues nothing before it is ready.
    if (api.redis.status !== 'ready') await once(api.redis, 'ready');
  });
  afterEach(async () => {
    await api.close();
  });

  const MSN = '123456';
  const LIST = `query($status: AgreementStatus, $first: Int, $after: String) {
    agreements(status: $status, first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { agreementId status } } }
  }`;
  /** Calls to Vipps' ListAgreements the simulator has received. */
  const listCalls = () => api.sim.sim.ctx.requests.filter((r) => r.method === 'GET' && r.path === '/recurring/v3/agreements').length;
  const list = async (status: string, first = 20, after?: string) => {
    const result = await api.gql(LIST, { status, first, ...(after ? { after } : {}) });
    expect(result.errors).toBeUndefined();
    return result.data.agreements as { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: { node: { agreementId: string; status: string } }[] };
  };
  const ids = async (status: string) => {
    const page = await list(status);
    expect(page.totalCount).toBe(page.edges.length);
    return page.edges.map((e) => e.node.agreementId);
  };
  /** What the agreement poller does: read Vipps and store. */
  const poll = (agreementId: string) => api.services.recurringReader.refreshAgreement(MSN, agreementId);
  const sweep = () => sweeperProcessor(api.services)();

  it('moves an agreement between the status lists as it goes PENDING → ACTIVE → STOPPED, with no Vipps list call', async () => {
    const a = (await createAgreement(api)).agreement.agreementId as string;
    const b = (await createAgreement(api)).agreement.agreementId as string;
    expect(await ids('PENDING')).toEqual([a, b]);
    expect(await ids('ACTIVE')).toEqual([]);

    await accept(api, a);
    await accept(api, b);
    await poll(a);
    expect(await ids('PENDING')).toEqual([b]);
    expect(await ids('ACTIVE')).toEqual([a]);
    await poll(b);
    expect(await ids('PENDING')).toEqual([]);
    expect(await ids('ACTIVE')).toEqual([a, b]);

    // Stopped through us (a mutation stores what Vipps then says)...
    expect((await api.gql(STOP_AGREEMENT, { input: { agreementId: a, idempotencyKey: key('stop') } })).data.stopAgreement.errors).toEqual([]);
    expect(await ids('ACTIVE')).toEqual([b]);
    expect(await ids('STOPPED')).toEqual([a]);
    // ...and at Vipps without us (the customer in the app, webhook lost): a read finds it once the cached copy is gone.
    const stopped = await api.sim.call('PATCH', `/recurring/v3/agreements/${b}`, { body: { status: 'STOPPED' }, idempotencyKey: key('app-stop') });
    expect(stopped.status).toBe(204);
    await api.redis.del(`${api.config.redis.prefix}:agreement:{${MSN}}:${b}`);
    expect((await api.gql(AGREEMENT, { agreementId: b })).data.agreement.status).toBe('STOPPED');
    expect(await ids('ACTIVE')).toEqual([]);
    expect(await ids('STOPPED')).toEqual([a, b]);
    expect(await ids('EXPIRED')).toEqual([]);

    expect(listCalls()).toBe(0);
  });

  it('pages a status oldest first by cursor; an agreement leaving the status between pages neither repeats nor hides another', async () => {
    const created: string[] = [];
    for (let i = 0; i < 5; i += 1) created.push((await createAgreement(api)).agreement.agreementId as string);

    const first = await list('PENDING', 2);
    expect(first).toMatchObject({ totalCount: 5, pageInfo: { hasNextPage: true } });
    expect(first.edges.map((e) => e.node.agreementId)).toEqual(created.slice(0, 2));
    // The first two are accepted meanwhile: a position cursor would now skip the third.
    for (const id of created.slice(0, 2)) {
      await accept(api, id);
      await poll(id);
    }
    const second = await list('PENDING', 2, first.pageInfo.endCursor ?? undefined);
    expect(second).toMatchObject({ totalCount: 3, pageInfo: { hasNextPage: true } });
    expect(second.edges.map((e) => e.node.agreementId)).toEqual(created.slice(2, 4));
    const third = await list('PENDING', 2, second.pageInfo.endCursor ?? undefined);
    expect(third.edges.map((e) => e.node.agreementId)).toEqual(created.slice(4));
    expect(third.pageInfo.hasNextPage).toBe(false);

    const elsewhere = await api.gql(LIST, { status: 'ACTIVE', first: 2, after: first.pageInfo.endCursor });
    expect(elsewhere.errors?.[0]).toMatchObject({ message: 'The cursor is not valid.', extensions: { code: 'BAD_USER_INPUT' } });
    expect(listCalls()).toBe(0);
  });

  it('lists agreements made at Vipps without us after the sweeper lists them there, at most once an hour, and restores their polls from the registry', async () => {
    const pending = (await draft(api.sim)).agreementId;
    const active = (await draft(api.sim)).agreementId;
    await accept(api, active);
    expect(await ids('PENDING')).toEqual([]);
    expect(await ids('ACTIVE')).toEqual([]);

    expect(await sweep()).toMatch(/; listed 2 agreements at Vipps$/);
    // Every status of both configured merchants, one page each.
    expect(listCalls()).toBe(8);
    expect(await ids('PENDING')).toEqual([pending]);
    expect(await ids('ACTIVE')).toEqual([active]);

    // Seen for the first time, so announced: the PENDING one is polled. The sweeper rebuilds a lost poll from the registry, listing nothing.
    const pollJob = () => api.services.jobs.queue(QueueName.PollAgreement).getJob(jobIds.pollAgreement(MSN, pending));
    expect(await pollJob()).toBeDefined();
    await (await pollJob())?.remove();
    expect(await pollJob()).toBeUndefined();
    expect(await sweep()).toMatch(/; listed 0 agreements at Vipps$/);
    expect(await pollJob()).toBeDefined();
    expect(listCalls()).toBe(8);
  });

  it('tries a failed listing at Vipps again at the next sweep', async () => {
    const made = (await draft(api.sim)).agreementId;
    await api.sim.control('PUT', '/faults', { errorRate: 1, status: 500 });
    expect(await sweep()).toMatch(/; listed 0 agreements at Vipps$/);
    await api.sim.control('PUT', '/faults', { errorRate: 0 });
    expect(await sweep()).toMatch(/; listed 1 agreements at Vipps$/);
    expect(await ids('PENDING')).toEqual([made]);
  });

  it('keeps the index with the version: a record behind it moves nothing, and one stored before the index existed joins it when stored again', async () => {
    const registry = api.services.recurringRegistry;
    const record = (status: AgreementRecord['status']): AgreementRecord => ({
      merchantSerialNumber: MSN, agreementId: 'agr_INDEX1', uuid: null, status, productName: 'News', productDescription: null,
      pricing: { type: 'LEGACY', currency: 'NOK', amount: 19900, suggestedMaxAmount: null, maxAmount: null }, interval: { unit: 'MONTH', count: 1, text: null },
      campaign: null, merchantAgreementUrl: 'https://x.example', merchantRedirectUrl: 'https://x.example', vippsConfirmationUrl: null, externalId: null,
      countryCode: 'NO', sub: null, userinfoUrl: null, created: '2026-01-01T00:00:00Z', start: null, stop: null,
    });
    const indexed = async (status: AgreementRecord['status']) => (await registry.agreements(MSN, status, null, 10)).rows.map((r) => r.agreementId);

    expect(await registry.recordAgreement(record('ACTIVE'))).toBe('moved');
    expect(await registry.recordAgreement(record('PENDING'))).toBe('behind');
    expect(await indexed('PENDING')).toEqual([]);
    expect(await indexed('ACTIVE')).toEqual(['agr_INDEX1']);

    await api.redis.del(`${api.config.redis.prefix}:agreement-index:{${MSN}}:ACTIVE`);
    expect(await registry.recordAgreement(record('ACTIVE'))).toBe('same');
    expect(await indexed('ACTIVE')).toEqual(['agr_INDEX1']);
  });
});
