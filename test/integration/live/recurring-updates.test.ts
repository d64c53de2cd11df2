import { redisKeys } from '../../../src/redis/keys';
import { jobIds, QueueName } from '../../../src/queues/queues';
import { startTestApi, type TestApi } from '../../support/api';
import { expectEventually } from '../../support/eventually';
import { registerWebhooks, removeQueues, startTestWorker, wsClient, type TestWorker, type TestWsClient } from '../../support/live';
import { accept, advanceDays, AGREEMENT, CHARGE, createAgreement, CREATE_CHARGE, dueIn, key } from '../recurring/recurring-support';
import { agreementTopic, chargeTopic } from '../../../src/recurring/recurring-topics';

/**
 * Recurring live updates end to end: real Redis, real BullMQ workers, the simulator. The
 * customer's answer reaches subscribers by polling alone (webhooks dropped) and, with webhooks
 * on, through the webhook; a due charge processed by Vipps reaches a chargeUpdated subscriber;
 * a change a query read from Vipps first (webhooks dropped) still reaches subscribers, once.
 */
jest.setTimeout(60_000);

const AGREEMENT_UPDATED = `subscription($agreementId: String!) { agreementUpdated(agreementId: $agreementId) { agreementId status } }`;
const CHARGE_UPDATED = `subscription($agreementId: String!) { chargeUpdated(agreementId: $agreementId) { chargeId status type } }`;
const ONE_CHARGE_UPDATED = `subscription($agreementId: String!, $chargeId: String) { chargeUpdated(agreementId: $agreementId, chargeId: $chargeId) { chargeId status } }`;

describe('live Recurring updates', () => {
  let api: TestApi;
  let worker: TestWorker;
  const clients: TestWsClient[] = [];

  async function channelSubscribers(topic: string): Promise<number> {
    const [, count] = (await api.redis.call('PUBSUB', 'NUMSUB', redisKeys(api.config.redis.prefix).liveChannel(topic))) as [string, number];
    return Number(count);
  }

  function follow<T>(query: string, variables: Record<string, unknown>) {
    const client = wsClient(api.url, { bearer: 'dev' });
    clients.push(client);
    return client.subscribe<T>(query, variables);
  }

  const keys = () => redisKeys(api.config.redis.prefix);
  const job = (queue: QueueName, id: string) => api.services.jobs.queue(queue).getJob(id);

  beforeAll(async () => {
    api = await startTestApi({}, { knownPort: true });
    await registerWebhooks(api);
    worker = await startTestWorker(api);
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await worker.close();
    await removeQueues(api);
    await api.close();
  });

  it('sees the customer accept through polling alone, and tells agreementUpdated subscribers', async () => {
    await api.sim.control('PUT', '/faults', { dropWebhooks: true });
    const { agreement } = await createAgreement(api, { initialCharge: { amount: 4900, description: 'First month', transactionType: 'DIRECT_CAPTURE' } });
    const updates = follow<{ agreementUpdated: { status: string } }>(AGREEMENT_UPDATED, { agreementId: agreement.agreementId });
    const charges = follow<{ chargeUpdated: { status: string; type: string } }>(CHARGE_UPDATED, { agreementId: agreement.agreementId });
    await expectEventually(async () => expect(await channelSubscribers(agreementTopic('123456', agreement.agreementId))).toBe(1));
    await expectEventually(async () => expect(await channelSubscribers(chargeTopic('123456', agreement.agreementId))).toBe(1));

    await accept(api, agreement.agreementId);
    await expectEventually(async () => expect(updates.values.map((v) => v.data.agreementUpdated.status)).toContain('ACTIVE'), { timeoutMs: 12_000 });
    await expectEventually(async () => expect(charges.values.map((v) => v.data.chargeUpdated)).toContainEqual({ chargeId: expect.any(String), status: 'CHARGED', type: 'INITIAL' }));
    expect(updates.values.filter((v) => v.data.agreementUpdated.status === 'ACTIVE')).toHaveLength(1);
    await api.sim.control('PUT', '/faults', { dropWebhooks: false });
  });

  it('with webhooks on, a charge Vipps processes on its due date reaches chargeUpdated subscribers', async () => {
    const { agreement } = await createAgreement(api);
    await accept(api, agreement.agreementId);
    const created = await api.gql(CREATE_CHARGE, {
      input: { agreementId: agreement.agreementId, idempotencyKey: key('chg'), amount: { value: 19900, currency: 'NOK' }, description: 'March', due: await dueIn(api, 3), retryDays: 2, transactionType: 'DIRECT_CAPTURE' },
    });
    expect(created.data.createCharge.errors).toEqual([]);
    const chargeId = created.data.createCharge.charge.chargeId as string;
    const charges = follow<{ chargeUpdated: { chargeId: string; status: string } }>(CHARGE_UPDATED, { agreementId: agreement.agreementId });
    await expectEventually(async () => expect(await channelSubscribers(chargeTopic('123456', agreement.agreementId))).toBe(1));

    await advanceDays(api, 4);
    await expectEventually(async () => expect(charges.values.map((v) => v.data.chargeUpdated)).toContainEqual({ chargeId, status: 'CHARGED', type: 'RECURRING' }), { timeoutMs: 10_000 });
  });

  it('tells agreementUpdated subscribers of ACTIVE once when a query read it from Vipps before the poller did', async () => {
    await api.sim.control('PUT', '/faults', { dropWebhooks: true });
    const { agreement } = await createAgreement(api);
    const { agreementId } = agreement;
    const updates = follow<{ agreementUpdated: { status: string } }>(AGREEMENT_UPDATED, { agreementId });
    await expectEventually(async () => expect(await channelSubscribers(agreementTopic('123456', agreementId))).toBe(1));

    await accept(api, agreementId);
    await api.redis.del(keys().agreementCache('123456', agreementId));
    expect((await api.gql(AGREEMENT, { agreementId })).data.agreement.status).toBe('ACTIVE');
    // Then the poller looks (its job is gone once it has seen the answer): ACTIVE is told once.
    await expectEventually(async () => expect(await job(QueueName.PollAgreement, jobIds.pollAgreement('123456', agreementId))).toBeUndefined(), { timeoutMs: 12_000 });
    await expectEventually(async () => expect(updates.values.map((v) => v.data.agreementUpdated.status)).toContain('ACTIVE'));
    expect(updates.values.filter((v) => v.data.agreementUpdated.status === 'ACTIVE')).toHaveLength(1);
    await api.sim.control('PUT', '/faults', { dropWebhooks: false });
  });

  it('tells chargeUpdated subscribers of CHARGED once when a query read it from Vipps before the poller did', async () => {
    await api.sim.control('PUT', '/faults', { dropWebhooks: true });
    const { agreement } = await createAgreement(api);
    const { agreementId } = agreement;
    await accept(api, agreementId);
    const created = await api.gql(CREATE_CHARGE, {
      input: { agreementId, idempotencyKey: key('chg'), amount: { value: 19900, currency: 'NOK' }, description: 'April', due: await dueIn(api, 3), retryDays: 2, transactionType: 'DIRECT_CAPTURE' },
    });
    expect(created.data.createCharge.errors).toEqual([]);
    const chargeId = created.data.createCharge.charge.chargeId as string;
    const updates = follow<{ chargeUpdated: { chargeId: string; status: string } }>(ONE_CHARGE_UPDATED, { agreementId, chargeId });
    await expectEventually(async () => expect(await channelSubscribers(chargeTopic('123456', agreementId, chargeId))).toBe(1));

    await advanceDays(api, 4);
    await api.redis.del(keys().chargeCache('123456', agreementId, chargeId));
    expect((await api.gql(CHARGE, { agreementId, chargeId })).data.charge.status).toBe('CHARGED');
    // Then the poller looks (now instead of tomorrow; its job is gone once it has seen CHARGED): told once.
    const poll = await job(QueueName.PollCharge, jobIds.pollCharge('123456', agreementId, chargeId));
    expect(poll).toBeDefined();
    await poll?.promote();
    await expectEventually(async () => expect(await job(QueueName.PollCharge, jobIds.pollCharge('123456', agreementId, chargeId))).toBeUndefined());
    await expectEventually(async () => expect(updates.values.map((v) => v.data.chargeUpdated.status)).toContain('CHARGED'));
    expect(updates.values.filter((v) => v.data.chargeUpdated.status === 'CHARGED')).toHaveLength(1);
    await api.sim.control('PUT', '/faults', { dropWebhooks: false });
  });
});
