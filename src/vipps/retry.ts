/**
 * When to repeat a Vipps request, as pure functions so the policy can be read and tested as a
 * decision table. The transport owns the loop; this module only answers "again, and after how long?".
 *
 * Safe to repeat: GET always; a write only when it carries an Idempotency-Key (the same key on every
 * attempt), because Vipps then performs it at most once (docs/vipps.md §6). A write without a key is
 * never repeated: after a timeout or a 500 we cannot know whether Vipps already acted on it.
 */

export interface RetryPolicy {
  /** First backoff ceiling; doubles per attempt (default 250 ms). */
  readonly baseDelayMs: number;
  /** Backoff ceiling never exceeds this (default 5 s). */
  readonly maxDelayMs: number;
  /** A server's Retry-After is honoured up to this (default 10 s) so a caller is never parked for minutes. */
  readonly maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({ baseDelayMs: 250, maxDelayMs: 5_000, maxRetryAfterMs: 10_000 });

/** What happened on one attempt. */
export interface AttemptOutcome {
  /** HTTP status, when a response arrived. */
  status?: number;
  /** True when no response arrived: connection refused/reset, DNS failure or our own timeout. */
  networkError?: boolean;
  /** The response's Retry-After, already parsed to seconds. */
  retryAfter?: number;
}

export interface RetryInput {
  method: string;
  hasIdempotencyKey: boolean;
  /** 1-based number of the attempt that just failed. */
  attempt: number;
  /** Retries allowed after the first attempt (config `vipps.maxRetries`). */
  maxRetries: number;
  outcome: AttemptOutcome;
  /** Overrides the method/key rule for requests without side effects, such as `POST /accesstoken/get`. */
  idempotent?: boolean;
}

export interface RetryDecision {
  retry: boolean;
  delayMs: number;
}

/**
 * Statuses worth another attempt: gateway/server trouble, 423 (ePayment "concurrent operation on the
 * same payment, retry", docs/vipps.md §5) and 429. Every other 4xx is an answer, not a glitch.
 */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([423, 429, 500, 502, 503, 504]);

export function isSafeToRepeat(method: string, hasIdempotencyKey: boolean): boolean {
  const upper = method.toUpperCase();
  return upper === 'GET' || upper === 'HEAD' || hasIdempotencyKey;
}

export function retryDecision(input: RetryInput, policy: RetryPolicy = DEFAULT_RETRY_POLICY, random: () => number = Math.random): RetryDecision {
  const no = { retry: false, delayMs: 0 };
  if (input.attempt > input.maxRetries) return no;
  if (!(input.idempotent ?? isSafeToRepeat(input.method, input.hasIdempotencyKey))) return no;
  const { status, networkError, retryAfter } = input.outcome;
  const retryable = networkError === true || (status !== undefined && RETRYABLE_STATUSES.has(status));
  if (!retryable) return no;
  if (retryAfter !== undefined) return { retry: true, delayMs: Math.min(retryAfter * 1000, policy.maxRetryAfterMs) };
  return { retry: true, delayMs: backoffDelay(input.attempt, policy, random) };
}

/**
 * Exponential backoff with full jitter (a uniform delay in [0, min(max, base·2^(attempt−1)))), so
 * many clients that failed together do not retry together.
 * https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/
 */
export function backoffDelay(attempt: number, policy: RetryPolicy = DEFAULT_RETRY_POLICY, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}

/**
 * `Retry-After` as delta-seconds or an HTTP-date (RFC 9110 §10.2.3), in whole seconds from `nowMs`.
 * Unparseable values give undefined so the caller falls back to backoff.
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number = Date.now()): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number.parseInt(text, 10);
  // Only accept things that look like dates; Date.parse alone accepts oddities like "1".
  if (!/[a-z]{3}/i.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.ceil((at - nowMs) / 1000));
}
