import { backoffDelay, DEFAULT_RETRY_POLICY, parseRetryAfter, retryDecision, type AttemptOutcome } from '../../../src/vipps/retry';

const policy = { baseDelayMs: 100, maxDelayMs: 1_000, maxRetryAfterMs: 5_000 };
const half = () => 0.5;

type Row = [method: string, hasKey: boolean, outcome: AttemptOutcome, retry: boolean];

const outcomes: Record<string, AttemptOutcome> = {
  '500': { status: 500 },
  '502': { status: 502 },
  '503': { status: 503 },
  '504': { status: 504 },
  '429': { status: 429 },
  '423': { status: 423 },
  '400': { status: 400 },
  '401': { status: 401 },
  '404': { status: 404 },
  '409': { status: 409 },
  '422': { status: 422 },
  network: { networkError: true },
};
const retryable = new Set(['500', '502', '503', '504', '429', '423', 'network']);

// GET is always safe; a write is safe only with an Idempotency-Key.
const table: Row[] = [];
for (const [method, hasKey] of [
  ['GET', false],
  ['POST', true],
  ['POST', false],
  ['PATCH', true],
  ['DELETE', false],
] as const) {
  const safe = method === 'GET' || hasKey;
  for (const [name, outcome] of Object.entries(outcomes)) table.push([method, hasKey, outcome, safe && retryable.has(name)]);
}

describe('retryDecision', () => {
  it.each(table)('%s (key: %s) after %j → retry %s while attempts remain', (method, hasIdempotencyKey, outcome, retry) => {
    expect(retryDecision({ method, hasIdempotencyKey, attempt: 1, maxRetries: 3, outcome }, policy, half).retry).toBe(retry);
    expect(retryDecision({ method, hasIdempotencyKey, attempt: 3, maxRetries: 3, outcome }, policy, half).retry).toBe(retry);
  });

  it.each(table)('%s (key: %s) after %j → never retried once attempts exceed maxRetries', (method, hasIdempotencyKey, outcome) => {
    expect(retryDecision({ method, hasIdempotencyKey, attempt: 4, maxRetries: 3, outcome }, policy, half).retry).toBe(false);
  });

  it('never retries with maxRetries 0', () => {
    expect(retryDecision({ method: 'GET', hasIdempotencyKey: false, attempt: 1, maxRetries: 0, outcome: { status: 503 } }).retry).toBe(false);
  });

  it('lets a side-effect-free POST (token fetch) retry without a key', () => {
    const input = { method: 'POST', hasIdempotencyKey: false, attempt: 1, maxRetries: 2, outcome: { status: 503 } };
    expect(retryDecision(input).retry).toBe(false);
    expect(retryDecision({ ...input, idempotent: true }).retry).toBe(true);
  });

  it('waits Retry-After seconds when given, capped at maxRetryAfterMs', () => {
    const base = { method: 'GET', hasIdempotencyKey: false, attempt: 1, maxRetries: 3 };
    expect(retryDecision({ ...base, outcome: { status: 429, retryAfter: 2 } }, policy, half)).toEqual({ retry: true, delayMs: 2_000 });
    expect(retryDecision({ ...base, outcome: { status: 429, retryAfter: 3600 } }, policy, half)).toEqual({ retry: true, delayMs: 5_000 });
    expect(retryDecision({ ...base, outcome: { status: 503, retryAfter: 0 } }, policy, half)).toEqual({ retry: true, delayMs: 0 });
  });

  it('uses jittered backoff without Retry-After', () => {
    const decision = retryDecision({ method: 'GET', hasIdempotencyKey: false, attempt: 2, maxRetries: 3, outcome: { status: 500 } }, policy, half);
    expect(decision).toEqual({ retry: true, delayMs: 100 }); // 0.5 × min(1000, 100·2)
  });
});

describe('backoffDelay (full jitter)', () => {
  it.each([
    [1, 100],
    [2, 200],
    [3, 400],
    [4, 800],
    [5, 1_000],
    [12, 1_000],
  ])('attempt %i stays within [0, %i)', (attempt, ceiling) => {
    expect(backoffDelay(attempt, policy, () => 0)).toBe(0);
    expect(backoffDelay(attempt, policy, () => 0.999999)).toBe(ceiling - 1);
    for (let i = 0; i < 200; i++) {
      const delay = backoffDelay(attempt, policy);
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThan(ceiling);
    }
  });

  it('has sensible defaults', () => {
    expect(backoffDelay(1, DEFAULT_RETRY_POLICY, () => 0.999999)).toBeLessThan(DEFAULT_RETRY_POLICY.baseDelayMs);
    expect(backoffDelay(30, DEFAULT_RETRY_POLICY, () => 0.999999)).toBeLessThan(DEFAULT_RETRY_POLICY.maxDelayMs);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-03-01T12:00:00Z');

  it.each([
    ['0', 0],
    ['7', 7],
    [' 120 ', 120],
    ['Sun, 01 Mar 2026 12:00:30 GMT', 30],
    ['Sun, 01 Mar 2026 12:00:00 GMT', 0],
    ['Sun, 01 Mar 2026 11:59:00 GMT', 0], // in the past: go now
  ])('%j → %i seconds', (value, seconds) => {
    expect(parseRetryAfter(value, now)).toBe(seconds);
  });

  it.each([[undefined], [null], [''], ['soon'], ['-5'], ['1.5'], ['Someday, 99 Foo']])('%j → undefined', (value) => {
    expect(parseRetryAfter(value as string | undefined, now)).toBeUndefined();
  });
});
