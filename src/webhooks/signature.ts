import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Vipps MobilePay webhook signatures (docs/vipps.md §11.1, the "HMAC-SHA256" scheme of
 * https://developer.vippsmobilepay.com/docs/APIs/webhooks-api/request-authentication/).
 * Pure functions: the simulator signs its deliveries with `signWebhook`, our webhook receiver
 * checks them with `verifyWebhook`.
 */
export const SIGNED_HEADERS = 'x-ms-date;host;x-ms-content-sha256';
const AUTHORIZATION_PREFIX = `HMAC-SHA256 SignedHeaders=${SIGNED_HEADERS}&Signature=`;

/** A type alias, not an interface, so it can be passed where a header record is expected. */
export type WebhookSignatureHeaders = {
  'x-ms-date': string;
  'x-ms-content-sha256': string;
  host: string;
  authorization: string;
};

export interface SignWebhookInput {
  /** The registration's secret exactly as returned by `POST /webhooks/v1/webhooks`. */
  secret: string;
  /** The registered URL the delivery is posted to. */
  url: string;
  date: Date;
  /** The exact bytes that are sent. */
  body: string | Buffer;
}

export interface VerifyWebhookInput {
  secret: string;
  method: string;
  /** Path and query as received, plus the host the sender signed (the authority of the registered URL). */
  url: { pathAndQuery: string; host: string };
  /** Lower-case header names, as Node's IncomingMessage gives them. */
  headers: Record<string, string | string[] | undefined>;
  rawBody: string | Buffer;
  now?: Date;
  /** Reject deliveries whose `x-ms-date` is further than this from `now`. Vipps documents no tolerance, so it is opt-in. */
  maxAgeSeconds?: number;
}

export type VerifyWebhookResult = { ok: true } | { ok: false; reason: string };

export function contentHash(body: string | Buffer): string {
  return createHash('sha256').update(body).digest('base64');
}

export function stringToSign(method: string, pathAndQuery: string, date: string, host: string, hash: string): string {
  return `${method}\n${pathAndQuery}\n${date};${host};${hash}`;
}

/** The key is the UTF-8 bytes of the secret as given; Vipps does not base64-decode it. */
export function computeSignature(secret: string, toSign: string): string {
  return createHmac('sha256', Buffer.from(secret, 'utf8')).update(toSign, 'utf8').digest('base64');
}

export function signWebhook(input: SignWebhookInput): WebhookSignatureHeaders {
  const url = new URL(input.url);
  const date = input.date.toUTCString();
  const hash = contentHash(input.body);
  const signature = computeSignature(input.secret, stringToSign('POST', url.pathname + url.search, date, url.host, hash));
  return { 'x-ms-date': date, 'x-ms-content-sha256': hash, host: url.host, authorization: AUTHORIZATION_PREFIX + signature };
}

export function verifyWebhook(input: VerifyWebhookInput): VerifyWebhookResult {
  const date = single(input.headers['x-ms-date']);
  const claimedHash = single(input.headers['x-ms-content-sha256']);
  const authorization = single(input.headers['authorization']);
  if (!date || !claimedHash || !authorization) return { ok: false, reason: 'missing x-ms-date, x-ms-content-sha256 or authorization header' };

  const hash = contentHash(input.rawBody);
  if (!safeEqual(hash, claimedHash)) return { ok: false, reason: 'content hash does not match the body' };

  if (input.maxAgeSeconds !== undefined) {
    const sentMs = Date.parse(date);
    if (Number.isNaN(sentMs)) return { ok: false, reason: 'x-ms-date is not a valid date' };
    const ageSeconds = Math.abs((input.now ?? new Date()).getTime() - sentMs) / 1000;
    if (ageSeconds > input.maxAgeSeconds) return { ok: false, reason: `x-ms-date is ${Math.round(ageSeconds)} s away from now` };
  }

  const toSign = stringToSign(input.method.toUpperCase(), input.url.pathAndQuery, date, input.url.host, hash);
  const expected = AUTHORIZATION_PREFIX + computeSignature(input.secret, toSign);
  if (!safeEqual(expected, authorization)) return { ok: false, reason: 'signature does not match' };
  return { ok: true };
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Constant-time for equal lengths; a length difference already tells the attacker nothing secret. */
function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}
