import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { BoundedLabel, secondsSince } from '../telemetry/metrics';

/** From a cached read (about a millisecond) to a slow Vipps write. */
const REQUEST_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const METHODS = new Set(['GET', 'POST', 'OPTIONS', 'HEAD']);
/** GraphQL's name syntax, capped in length. */
const OPERATION_NAME = /^[_A-Za-z][_0-9A-Za-z]{0,63}$/;
/** Our codes (format-error.ts, the query gate, graphql-ws refusals) are upper snake case. */
const ERROR_CODE = /^[A-Z][A-Z0-9_]{0,63}$/;

export interface LiveSubscriptionCount {
  opened(): void;
  closed(): void;
}

/**
 * What the API process measures besides the Vipps calls and cache lookups every process has:
 * HTTP requests by route, GraphQL operations by type and name, GraphQL errors by code, live
 * subscriptions and webhook deliveries. Registered in the process's registry (`Metrics`).
 */
export class ApiMetrics {
  private readonly requests: Histogram<'route' | 'method' | 'status'>;
  private readonly operations: Histogram<'operation_type' | 'operation_name'>;
  private readonly errors: Counter<'code'>;
  private readonly webhooks: Counter<'status'>;
  /** Operation names are chosen by callers: the first 100 distinct ones are kept, the rest are `other`. */
  private readonly operationNames = new BoundedLabel(100, OPERATION_NAME);
  private readonly errorCodes = new BoundedLabel(50, ERROR_CODE);
  readonly liveSubscriptions: LiveSubscriptionCount;

  constructor(registry: Registry) {
    const registers = [registry];
    this.requests = new Histogram({
      name: 'vipps_graph_http_request_duration_seconds',
      help: 'Duration of HTTP requests to the API, by route (other for paths it does not serve), method and status.',
      labelNames: ['route', 'method', 'status'],
      buckets: REQUEST_BUCKETS,
      registers,
    });
    this.operations = new Histogram({
      name: 'vipps_graph_graphql_operation_duration_seconds',
      help: 'Duration of GraphQL queries and mutations over HTTP, parsing to response, by operation type and name ((anonymous); other past the first 100 names).',
      labelNames: ['operation_type', 'operation_name'],
      buckets: REQUEST_BUCKETS,
      registers,
    });
    this.errors = new Counter({
      name: 'vipps_graph_graphql_errors_total',
      help: 'Top-level GraphQL errors sent to clients (HTTP and WebSocket), by extensions.code as the client sees it.',
      labelNames: ['code'],
      registers,
    });
    this.webhooks = new Counter({
      name: 'vipps_graph_webhooks_total',
      help: 'Webhook deliveries from Vipps to POST /webhooks/vipps, by the status answered (2xx accepted, 4xx refused).',
      labelNames: ['status'],
      registers,
    });
    const live = new Gauge({
      name: 'vipps_graph_live_subscriptions',
      help: 'GraphQL subscriptions (graphql-ws) open on this process.',
      registers,
    });
    this.liveSubscriptions = { opened: () => live.inc(), closed: () => live.dec() };
  }

  /** One HTTP request, when its answer is sent; `route` is already bounded (`routeOf`), undefined for paths not served. */
  httpRequest(route: string | undefined, method: string | undefined, status: number, startedMs: number): void {
    const labels = { route: route ?? 'other', method: method && METHODS.has(method) ? method : 'other', status: String(status) };
    this.requests.observe(labels, secondsSince(startedMs));
  }

  /** Top-level GraphQL errors, by code; one without a code counts as UNKNOWN. */
  graphqlErrors(errors: readonly { extensions?: Readonly<Record<string, unknown>> }[]): void {
    for (const error of errors) {
      const code = error.extensions?.code;
      this.errors.inc({ code: typeof code === 'string' ? this.errorCodes.value(code) : 'UNKNOWN' });
    }
  }

  webhook(status: number): void {
    this.webhooks.inc({ status: String(status) });
  }

  /** Apollo's error formatting, counting every error it sends (those of a refused context included). */
  countingErrors(format: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError) {
    return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
      const sent = format(formatted, error);
      this.graphqlErrors([sent]);
      return sent;
    };
  }

  /** Times each operation Apollo resolves, from the start of its pipeline to its response. */
  operationPlugin<TContext extends BaseContext>(): ApolloServerPlugin<TContext> {
    return {
      requestDidStart: async () => {
        const startedMs = performance.now();
        return {
          willSendResponse: async ({ operation, operationName }) => {
            // A request that did not parse or validate has no operation; the HTTP histogram has it.
            if (!operation) return;
            const name = operationName ? this.operationNames.value(operationName) : '(anonymous)';
            this.operations.observe({ operation_type: operation.operation, operation_name: name }, secondsSince(startedMs));
          },
        };
      },
    };
  }
}
