import type { MerchantConfig } from '../../../src/config/config';
import type { TestApi } from '../../support/api';

/** GraphQL documents and helpers shared by the Recurring API tests. */

export const AGREEMENT_FIELDS = `agreementId merchantSerialNumber status productName merchantAgreementUrl vippsConfirmationUrl
  pricing { type currency amount { value currency } suggestedMaxAmount { value } maxAmount { value } }
  interval { unit count text } start stop`;
export const CHARGE_FIELDS = `id chargeId agreementId status type transactionType amount { value currency } due retryDays
  summary { captured { value } refunded { value } cancelled { value } } capturable { value } refundable { value }
  failureReason history { event amount { value } idempotencyKey success }`;
const ERRORS = 'errors { code message field vippsErrorCode }';

export const CREATE_AGREEMENT = `mutation($input: CreateAgreementInput!) {
  createAgreement(input: $input) { agreement { ${AGREEMENT_FIELDS} } vippsConfirmationUrl ${ERRORS} }
}`;
export const UPDATE_AGREEMENT = `mutation($input: UpdateAgreementInput!) { updateAgreement(input: $input) { agreement { ${AGREEMENT_FIELDS} productDescription } ${ERRORS} } }`;
export const STOP_AGREEMENT = `mutation($input: StopAgreementInput!) { stopAgreement(input: $input) { agreement { ${AGREEMENT_FIELDS} } ${ERRORS} } }`;
export const CREATE_CHARGE = `mutation($input: CreateChargeInput!) { createCharge(input: $input) { charge { ${CHARGE_FIELDS} } ${ERRORS} } }`;
export const CAPTURE_CHARGE = `mutation($input: CaptureChargeInput!) { captureCharge(input: $input) { charge { ${CHARGE_FIELDS} } ${ERRORS} } }`;
export const CANCEL_CHARGE = `mutation($input: CancelChargeInput!) { cancelCharge(input: $input) { charge { ${CHARGE_FIELDS} } ${ERRORS} } }`;
export const REFUND_CHARGE = `mutation($input: RefundChargeInput!) { refundCharge(input: $input) { charge { ${CHARGE_FIELDS} } ${ERRORS} } }`;
export const AGREEMENT = `query($agreementId: String!, $msn: String) { agreement(agreementId: $agreementId, merchantSerialNumber: $msn) { id ${AGREEMENT_FIELDS} } }`;
export const CHARGE = `query($agreementId: String!, $chargeId: String!, $msn: String) {
  charge(agreementId: $agreementId, chargeId: $chargeId, merchantSerialNumber: $msn) { ${CHARGE_FIELDS} }
}`;

let counter = 0;
/** A fresh idempotency key per call, unique across test files sharing a Redis prefix. */
export function key(label: string): string {
  counter += 1;
  return `${label}-${process.pid}-${counter}`.slice(0, 40);
}

/**
 * The simulator's date plus `days`, as YYYY-MM-DD. The simulator's clock runs ahead of ours once a
 * test advances it, and it checks due dates against its own clock; we check against real today,
 * which is never later, so a date valid for the simulator passes our check too.
 */
export async function dueIn(api: TestApi, days: number): Promise<string> {
  const clock = await api.sim.control('GET', '/clock');
  const d = new Date(clock.body.now as string);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export interface AgreementOptions {
  price?: number;
  initialCharge?: { amount: number; description: string; transactionType: 'DIRECT_CAPTURE' | 'RESERVE_CAPTURE' };
  apiKey?: string;
  msn?: string;
  idempotencyKey?: string;
}

export async function createAgreement(api: TestApi, options: AgreementOptions = {}): Promise<any> {
  const result = await api.gql(
    CREATE_AGREEMENT,
    {
      input: {
        ...(options.msn ? { merchantSerialNumber: options.msn } : {}),
        idempotencyKey: options.idempotencyKey ?? key('agr'),
        pricing: { type: 'LEGACY', currency: 'NOK', amount: options.price ?? 19900 },
        interval: { unit: 'MONTH', count: 1 },
        productName: 'Premium news',
        productDescription: 'All articles, every day',
        merchantRedirectUrl: 'https://shop.example/after',
        ...(options.initialCharge ? { initialCharge: options.initialCharge } : {}),
      },
    },
    options.apiKey ?? 'dev',
  );
  expect(result.errors).toBeUndefined();
  expect(result.data.createAgreement.errors).toEqual([]);
  return result.data.createAgreement;
}

/** The customer accepts in the app (Vipps' test endpoint), as the simulator's merchant. */
export async function accept(api: TestApi, agreementId: string, merchant?: MerchantConfig): Promise<void> {
  const res = await api.sim.call('PATCH', `/recurring/v3/agreements/${agreementId}/accept`, {
    body: { phoneNumber: '4791234567' },
    idempotencyKey: key('accept'),
    ...(merchant ? { merchant } : {}),
  });
  expect(res.status).toBe(204);
}

/** An ACTIVE agreement, read back through GraphQL. */
export async function activeAgreement(api: TestApi, options: AgreementOptions = {}): Promise<any> {
  const created = await createAgreement(api, options);
  const agreementId = created.agreement.agreementId as string;
  await accept(api, agreementId);
  // What the agreement poller does after acceptance: read Vipps and write through.
  await api.services.recurringReader.refreshAgreement(created.agreement.merchantSerialNumber, agreementId);
  return { ...created.agreement, status: 'ACTIVE' };
}

/** Move the simulator's clock so due charges are processed (its clock, not ours). */
export async function advanceDays(api: TestApi, days: number): Promise<void> {
  const res = await api.sim.control('POST', '/clock/advance', { seconds: days * 86_400 });
  expect(res.status).toBe(200);
}

/** What the charge poller does around the due date: read Vipps and write through the cache. */
export function pollCharge(api: TestApi, agreementId: string, chargeId: string, msn = '123456') {
  return api.services.recurringReader.refreshCharge(msn, agreementId, chargeId);
}
