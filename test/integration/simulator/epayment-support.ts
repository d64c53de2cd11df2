import { randomUUID } from 'node:crypto';
import type { CallResult, TestSimulator } from '../../support/simulator';

/** Small helpers shared by the ePayment simulator integration tests. */

export const PAYMENTS = '/epayment/v1/payments';

export function newReference(prefix = 'it'): string {
  return `${prefix}-${randomUUID().slice(0, 18)}`;
}

export function createBody(reference: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    amount: { currency: 'NOK', value: 1000 },
    paymentMethod: { type: 'WALLET' },
    reference,
    userFlow: 'WEB_REDIRECT',
    returnUrl: 'https://shop.example/return',
    paymentDescription: 'One coffee',
    ...overrides,
  };
}

export async function create(t: TestSimulator, overrides: Record<string, unknown> = {}): Promise<string> {
  const reference = (overrides.reference as string | undefined) ?? newReference();
  const res = await t.call('POST', PAYMENTS, { body: createBody(reference, overrides), idempotencyKey: `create-${reference}` });
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${JSON.stringify(res.body)}`);
  return reference;
}

export async function approve(t: TestSimulator, reference: string): Promise<CallResult> {
  return t.call('POST', `/epayment/v1/test/payments/${reference}/approve`, { body: { customer: { phoneNumber: '4791234567' } } });
}

export async function authorized(t: TestSimulator, overrides: Record<string, unknown> = {}): Promise<string> {
  const reference = await create(t, overrides);
  const res = await approve(t, reference);
  if (res.status !== 200) throw new Error(`approve failed: ${res.status} ${JSON.stringify(res.body)}`);
  return reference;
}

export function modify(t: TestSimulator, reference: string, op: 'capture' | 'refund', value: number, key: string, currency = 'NOK') {
  return t.call('POST', `${PAYMENTS}/${reference}/${op}`, { body: { modificationAmount: { currency, value } }, idempotencyKey: key });
}

export function cancel(t: TestSimulator, reference: string, key: string, body?: unknown) {
  return t.call('POST', `${PAYMENTS}/${reference}/cancel`, { idempotencyKey: key, ...(body === undefined ? {} : { body }) });
}

/**
 * GET payment and GET events together, to compare before and after a refused request. An error
 * answer is reduced to status and code (its traceId differs on every call).
 */
export async function snapshot(t: TestSimulator, reference: string): Promise<{ payment: unknown; events: unknown }> {
  const [payment, events] = await Promise.all([t.call('GET', `${PAYMENTS}/${reference}`), t.call('GET', `${PAYMENTS}/${reference}/events`)]);
  const view = (res: CallResult) => (res.status < 300 ? { status: res.status, body: res.body } : { status: res.status, code: errorCode(res) });
  return { payment: view(payment), events: view(events) };
}

export function errorCode(res: CallResult): string | undefined {
  const details = (res.body as { extraDetails?: { name: string; reason: string }[] | null } | undefined)?.extraDetails;
  return details?.find((d) => d.name === 'ErrorCode')?.reason;
}

export function eventNames(res: CallResult): string[] {
  return (res.body as { name: string }[]).map((e) => e.name);
}

export { recordEvents } from '../../support/simulator';
