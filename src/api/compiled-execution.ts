import type { GatewayExecutor, GatewayInterface } from '@apollo/server-gateway-interface';
import {
  execute,
  getNamedType,
  GraphQLError,
  isInputObjectType,
  typeFromAST,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { getVariableValues } from 'graphql/execution/values';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';

/**
 * Executes queries with graphql-jit: each query is compiled once into a plain function that
 * resolves and builds its result without re-walking the document, which is most of what a
 * cached read costs in graphql-js. The compiled function hangs off the document Apollo caches
 * (parsed and validated once per query text), so it goes when Apollo evicts the document.
 *
 * Only queries whose variables hold no input objects are compiled: graphql-jit does not apply
 * the defaults of input-object fields, so those operations (all mutations take one) run in
 * graphql-js as before. Variables are always coerced by graphql-js first, so a bad variable gets
 * the same error (and Apollo's 400) whichever engine runs the operation.
 *
 * Apollo Server 5 has no executor option; its documented way to own execution is the gateway
 * interface (a `load` that returns an executor), which this implements for our one schema.
 * Everything around execution — parsing, validation with the query limits, the context, error
 * formatting, HTTP — is still Apollo's.
 */
export function compiledExecution(schema: GraphQLSchema): GatewayInterface {
  /** Per document and operation name: the compiled query, or null when it runs in graphql-js. */
  const compiled = new WeakMap<DocumentNode, Map<string, CompiledQuery | null>>();

  const compiledFor = (document: DocumentNode, operation: OperationDefinitionNode): CompiledQuery | null => {
    let byOperation = compiled.get(document);
    if (!byOperation) compiled.set(document, (byOperation = new Map()));
    const name = operation.name?.value ?? '';
    let query = byOperation.get(name);
    if (query === undefined) {
      const result = compilable(schema, operation) ? compileQuery(schema, document, operation.name?.value) : null;
      query = result && isCompiledQuery(result) ? result : null;
      byOperation.set(name, query);
    }
    return query;
  };

  const executor: GatewayExecutor = async ({ document, operation, request, context }) => {
    if (operation.operation === 'subscription') return { errors: [subscriptionOverHttp()] };
    const variables = request.variables ?? {};
    const query = compiledFor(document, operation);
    if (!query) return execute({ schema, document, contextValue: context, variableValues: variables, operationName: operation.name?.value });
    const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables);
    if (coerced.errors) return { errors: coerced.errors };
    const result: ExecutionResult = await query.query(undefined, context, variables);
    return result.errors ? { ...result, errors: result.errors.map(asGraphQLError) } : result;
  };

  return {
    load: async () => ({ executor }),
    onSchemaLoadOrUpdate: (callback) => {
      callback({ apiSchema: schema, coreSupergraphSdl: '' });
      return () => undefined;
    },
    stop: async () => undefined,
  };
}

/** Subscriptions are served by graphql-ws on the same path; over HTTP there is nothing to stream. */
function subscriptionOverHttp(): GraphQLError {
  return new GraphQLError('Subscriptions are served over WebSocket (graphql-ws) on /graphql, not over HTTP POST.', {
    extensions: { code: 'BAD_REQUEST', http: { status: 400 } },
  });
}

/** A query whose variables are scalars, enums or lists of them. */
function compilable(schema: GraphQLSchema, operation: OperationDefinitionNode): boolean {
  if (operation.operation !== 'query') return false;
  return (operation.variableDefinitions ?? []).every((definition) => {
    const type = typeFromAST(schema, definition.type);
    return type !== undefined && !isInputObjectType(getNamedType(type));
  });
}

/**
 * graphql-jit leaves `extensions` undefined when the thrown error had none, where graphql-js
 * (and Apollo's error formatting after it) always has an object: rebuilt as a graphql-js error
 * with the same message, path, locations and original error.
 */
function asGraphQLError(error: GraphQLError): GraphQLError {
  if (error.extensions) return error;
  const rebuilt = new GraphQLError(error.message, { path: error.path, originalError: error.originalError ?? undefined });
  Object.defineProperty(rebuilt, 'locations', { value: error.locations, enumerable: Boolean(error.locations?.length), writable: true });
  return rebuilt;
}
