import type {
  CancelPaymentRequest,
  CaptureModificationRequest,
  CreatePaymentRequest,
  CreatePaymentResponse,
  ForceApproveRequest,
  GetPaymentResponse,
  ModificationResponse,
  PaymentEvent,
  RefundModificationRequest,
} from './api-types';
import { vippsPath as p, type VippsCaller } from './transport';

/**
 * ePayment API v1 (docs/vipps.md §7), one method per endpoint. Writes take the caller's Idempotency-Key,
 * derived from its own data so an HTTP retry, a job retry and a user retry all send the same key.
 */
export function createEpaymentClient(call: VippsCaller) {
  return {
    createPayment: (msn: string, body: CreatePaymentRequest, idempotencyKey: string) =>
      call.request<CreatePaymentResponse>(msn, { method: 'POST', path: p`/epayment/v1/payments`, body, idempotencyKey }),
    getPayment: (msn: string, reference: string) =>
      call.request<GetPaymentResponse>(msn, { method: 'GET', path: p`/epayment/v1/payments/${reference}` }),
    getPaymentEvents: (msn: string, reference: string) =>
      call.request<PaymentEvent[]>(msn, { method: 'GET', path: p`/epayment/v1/payments/${reference}/events` }),
    /** `cancelTransactionOnly: true` cancels only a payment the user has not yet authorized (else 6060). */
    cancelPayment: (msn: string, reference: string, body: CancelPaymentRequest, idempotencyKey: string) =>
      call.request<ModificationResponse>(msn, { method: 'POST', path: p`/epayment/v1/payments/${reference}/cancel`, body, idempotencyKey }),
    capturePayment: (msn: string, reference: string, body: CaptureModificationRequest, idempotencyKey: string) =>
      call.request<ModificationResponse>(msn, { method: 'POST', path: p`/epayment/v1/payments/${reference}/capture`, body, idempotencyKey }),
    refundPayment: (msn: string, reference: string, body: RefundModificationRequest, idempotencyKey: string) =>
      call.request<ModificationResponse>(msn, { method: 'POST', path: p`/epayment/v1/payments/${reference}/refund`, body, idempotencyKey }),
    /**
     * Test environment only (docs/vipps.md §7.7). The endpoint takes no Idempotency-Key, so this write is
     * never retried; a second approval fails harmlessly.
     */
    forceApprovePayment: (msn: string, reference: string, body: ForceApproveRequest) =>
      call.request<void>(msn, { method: 'POST', path: p`/epayment/v1/test/payments/${reference}/approve`, body }),
  };
}

export type EpaymentClient = ReturnType<typeof createEpaymentClient>;
