import { randomBytes } from 'node:crypto';
import type { TestApi } from '../../support/api';

/** GraphQL documents and small steps shared by the security tests (raw text: the fields are new). */
export const ERRORS = 'errors { code message field }';
export const PAYMENT_FIELDS = 'reference state amount { value currency } aggregate { authorized { value } captured { value } refunded { value } cancelled { value } }';

export const CREATE = `mutation($input: CreatePaymentInput!) { createPayment(input: $input) { payment { ${PAYMENT_FIELDS} } redirectUrl statusToken ${ERRORS} } }`;
export const CAPTURE = `mutation($input: CapturePaymentInput!) { capturePayment(input: $input) { payment { ${PAYMENT_FIELDS} } ${ERRORS} } }`;
export const REFUND = `mutation($input: RefundPaymentInput!) { refundPayment(input: $input) { payment { ${PAYMENT_FIELDS} } ${ERRORS} } }`;
export const CANCEL = `mutation($input: CancelPaymentInput!) { cancelPayment(input: $input) { payment { ${PAYMENT_FIELDS} } ${ERRORS} } }`;
export const PAYMENT = `query($reference: String!) { payment(reference: $reference) { ${PAYMENT_FIELDS} } }`;
export const AUDIT_LOG = `query($msn: String, $reference: String, $agreementId: String, $first: Int, $after: String) {
  auditLog(merchantSerialNumber: $msn, reference: $reference, agreementId: $agreementId, first: $first, after: $after) {
    edges { cursor node { id at actor operation merchantSerialNumber reference agreementId chargeId amount { value currency } idempotencyKey outcome } }
    pageInfo { hasNextPage endCursor }
  }
}`;

export const ref = (label: string) => `${label}-${randomBytes(5).toString('hex')}`;
export const idem = (label: string) => `${label}.${randomBytes(5).toString('hex')}`;
export const NOK = (value: number) => ({ value, currency: 'NOK' });

/** The landing page the simulator shows for a payment's redirectUrl: its token, to post approve. */
export function landingToken(redirectUrl: string): string {
  const token = new URL(redirectUrl).searchParams.get('token');
  if (!token) throw new Error(`no landing token in ${redirectUrl}`);
  return token;
}

/** Creates a payment through /graphql, failing the test if it was refused; returns the payload. */
export async function create(api: TestApi, input: Record<string, unknown> = {}, key = 'dev'): Promise<any> {
  const res = await api.gql(CREATE, {
    input: { idempotencyKey: idem('create'), reference: ref('sec'), amount: NOK(100000), userFlow: 'WEB_REDIRECT', returnUrl: 'https://shop.example/back', description: 'Security test', ...input },
  }, key);
  expect(res.errors).toBeUndefined();
  expect(res.data.createPayment.errors).toEqual([]);
  return res.data.createPayment;
}

/** The customer approves in the app (Vipps' test endpoint). */
export async function approve(api: TestApi, reference: string): Promise<void> {
  const res = await api.sim.call('POST', `/epayment/v1/test/payments/${reference}/approve`, { body: { customer: { phoneNumber: '4791234567' } } });
  expect(res.status).toBe(200);
}

export async function authorized(api: TestApi, value = 100000): Promise<string> {
  const { payment } = await create(api, { amount: NOK(value) });
  await approve(api, payment.reference);
  return payment.reference;
}

export interface SimMoney {
  state: string;
  authorized: number;
  captured: number;
  refunded: number;
  cancelled: number;
  events: { name: string; amount: { value: number }; idempotencyKey?: string | null; success: boolean }[];
}

/** What the simulator (Vipps) holds for a payment, read straight from it. */
export async function simMoney(api: TestApi, reference: string): Promise<SimMoney> {
  const payment = await api.sim.call('GET', `/epayment/v1/payments/${reference}`);
  const events = await api.sim.call('GET', `/epayment/v1/payments/${reference}/events`);
  const a = payment.body.aggregate;
  return {
    state: payment.body.state,
    authorized: a.authorizedAmount.value,
    captured: a.capturedAmount.value,
    refunded: a.refundedAmount.value,
    cancelled: a.cancelledAmount.value,
    events: events.body,
  };
}

export async function setFaults(api: TestApi, faults: { errorRate?: number; status?: number; latencyMs?: number; dropWebhooks?: boolean }): Promise<void> {
  const res = await api.sim.control('PUT', '/faults', faults);
  expect(res.status).toBe(200);
}

export const NO_FAULTS = { errorRate: 0, latencyMs: 0, dropWebhooks: false };
