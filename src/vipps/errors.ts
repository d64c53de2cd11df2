import { parseRetryAfter } from './retry';

/**
 * Every Vipps failure is one of these classes, built in one place (`vippsErrorFromResponse`) from the
 * status and whatever body came back. Branch on `status` + `code` (ePayment) or `problem`
 * (Recurring), never on text (REFERENCE §5).
 */

export type VippsApi = 'token' | 'epayment' | 'recurring' | 'webhooks' | 'order-management';

/** Where the failing call went. `secrets` are scrubbed from any text the error carries. */
export interface VippsErrorContext {
  api: VippsApi;
  method: string;
  path: string;
  msn?: string;
  secrets?: readonly (string | undefined)[];
}

export interface VippsErrorFields {
  status?: number;
  title: string;
  detail?: string;
  code?: string;
  problem?: string;
  traceId?: string;
  instance?: string;
  retryAfterSeconds?: number;
  extraDetails?: readonly unknown[];
  api: VippsApi;
  method: string;
  path: string;
  msn?: string;
  cause?: unknown;
}

export class VippsError extends Error {
  /** HTTP status; undefined when no response arrived. */
  readonly status: number | undefined;
  readonly title: string;
  readonly detail: string | undefined;
  /** ePayment numeric error code from `extraDetails[{name: 'ErrorCode'}]`, e.g. "6080". */
  readonly code: string | undefined;
  /** Recurring problem identifier from the `type` URL fragment, e.g. "charge-due-too-soon". */
  readonly problem: string | undefined;
  /** ePayment/Webhooks `traceId` or Recurring `contextId`: quote it to Vipps support. */
  readonly traceId: string | undefined;
  /** The problem's `instance`: which request or occurrence Vipps means, for its support. */
  readonly instance: string | undefined;
  readonly retryAfterSeconds: number | undefined;
  readonly extraDetails: readonly unknown[] | undefined;
  readonly api: VippsApi;
  readonly method: string;
  readonly path: string;
  readonly msn: string | undefined;

  constructor(fields: VippsErrorFields) {
    super(describe(fields), fields.cause === undefined ? undefined : { cause: fields.cause });
    this.name = new.target.name;
    this.status = fields.status;
    this.title = fields.title;
    this.detail = fields.detail;
    this.code = fields.code;
    this.problem = fields.problem;
    this.traceId = fields.traceId;
    this.instance = fields.instance;
    this.retryAfterSeconds = fields.retryAfterSeconds;
    this.extraDetails = fields.extraDetails;
    this.api = fields.api;
    this.method = fields.method;
    this.path = fields.path;
    this.msn = fields.msn;
  }
}

/** Raised on 400 and 422 (validation or business rule) and on any other 4xx without its own class. */
export class VippsInvalidRequestError extends VippsError {}
/** Raised on 401: bad or expired token, or wrong client credentials / subscription key. */
export class VippsAuthenticationError extends VippsError {}
/** Raised on 403: valid credentials, but the sales unit may not do this (product not enabled, wrong MSN). */
export class VippsPermissionError extends VippsError {}
/** Raised on 404: unknown resource, or one that belongs to another MSN. */
export class VippsNotFoundError extends VippsError {}
/** Raised on 409: idempotency key reused with another body, duplicate reference, or state conflict. */
export class VippsConflictError extends VippsError {}
/** Raised on 423 when retries ran out: ePayment was busy with another operation on the same payment. */
export class VippsLockedError extends VippsError {}
/** Raised on 429 when retries ran out; `retryAfterSeconds` says when to come back. */
export class VippsRateLimitError extends VippsError {}
/** Raised on 5xx (and on unexpected statuses or unreadable success bodies): Vipps failed, not the request. */
export class VippsApiError extends VippsError {}
/** Raised when no response arrived (network error or our timeout); the write may or may not have happened. */
export class VippsConnectionError extends VippsError {
  readonly timedOut: boolean;
  constructor(fields: Omit<VippsErrorFields, 'status' | 'title'> & { timedOut: boolean }) {
    super({ ...fields, title: fields.timedOut ? 'Request timed out' : 'Connection failed' });
    this.timedOut = fields.timedOut;
  }
}

/** Raised before any request when an MSN is not in `VIPPS_MERCHANTS`; a configuration problem. */
export class VippsUnknownMerchantError extends Error {
  constructor(readonly msn: string) {
    super(`No Vipps merchant with MSN ${msn} is configured (VIPPS_MERCHANTS)`);
    this.name = 'VippsUnknownMerchantError';
  }
}

type HeaderSource = Headers | Record<string, string | undefined>;

/**
 * The one factory. `body` is the parsed JSON, or the raw text when it was not JSON (HTML from a
 * proxy, empty body). Understands the ePayment/Webhooks problem, Recurring `ErrorV3`, and the API
 * gateway's `{statusCode, message}` and `{responseInfo, result}` bodies.
 */
export function vippsErrorFromResponse(status: number, body: unknown, headers: HeaderSource, context: VippsErrorContext): VippsError {
  const parsed = readBody(body);
  const scrub = scrubber(context.secrets);
  const fields: VippsErrorFields = {
    ...parsed,
    title: scrub(parsed.title) ?? statusText(status),
    detail: scrub(parsed.detail),
    status,
    retryAfterSeconds: parseRetryAfter(headerOf(headers, 'retry-after')),
    api: context.api,
    method: context.method,
    path: context.path,
    msn: context.msn,
  };
  const ErrorClass = classFor(status);
  return new ErrorClass(fields);
}

function classFor(status: number): new (fields: VippsErrorFields) => VippsError {
  switch (status) {
    case 401:
      return VippsAuthenticationError;
    case 403:
      return VippsPermissionError;
    case 404:
      return VippsNotFoundError;
    case 409:
      return VippsConflictError;
    case 423:
      return VippsLockedError;
    case 429:
      return VippsRateLimitError;
    default:
      return status >= 400 && status < 500 ? VippsInvalidRequestError : VippsApiError;
  }
}

type Parsed = Pick<VippsErrorFields, 'code' | 'problem' | 'traceId' | 'instance' | 'extraDetails'> & { title?: string; detail?: string };

function readBody(body: unknown): Parsed {
  if (!isRecord(body)) return {};
  // Azure API gateway, as modelled in the Recurring spec (`ErrorFromAzure`).
  if (isRecord(body.responseInfo) || isRecord(body.result)) {
    const info = isRecord(body.responseInfo) ? body.responseInfo : {};
    const result = isRecord(body.result) ? body.result : {};
    return { title: text(info.responseMessage), detail: text(result.message) };
  }
  // Azure API gateway's usual 401/429 body.
  if ('statusCode' in body && 'message' in body && !('type' in body)) {
    return { detail: text(body.message) };
  }
  const extraDetails = Array.isArray(body.extraDetails) ? (body.extraDetails as unknown[]) : undefined;
  return {
    title: text(body.title),
    detail: text(body.detail),
    code: errorCode(extraDetails),
    problem: problemIdentifier(body.type),
    traceId: text(body.traceId) ?? text(body.contextId),
    instance: text(body.instance),
    extraDetails,
  };
}

function errorCode(extraDetails: unknown[] | undefined): string | undefined {
  const entry = extraDetails?.find((d) => isRecord(d) && d.name === 'ErrorCode');
  return isRecord(entry) ? text(entry.reason) : undefined;
}

/** Only Recurring encodes a stable identifier in the `type` fragment; ePayment's fragment is the code. */
function problemIdentifier(type: unknown): string | undefined {
  const url = text(type);
  if (!url?.includes('/recurring-api/')) return undefined;
  const hash = url.lastIndexOf('#');
  return hash >= 0 && hash < url.length - 1 ? url.slice(hash + 1) : undefined;
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number') return String(value);
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function headerOf(headers: HeaderSource, name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const record = headers as Record<string, string | undefined>;
  const key = Object.keys(record).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : record[key];
}

function scrubber(secrets: readonly (string | undefined)[] | undefined): (value: string | undefined) => string | undefined {
  const list = (secrets ?? []).filter((s): s is string => typeof s === 'string' && s.length >= 4);
  return (value) => {
    if (value === undefined) return undefined;
    let out = value;
    for (const secret of list) out = out.split(secret).join('[redacted]');
    return out;
  };
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  422: 'Unprocessable Entity',
  423: 'Locked',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

function statusText(status: number): string {
  return STATUS_TEXT[status] ?? `HTTP ${status}`;
}

function describe(fields: VippsErrorFields): string {
  const where = `Vipps ${fields.method} ${fields.path}`;
  const what = fields.status === undefined ? fields.title : `${fields.status} ${fields.title}`;
  const extras = [fields.code && `code ${fields.code}`, fields.problem && `problem ${fields.problem}`, fields.traceId && `traceId ${fields.traceId}`]
    .filter(Boolean)
    .join(', ');
  return `${where} failed: ${what}${fields.detail ? `: ${fields.detail}` : ''}${extras ? ` (${extras})` : ''}`;
}
