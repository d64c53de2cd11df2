import {
  createSourceEventStream,
  execute,
  GraphQLError,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type GraphQLSchema,
} from 'graphql';
import { callerKey } from '../access/caller';
import type { GraphQLContext } from '../graphql/context';
import { queryLimitsRule } from './query-limits';

/** Distinct subscription documents kept parsed and validated (most apps send a handful). */
const MAX_DOCUMENTS = 500;

/**
 * Subscription execution tuned for fan-out: thousands of clients following one payment send the
 * same document and receive the same events.
 * - Each distinct document is parsed (without source locations) and validated once, and shared.
 * - Each event is executed once per distinct (caller, document, variables) and the result shared,
 *   instead of once per subscriber. The event object itself is the cache key: `LiveUpdates`
 *   hands the same object to every local subscriber, so the cache ends with the event.
 */
export function subscriptionExecution(schema: GraphQLSchema) {
  const documents = new Map<string, DocumentNode | readonly GraphQLError[]>();
  const rules = [...specifiedRules, queryLimitsRule()];
  const prepared = (query: string): DocumentNode | readonly GraphQLError[] => {
    let document = documents.get(query);
    if (!document) {
      try {
        const parsed = parse(query, { noLocation: true });
        const errors = validate(schema, parsed, rules);
        document = errors.length > 0 ? errors : parsed;
      } catch (error) {
        document = [error instanceof GraphQLError ? error : new GraphQLError('The query could not be read.')];
      }
      if (documents.size >= MAX_DOCUMENTS) documents.delete(documents.keys().next().value as string);
      documents.set(query, document);
    }
    return document;
  };

  return {
    onSubscribe: (_ctx: unknown, _id: string, payload: { query: string; operationName?: string | null; variables?: Record<string, unknown> | null }) => {
      const document = prepared(payload.query);
      if (Array.isArray(document)) return document as readonly GraphQLError[];
      return { schema, document: document as DocumentNode, operationName: payload.operationName, variableValues: payload.variables };
    },
    subscribe: shareExecutions,
  };
}

const sharedResults = new WeakMap<object, Map<string, Promise<ExecutionResult>>>();
const documentIds = new WeakMap<DocumentNode, number>();
let nextDocumentId = 0;

async function shareExecutions(args: ExecutionArgs): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
  const stream = await createSourceEventStream(args);
  if (!(Symbol.asyncIterator in stream)) return stream as ExecutionResult;
  const key = executionKey(args);
  return mapStream(stream as AsyncIterableIterator<unknown>, (event) => {
    if (typeof event !== 'object' || event === null) return execute({ ...args, rootValue: event }) as Promise<ExecutionResult>;
    let byKey = sharedResults.get(event);
    if (!byKey) {
      byKey = new Map();
      sharedResults.set(event, byKey);
    }
    let result = byKey.get(key);
    if (!result) {
      result = Promise.resolve(execute({ ...args, rootValue: event }));
      byKey.set(key, result);
    }
    return result;
  });
}

/** Who asks and what: subscribers with equal keys get identical results for one event. */
function executionKey(args: ExecutionArgs): string {
  const { caller } = args.contextValue as GraphQLContext;
  const who = callerKey(caller);
  let id = documentIds.get(args.document);
  if (id === undefined) {
    id = nextDocumentId++;
    documentIds.set(args.document, id);
  }
  return `${who}\u0000${id}\u0000${args.operationName ?? ''}\u0000${JSON.stringify(args.variableValues ?? {})}`;
}

function mapStream<T, R>(source: AsyncIterableIterator<T>, map: (value: T) => Promise<R>): AsyncIterableIterator<R> {
  return {
    async next() {
      const item = await source.next();
      return item.done ? { value: undefined, done: true } : { value: await map(item.value), done: false };
    },
    return: () => (source.return ? source.return() : Promise.resolve({ value: undefined, done: true })) as Promise<IteratorResult<R>>,
    throw: (error: unknown) => (source.throw ? source.throw(error) : Promise.reject(error)) as Promise<IteratorResult<R>>,
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
