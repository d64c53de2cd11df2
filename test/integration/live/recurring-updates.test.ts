import { redisKeys } from '../../../src/redis/keys';
import { topics } from '../../../src/live/live-updates';
import { startTestApi, type TestApi } from '../../support/api';
import { expectEventually } from '../../support/eventually';
import { registerWebhooks, removeQueues, startTestWorker, wsClient, type TestWorker, type TestWsClient } from '../../support/live';
import { accept, advanceDays, createAgreement, CREATE_CHARGE, dueIn, key } from '../recurring/recurring-support';

/**
 * Recurring live updates end to end: real Redis, real BullMQ workers, the simulator. The
 * customer's answer reaches subscribers by polling alone (webhooks dropped) and, with webhooks
 * on, through the webhook; a due charge processed by Vipps reaches a chargeUpdated subscriber.
 */
jest.setTimeout(60_000);

const AGREEMENT_UPDATED = `subscription($agreementId: String!) { agreementUpdated(agreementId: $agreementId) { agreementId status } }`;
const CHARGE_UPDATED = `subscription($agreementId: String!) { chargeUpdated(agreementId: $agreementId) { chargeId status type } }`;

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
    await expectEventually(async () => expect(await channelSubscribers(topics.agreement('123456', agreement.agreementId))).toBe(1));
    await expectEventually(async () => expect(await channelSubscribers(topics.charge('123456', agreement.agreementId))).toBe(1));

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
    await expectEventually(async () => expect(await channelSubscribers(topics.charge('123456', agreement.agreementId))).toBe(1));

    await advanceDays(api, 4);
    await expectEventually(async () => expect(charges.values.map((v) => v.data.chargeUpdated)).toContainEqual({ chargeId, status: 'CHARGED', type: 'RECURRING' }), { timeoutMs: 10_000 });
  });
});
