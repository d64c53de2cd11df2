import type { ApolloServerPlugin, BaseContext, GraphQLRequestListener } from '@apollo/server';
import { SpanStatusCode, trace } from '@opentelemetry/api';
import { activeTracer } from './tracing';
import { currentRequest } from './request-scope';

/** Not yet stable in the semantic conventions package (its `incubating` entry point). */
const ATTR_GRAPHQL_OPERATION_NAME = 'graphql.operation.name';
const ATTR_GRAPHQL_OPERATION_TYPE = 'graphql.operation.type';
const ATTR_GRAPHQL_ERROR_CODES = 'graphql.error.codes';

/**
 * One hook, once per request, with nothing allocated per request: the operation and the codes of
 * the errors the response carries, as the client sees them (after masking). The request's
 * server span (src/api/access-log.ts) becomes the operation's span: renamed
 * `mutation CapturePayment`, with the operation's name and type. One span per request rather
 * than an HTTP span with an operation span inside: the two would cover the same time, and a
 * span is most of what tracing costs a cached read. Never the query text or the variables:
 * they hold references, amounts and phone numbers.
 */
const listener: GraphQLRequestListener<BaseContext> = {
  willSendResponse: async ({ operation, operationName, response }) => {
    const scope = currentRequest();
    if (scope && operationName) scope.operationName = operationName;
    const span = operation && activeTracer() ? trace.getActiveSpan() : undefined;
    if (span && operation) {
      span.updateName(operationName ? `${operation.operation} ${operationName}` : operation.operation);
      span.setAttribute(ATTR_GRAPHQL_OPERATION_TYPE, operation.operation);
      if (operationName) span.setAttribute(ATTR_GRAPHQL_OPERATION_NAME, operationName);
    }
    const errors = response.body.kind === 'single' ? response.body.singleResult.errors : undefined;
    if (errors?.length) noteErrorCodes([...new Set(errors.map((e) => (typeof e.extensions?.code === 'string' ? e.extensions.code : 'UNKNOWN')))]);
  },
};

export function graphqlOperationPlugin<TContext extends BaseContext>(): ApolloServerPlugin<TContext> {
  return { requestDidStart: async () => listener as GraphQLRequestListener<TContext> };
}

/**
 * The codes of a response's top-level errors, for the access log and on the request's span. Also
 * called for what Apollo's plugins never see: a request the query gate refuses, a context that
 * throws (a refused credential, the rate limit).
 */
export function noteErrorCodes(codes: string[]): void {
  const scope = currentRequest();
  if (scope) scope.errorCodes = [...(scope.errorCodes ?? []), ...codes];
  const span = activeTracer() ? trace.getActiveSpan() : undefined;
  if (!span) return;
  span.setAttribute(ATTR_GRAPHQL_ERROR_CODES, scope?.errorCodes ?? codes);
  span.setStatus({ code: SpanStatusCode.ERROR, message: codes.join(', ') });
}
