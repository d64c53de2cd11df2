import { createSourceEventStream, execute, specifiedRules, validate, type DocumentNode, type ExecutionArgs, type ExecutionResult, type GraphQLError, type GraphQLSchema } from 'graphql';
import { callerKey } from '../access/caller';
import type { GraphQLContext } from './schema/context';
import type { LiveSubscriptionCount } from './api-metrics';

/**
 * Subscription execution tuned for fan-out: thousands of clients following one payment send the
 * same document and receive the same events.
 * - Each distinct document (the query gate hands out one parsed document per text) is validated
 *   once, and the outcome shared.
 * - Each event is executed once per distinct (caller, document, variables) and the result shared,
 *   instead of once per subscriber. The event object itself is the cache key: `LiveUpdates`
 *   hands the same object to every local subscriber, so the cache ends with the event.
 */
const validated = new WeakMap<DocumentNode, readonly GraphQLError[]>();

export function validateOnce(schema: GraphQLSchema, document: DocumentNode): readonly GraphQLError[] {
  let errors = validated.get(document);
  if (!errors) {
    errors = validate(schema, document, specifiedRules);
    validated.set(document, errors);
  }
  return errors;
}

const sharedResults = new WeakMap<object, Map<string, Promise<ExecutionResult>>>();
const documentIds = new WeakMap<DocumentNode, number>();
let nextDocumentId = 0;

/** `live` counts the stream from here until it ends, however it ends (complete, error, socket closed). */
export async function shareExecutions(args: ExecutionArgs, live: LiveSubscriptionCount): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
  const stream = await createSourceEventStream(args);
  if (!(Symbol.asyncIterator in stream)) return stream as ExecutionResult;
  const key = executionKey(args);
  live.opened();
  return mapStream(stream as AsyncIterableIterator<unknown>, live.closed, (event) => {
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

/** `source` with each value mapped; `ended` is called once, when the stream is done, returned or thrown into. */
function mapStream<T, R>(source: AsyncIterableIterator<T>, ended: () => void, map: (value: T) => Promise<R>): AsyncIterableIterator<R> {
  let open = true;
  const end = () => {
    if (open) ended();
    open = false;
  };
  return {
    async next() {
      const item = await source.next();
      if (item.done) end();
      return item.done ? { value: undefined, done: true } : { value: await map(item.value), done: false };
    },
    return: () => {
      end();
      return (source.return ? source.return() : Promise.resolve({ value: undefined, done: true })) as Promise<IteratorResult<R>>;
    },
    throw: (error: unknown) => {
      end();
      return (source.throw ? source.throw(error) : Promise.reject(error)) as Promise<IteratorResult<R>>;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
