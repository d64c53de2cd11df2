import { ErrorCode, userError } from '../common/error-code';
import { formatMoney, MAX_PAYMENT_AMOUNT, minimumAmount, type Currency } from '../common/money';
import { captureTooHigh, refundTooHigh } from './payment-errors';
import { capturable, refundable, refundDeadline } from './payment-rules';
import type { Receipt } from '../vipps/api-types';
import type { PaymentMethod, PaymentRecord, UserFlow } from './payment-record';

/**
 * Checks made before anything is sent to Vipps, so a bad request never reaches Vipps and never
 * moves money. Pure: each throws a `UserFacingError` naming the field.
 */

export const REFERENCE_PATTERN = /^[a-zA-Z0-9-]{8,64}$/;
const PHONE_PATTERN = /^\d{10,15}$/;
const TEN_MINUTES_MS = 10 * 60_000;
const SIXTY_DAYS_MS = 60 * 86_400_000;

export interface CreatePaymentCheck {
  amount: { value: number; currency: Currency };
  reference?: string | null;
  userFlow: UserFlow;
  phoneNumber?: string | null;
  returnUrl?: string | null;
  description?: string | null;
  expiresAt?: Date | null;
  hasReceipt: boolean;
  paymentMethod?: PaymentMethod | null;
  metadata?: readonly { key: string; value: string }[] | null;
  minimumUserAge?: number | null;
  qrFormat?: { format: string; size?: number | null } | null;
}

export function checkAmount(value: number, currency: Currency, field: string[]): void {
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw userError(ErrorCode.INVALID_AMOUNT, 'The amount must be a whole number of øre or cents, greater than zero.', field);
  }
  if (value < minimumAmount(currency)) {
    throw userError(ErrorCode.AMOUNT_TOO_SMALL, `The smallest amount Vipps accepts is ${formatMoney(minimumAmount(currency), currency)}.`, field);
  }
  if (value > MAX_PAYMENT_AMOUNT) {
    throw userError(ErrorCode.AMOUNT_TOO_HIGH, `The largest amount Vipps accepts is ${formatMoney(MAX_PAYMENT_AMOUNT, currency)}.`, field);
  }
}

export function checkReference(reference: string, field: string[]): void {
  if (!REFERENCE_PATTERN.test(reference)) {
    throw userError(
      ErrorCode.INVALID_INPUT,
      'The reference must be 8 to 64 characters: letters, digits and hyphens only, like acme-shop-123-order123abc.',
      field,
    );
  }
}

export function checkPhoneNumber(phoneNumber: string, field: string[]): void {
  if (!PHONE_PATTERN.test(phoneNumber)) {
    throw userError(ErrorCode.INVALID_PHONE_NUMBER, 'The phone number must be country code and number, digits only, like 4791234567.', field);
  }
}

export function checkCreatePayment(input: CreatePaymentCheck): void {
  checkAmount(input.amount.value, input.amount.currency, ['input', 'amount', 'value']);
  if (input.reference != null) checkReference(input.reference, ['input', 'reference']);
  if (input.phoneNumber != null) checkPhoneNumber(input.phoneNumber, ['input', 'customerPhoneNumber']);
  if (input.userFlow === 'PUSH_MESSAGE' && !input.phoneNumber) {
    throw userError(ErrorCode.INVALID_INPUT, "A push-message payment needs the customer's phone number.", ['input', 'customerPhoneNumber']);
  }
  const needsReturnUrl = input.userFlow === 'WEB_REDIRECT' || input.userFlow === 'NATIVE_REDIRECT';
  if (needsReturnUrl && !input.returnUrl) {
    throw userError(ErrorCode.INVALID_URL, 'This payment flow needs a return URL to send the customer back to.', ['input', 'returnUrl']);
  }
  if (input.returnUrl != null && !isReturnUrl(input.returnUrl)) {
    throw userError(ErrorCode.INVALID_URL, 'The return URL must be an https:// address or an app link.', ['input', 'returnUrl']);
  }
  if (input.description != null && (input.description.length < 3 || input.description.length > 100)) {
    throw userError(ErrorCode.INVALID_INPUT, 'The description must be 3 to 100 characters.', ['input', 'description']);
  }
  if (input.expiresAt != null) checkExpiry(input.expiresAt, input.userFlow, input.hasReceipt);
  if (input.paymentMethod === 'CARD') checkCard(input.userFlow, input.hasReceipt);
  if (input.metadata != null) checkMetadata(input.metadata);
  if (input.minimumUserAge != null && (!Number.isInteger(input.minimumUserAge) || input.minimumUserAge < 1 || input.minimumUserAge > 120)) {
    throw userError(ErrorCode.INVALID_INPUT, 'The minimum user age must be a whole number of years from 1 to 120.', ['input', 'minimumUserAge']);
  }
  if (input.qrFormat != null) checkQrFormat(input.qrFormat, input.userFlow);
}

/** Vipps: CARD only with WEB_REDIRECT (4160), and receipts only on WALLET payments (docs/vipps.md §7.1). */
function checkCard(flow: UserFlow, hasReceipt: boolean): void {
  if (flow !== 'WEB_REDIRECT') {
    throw userError(ErrorCode.INVALID_INPUT, 'A card payment (paymentMethod CARD) is only possible with userFlow WEB_REDIRECT.', ['input', 'paymentMethod']);
  }
  if (hasReceipt) throw userError(ErrorCode.INVALID_INPUT, 'A receipt can only be sent with a WALLET payment, not with CARD.', ['input', 'receipt']);
}

/** Vipps' metadata limits (codes 4100–4130): the same sentences, before anything is sent. */
function checkMetadata(entries: readonly { key: string; value: string }[]): void {
  const field = ['input', 'metadata'];
  if (entries.length > 5) throw userError(ErrorCode.INVALID_INPUT, 'A payment can carry at most 5 metadata entries.', field);
  const seen = new Set<string>();
  for (const { key, value } of entries) {
    if (key.length === 0 || key.length > 100) throw userError(ErrorCode.INVALID_INPUT, 'A metadata key must be 1 to 100 characters.', field);
    if (value.length > 500) throw userError(ErrorCode.INVALID_INPUT, `The metadata value of ${key} is longer than 500 characters.`, field);
    // Vipps treats keys that differ only in case as the same key.
    if (seen.has(key.toLowerCase())) throw userError(ErrorCode.INVALID_INPUT, `The metadata key ${key} appears twice.`, field);
    seen.add(key.toLowerCase());
  }
}

function checkQrFormat(qr: { format: string; size?: number | null }, flow: UserFlow): void {
  const field = ['input', 'qrFormat'];
  if (flow !== 'QR') throw userError(ErrorCode.INVALID_INPUT, 'A QR format can only be given with userFlow QR.', field);
  if (qr.size == null) return;
  if (qr.format !== 'IMAGE/PNG') throw userError(ErrorCode.INVALID_INPUT, 'A QR size can only be given for a PNG image.', [...field, 'size']);
  if (!Number.isInteger(qr.size) || qr.size < 100 || qr.size > 2000) {
    throw userError(ErrorCode.INVALID_INPUT, 'The QR size must be 100 to 2000 pixels.', [...field, 'size']);
  }
}

function checkExpiry(expiresAt: Date, flow: UserFlow, hasReceipt: boolean): void {
  const field = ['input', 'expiresAt'];
  if (flow !== 'PUSH_MESSAGE' && flow !== 'QR') {
    throw userError(ErrorCode.INVALID_EXPIRY, 'Only push-message and QR payments can have an expiry time.', field);
  }
  const ahead = expiresAt.getTime() - Date.now();
  if (ahead <= TEN_MINUTES_MS) throw userError(ErrorCode.INVALID_EXPIRY, 'The expiry time must be more than 10 minutes from now.', field);
  if (ahead > SIXTY_DAYS_MS) throw userError(ErrorCode.INVALID_EXPIRY, 'The expiry time can be at most 60 days from now.', field);
  if (!hasReceipt) throw userError(ErrorCode.RECEIPT_REQUIRED, 'A payment with an expiry time needs a receipt.', ['input', 'receipt']);
}

/** https URLs, app links (custom schemes) and, for local development, http on localhost. */
export function isReturnUrl(text: string): boolean {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return false;
  }
  if (text.length > 1024) return false;
  if (url.protocol === 'https:') return url.hostname.length > 0;
  if (url.protocol === 'http:') return url.hostname === 'localhost' || url.hostname === '127.0.0.1';
  return /^[a-z][a-z0-9+.-]*:$/i.test(url.protocol) && !['javascript:', 'data:', 'file:', 'ftp:'].includes(url.protocol);
}

/** A requested amount must be in the payment's currency. */
function checkCurrency(p: PaymentRecord, amount: RequestedAmount | null): void {
  if (amount && amount.currency !== p.amount.currency) {
    throw userError(ErrorCode.INVALID_CURRENCY, `Payment ${p.reference} is in ${p.amount.currency}, not ${amount.currency}.`, ['input', 'amount', 'currency']);
  }
}

export interface RequestedAmount {
  value: number;
  currency: string;
}

/** Capture `amount` (or the remainder when null); returns the amount to send. */
export function checkCapture(p: PaymentRecord, requested: RequestedAmount | null): number {
  const field = ['input', 'amount'];
  const amount = requested?.value ?? null;
  if (p.state === 'CREATED') throw userError(ErrorCode.NOT_AUTHORIZED_YET, `The customer has not approved payment ${p.reference} yet, so there is nothing to capture.`, field);
  if (p.state !== 'AUTHORIZED') throw userError(ErrorCode.CAPTURE_NOT_ALLOWED, `Payment ${p.reference} is ${p.state.toLowerCase()}, so it cannot be captured.`, field);
  const left = capturable(p);
  if (left === 0) {
    if (p.aggregate.cancelled > 0) throw userError(ErrorCode.ALREADY_CANCELLED, `The rest of payment ${p.reference} was cancelled, so nothing is left to capture.`, field);
    throw userError(ErrorCode.ALREADY_CAPTURED, `Payment ${p.reference} is already fully captured.`, field);
  }
  if (amount === null) return left;
  checkCurrency(p, requested);
  checkAmount(amount, p.amount.currency, field);
  if (amount > left) throw userError(ErrorCode.CAPTURE_AMOUNT_TOO_HIGH, captureTooHigh(p), field);
  return amount;
}

/** Refund `amount` (or all that is refundable when null); returns the amount to send. */
export function checkRefund(p: PaymentRecord, requested: RequestedAmount | null, now: Date = new Date()): number {
  const field = ['input', 'amount'];
  const amount = requested?.value ?? null;
  if (p.aggregate.captured === 0) {
    throw userError(ErrorCode.REFUND_BEFORE_CAPTURE, `Nothing can be refunded on payment ${p.reference}: no money has been captured.`, field);
  }
  const left = refundable(p);
  if (left === 0) throw userError(ErrorCode.ALREADY_REFUNDED, `Payment ${p.reference} is already fully refunded.`, field);
  const deadline = refundDeadline(p);
  if (deadline && deadline.getTime() <= now.getTime()) {
    throw userError(
      ErrorCode.REFUND_PERIOD_EXPIRED,
      `It is too late to refund payment ${p.reference}: Vipps allows refunds for 365 days after the capture, and it was captured on ${p.capturedAt?.slice(0, 10)}.`,
      ['input', 'reference'],
    );
  }
  if (amount === null) return left;
  checkCurrency(p, requested);
  checkAmount(amount, p.amount.currency, field);
  if (amount > left) throw userError(ErrorCode.REFUND_AMOUNT_TOO_HIGH, refundTooHigh(p), field);
  return amount;
}

export function checkCancel(p: PaymentRecord, onlyIfNotApproved: boolean): void {
  if (p.state === 'CREATED') return;
  if (p.state !== 'AUTHORIZED') {
    throw userError(ErrorCode.CANCEL_NOT_ALLOWED, `Payment ${p.reference} is ${p.state.toLowerCase()}, so there is nothing to cancel.`);
  }
  if (onlyIfNotApproved) {
    throw userError(ErrorCode.ALREADY_AUTHORIZED, `The customer has already approved payment ${p.reference}, so it was not cancelled.`);
  }
  if (p.aggregate.cancelled > 0) throw userError(ErrorCode.ALREADY_CANCELLED, `Payment ${p.reference} is already cancelled.`);
  if (capturable(p) === 0) {
    throw userError(ErrorCode.ALREADY_CAPTURED, `Payment ${p.reference} is fully captured, so it cannot be cancelled. Refund it instead.`);
  }
}

/**
 * Order Management wants a tax rate on every receipt line (taxRate in hundredths of a percent,
 * or the older taxPercentage); without one it answers only that the request is invalid.
 */
export function checkReceipt(receipt: Receipt, field: string[]): void {
  receipt.orderLines.forEach((line, i) => {
    const at = [...field, 'orderLines', String(i), 'taxRate'];
    const { taxRate: rate, taxPercentage: percentage } = line;
    if (rate == null && percentage == null) {
      throw userError(ErrorCode.INVALID_INPUT, `Receipt line ${i + 1} (${line.name}) needs a taxRate: the tax rate in hundredths of a percent, like 2500 for 25%, or 0 for no tax.`, at);
    }
    if (rate != null && (!Number.isInteger(rate) || rate < 0 || rate > 10000)) {
      throw userError(ErrorCode.INVALID_INPUT, `The taxRate of receipt line ${i + 1} (${line.name}) must be 0 to 10000 hundredths of a percent (2500 = 25%).`, at);
    }
  });
}
