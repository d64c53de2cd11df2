import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The reason a person gave for a money action (the support console asks for one), carried to the
 * audit entry the service writes. It travels with the call rather than through every service
 * signature: only the console has one, and the services write their own entries deep in the
 * idempotent frame.
 */
const reasons = new AsyncLocalStorage<string>();

export function withAuditReason<T>(reason: string, run: () => Promise<T>): Promise<T> {
  return reasons.run(reason, run);
}

/** The reason of the action being run, if a person gave one. */
export function auditReason(): string | undefined {
  return reasons.getStore();
}
