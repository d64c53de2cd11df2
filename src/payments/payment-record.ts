import type { Currency } from '../common/money';

export const PAYMENT_STATES = ['CREATED', 'AUTHORIZED', 'ABORTED', 'EXPIRED', 'TERMINATED'] as const;
export type PaymentState = (typeof PAYMENT_STATES)[number];
/** States after which Vipps never changes `state` again (money can still move while AUTHORIZED). */
export const FINAL_STATES: ReadonlySet<PaymentState> = new Set(['ABORTED', 'EXPIRED', 'TERMINATED']);

export const PAYMENT_METHODS = ['WALLET', 'CARD'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

export const USER_FLOWS = ['WEB_REDIRECT', 'NATIVE_REDIRECT', 'PUSH_MESSAGE', 'QR'] as const;
export type UserFlow = (typeof USER_FLOWS)[number];

export interface Aggregate {
  authorized: number;
  captured: number;
  refunded: number;
  cancelled: number;
}

/**
 * What we know of one payment: Vipps' GET payment answer plus what we recorded when it was
 * created (description, flow, creation time), which Vipps does not return. JSON-safe; this is
 * what the cache stores.
 */
export interface PaymentRecord {
  merchantSerialNumber: string;
  reference: string;
  pspReference: string | null;
  state: PaymentState;
  amount: { value: number; currency: Currency };
  aggregate: Aggregate;
  redirectUrl: string | null;
  description: string | null;
  userFlow: UserFlow | null;
  createdAt: string;
  updatedAt: string;
  /** When the AUTHORIZED event happened, from the event log. */
  authorizedAt: string | null;
  captureGuaranteedUntil: string | null;
  /** As Vipps reports them (absent in records cached before they were kept). */
  paymentMethod?: PaymentMethod | null;
  metadata?: Record<string, string> | null;
  /** The customer's Userinfo id, when profile sharing was asked for and they approved. */
  sub?: string | null;
  /** When money was first captured, from the event log; the 365-day refund window counts from it. Unknown until read. */
  capturedAt?: string | null;
}

export const EVENT_NAMES = ['CREATED', 'ABORTED', 'EXPIRED', 'CANCELLED', 'CAPTURED', 'REFUNDED', 'AUTHORIZED', 'TERMINATED'] as const;
export type PaymentEventName = (typeof EVENT_NAMES)[number];

export interface PaymentEventRecord {
  name: PaymentEventName;
  pspReference: string;
  amount: { value: number; currency: Currency };
  timestamp: string;
  idempotencyKey: string | null;
  success: boolean;
}
