/**
 * The checklist's only way into vipps-graph: GraphQL over HTTP with an API key, exactly as a
 * merchant's system would call it. Business refusals (`errors` in a payload) and GraphQL errors
 * both throw, with the message the API gave.
 */
export class ChecklistApi {
  constructor(
    private readonly url: string,
    private readonly apiKey: string,
  ) {}

  async request<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const res = await fetch(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${this.apiKey}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json().catch(() => null)) as { data?: T; errors?: { message: string }[] } | null;
    if (!body || body.errors?.length || !body.data) {
      throw new Error(`GraphQL request failed (HTTP ${res.status}): ${body?.errors?.map((e) => e.message).join('; ') ?? 'no body'}`);
    }
    return body.data;
  }

  /** A mutation whose payload has `errors: [UserError]`: throws on any, returns the payload. */
  async mutate<P extends { errors: { code: string; message: string }[] }>(field: string, query: string, input: Record<string, unknown>): Promise<P> {
    const data = await this.request<Record<string, P>>(query, { input });
    const payload = data[field] as P;
    if (payload.errors.length > 0) throw new Error(`${field}: ${payload.errors.map((e) => `${e.code} ${e.message}`).join('; ')}`);
    return payload;
  }
}

const ERRORS = 'errors { code message }';
const MONEY = '{ value currency }';
export const PAYMENT_FIELDS = `reference state aggregate { authorized ${MONEY} captured ${MONEY} refunded ${MONEY} cancelled ${MONEY} }
  events(first: 50) { edges { node { name success } } }`;
export const AGREEMENT_FIELDS = 'agreementId status';
export const CHARGE_FIELDS = `agreementId chargeId status type summary { captured ${MONEY} refunded ${MONEY} }`;

export const OPS = {
  createPayment: `mutation($input: CreatePaymentInput!) { createPayment(input: $input) { payment { reference } ${ERRORS} } }`,
  capturePayment: `mutation($input: CapturePaymentInput!) { capturePayment(input: $input) { payment { ${PAYMENT_FIELDS} } ${ERRORS} } }`,
  refundPayment: `mutation($input: RefundPaymentInput!) { refundPayment(input: $input) { payment { ${PAYMENT_FIELDS} } ${ERRORS} } }`,
  cancelPayment: `mutation($input: CancelPaymentInput!) { cancelPayment(input: $input) { payment { ${PAYMENT_FIELDS} } ${ERRORS} } }`,
  payment: `query($reference: String!, $msn: String) { payment(reference: $reference, merchantSerialNumber: $msn) { ${PAYMENT_FIELDS} } }`,
  createAgreement: `mutation($input: CreateAgreementInput!) { createAgreement(input: $input) { agreement { ${AGREEMENT_FIELDS} } ${ERRORS} } }`,
  stopAgreement: `mutation($input: StopAgreementInput!) { stopAgreement(input: $input) { agreement { ${AGREEMENT_FIELDS} } ${ERRORS} } }`,
  agreement: `query($agreementId: String!, $msn: String) { agreement(agreementId: $agreementId, merchantSerialNumber: $msn) { ${AGREEMENT_FIELDS} } }`,
  createCharge: `mutation($input: CreateChargeInput!) { createCharge(input: $input) { charge { ${CHARGE_FIELDS} } ${ERRORS} } }`,
  refundCharge: `mutation($input: RefundChargeInput!) { refundCharge(input: $input) { charge { ${CHARGE_FIELDS} } ${ERRORS} } }`,
  charge: `query($agreementId: String!, $chargeId: String!, $msn: String) { charge(agreementId: $agreementId, chargeId: $chargeId, merchantSerialNumber: $msn) { ${CHARGE_FIELDS} } }`,
};

export interface Money {
  value: number;
  currency: string;
}
export interface PaymentView {
  reference: string;
  state: string;
  aggregate: { authorized: Money; captured: Money; refunded: Money; cancelled: Money };
  events: { edges: { node: { name: string; success: boolean } }[] };
}
export interface AgreementView {
  agreementId: string;
  status: string;
}
export interface ChargeView {
  agreementId: string;
  chargeId: string;
  status: string;
  type: string;
  summary: { captured: Money; refunded: Money };
}
