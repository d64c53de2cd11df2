import { createServer, type Server } from 'node:http';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { GraphQLError, type GraphQLSchema } from 'graphql';
import type { Redis } from 'ioredis';
import { callerKey, type Caller } from '../access/caller';
import type { Services } from '../app/services';
import { AGREEMENT_PAGE_PREFIX, handleAgreementPage } from '../agreement-page/agreement-page.route';
import { createContext, type GraphQLContext } from './schema/context';
import type { Logger } from '../log/logger';
import { createIde } from '../ide/ide.route';
import { CONSOLE_PATH, createSupportConsole } from '../console/console.route';
import { WEBHOOK_PATH } from '../webhooks/webhook-events';
import { graphqlOperationPlugin } from '../telemetry/graphql-operations';
import { observeRequest, routeOf } from './access-log';
import { compiledExecution } from './compiled-execution';
import { CorsPolicy } from './cors';
import { formatError } from './format-error';
import { handleGraphQL, readBody, sendJson } from './graphql-http';
import { listen, metricsRoute, startOpsServer } from '../telemetry/ops-server';
import { ApiMetrics } from './api-metrics';
import { QueryGate } from './query-gate';
import { attachGraphQLWebSocket } from './websocket';

export interface ApiServerOptions {
  schema: GraphQLSchema;
  services: Services;
  redis: Redis;
  log: Logger;
  port?: number;
  host?: string;
  /** Where `/metrics` listens (config by default; 0 for a free port, null for none). */
  metricsPort?: number | null;
  introspection?: boolean;
}

export interface ApiServer {
  url: string;
  port: number;
  metricsUrl: string | null;
  httpServer: Server;
  /** From now on `/readyz` answers 503 `{"status":"draining"}`; everything else still serves. */
  markDraining(): void;
  close(): Promise<void>;
}

/**
 * The API process's HTTP side: GraphQL over HTTP and graphql-ws on `/graphql` (CORS for browser
 * origins, the query gate before Apollo), webhooks, the agreement page, health and readiness;
 * `/metrics` on its own listener. Closing drains HTTP requests and WebSocket subscriptions.
 */
export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const { schema, services, redis, log } = options;
  const { config } = services;
  const metrics = new ApiMetrics(services.metrics.registry);
  let draining = false;
  const httpServer = createServer();
  const cors = new CorsPolicy(config.http.corsOrigins);
  const gate = new QueryGate(schema, config.graphql.limits);
  const introspection = options.introspection ?? config.graphql.introspection;
  const ide = createIde({ enabled: introspection, simulator: config.vipps.env === 'simulator' });
  const supportConsole = createSupportConsole(services, redis);
  const websocket = attachGraphQLWebSocket({ httpServer, schema, services, gate, cors, hideSuggestions: !introspection, metrics });
  const apollo = new ApolloServer<GraphQLContext>({
    gateway: compiledExecution(schema),
    introspection,
    // Every query text is checked by the gate first; Apollo's own cache of hashes is not needed.
    persistedQueries: false,
    // Apollo would stop (close the listener) on SIGTERM at once, outside NODE_ENV=test; the
    // process turns /readyz 503 first and stops the server itself (src/app/process.ts).
    stopOnTerminationSignals: false,
    includeStacktraceInErrorResponses: false,
    formatError: metrics.countingErrors(formatError(log, !introspection)),
    plugins: [
      // No field sets cache hints, and the default cache-control plugin's per-field hook makes
      // Apollo wrap and call a hook around every resolver (~12% of a cached read's CPU; npm run bench).
      ApolloServerPluginCacheControlDisabled(),
      // In-flight requests may take until the process's shutdown deadline (src/app/process.ts).
      ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: config.shutdown.timeoutSeconds * 1000 }),
      // A subgraph schema turns on federated tracing (ftv1) by default; we report to no GraphOS, and
      // per-resolver timings are not for any caller who asks with the header.
      ApolloServerPluginInlineTraceDisabled(),
      // Apollo's landing pages load from its CDN; the IDE is served from here instead (src/ide/).
      ApolloServerPluginLandingPageDisabled(),
      graphqlOperationPlugin(),
      metrics.operationPlugin(),
      { serverWillStart: async () => ({ drainServer: () => websocket.dispose() }) },
    ],
  });
  await apollo.start();

  httpServer.on('request', (req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const startedMs = performance.now();
    const served = routeOf(path);
    res.once('finish', () => metrics.httpRequest(served, req.method, res.statusCode, startedMs));
    const route = async () => {
      if (ide.handle(req, res, path)) return;
      if (path === '/graphql') {
        if (cors.handle(req, res)) return;
        // Once per request (a status token is an HMAC check): the gate and the context share it.
        const caller = authenticated(services, req.headers.authorization);
        return handleGraphQL(apollo, req, res, {
          // A refused credential goes on to the context, which answers what is wrong with it.
          admit: (query) => {
            if (caller instanceof GraphQLError) return null;
            const admission = gate.admit(query, caller);
            if (admission.kind !== 'refused') return null;
            metrics.graphqlErrors([admission.error]);
            return admission.error;
          },
          context: async () => {
            if (caller instanceof GraphQLError) throw caller;
            await services.rateLimiter.take(callerKey(caller));
            return createContext(caller, services);
          },
        });
      }
      if (path === WEBHOOK_PATH && req.method === 'POST') {
        const rawBody = await readBody(req, 256 * 1024);
        if (rawBody === null) return sendJson(res, 413, { ok: false, error: 'body too large' });
        const answer = await services.webhookReceiver.receive({ pathAndQuery: req.url ?? path, headers: req.headers, rawBody });
        metrics.webhook(answer.status);
        return sendJson(res, answer.status, answer.body);
      }
      if (path?.startsWith(AGREEMENT_PAGE_PREFIX)) return handleAgreementPage(services, req, res, path);
      if (path === CONSOLE_PATH || path?.startsWith(`${CONSOLE_PATH}/`)) return supportConsole.handle(req, res, path);
      if (path === '/healthz') return sendJson(res, 200, { status: 'ok' });
      if (path === '/readyz') {
        if (draining) return sendJson(res, 503, { status: 'draining' });
        const redisOk = await redis.ping().then(() => true, () => false);
        return sendJson(res, redisOk ? 200 : 503, { redis: redisOk ? 'ok' : 'unavailable' });
      }
      sendJson(res, 404, { error: 'Not found' });
    };
    observeRequest(req, res, log, path, served, () =>
      route().catch((error: unknown) => {
        log.error({ err: error, path: served ?? path }, 'request failed');
        if (!res.headersSent) sendJson(res, 500, { error: 'Internal error' });
        else res.end();
      }),
    );
  });

  const port = await listen(httpServer, options.port ?? 0, options.host ?? config.http.host);
  const metricsServer =
    options.metricsPort === null ? null : await startOpsServer(config.metrics.host, options.metricsPort ?? config.metrics.port, { '/metrics': metricsRoute(services.metrics.registry) });
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    metricsUrl: metricsServer ? `${metricsServer.baseUrl}/metrics` : null,
    httpServer,
    markDraining: () => {
      draining = true;
    },
    close: async () => {
      await apollo.stop();
      websocket.close();
      await metricsServer?.close();
    },
  };
}

/** The caller, or the UNAUTHENTICATED error saying what is wrong with the credential. */
function authenticated(services: Services, authorization: string | undefined): Caller | GraphQLError {
  try {
    return services.authenticator.authenticate(authorization);
  } catch (error) {
    if (error instanceof GraphQLError) return error;
    throw error;
  }
}
