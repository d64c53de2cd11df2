import { randomBytes } from 'node:crypto';
import type { MerchantConfig } from '../../../src/config/config';
import { redisKeys } from '../../../src/redis/keys';
import {
  CreatePaymentDocument,
  type CreatePaymentInput,
  type CreatePaymentMutation,
  type PaymentFieldsFragment,
} from '../../generated/graphql';
import type { TestApi } from '../../support/api';

/**
 * Shared steps for the payment integration tests: unique references and keys, a payment created
 * through /graphql, approval through Vipps' test endpoint, and what the simulator itself holds
 * (read straight from it, so it never counts inside a `vippsCalls()` window of the API).
 */
export function uniqueRef(prefix: string): string {
  return `${prefix}-${randomBytes(5).toString('hex')}`;
}

export function uniqueKey(prefix: string): string {
  return `${prefix}.${randomBytes(5).toString('hex')}`;
}

export const NOK = (value: number) => ({ value, currency: 'NOK' as const });

export function createInput(overrides: Partial<CreatePaymentInput> = {}): CreatePaymentInput {
  return {
    idempotencyKey: uniqueKey('create'),
    reference: uniqueRef('order'),
    amount: NOK(100000),
    userFlow: 'WEB_REDIRECT',
    returnUrl: 'https://shop.example/back',
    description: 'Two tickets',
    ...overrides,
  };
}

/** Creates a payment through /graphql and fails the test if it was refused. */
export async function createPayment(api: TestApi, overrides: Partial<CreatePaymentInput> = {}, key = 'dev'): Promise<CreatePaymentMutation['createPayment'] & { payment: PaymentFieldsFragment }> {
  const result = await api.gql(CreatePaymentDocument, { input: createInput(overrides) }, key);
  expect(result.errors).toBeUndefined();
  expect(result.data.createPayment.errors).toEqual([]);
  const payload = result.data.createPayment;
  if (!payload.payment) throw new Error('createPayment returned no payment');
  return payload as CreatePaymentMutation['createPayment'] & { payment: PaymentFieldsFragment };
}

/** The customer approves in the app (Vipps' force-approve test endpoint). */
export async function approve(api: TestApi, reference: string, merchant?: MerchantConfig): Promise<void> {
  const res = await api.sim.call('POST', `/epayment/v1/test/payments/${reference}/approve`, {
    body: { customer: { phoneNumber: '4791234567' } },
    ...(merchant ? { merchant } : {}),
  });
  expect(res.status).toBe(200);
}

/** Creates and approves a payment of `value` øre: AUTHORIZED in Vipps. */
export async function authorizedPayment(api: TestApi, value = 100000, overrides: Partial<CreatePaymentInput> = {}): Promise<string> {
  const { payment } = await createPayment(api, { amount: NOK(value), ...overrides });
  await approve(api, payment.reference);
  return payment.reference;
}

export interface SimEvent {
  name: string;
  amount: { value: number; currency: string };
  idempotencyKey?: string | null;
  success: boolean;
}

export interface SimView {
  state: string;
  aggregate: { authorized: number; captured: number; refunded: number; cancelled: number };
  events: SimEvent[];
}

/** What Vipps (the simulator) holds for a payment: state, aggregate and event log. */
export async function simView(api: TestApi, reference: string, merchant?: MerchantConfig): Promise<SimView> {
  const opts = merchant ? { merchant } : {};
  const payment = await api.sim.call('GET', `/epayment/v1/payments/${reference}`, opts);
  expect(payment.status).toBe(200);
  const events = await api.sim.call<SimEvent[]>('GET', `/epayment/v1/payments/${reference}/events`, opts);
  const a = payment.body.aggregate;
  return {
    state: payment.body.state,
    aggregate: { authorized: a.authorizedAmount.value, captured: a.capturedAmount.value, refunded: a.refundedAmount.value, cancelled: a.cancelledAmount.value },
    events: events.body,
  };
}

/** Runs `act` and returns how many Vipps calls the API made meanwhile, with its result. */
export async function countVipps<T>(api: TestApi, act: () => Promise<T>): Promise<{ calls: number; result: T }> {
  const before = api.vippsCalls();
  const result = await act();
  return { calls: api.vippsCalls() - before, result };
}

/** Vipps GET payment requests for `reference` received so far. */
export function vippsReads(api: TestApi, reference: string): number {
  return api.sim.sim.ctx.requests.filter((r) => r.method === 'GET' && r.path === `/epayment/v1/payments/${reference}`).length;
}

/** Forgets the cached copy of a payment (and its event log), so the next read asks Vipps. */
export async function dropCached(api: TestApi, reference: string, msn = '123456'): Promise<void> {
  const keys = redisKeys(api.config.redis.prefix);
  await api.redis.del(keys.paymentCache(msn, reference), keys.paymentEventsCache(msn, reference));
}
