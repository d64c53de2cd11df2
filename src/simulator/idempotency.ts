import { canonicalJson } from '../common/canonical-json';
import type { SimResponse } from './http';
import { SimProblem } from './problems';

/**
 * Idempotency exactly as docs/vipps.md §6: the same key with the same request returns the first
 * outcome without acting again; a 4xx outcome is sticky; a different request with the same key is
 * a conflict (the caller decides which error that is). 5xx outcomes are not remembered, so a
 * retry with the same key may act.
 */
export interface IdempotencyRecord {
  /** What the key was first used for, e.g. `capture:order-1`. */
  operation: string;
  fingerprint: string;
  response: SimResponse;
}

export class IdempotencyStore {
  private readonly records = new Map<string, IdempotencyRecord>();

  /**
   * Runs `act` once per (scope, key). `scope` is the key space (e.g. ePayment: one per MSN;
   * Recurring: one per MSN). `replay` may re-render a stored success (ePayment answers with the
   * current state); it is not used for stored errors.
   */
  once(options: {
    scope: string;
    key: string;
    operation: string;
    fingerprint: string;
    act: () => SimResponse;
    conflict: (existing: IdempotencyRecord) => SimResponse;
    replay?: (existing: IdempotencyRecord) => SimResponse;
  }): SimResponse {
    const id = `${options.scope}\u0000${options.key}`;
    const existing = this.records.get(id);
    if (existing) {
      if (existing.fingerprint !== options.fingerprint) return options.conflict(existing);
      if (existing.response.status < 300 && options.replay) return options.replay(existing);
      return existing.response;
    }
    const response = outcomeOf(options.act);
    if (response.status < 500) {
      this.records.set(id, { operation: options.operation, fingerprint: options.fingerprint, response });
    }
    return response;
  }

  clear(): void {
    this.records.clear();
  }
}

/** What an act answers: its response, or the response of the problem it threw (a refusal is an outcome too). */
function outcomeOf(act: () => SimResponse): SimResponse {
  try {
    return act();
  } catch (error) {
    if (error instanceof SimProblem) return error.response;
    throw error;
  }
}

/** A stable fingerprint of a request: method, path and the body with keys in a fixed order. */
export function fingerprint(method: string, path: string, body: unknown): string {
  return `${method} ${path} ${canonicalJson(body)}`;
}
