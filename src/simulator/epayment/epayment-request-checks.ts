import { CURRENCIES, MAX_PAYMENT_AMOUNT, minimumAmount } from '../../common/money';
import { epaymentProblem, epaymentValidation } from '../problems';
import type { Amount, Currency, NewPayment, PaymentMethodType, UserFlow } from './payment';

/**
 * Request validation for the ePayment endpoints with Vipps' error shapes (docs/vipps.md §5, §7.1):
 * structural errors name the field and rule (no code); business rules carry a numeric code.
 * Everything here is pure and throws `SimProblem`, so a bad request never reaches the store.
 */

export const REFERENCE_PATTERN = /^[a-zA-Z0-9-]{8,64}$/;
const PHONE_PATTERN = /^\d{10,15}$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-](2[0-3]|[01]\d):[0-5]\d)$/;
const USER_FLOWS: readonly UserFlow[] = ['PUSH_MESSAGE', 'NATIVE_REDIRECT', 'WEB_REDIRECT', 'QR'];
const PAYMENT_METHODS: readonly PaymentMethodType[] = ['WALLET', 'CARD'];
const QR_FORMATS = ['TEXT/TARGETURL', 'IMAGE/SVG+XML', 'IMAGE/PNG'];
const MINUTE_MS = 60_000;
const EXPIRES_MIN_MS = 10 * MINUTE_MS;
/** [now] long-living payments may live up to 60 days (the stored spec says 28). */
const EXPIRES_MAX_MS = 60 * 24 * 60 * MINUTE_MS;
export const MAX_IDEMPOTENCY_KEY_LENGTH = 50;

/** A create request as checked: the new payment without what the simulator adds (merchant, token, URL). */
export type CreatePaymentInput = Omit<NewPayment, 'msn' | 'token' | 'redirectUrl'>;

type Json = Record<string, unknown>;

export function validateCreatePayment(body: unknown, nowMs: number): CreatePaymentInput {
  const b = object(body, 'body');
  const amount = validateAmount(b.amount, 'amount');
  if (amount.value < minimumAmount(amount.currency)) {
    throw epaymentProblem(400, 'Amount too small', `The minimum amount is ${minimumAmount(amount.currency)} in ${amount.currency}.`, '6010');
  }
  const reference = b.reference;
  if (typeof reference !== 'string') throw epaymentValidation('reference', 'The reference field is required.');
  if (!REFERENCE_PATTERN.test(reference)) throw epaymentValidation('reference', `must match ${REFERENCE_PATTERN.source}`);

  const method = object(b.paymentMethod, 'paymentMethod');
  if (method.type === undefined) throw epaymentValidation('paymentMethod.type', 'The type field is required.');
  if (!PAYMENT_METHODS.includes(method.type as PaymentMethodType)) {
    throw epaymentProblem(400, 'Invalid payment method type', `Unsupported payment method type ${String(method.type)}.`, '4160');
  }
  const userFlow = oneOf(b.userFlow, USER_FLOWS, 'userFlow', true) as UserFlow;
  const paymentMethod = method.type as PaymentMethodType;
  if (paymentMethod === 'CARD' && userFlow !== 'WEB_REDIRECT') {
    throw epaymentProblem(400, 'Invalid payment method type', 'CARD is only possible with userFlow WEB_REDIRECT.', '4160');
  }

  const returnUrl = optionalString(b.returnUrl, 'returnUrl', true);
  if (returnUrl === undefined && (userFlow === 'WEB_REDIRECT' || userFlow === 'NATIVE_REDIRECT')) {
    throw epaymentProblem(400, 'Missing required parameter', `returnUrl is required for userFlow ${userFlow}.`, '4140');
  }
  if (returnUrl !== undefined) checkUrl(returnUrl, 'returnUrl');
  const receiptUrl = optionalString(b.receiptUrl, 'receiptUrl', true);
  if (receiptUrl) checkUrl(receiptUrl, 'receiptUrl');

  const hasCustomer = b.customer !== undefined && b.customer !== null;
  if (hasCustomer) validateCustomer(b.customer);
  if (userFlow === 'PUSH_MESSAGE' && !hasCustomer) {
    throw epaymentProblem(400, 'Missing required parameter', 'customer is required for userFlow PUSH_MESSAGE.', '4140');
  }

  const description = optionalString(b.paymentDescription, 'paymentDescription', true);
  if (description !== undefined && (description.length < 3 || description.length > 100)) {
    throw epaymentValidation('paymentDescription', 'must be 3 to 100 characters');
  }
  oneOf(b.customerInteraction, ['CUSTOMER_PRESENT', 'CUSTOMER_NOT_PRESENT'], 'customerInteraction', false);
  const metadata = validateMetadata(b.metadata);
  const profileScope = b.profile === undefined || b.profile === null ? undefined : optionalString(object(b.profile, 'profile').scope, 'profile.scope');
  validateQrFormat(b.qrFormat, userFlow);
  if (b.receipt !== undefined && b.receipt !== null) object(b.receipt, 'receipt');
  const expiresAtMs = validateExpiresAt(b, userFlow, nowMs);

  return {
    reference,
    amount,
    paymentMethod,
    userFlow,
    ...(returnUrl !== undefined ? { returnUrl } : {}),
    ...(description !== undefined ? { description } : {}),
    ...(metadata !== undefined ? { metadata } : {}),
    ...(profileScope ? { profileScope } : {}),
    ...(expiresAtMs !== undefined ? { expiresAtMs } : {}),
  };
}

/**
 * Amount objects: decimals and out-of-range values are "Invalid amount" (4040, docs/vipps.md §4);
 * a value that is not a number at all fails model binding (field error).
 */
export function validateAmount(value: unknown, field: string): Amount {
  const amount = object(value, field);
  const currency = oneOf(amount.currency, CURRENCIES, `${field}.currency`, true) as Currency;
  if (typeof amount.value !== 'number') throw epaymentValidation(`${field}.value`, 'must be an integer in minor units');
  if (!Number.isInteger(amount.value) || amount.value < 0 || amount.value > MAX_PAYMENT_AMOUNT) {
    throw epaymentProblem(400, 'Invalid amount', `${field}.value must be an integer from 0 to ${MAX_PAYMENT_AMOUNT} in minor units.`, '4040');
  }
  return { currency, value: amount.value };
}

/** Capture and refund bodies: `{ modificationAmount: Amount }`. */
export function validateModification(body: unknown): Amount {
  return validateAmount(object(body, 'body').modificationAmount, 'modificationAmount');
}

/** Cancel takes no body, or `{ cancelTransactionOnly: boolean }`. */
export function validateCancel(body: unknown): boolean {
  if (body === undefined || body === null) return false;
  const flag = object(body, 'body').cancelTransactionOnly;
  if (flag === undefined || flag === null) return false;
  if (typeof flag !== 'boolean') throw epaymentValidation('cancelTransactionOnly', 'must be a boolean');
  return flag;
}

/**
 * Force approve: `{ customer: {phoneNumber} }` or `{ token }` (docs/vipps.md §7.7). With a
 * customer the phone number names the test user and the token is not looked at: Vipps' ePayment
 * collection sends both, with a token it never fills in for ePayment, and Vipps approves.
 */
export function validateForceApprove(body: unknown): { phoneNumber?: string; token?: string } {
  const b = object(body, 'body');
  if (b.customer !== undefined && b.customer !== null) {
    const customer = object(b.customer, 'customer');
    const phoneNumber = optionalString(customer.phoneNumber, 'customer.phoneNumber');
    if (phoneNumber === undefined || !PHONE_PATTERN.test(phoneNumber)) {
      throw epaymentProblem(400, 'Invalid phone number', 'customer.phoneNumber must be 10 to 15 digits (MSISDN).', '4070');
    }
    return { phoneNumber };
  }
  const token = optionalString(b.token, 'token');
  if (!token) throw epaymentValidation('customer', 'Either customer.phoneNumber or token is required.');
  return { token };
}

/** An Idempotency-Key header value, or the 400 Vipps gives when it is missing or too long. */
export function validateIdempotencyKey(value: string | undefined): string {
  if (value === undefined || value.trim() === '') {
    throw epaymentProblem(400, 'Missing required parameter', 'The Idempotency-Key header is required.', '4140');
  }
  if (value.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
    throw epaymentValidation('Idempotency-Key', `must be at most ${MAX_IDEMPOTENCY_KEY_LENGTH} characters`);
  }
  return value;
}

function validateCustomer(value: unknown): void {
  const customer = object(value, 'customer');
  const given = ['phoneNumber', 'personalQr', 'customerToken'].filter((k) => customer[k] !== undefined && customer[k] !== null);
  if (given.length !== 1) throw epaymentValidation('customer', 'Specify exactly one of phoneNumber, personalQr or customerToken.');
  const [kind] = given;
  const text = customer[kind as string];
  if (kind === 'phoneNumber' && (typeof text !== 'string' || !PHONE_PATTERN.test(text))) {
    throw epaymentProblem(400, 'Invalid phone number', 'customer.phoneNumber must be 10 to 15 digits (MSISDN).', '4070');
  }
  if (kind === 'personalQr' && (typeof text !== 'string' || text.length < 5 || text.length > 255)) {
    throw epaymentProblem(400, 'Invalid PersonalQr', 'customer.personalQr must be 5 to 255 characters.', '4060');
  }
  if (kind === 'customerToken' && (typeof text !== 'string' || text.trim() === '')) {
    throw epaymentProblem(400, 'Invalid CustomerToken', 'customer.customerToken must be a non-empty string.', '4050');
  }
}

function validateMetadata(value: unknown): Record<string, string> | undefined {
  if (value === undefined || value === null) return undefined;
  const entries = Object.entries(object(value, 'metadata'));
  if (entries.length > 5) throw epaymentProblem(400, 'Metadata capacity exceeded', 'metadata holds at most 5 key-value pairs.', '4100');
  // JSON.parse keeps the last of two equal keys, so 4110 (duplicate key) can only be case-insensitive here.
  const lower = new Set(entries.map(([k]) => k.toLowerCase()));
  if (lower.size !== entries.length) throw epaymentProblem(400, 'Duplicate metadata key', 'metadata keys must be unique.', '4110');
  for (const [key, text] of entries) {
    if (key.length === 0 || key.length > 100) throw epaymentProblem(400, 'Invalid metadata key length', 'metadata keys must be 1 to 100 characters.', '4120');
    if (typeof text !== 'string') throw epaymentValidation(`metadata.${key}`, 'must be a string');
    if (text.length > 500) throw epaymentProblem(400, 'Invalid metadata value length', 'metadata values must be at most 500 characters.', '4130');
  }
  return Object.fromEntries(entries) as Record<string, string>;
}

function validateQrFormat(value: unknown, userFlow: UserFlow): void {
  if (value === undefined || value === null) return;
  if (userFlow !== 'QR') throw epaymentValidation('qrFormat', 'qrFormat is only allowed with userFlow QR');
  const qr = object(value, 'qrFormat');
  oneOf(qr.format, QR_FORMATS, 'qrFormat.format', true);
  if (qr.size !== undefined && qr.size !== null) {
    if (!Number.isInteger(qr.size) || (qr.size as number) < 100 || (qr.size as number) > 2000) {
      throw epaymentValidation('qrFormat.size', 'must be an integer from 100 to 2000');
    }
  }
}

function validateExpiresAt(b: Json, userFlow: UserFlow, nowMs: number): number | undefined {
  if (b.expiresAt === undefined || b.expiresAt === null) return undefined;
  if (typeof b.expiresAt !== 'string' || !RFC3339.test(b.expiresAt) || Number.isNaN(Date.parse(b.expiresAt))) {
    throw epaymentValidation('expiresAt', 'must be an RFC 3339 date-time');
  }
  if (userFlow !== 'PUSH_MESSAGE' && userFlow !== 'QR') {
    throw epaymentValidation('expiresAt', 'expiresAt is only allowed with userFlow PUSH_MESSAGE or QR');
  }
  const at = Date.parse(b.expiresAt);
  if (at <= nowMs + EXPIRES_MIN_MS) throw epaymentProblem(400, 'expiresAt too soon', 'expiresAt must be more than 10 minutes ahead.', '6120');
  if (at > nowMs + EXPIRES_MAX_MS) throw epaymentProblem(400, 'expiresAt too late', 'expiresAt must be at most 60 days ahead.', '6110');
  if (b.receipt === undefined || b.receipt === null) {
    throw epaymentProblem(400, 'Long-living payment requires receipt', 'A payment with expiresAt must have a receipt.', '6130');
  }
  return at;
}

/**
 * `https://`, a custom app scheme (`myapp://…`), or plain http to localhost for local development.
 * Schemes a browser would run or read locally are refused.
 */
function checkUrl(value: string, field: string): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw epaymentProblem(400, 'Invalid URL', `${field} is not a valid URL.`, '4090');
  }
  const scheme = url.protocol.slice(0, -1).toLowerCase();
  const local = url.hostname === 'localhost' || url.hostname === '127.0.0.1';
  const ok = scheme === 'https' || (scheme === 'http' && local) || !['http', 'javascript', 'data', 'file', 'blob', 'vbscript', 'about'].includes(scheme);
  if (!ok) throw epaymentProblem(400, 'Invalid URL', `${field} must use https:// or a custom URL scheme.`, '4090');
}

function object(value: unknown, field: string): Json {
  if (value === undefined || value === null) throw epaymentValidation(field, `The ${field} field is required.`);
  if (typeof value !== 'object' || Array.isArray(value)) throw epaymentValidation(field, 'must be an object');
  return value as Json;
}

function optionalString(value: unknown, field: string, nullable = false): string | undefined {
  if (value === undefined || (nullable && value === null)) return undefined;
  if (typeof value !== 'string') throw epaymentValidation(field, 'must be a string');
  return value;
}

function oneOf(value: unknown, allowed: readonly string[], field: string, required: boolean): string | undefined {
  if (value === undefined || value === null) {
    if (required) throw epaymentValidation(field, `The ${field} field is required.`);
    return undefined;
  }
  if (typeof value !== 'string' || !allowed.includes(value)) throw epaymentValidation(field, `must be one of ${allowed.join(', ')}`);
  return value;
}
