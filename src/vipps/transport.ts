import type { Span } from '@opentelemetry/api';
import type { MerchantConfig } from '../config/config';
import type { Logger } from '../log/logger';
import type { TokenLease } from './access-token';
import { VippsApiError, VippsConnectionError, VippsError, vippsErrorFromResponse, type VippsApi, type VippsErrorContext } from './errors';
import { exchange, NoResponseError, sleep as realSleep, systemHeaders, type FetchFn, type SystemInfo } from './http-exchange';
import { DEFAULT_RETRY_POLICY, retryDecision, type AttemptOutcome, type RetryPolicy } from './retry';
import type { VippsMetrics, VippsOutcome } from '../telemetry/metrics';
import { inVippsSpan, noteResend } from './vipps-span';

/**
 * The one place that talks HTTP to Vipps (stripe-node's RequestSender): token, headers, timeout,
 * retries and error mapping. Endpoint clients only say method, path and body.
 */

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface VippsRequest {
  merchant: MerchantConfig;
  api: VippsApi;
  method: HttpMethod;
  /** Built with `vippsPath`, which encodes it and keeps its template. */
  path: VippsPath;
  body?: unknown;
  /** Sent as Idempotency-Key, the same on every attempt; makes a write safe to retry. */
  idempotencyKey?: string;
  query?: Record<string, string | number | boolean | undefined>;
  /** Extra request headers, e.g. Recurring `Continuation-Token`. */
  headers?: Record<string, string | undefined>;
}

export interface VippsResponse<T> {
  status: number;
  headers: Headers;
  /** Parsed JSON; undefined for 202/204 and other empty bodies. */
  body: T;
}

/** What the transport needs from the token cache (`AccessTokenProvider`). */
export interface TokenSource {
  get(merchant: MerchantConfig): Promise<TokenLease>;
  invalidate(merchant: MerchantConfig, token: string): Promise<void>;
}

export interface TransportOptions {
  baseUrl: string;
  system: SystemInfo;
  /** Per attempt, not per call. */
  timeoutMs: number;
  maxRetries: number;
  tokens: TokenSource;
  log: Logger;
  fetch?: FetchFn;
  retryPolicy?: RetryPolicy;
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Times every exchange by endpoint template and outcome. */
  metrics?: VippsMetrics;
}

/** A request path, and the endpoint it addresses with each value left out (for metrics and traces). */
export interface VippsPath {
  /** `/epayment/v1/payments/order%2F1/capture`: every interpolated value URI-encoded. */
  readonly encoded: string;
  /** `/epayment/v1/payments/{id}/capture`: the same for every payment, so it can label a metric. */
  readonly endpoint: string;
}

/** A template's strings are one object per call site, so its endpoint is joined once. */
const endpoints = new WeakMap<TemplateStringsArray, string>();

/** Builds a path with every interpolated value passed through `encodeURIComponent`: vippsPath`/payments/${ref}`. */
export function vippsPath(strings: TemplateStringsArray, ...params: (string | number)[]): VippsPath {
  let endpoint = endpoints.get(strings);
  if (endpoint === undefined) {
    endpoint = strings.join('{id}');
    endpoints.set(strings, endpoint);
  }
  return { encoded: strings.reduce((out, part, i) => out + part + (i < params.length ? encodeURIComponent(String(params[i])) : ''), ''), endpoint };
}

export class VippsTransport {
  private readonly fetchFn: FetchFn;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: TransportOptions) {
    this.fetchFn = options.fetch ?? fetch;
    this.sleep = options.sleep ?? realSleep;
  }

  async request<T>(request: VippsRequest): Promise<T> {
    return (await this.send<T>(request)).body;
  }

  /** Like `request`, with status and response headers. */
  async send<T>(request: VippsRequest): Promise<VippsResponse<T>> {
    if (request.idempotencyKey !== undefined && request.idempotencyKey.trim() === '') {
      throw new TypeError(`Empty Idempotency-Key for ${request.method} ${request.path.encoded}`);
    }
    return inVippsSpan({ api: request.api, method: request.method, endpoint: request.path.endpoint }, (span) => this.attempts<T>(request, span));
  }

  private async attempts<T>(request: VippsRequest, span: Span | undefined): Promise<VippsResponse<T>> {
    const url = this.url(request);
    const body = request.body === undefined ? undefined : JSON.stringify(request.body);
    let refreshedToken = false;
    let attempt = 1;
    for (;;) {
      const lease = await this.options.tokens.get(request.merchant);
      const context = this.context(request, lease.token);
      let failure: VippsError;
      let outcome: AttemptOutcome;
      const sentAt = performance.now();
      try {
        const response = await exchange(this.fetchFn, { url, method: request.method, headers: this.headers(request, lease.token, body), body, timeoutMs: this.options.timeoutMs });
        this.observe(request, response.status, sentAt);
        if (response.status >= 200 && response.status < 300) {
          if (!response.json) throw new VippsApiError({ ...context, status: response.status, title: 'Response body is not JSON' });
          return { status: response.status, headers: response.headers, body: response.body as T };
        }
        // A 401 on a token from a cache usually means Vipps no longer accepts that token; the gateway
        // rejected the call before it ran, so one retry with a fresh token is safe even for writes.
        if (response.status === 401 && lease.source !== 'fetched' && !refreshedToken) {
          refreshedToken = true;
          await this.options.tokens.invalidate(request.merchant, lease.token);
          continue;
        }
        failure = vippsErrorFromResponse(response.status, response.body, response.headers, context);
        outcome = { status: response.status, retryAfter: failure.retryAfterSeconds };
      } catch (error) {
        if (!(error instanceof NoResponseError)) throw error;
        this.observe(request, error.timedOut ? 'timeout' : 'network_error', sentAt);
        failure = new VippsConnectionError({ ...context, timedOut: error.timedOut, cause: error.cause });
        outcome = { networkError: true };
      }
      const decision = retryDecision(
        { method: request.method, hasIdempotencyKey: request.idempotencyKey !== undefined, attempt, maxRetries: this.options.maxRetries, outcome },
        this.options.retryPolicy ?? DEFAULT_RETRY_POLICY,
        this.options.random,
      );
      if (!decision.retry) {
        this.logFailure(failure, attempt);
        throw failure;
      }
      this.options.log.debug({ ...where(failure), attempt, delayMs: decision.delayMs }, 'vipps request failed; retrying');
      await this.sleep(decision.delayMs);
      noteResend(span, attempt);
      attempt++;
    }
  }

  private url(request: VippsRequest): string {
    const query = new URLSearchParams();
    for (const [name, value] of Object.entries(request.query ?? {})) if (value !== undefined) query.set(name, String(value));
    const search = query.toString();
    return `${this.options.baseUrl}${request.path.encoded}${search ? `?${search}` : ''}`;
  }

  private observe(request: VippsRequest, outcome: VippsOutcome, sentAt: number): void {
    this.options.metrics?.observe({ api: request.api, endpoint: request.path.endpoint, method: request.method }, outcome, sentAt);
  }

  private headers(request: VippsRequest, token: string, body: string | undefined): Record<string, string> {
    const headers: Record<string, string> = {
      Accept: 'application/json',
      Authorization: `Bearer ${token}`,
      'Ocp-Apim-Subscription-Key': request.merchant.subscriptionKey,
      'Merchant-Serial-Number': request.merchant.msn,
      ...systemHeaders(this.options.system),
    };
    if (request.idempotencyKey !== undefined) headers['Idempotency-Key'] = request.idempotencyKey;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    for (const [name, value] of Object.entries(request.headers ?? {})) if (value !== undefined) headers[name] = value;
    return headers;
  }

  private context(request: VippsRequest, token: string): VippsErrorContext {
    const { merchant } = request;
    return { api: request.api, method: request.method, path: request.path.encoded, msn: merchant.msn, secrets: [token, merchant.clientSecret, merchant.subscriptionKey] };
  }

  /**
   * Once per call, at the end, with what Vipps support asks for: traceId, method, path, status. A
   * lookup that found nothing (GET, 404) is an answer the caller expects, not a warning.
   */
  private logFailure(error: VippsError, attempts: number): void {
    const fields = { ...where(error), attempts, code: error.code, problem: error.problem, detail: error.detail };
    if (error.status === 404 && error.method === 'GET') this.options.log.debug(fields, 'vipps lookup found nothing');
    else if (error.status !== undefined && error.status < 500) this.options.log.warn(fields, 'vipps request failed');
    else this.options.log.error(fields, 'vipps request failed');
  }
}

function where(error: VippsError) {
  return { msn: error.msn, api: error.api, method: error.method, path: error.path, status: error.status, traceId: error.traceId, instance: error.instance };
}

/** The transport bound to one API, addressing merchants by MSN; what endpoint clients are given. */
export interface VippsCaller {
  request<T>(msn: string, request: Omit<VippsRequest, 'merchant' | 'api'>): Promise<T>;
  send<T>(msn: string, request: Omit<VippsRequest, 'merchant' | 'api'>): Promise<VippsResponse<T>>;
}

export function vippsCaller(transport: VippsTransport, merchantOf: (msn: string) => MerchantConfig, api: VippsApi): VippsCaller {
  return {
    // async so an unknown MSN rejects like every other failure instead of throwing synchronously
    request: async (msn, request) => transport.request({ ...request, api, merchant: merchantOf(msn) }),
    send: async (msn, request) => transport.send({ ...request, api, merchant: merchantOf(msn) }),
  };
}
