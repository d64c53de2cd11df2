import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import type { Logger } from '../log/logger';
import { isTransient } from '../common/vipps-failure';
import { isRedisUnavailable } from '../redis/client';
import { currentRequestId, newRequestId } from '../telemetry/request-scope';

/** Codes whose message is written for the client; everything else is masked. */
const PUBLIC_CODES = new Set([
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'RATE_LIMITED',
  'QUERY_TOO_COMPLEX',
]);

/**
 * Top-level errors are for authentication, authorization, malformed queries and faults. Vipps or
 * Redis being unreachable is said plainly; anything unexpected is logged and masked. A masked
 * error carries the request id (also in the `x-request-id` header), which finds the request's
 * log lines, this one included.
 */
export function formatError(log: Logger, hideSuggestions: boolean) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const code = formatted.extensions?.code;
    if (typeof code === 'string' && PUBLIC_CODES.has(code)) return hideSuggestions ? { ...formatted, message: stripSuggestions(formatted.message) } : formatted;
    const original = unwrapResolverError(error);
    // Outside an HTTP request (executeOperation in tests) there is no scope: an id for this error alone.
    const requestId = currentRequestId() ?? newRequestId();
    if (isTransient(original)) {
      return {
        message: 'Vipps is not answering right now, so this could not be read. Try again shortly.',
        path: formatted.path,
        extensions: { code: 'VIPPS_UNAVAILABLE', requestId },
      };
    }
    if (isRedisUnavailable(original)) {
      log.warn({ err: original, path: formatted.path, requestId }, 'GraphQL request needed Redis, which is unavailable');
      return {
        message: 'Our storage is not reachable right now, so this could not be answered. Try again shortly.',
        path: formatted.path,
        extensions: { code: 'STORE_UNAVAILABLE', requestId },
      };
    }
    log.error({ err: original, path: formatted.path, requestId }, 'internal error in GraphQL request');
    return {
      message: `Internal error. Quote request id ${requestId} to support.`,
      path: formatted.path,
      extensions: { code: 'INTERNAL_SERVER_ERROR', requestId },
    };
  };
}

/** graphql-js suggests field, type and argument names ("Did you mean …?"), which describe the schema. */
const SUGGESTION = / ?Did you mean .+\?$/;

function stripSuggestions(message: string): string {
  return message.replace(SUGGESTION, '');
}

/** With introspection off, an error names nothing the caller did not send. */
export function withoutSuggestions(error: GraphQLError): GraphQLError {
  const message = stripSuggestions(error.message);
  return message === error.message ? error : new GraphQLError(message, { nodes: error.nodes, extensions: error.extensions });
}
