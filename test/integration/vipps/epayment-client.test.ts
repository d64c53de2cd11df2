import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { loadConfig, SIMULATOR_MERCHANT } from '../../../src/config/config';
import type { CreatePaymentRequest } from '../../../src/vipps/api-types';
import { VippsApiError, VippsConflictError, VippsInvalidRequestError, VippsNotFoundError } from '../../../src/vipps/errors';
import { createVippsClient, type VippsClient } from '../../../src/vipps/vipps-client';
import { deleteKeys, testRedis } from '../../support/redis';
import { startTestSimulator, type TestSimulator } from '../../support/simulator';
import { capturingLogger } from './support/fake-vipps.server';

/** The ePayment client end to end against the simulator: a payment's whole life, and its errors. */

const MSN = SIMULATOR_MERCHANT.msn;
const NOK = (value: number) => ({ currency: 'NOK' as const, value });
const prefix = `test-vipps-epayment-${randomUUID().slice(0, 8)}`;

let sim: TestSimulator;
let redis: Redis;
let vipps: VippsClient;

const newReference = () => `vg-client-${randomUUID().slice(0, 12)}`;

const paymentBody = (reference: string): CreatePaymentRequest => ({
  amount: NOK(1000),
  paymentMethod: { type: 'WALLET' },
  reference,
  userFlow: 'WEB_REDIRECT',
  returnUrl: 'https://shop.example/return',
  paymentDescription: 'One coffee',
});
const createPayment = (reference: string) => vipps.epayment.createPayment(MSN, paymentBody(reference), `create-${reference}`);

beforeAll(async () => {
  sim = await startTestSimulator();
  redis = testRedis();
  const config = loadConfig({ VIPPS_ENV: 'simulator', VIPPS_BASE_URL: sim.url, REDIS_PREFIX: prefix, VIPPS_MAX_RETRIES: '2' });
  vipps = createVippsClient({ config, redis, log: capturingLogger('silent').log, retryPolicy: { baseDelayMs: 5, maxDelayMs: 20, maxRetryAfterMs: 2_000 } });
});

afterAll(async () => {
  await deleteKeys(redis, `${prefix}:`);
  await redis.quit();
  await sim.close();
});

afterEach(async () => {
  await sim.control('PUT', '/faults', { errorRate: 0 });
});

it('create → force approve → capture → refund → events', async () => {
  const reference = newReference();
  const created = await createPayment(reference);
  expect(created.reference).toBe(reference);
  expect(created.redirectUrl).toEqual(expect.any(String));

  await vipps.epayment.forceApprovePayment(MSN, reference, { customer: { phoneNumber: '4791234567' } });
  expect((await vipps.epayment.getPayment(MSN, reference)).state).toBe('AUTHORIZED');

  const captured = await vipps.epayment.capturePayment(MSN, reference, { modificationAmount: NOK(1000) }, `capture-${reference}`);
  expect(captured.aggregate.capturedAmount).toEqual(NOK(1000));
  // Same key, same body: Vipps answers with the current state and captures nothing more.
  const again = await vipps.epayment.capturePayment(MSN, reference, { modificationAmount: NOK(1000) }, `capture-${reference}`);
  expect(again.aggregate.capturedAmount).toEqual(NOK(1000));

  const refunded = await vipps.epayment.refundPayment(MSN, reference, { modificationAmount: NOK(400) }, `refund-${reference}-1`);
  expect(refunded.aggregate.refundedAmount).toEqual(NOK(400));

  const events = await vipps.epayment.getPaymentEvents(MSN, reference);
  expect(events.map((e) => e.name)).toEqual(['CREATED', 'AUTHORIZED', 'CAPTURED', 'REFUNDED']);
  expect(events.find((e) => e.name === 'CAPTURED')?.idempotencyKey).toBe(`capture-${reference}`);
});

it('cancels a payment that was never approved', async () => {
  const reference = newReference();
  await createPayment(reference);
  const cancelled = await vipps.epayment.cancelPayment(MSN, reference, {}, `cancel-${reference}`);
  expect(cancelled.state).toBe('TERMINATED');
});

it('surfaces ePayment error codes on the right classes', async () => {
  const reference = newReference();
  await createPayment(reference);
  await expect(vipps.epayment.capturePayment(MSN, reference, { modificationAmount: NOK(100) }, `capture-${reference}`)).rejects.toMatchObject({
    constructor: VippsInvalidRequestError,
    status: 400,
    code: '6080',
    traceId: expect.any(String),
  });
  // The reference exists already; a new key makes it a second create, not a retry (4150).
  await expect(vipps.epayment.createPayment(MSN, paymentBody(reference), `create-${reference}-other`)).rejects.toMatchObject({ constructor: VippsConflictError, code: '4150' });
  await expect(vipps.epayment.getPayment(MSN, newReference())).rejects.toMatchObject({ constructor: VippsNotFoundError, code: '5090' });
});

it('retries a GET through injected 503s and gives up after maxRetries', async () => {
  await sim.control('PUT', '/faults', { errorRate: 1, status: 503 });
  const reference = newReference();
  sim.sim.ctx.requests.length = 0;
  await expect(vipps.epayment.getPayment(MSN, reference)).rejects.toBeInstanceOf(VippsApiError);
  expect(sim.sim.ctx.requests.filter((r) => r.path.endsWith(reference))).toHaveLength(3);
});
