import { Kind, type ExecutionArgs } from 'graphql';
import type { Logger } from '../log/logger';
import { inRequestScope, newRequestId, type RequestScope } from './request-scope';

interface Opened {
  scope: RequestScope;
  started: number;
}

/**
 * graphql-ws has no HTTP request per operation, so each subscribe gets a request scope of its
 * own: a new id, which the log lines of its subscribe step carry (the Redis SUBSCRIBE, a refused
 * read), and one info line when the subscription ends, as an HTTP request's access-log line.
 * Events are executed once for every subscriber alike (src/api/subscriptions.ts), outside any
 * one subscriber's scope.
 */
export class SubscriptionScopes {
  /** By the operation's context value, which graphql-ws hands to `subscribe`. */
  private readonly opened = new WeakMap<object, Opened>();

  constructor(private readonly log: Logger) {}

  /** When graphql-ws makes the operation's context value. */
  open<C extends object>(contextValue: C): C {
    this.opened.set(contextValue, { scope: { requestId: newRequestId() }, started: performance.now() });
    return contextValue;
  }

  /** Subscribes in the operation's scope; the stream's end writes the operation's line. */
  async subscribe<R>(args: ExecutionArgs, subscribe: () => Promise<R>): Promise<R> {
    const { contextValue } = args;
    const opened = typeof contextValue === 'object' && contextValue !== null ? this.opened.get(contextValue) : undefined;
    if (!opened) return subscribe();
    const operationName = args.operationName ?? operationNameOf(args);
    if (operationName) opened.scope.operationName = operationName;
    const result = await inRequestScope(opened.scope, subscribe);
    if (!isAsyncIterator(result)) {
      this.ended(opened, 'refused');
      return result;
    }
    const end = result.return?.bind(result);
    result.return = (value?: unknown) => {
      this.ended(opened, 'completed');
      return end ? end(value) : Promise.resolve({ done: true as const, value: undefined });
    };
    return result;
  }

  private ended({ scope, started }: Opened, outcome: 'completed' | 'refused'): void {
    const ms = Math.round((performance.now() - started) * 100) / 100;
    this.log.info({ requestId: scope.requestId, transport: 'graphql-ws', operation: scope.operationName, outcome, ms }, 'subscription');
  }
}

function operationNameOf({ document }: ExecutionArgs): string | undefined {
  const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  return operation?.kind === Kind.OPERATION_DEFINITION ? operation.name?.value : undefined;
}

function isAsyncIterator(value: unknown): value is AsyncIterator<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as AsyncIterator<unknown>).next === 'function';
}
