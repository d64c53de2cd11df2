import type { Server } from 'node:http';
import { GraphQLError, type GraphQLSchema } from 'graphql';
import { CloseCode } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Caller } from '../access/caller';
import type { Logger } from '../log/logger';
import type { Services } from '../app/services';
import { createContext } from './schema/context';
import type { CorsPolicy } from './cors';
import { withoutSuggestions } from './format-error';
import type { QueryGate } from './query-gate';
import { shareExecutions, validateOnce } from './subscriptions';
import { SubscriptionScopes } from '../telemetry/subscription-scopes';
import type { ApiMetrics } from './api-metrics';

export interface GraphQLWebSocketOptions {
  httpServer: Server;
  schema: GraphQLSchema;
  services: Services;
  gate: QueryGate;
  cors: CorsPolicy;
  /** Strip "Did you mean …" from errors (introspection off). */
  hideSuggestions: boolean;
  metrics: ApiMetrics;
}

/** A close reason is at most 123 bytes (RFC 6455 §5.5). */
const MAX_CLOSE_REASON = 123;

/**
 * graphql-ws on `/graphql`: subscriptions, authorised once per connection by
 * `connectionParams.authorization`. A refused connection is closed with 4403 and a reason saying
 * what was wrong; the query gate and the limits apply to every subscribe as to HTTP.
 */
export function attachGraphQLWebSocket(options: GraphQLWebSocketOptions): { dispose(): Promise<void>; close(): void } {
  const { httpServer, schema, services, gate, cors, hideSuggestions, metrics } = options;
  const limits = services.config.websocket;
  const wsServer = new WebSocketServer({
    server: httpServer,
    path: '/graphql',
    maxPayload: limits.maxMessageBytes,
    // Browsers send Origin on every upgrade; other clients (apps, servers) send none.
    verifyClient: ({ origin, req }: { origin?: string; req: { headers: { host?: string } } }) => !origin || cors.allows(origin, req.headers.host),
  });
  const refuse = (socket: WebSocket, reason: string) => socket.close(CloseCode.Forbidden, truncate(reason));
  const scopes = new SubscriptionScopes(services.log);

  const cleanup = useServer<Record<string, unknown> | undefined, { caller?: Caller }>(
    {
      schema,
      connectionInitWaitTimeout: limits.connectionInitTimeoutMs,
      onConnect: (ctx) => {
        const params = ctx.connectionParams as { authorization?: unknown } | undefined;
        if (typeof params?.authorization !== 'string') {
          refuse(ctx.extra.socket, 'No credential: send connectionParams { authorization: "Bearer <API key or status token>" }.');
          return false;
        }
        try {
          ctx.extra.caller = services.authenticator.authenticate(params.authorization);
          return true;
        } catch (error) {
          refuse(ctx.extra.socket, error instanceof GraphQLError ? error.message : 'The credential was refused.');
          return false;
        }
      },
      onSubscribe: (ctx, _id, payload) => {
        const caller = ctx.extra.caller as Caller;
        const errors = (list: readonly GraphQLError[]) => (hideSuggestions ? list.map(withoutSuggestions) : list);
        if (Object.keys(ctx.subscriptions).length > limits.maxSubscriptions) {
          return [tooMany(limits.maxSubscriptions)];
        }
        const admission = gate.admit(payload.query, caller);
        if (admission.kind !== 'admitted') return errors([admission.error]);
        if (caller.kind === 'status-token' && payload.variables?.reference !== caller.reference) {
          const reason = 'This status token is not allowed for that payment; it follows its own payment only.';
          refuse(ctx.extra.socket, reason);
          return [new GraphQLError(reason, { extensions: { code: 'FORBIDDEN' } })];
        }
        const invalid = validateOnce(schema, admission.document);
        if (invalid.length > 0) return errors(invalid);
        return { schema, document: admission.document, operationName: payload.operationName, variableValues: payload.variables };
      },
      // One request id per subscribe (src/telemetry/subscription-scopes.ts).
      subscribe: (args) => scopes.subscribe(args, () => shareExecutions(args, metrics.liveSubscriptions)),
      // Refusals of a subscribe and errors that end a stream (not errors inside an event's result).
      onError: (_ctx, _id, _payload, errors) => void metrics.graphqlErrors(errors),
      context: (ctx) => scopes.open(createContext(ctx.extra.caller as Caller, services)),
    },
    wsServer,
  );
  wsServer.on('connection', (socket) => quietProtocolErrors(socket, services.log));
  return { dispose: async () => void (await cleanup.dispose()), close: () => wsServer.close() };
}

/**
 * graphql-ws answers any error on a socket with console.error and a 4500 close. A message over
 * `maxPayload`, bad UTF-8 or a bad frame is the client's doing: ws has already closed the
 * connection with the right code (1009, 1007, 1002), so it is only worth a debug line. Anything
 * else still goes to graphql-ws. (Runs after graphql-ws's own `connection` listener.)
 */
function quietProtocolErrors(socket: WebSocket, log: Logger): void {
  const others = socket.listeners('error') as ((error: Error) => void)[];
  socket.removeAllListeners('error');
  socket.on('error', (error: Error & { code?: string }) => {
    if (error.code?.startsWith('WS_ERR_')) return log.debug({ code: error.code }, 'WebSocket closed for a protocol error by the client');
    for (const listener of others) listener.call(socket, error);
  });
}

function tooMany(max: number): GraphQLError {
  return new GraphQLError(`This connection already has ${max} subscriptions, the most one connection may have. Complete one, or open another connection.`, {
    extensions: { code: 'TOO_MANY_SUBSCRIPTIONS', max },
  });
}

function truncate(reason: string): string {
  let text = reason;
  while (Buffer.byteLength(text) > MAX_CLOSE_REASON) text = `${text.slice(0, -2)}…`;
  return text;
}
