import type {
  Agreement,
  AgreementStatus,
  CaptureChargeRequest,
  Charge,
  ChargeReference,
  ChargeStatus,
  CreateChargeRequest,
  DraftAgreementRequest,
  DraftAgreementResponse,
  ForceAcceptAgreementRequest,
  PatchAgreementRequest,
  RefundChargeRequest,
} from './api-types';
import { vippsPath as p, type VippsCaller, type VippsResponse } from './transport';

/** One page of a Recurring list; a `continuationToken` means there is more (docs/vipps.md §3). */
export interface Page<T> {
  items: T[];
  continuationToken?: string;
}

export interface ListAgreementsOptions {
  /** One status per query; Vipps defaults to ACTIVE. */
  status?: AgreementStatus;
  /** Epoch milliseconds. */
  createdAfter?: number;
  /** [now] Pagination; not in the stored spec. */
  pageNumber?: number;
  pageSize?: number;
  continuationToken?: string;
}

export interface ListChargesOptions {
  status?: ChargeStatus;
  continuationToken?: string;
}

const page = <T>(response: VippsResponse<T[] | undefined>): Page<T> => {
  const continuationToken = response.headers.get('continuation-token') ?? undefined;
  return { items: response.body ?? [], ...(continuationToken ? { continuationToken } : {}) };
};

/**
 * Recurring API v3 (docs/vipps.md §10), one method per endpoint. Recurring wants an Idempotency-Key on
 * every POST/PATCH/DELETE (1–40 chars, no `#?/\`); callers derive it from their own ids.
 * PATCH/DELETE/capture/refund answer 202 or 204 without a body: accepted, maybe not yet enacted.
 */
export function createRecurringClient(call: VippsCaller) {
  return {
    listAgreements: async (msn: string, { continuationToken, ...query }: ListAgreementsOptions = {}) =>
      page(await call.send<Agreement[]>(msn, { method: 'GET', path: p`/recurring/v3/agreements`, query, headers: { 'Continuation-Token': continuationToken } })),
    createAgreement: (msn: string, body: DraftAgreementRequest, idempotencyKey: string) =>
      call.request<DraftAgreementResponse>(msn, { method: 'POST', path: p`/recurring/v3/agreements`, body, idempotencyKey }),
    getAgreement: (msn: string, agreementId: string) =>
      call.request<Agreement>(msn, { method: 'GET', path: p`/recurring/v3/agreements/${agreementId}` }),
    updateAgreement: (msn: string, agreementId: string, body: PatchAgreementRequest, idempotencyKey: string) =>
      call.request<void>(msn, { method: 'PATCH', path: p`/recurring/v3/agreements/${agreementId}`, body, idempotencyKey }),
    /** Final: a stopped agreement cannot be reactivated, and its pending/due/reserved charges are cancelled. */
    stopAgreement: (msn: string, agreementId: string, idempotencyKey: string) =>
      call.request<void>(msn, { method: 'PATCH', path: p`/recurring/v3/agreements/${agreementId}`, body: { status: 'STOPPED' }, idempotencyKey }),
    /** Test environment only. */
    forceAcceptAgreement: (msn: string, agreementId: string, body: ForceAcceptAgreementRequest, idempotencyKey: string) =>
      call.request<void>(msn, { method: 'PATCH', path: p`/recurring/v3/agreements/${agreementId}/accept`, body, idempotencyKey }),
    listCharges: async (msn: string, agreementId: string, { status, continuationToken }: ListChargesOptions = {}) =>
      page(await call.send<Charge[]>(msn, { method: 'GET', path: p`/recurring/v3/agreements/${agreementId}/charges`, query: { status }, headers: { 'Continuation-Token': continuationToken } })),
    createCharge: (msn: string, agreementId: string, body: CreateChargeRequest, idempotencyKey: string) =>
      call.request<ChargeReference>(msn, { method: 'POST', path: p`/recurring/v3/agreements/${agreementId}/charges`, body, idempotencyKey }),
    getCharge: (msn: string, agreementId: string, chargeId: string) =>
      call.request<Charge>(msn, { method: 'GET', path: p`/recurring/v3/agreements/${agreementId}/charges/${chargeId}` }),
    /** For support lookups when only the charge id is known; Vipps discourages it for automation. */
    getChargeById: (msn: string, chargeId: string) => call.request<Charge>(msn, { method: 'GET', path: p`/recurring/v3/charges/${chargeId}` }),
    cancelCharge: (msn: string, agreementId: string, chargeId: string, idempotencyKey: string) =>
      call.request<void>(msn, { method: 'DELETE', path: p`/recurring/v3/agreements/${agreementId}/charges/${chargeId}`, idempotencyKey }),
    captureCharge: (msn: string, agreementId: string, chargeId: string, body: CaptureChargeRequest, idempotencyKey: string) =>
      call.request<void>(msn, { method: 'POST', path: p`/recurring/v3/agreements/${agreementId}/charges/${chargeId}/capture`, body, idempotencyKey }),
    refundCharge: (msn: string, agreementId: string, chargeId: string, body: RefundChargeRequest, idempotencyKey: string) =>
      call.request<void>(msn, { method: 'POST', path: p`/recurring/v3/agreements/${agreementId}/charges/${chargeId}/refund`, body, idempotencyKey }),
  };
}

export type RecurringClient = ReturnType<typeof createRecurringClient>;
