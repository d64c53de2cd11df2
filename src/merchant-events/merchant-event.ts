import type { Currency } from '../common/money';
import type { PaymentRecord } from '../payments/payment-record';
import type { AgreementRecord, ChargeRecord } from '../recurring/recurring-record';

export const MERCHANT_EVENT_TYPES = [
  'PAYMENT_UPDATED',
  'AGREEMENT_UPDATED',
  'AGREEMENT_STOPPED',
  'CHARGE_UPDATED',
  'CHARGE_FAILED',
  'CAPTURE_DEADLINE_APPROACHING',
] as const;
export type MerchantEventType = (typeof MERCHANT_EVENT_TYPES)[number];

/** The money a capture-deadline warning is about: what is left to capture, and by when. */
export interface CaptureWarning {
  capturable: { value: number; currency: Currency };
  deadline: string;
}

/**
 * Something a merchant's systems need to hear about, as it is published on the merchant's
 * stream (`merchantEvents`) and delivered to its webhooks. `id` is derived from what happened
 * (the resource and its stored version, or the reservation and the warning threshold), never
 * random, so the same change announced twice carries the same id and receivers deduplicate it.
 * JSON-safe: it travels through Redis pub/sub and job data as it is.
 */
export interface MerchantEvent {
  id: string;
  type: MerchantEventType;
  merchantSerialNumber: string;
  occurredAt: string;
  payment?: PaymentRecord;
  agreement?: AgreementRecord;
  charge?: ChargeRecord;
  /** With CAPTURE_DEADLINE_APPROACHING. */
  captureWarning?: CaptureWarning;
}

/** Where emitted events go besides the stream: the outbound webhook deliveries. */
export interface MerchantEventSink {
  /** Queue the deliveries of one event (deduplicated by event id); never throws into the emitter's caller. */
  enqueue(event: MerchantEvent): Promise<void>;
}
