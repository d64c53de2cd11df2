import type { components as AccessToken } from './generated/access-token';
import type { components as Epayment } from './generated/epayment';
import type { components as OrderManagement } from './generated/order-management';
import type { components as Recurring } from './generated/recurring';
import type { components as Webhooks } from './generated/webhooks';

/**
 * Friendly names for the request and response types generated from the official OpenAPI files
 * (`npm run openapi:types`). Where Vipps has moved on from the stored spec (docs/vipps.md §0 "[now]"),
 * the additions are declared here and marked.
 */

/**
 * The generator marks fields that have a `default` as required (right for responses, wrong for
 * requests, where the default is what Vipps applies when the field is left out).
 */
type Optional<T, K extends keyof T> = Omit<T, K> & Partial<Pick<T, K>>;

type E = Epayment['schemas'];
export type CreatePaymentRequest = Optional<E['CreatePaymentRequest'], 'customerInteraction'> & {
  /** [now] Only customers at least this old can approve; others get 7010. Not in the stored spec. */
  minimumUserAge?: number;
};
export type CreatePaymentResponse = E['CreatePaymentResponse'];
export type GetPaymentResponse = E['GetPaymentResponse'];
export type PaymentEvent = E['PaymentEvent'];
export type ModificationResponse = E['ModificationResponse'];
export type CaptureModificationRequest = E['CaptureModificationRequest'];
export type RefundModificationRequest = E['RefundModificationRequest'];
export type ForceApproveRequest = E['ForceApprove'];
/** [now] Cancel body; `cancelTransactionOnly` cancels only if not yet authorized (else 6060). Not in the stored spec. */
export interface CancelPaymentRequest {
  cancelTransactionOnly?: boolean;
}

type R = Recurring['schemas'];
export type AgreementStatus = R['AgreementStatus'];
export type ChargeStatus = R['ChargeStatus'];
export type DraftAgreementRequest = Optional<Omit<R['DraftAgreementV3'], 'pricing'>, 'isApp' | 'skipLandingPage'> & {
  pricing: Optional<R['pricingRequest'], 'type'>;
};
export type DraftAgreementResponse = R['DraftAgreementResponseV3'];
export type Agreement = R['AgreementResponseV3'];
export type PatchAgreementRequest = R['PatchAgreementV3'];
export type ForceAcceptAgreementRequest = R['ForceAcceptAgreementV3'];
export type CreateChargeRequest = R['CreateChargeV3'];
export type ChargeReference = R['ChargeReference'];
export type Charge = R['ChargeResponseV3'];
export type CaptureChargeRequest = R['CaptureRequestV3'];
export type RefundChargeRequest = R['RefundRequest'];

type W = Webhooks['schemas'];
export type RegisterWebhookRequest = W['RegisterRequest'];
export type RegisterWebhookResponse = W['RegisterResponse'];
export type ListWebhooksResponse = W['QueryResponse'];
export type Webhook = W['Webhook'];

type O = OrderManagement['schemas'];
/** Upper case in the spec enum, lower case in the current docs (docs/vipps.md §13); Vipps accepts both. */
export type OrderPaymentType = O['PaymentType'] | 'ecom' | 'recurring';
export type Receipt = O['Receipt'];
export type Order = O['OrderV2Response'];

export type AccessTokenResponse = AccessToken['schemas']['AuthorizationTokenResponse'];
