import { randomUUID } from 'node:crypto';
import type { SimEvent } from '../../../src/simulator/simulator-context';
import type { CallOptions, CallResult, TestSimulator } from '../../support/simulator';

/** Small helpers shared by the Recurring simulator integration tests. */

export const AGREEMENTS = '/recurring/v3/agreements';

export const newKey = (prefix = 'k'): string => `${prefix}-${randomUUID().slice(0, 30)}`;

export function draftBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    pricing: { type: 'LEGACY', amount: 10000, currency: 'NOK' },
    interval: { unit: 'MONTH', count: 1 },
    merchantRedirectUrl: 'https://shop.example/redirect',
    merchantAgreementUrl: 'https://shop.example/agreement',
    productName: 'News every month',
    phoneNumber: '4791234567',
    ...overrides,
  };
}

/** The problem identifier of a Recurring ErrorV3 body (after `#` in `type`). */
export function identifier(res: CallResult): string | undefined {
  const type = (res.body as { type?: string } | undefined)?.type;
  return type?.split('#')[1];
}

export async function draft(t: TestSimulator, overrides: Record<string, unknown> = {}, options: CallOptions = {}) {
  const res = await t.call('POST', AGREEMENTS, { body: draftBody(overrides), idempotencyKey: newKey('draft'), ...options });
  if (res.status !== 201) throw new Error(`draft failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { agreementId: string; uuid: string; vippsConfirmationUrl: string; chargeId: string | null };
}

export function accept(t: TestSimulator, agreementId: string, options: CallOptions = {}): Promise<CallResult> {
  return t.call('PATCH', `${AGREEMENTS}/${agreementId}/accept`, { body: { phoneNumber: '4791234567' }, idempotencyKey: newKey('accept'), ...options });
}

export async function activeAgreement(t: TestSimulator, overrides: Record<string, unknown> = {}, options: CallOptions = {}): Promise<string> {
  const { agreementId } = await draft(t, overrides, options);
  const res = await accept(t, agreementId, options);
  if (res.status !== 204) throw new Error(`accept failed: ${res.status} ${JSON.stringify(res.body)}`);
  return agreementId;
}

export const getAgreement = (t: TestSimulator, id: string, options: CallOptions = {}) => t.call('GET', `${AGREEMENTS}/${id}`, options);
export const chargesPath = (agreementId: string) => `${AGREEMENTS}/${agreementId}/charges`;
export const getCharge = (t: TestSimulator, agreementId: string, chargeId: string) => t.call('GET', `${chargesPath(agreementId)}/${chargeId}`);

/** The simulator's date `days` from now, `YYYY-MM-DD`. */
export async function simDate(t: TestSimulator, days = 0): Promise<string> {
  const now = new Date((await t.control('GET', '/clock')).body.now as string);
  now.setUTCDate(now.getUTCDate() + days);
  return now.toISOString().slice(0, 10);
}

export async function chargeBody(t: TestSimulator, overrides: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  return { amount: 10000, description: 'Monthly news', due: await simDate(t, 2), retryDays: 2, transactionType: 'DIRECT_CAPTURE', ...overrides };
}

export async function createCharge(t: TestSimulator, agreementId: string, overrides: Record<string, unknown> = {}): Promise<string> {
  const res = await t.call('POST', chargesPath(agreementId), { body: await chargeBody(t, overrides), idempotencyKey: newKey('charge') });
  if (res.status !== 201) throw new Error(`create charge failed: ${res.status} ${JSON.stringify(res.body)}`);
  return (res.body as { chargeId: string }).chargeId;
}

export async function advanceDays(t: TestSimulator, days: number): Promise<void> {
  const res = await t.control('POST', '/clock/advance', { seconds: days * 86_400 });
  if (res.status !== 200) throw new Error(`advance failed: ${res.status}`);
}

export function chargeOp(t: TestSimulator, agreementId: string, chargeId: string, op: 'capture' | 'refund', amount: unknown, key = newKey(op)) {
  return t.call('POST', `${chargesPath(agreementId)}/${chargeId}/${op}`, { body: { amount, description: `${op} it` }, idempotencyKey: key });
}

export function cancelCharge(t: TestSimulator, agreementId: string, chargeId: string, key = newKey('cancel')) {
  return t.call('DELETE', `${chargesPath(agreementId)}/${chargeId}`, { idempotencyKey: key });
}

export { recordEvents } from '../../support/simulator';

/** Event names published for one agreement (optionally one charge), in order. */
export function eventsFor(events: readonly SimEvent[], agreementId: string, chargeId?: string): string[] {
  return events
    .filter((e) => e.payload.agreementId === agreementId && (chargeId === undefined || e.payload.chargeId === chargeId))
    .map((e) => e.name);
}

/** An ErrorV3 body as Vipps sends it (docs/vipps.md §5). */
export function expectErrorV3(res: CallResult, status: number, id: string): void {
  expect(res.status).toBe(status);
  expect(res.body).toEqual(
    expect.objectContaining({
      type: `https://developer.vippsmobilepay.com/docs/APIs/recurring-api/recurring-api-problems#${id}`,
      title: expect.any(String),
      status,
      detail: expect.any(String),
      instance: expect.any(String),
      contextId: expect.any(String),
    }),
  );
}
