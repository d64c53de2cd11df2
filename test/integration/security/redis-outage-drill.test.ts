import type { Redis } from 'ioredis';
import { jobIds, QueueName } from '../../../src/queues/queues';
import { workerRedis } from '../../../src/redis/client';
import { redisKeys } from '../../../src/redis/keys';
import type { TestApi } from '../../support/api';
import { expectEventually } from '../../support/eventually';
import { startRedisDrill, type RedisDrill } from '../../support/redis-drill';
import { authorized, CANCEL, CAPTURE, CREATE, idem, NO_FAULTS, NOK, ref, REFUND, setFaults, simMoney } from './security-support';
import { paymentTopic } from '../../../src/payments/payment-topic';

/**
 * Redis stops in the middle of money operations and comes back (AOF on). Whatever happened to
 * Redis, a replay with the same key and input answers what the first attempt did — never a refusal
 * for money that moved — nothing is executed twice at Vipps, and a payment Vipps made while our
 * store was down is recorded, followed and announced afterwards.
 */
jest.setTimeout(90_000);

const MSN = '123456';
const PAYMENTS = '{ payments(first: 100) { edges { node { reference } } } }';
/** Vipps answers this slowly while Redis is stopped under a request in flight. */
const LATENCY_MS = 2500;

describe('a Redis outage under money operations', () => {
  let drill: RedisDrill;
  let api: TestApi;

  beforeAll(async () => {
    drill = await startRedisDrill('outage-drill');
    api = drill.api;
  });
  afterAll(async () => {
    await drill?.close();
  });

  const errorsOf = (result: { data: any }) => (Object.values(result.data ?? {})[0] as { errors: { code: string }[] }).errors.map((e) => e.code);
  const mutate = (document: string, input: Record<string, unknown>) => api.gql(document, { input });
  const listed = async () => (await api.gql(PAYMENTS)).data.payments.edges.map((e: any) => e.node.reference) as string[];
  /** The idempotency keys of a payment's events at Vipps named `names`. */
  const keysAtVipps = async (reference: string, names = ['CAPTURED', 'REFUNDED', 'CANCELLED']) =>
    (await simMoney(api, reference)).events.filter((e) => names.includes(e.name)).map((e) => e.idempotencyKey);

  it('refuses what it cannot record, answers replays with the first outcome, and loses no payment', async () => {
    // Before the outage: a capture that succeeds, and one that is refused.
    const before = await authorized(api, 100_000);
    const captured = { reference: before, idempotencyKey: idem('cap-before'), amount: NOK(30_000) };
    expect(errorsOf(await mutate(CAPTURE, captured))).toEqual([]);
    const tooMuch = { reference: before, idempotencyKey: idem('cap-too-much'), amount: NOK(90_000) };
    expect(errorsOf(await mutate(CAPTURE, tooMuch))).toEqual(['CAPTURE_AMOUNT_TOO_HIGH']);

    // Redis stops while a capture and a create are at Vipps (slow answers): both go through there.
    const midway = await authorized(api, 50_000);
    const midCapture = { reference: midway, idempotencyKey: idem('cap-midway'), amount: NOK(20_000) };
    const midCreate = { reference: ref('created-midway'), idempotencyKey: idem('create-midway'), amount: NOK(70_000), userFlow: 'WEB_REDIRECT', returnUrl: 'https://shop.example/back' };
    await setFaults(api, { ...NO_FAULTS, latencyMs: LATENCY_MS });
    const readsBefore = api.sim.sim.ctx.requests.filter((r) => r.method === 'GET' && r.path.endsWith(`/payments/${midway}`)).length;
    const capturing = mutate(CAPTURE, midCapture);
    // The capture has read the payment (slowly) and is sending: its request is in the ledger.
    await expectEventually(async () => expect(api.sim.sim.ctx.requests.filter((r) => r.method === 'GET' && r.path.endsWith(`/payments/${midway}`)).length).toBeGreaterThan(readsBefore), { timeoutMs: 10_000, intervalMs: 20 });
    const creating = mutate(CREATE, midCreate);
    await new Promise((resolve) => setTimeout(resolve, 400));
    await drill.stopRedis();
    // Money moved at Vipps, so the caller is told it did, though we could not record it.
    expect(errorsOf(await capturing)).toEqual([]);
    expect(errorsOf(await creating)).toEqual([]);
    await setFaults(api, NO_FAULTS);
    expect((await simMoney(api, midway)).captured).toBe(20_000);
    expect((await simMoney(api, midCreate.reference)).state).toBe('CREATED');

    // While Redis is down nothing new goes ahead, and nothing is sent to Vipps: a key we cannot look
    // up may be a replay. Replays of what happened before are not turned into refusals either.
    const during = {
      create: { reference: ref('created-during'), idempotencyKey: idem('create-during'), amount: NOK(10_000), userFlow: 'WEB_REDIRECT', returnUrl: 'https://shop.example/back' },
      capture: { reference: before, idempotencyKey: idem('cap-during'), amount: NOK(10_000) },
      refund: { reference: before, idempotencyKey: idem('ref-during'), amount: NOK(5_000) },
      cancel: { reference: midway, idempotencyKey: idem('cancel-during') },
    };
    // (Payloads still read the payment from Vipps; nothing is written there.)
    const writes = () => api.sim.sim.ctx.requests.filter((r) => r.method !== 'GET' && !r.path.toLowerCase().startsWith('/accesstoken')).length;
    const writesBefore = writes();
    expect(errorsOf(await mutate(CREATE, during.create))).toEqual(['STORE_UNAVAILABLE']);
    expect(errorsOf(await mutate(CAPTURE, during.capture))).toEqual(['STORE_UNAVAILABLE']);
    expect(errorsOf(await mutate(REFUND, during.refund))).toEqual(['STORE_UNAVAILABLE']);
    expect(errorsOf(await mutate(CANCEL, during.cancel))).toEqual(['STORE_UNAVAILABLE']);
    expect(errorsOf(await mutate(CAPTURE, captured))).toEqual(['STORE_UNAVAILABLE']);
    expect(errorsOf(await mutate(CAPTURE, midCapture))).toEqual(['STORE_UNAVAILABLE']);
    expect(writes()).toBe(writesBefore);

    await drill.startRedis();
    await expectEventually(async () => expect((await fetch(`${api.url}/readyz`)).status).toBe(200), { timeoutMs: 15_000, intervalMs: 200 });

    // The payment Vipps made while we could not record it: not listed yet; the sweeper finds it
    // from the intent recorded before the create was sent, records it, follows and announces it.
    expect(await listed()).not.toContain(midCreate.reference);
    const listener: Redis = workerRedis(drill.redisUrl());
    const announced: string[] = [];
    try {
      const channel = redisKeys(api.config.redis.prefix).liveChannel(paymentTopic(MSN, midCreate.reference));
      await listener.subscribe(channel);
      listener.on('message', (_channel, message: string) => void announced.push(JSON.parse(message).state));
      // The sweeper waits a minute before it looks at an intent; its clock is moved on here.
      expect(await api.services.paymentReader.recordIntents(MSN, Date.now() + 61_000)).toBe(1);
      expect(await listed()).toContain(midCreate.reference);
      expect(await api.services.jobs.queue(QueueName.PollPayment).getJob(jobIds.pollPayment(MSN, midCreate.reference))).toBeDefined();
      await expectEventually(async () => expect(announced).toEqual(['CREATED']));
    } finally {
      listener.disconnect();
    }

    // Replays answer like the first attempt. The two interrupted at Vipps are resumed (after the
    // 30 s an unfinished entry is given, OPERATION_IN_PROGRESS until then) and Vipps answers them
    // from its own idempotency: never a refusal.
    expect(errorsOf(await mutate(CAPTURE, captured))).toEqual([]);
    expect(errorsOf(await mutate(CAPTURE, tooMuch))).toEqual(['CAPTURE_AMOUNT_TOO_HIGH']);
    for (const [document, input] of [[CAPTURE, midCapture], [CREATE, midCreate]] as const) {
      await expectEventually(async () => {
        const codes = errorsOf(await mutate(document, input));
        expect(codes.filter((c) => c !== 'OPERATION_IN_PROGRESS')).toEqual([]);
        expect(codes).toEqual([]);
      }, { timeoutMs: 45_000, intervalMs: 1000 });
    }
    // What was refused during the outage was not done, so the same key does it now, once.
    expect(errorsOf(await mutate(CAPTURE, during.capture))).toEqual([]);
    expect(errorsOf(await mutate(REFUND, during.refund))).toEqual([]);
    expect(errorsOf(await mutate(CANCEL, during.cancel))).toEqual([]);
    expect(errorsOf(await mutate(CREATE, during.create))).toEqual([]);
    expect(errorsOf(await mutate(CAPTURE, during.capture))).toEqual([]);

    // Vipps executed each key once.
    expect((await keysAtVipps(before)).sort()).toEqual([captured.idempotencyKey, during.capture.idempotencyKey, during.refund.idempotencyKey].sort());
    expect(await simMoney(api, before)).toMatchObject({ captured: 40_000, refunded: 5_000 });
    expect((await keysAtVipps(midway)).sort()).toEqual([midCapture.idempotencyKey, during.cancel.idempotencyKey].sort());
    expect(await simMoney(api, midway)).toMatchObject({ captured: 20_000, cancelled: 30_000 });
    expect(await keysAtVipps(midCreate.reference, ['CREATED'])).toEqual([midCreate.idempotencyKey]);
    expect(await keysAtVipps(during.create.reference, ['CREATED'])).toEqual([during.create.idempotencyKey]);
    // Every payment Vipps has for this test is listed.
    expect(await listed()).toEqual(expect.arrayContaining([before, midway, midCreate.reference, during.create.reference]));
  });
});
