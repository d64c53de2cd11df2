import { VippsApiError, VippsConnectionError, VippsError, VippsLockedError, VippsRateLimitError } from '../vipps/errors';

/**
 * A failure after which the request may or may not have been carried out, or may succeed when
 * sent again with the same idempotency key: network trouble, timeouts, 5xx, 423 and 429.
 */
export function isTransient(error: unknown): boolean {
  return (
    error instanceof VippsConnectionError ||
    error instanceof VippsApiError ||
    error instanceof VippsRateLimitError ||
    error instanceof VippsLockedError
  );
}

export function isVippsRefusal(error: unknown): error is VippsError {
  return error instanceof VippsError && !isTransient(error);
}
