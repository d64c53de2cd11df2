import { GraphQLError } from 'graphql';
import type { Scope } from '../config/config';
import { ErrorCode, userError } from '../common/error-code';

/**
 * Who is calling: an API key (scopes + merchants, docs/design.md §3) or a payment's status token, which
 * may read and follow that one payment and nothing else.
 */
export type Caller =
  | { kind: 'api-key'; keyId: string; scopes: ReadonlySet<Scope>; merchants: readonly string[] }
  | { kind: 'status-token'; msn: string; reference: string };

/**
 * Who is calling, as one string that two different callers never share (the rate limit's key,
 * and what shared subscription results are keyed by).
 */
export function callerKey(caller: Caller): string {
  return caller.kind === 'api-key' ? `key:${caller.keyId}` : `status:${caller.msn}:${caller.reference}`;
}

export function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
}

export function forbidden(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'FORBIDDEN' } });
}

export function requireScope(caller: Caller, scope: Scope): Extract<Caller, { kind: 'api-key' }> {
  if (caller.kind !== 'api-key') throw forbidden(`A status token cannot do this; it needs an API key with the ${scope} scope.`);
  if (!caller.scopes.has(scope)) throw forbidden(`This API key lacks the ${scope} scope.`);
  return caller;
}

/**
 * The merchant an operation acts for. A merchant the key does not serve yields `null`: to the
 * caller it looks exactly like data that does not exist.
 */
export function merchantFor(caller: Extract<Caller, { kind: 'api-key' }>, requested: string | null | undefined): string | null {
  if (requested != null) return caller.merchants.includes(requested) ? requested : null;
  if (caller.merchants.length === 1) return caller.merchants[0] as string;
  throw new GraphQLError(`This API key serves several merchants (${caller.merchants.join(', ')}): give merchantSerialNumber.`, {
    extensions: { code: 'BAD_USER_INPUT' },
  });
}

/** As `merchantFor`, for mutations: a merchant the key does not serve ends with a `UserError`. */
export function merchantForMutation(caller: Extract<Caller, { kind: 'api-key' }>, requested: string | null | undefined): string {
  if (requested == null && caller.merchants.length > 1) {
    throw userError(ErrorCode.MERCHANT_REQUIRED, `This API key serves several merchants (${caller.merchants.join(', ')}): choose one with merchantSerialNumber.`, ['input', 'merchantSerialNumber']);
  }
  const msn = merchantFor(caller, requested);
  if (msn === null) throw userError(ErrorCode.NOT_FOUND, `Merchant ${requested} was not found.`, ['input', 'merchantSerialNumber']);
  return msn;
}
