import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import { activeTracer } from './tracing';
import { currentRequest } from './request-scope';

/** Not yet stable in the semantic conventions package (its `incubating` entry point). */
const ATTR_GRAPHQL_OPERATION_NAME = 'graphql.operation.name';
const ATTR_GRAPHQL_OPERATION_TYPE = 'graphql.operation.type';
const ATTR_GRAPHQL_ERROR_CODES = 'graphql.error.codes';

/**
 * A GraphQL request over HTTP in its own span, active while Apollo parses, validates and executes
 * it, so the Vipps and Redis spans of its resolvers are its children. Apollo plugins cannot
 * make a span active, so the span starts here and `graphqlOperationPlugin` names it.
 */
export async function inGraphQLSpan(handle: () => Promise<void>): Promise<void> {
  const tracer = activeTracer();
  if (!tracer) return handle();
  return tracer.startActiveSpan('graphql', async (span) => {
    try {
      await handle();
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.name : 'thrown' });
      throw error;
    } finally {
      span.end();
    }
  });
}

/**
 * Names the operation (`mutation CapturePayment`) on its span and for the access log, and
 * records the codes of the errors the response carries, as the client sees them (after
 * masking). Never the query text or the variables: they hold references, amounts, phone numbers.
 */
export function graphqlOperationPlugin<TContext extends BaseContext>(): ApolloServerPlugin<TContext> {
  return {
    requestDidStart: async () => {
      const span: Span | undefined = activeTracer() ? trace.getActiveSpan() : undefined;
      return {
        didResolveOperation: async ({ operation, operationName }) => {
          const scope = currentRequest();
          if (scope && operationName) scope.operationName = operationName;
          if (!span || !operation) return;
          span.updateName(operationName ? `${operation.operation} ${operationName}` : operation.operation);
          span.setAttribute(ATTR_GRAPHQL_OPERATION_TYPE, operation.operation);
          if (operationName) span.setAttribute(ATTR_GRAPHQL_OPERATION_NAME, operationName);
        },
        willSendResponse: async ({ response }) => {
          const errors = response.body.kind === 'single' ? response.body.singleResult.errors : undefined;
          if (!errors?.length) return;
          noteErrorCodes([...new Set(errors.map((e) => (typeof e.extensions?.code === 'string' ? e.extensions.code : 'UNKNOWN')))]);
        },
      };
    },
  };
}

/**
 * The codes of a response's top-level errors, for the access log and on the operation's span.
 * Also called for a request the query gate refuses before Apollo sees it.
 */
export function noteErrorCodes(codes: string[]): void {
  const scope = currentRequest();
  if (scope) scope.errorCodes = [...(scope.errorCodes ?? []), ...codes];
  const span = activeTracer() ? trace.getActiveSpan() : undefined;
  if (!span) return;
  span.setAttribute(ATTR_GRAPHQL_ERROR_CODES, codes);
  span.setStatus({ code: SpanStatusCode.ERROR, message: codes.join(', ') });
}
