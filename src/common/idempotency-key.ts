import { ErrorCode, userError } from './error-code';

/**
 * One rule for idempotency keys that both Vipps APIs accept (docs/vipps.md §3): ePayment takes up to
 * 50 characters, Recurring 1–40 without `#`, `?`, `/` or `\`.
 */
const KEY_PATTERN = /^[A-Za-z0-9._:=+-]{1,40}$/;

export function checkIdempotencyKey(key: string): void {
  if (!KEY_PATTERN.test(key)) {
    throw userError(
      ErrorCode.INVALID_INPUT,
      'The idempotency key must be 1 to 40 characters: letters, digits and . _ : = + - only.',
      ['input', 'idempotencyKey'],
    );
  }
}
