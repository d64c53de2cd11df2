import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageLocalDefault, ApolloServerPluginLandingPageProductionDefault } from '@apollo/server/plugin/landingPage/default';
import type { GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import type { Redis } from 'ioredis';
import { WebSocketServer } from 'ws';
import { callerKey, type Caller } from '../access/caller';
import type { Services } from '../app/services';
import { AGREEMENT_PAGE_PREFIX, handleAgreementPage } from '../agreement-page/agreement-page.route';
import { createContext, type GraphQLContext } from '../graphql/context';
import type { Logger } from '../log/logger';
import { compiledExecution } from './compiled-execution';
import { formatError } from './format-error';
import { WEBHOOK_PATH } from '../webhooks/webhook-events';
import { handleGraphQL, readBody, sendJson } from './graphql-http';
import { Metrics } from './metrics';
import { queryLimitsRule } from './query-limits';
import { subscriptionExecution } from './subscriptions';

export interface ApiServerOptions {
  schema: GraphQLSchema;
  services: Services;
  redis: Redis;
  log: Logger;
  port?: number;
  host?: string;
  introspection?: boolean;
}

export interface ApiServer {
  url: string;
  port: number;
  httpServer: Server;
  close(): Promise<void>;
}

/**
 * The API process's HTTP side: GraphQL over HTTP and graphql-ws on `/graphql`, health,
 * readiness and metrics. Closing drains HTTP requests and WebSocket subscriptions.
 */
export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const { schema, services, redis, log } = options;
  const metrics = new Metrics();
  const httpServer = createServer();
  const wsServer = new WebSocketServer({ server: httpServer, path: '/graphql' });
  // Subscriptions are authorised per connection: `connectionParams.authorization` is checked once,
  // at connection_init. A missing or invalid credential is refused there (close 4403) rather than
  // thrown from `context` at the first subscribe, which graphql-ws treats as an internal error
  // (close 4500 with the message, and a console.error).
  const wsCleanup = useServer<Record<string, unknown> | undefined, { caller?: Caller }>(
    {
      schema,
      ...subscriptionExecution(schema),
      onConnect: (ctx) => {
        const params = ctx.connectionParams as { authorization?: unknown } | undefined;
        const authorization = typeof params?.authorization === 'string' ? params.authorization : undefined;
        try {
          ctx.extra.caller = services.authenticator.authenticate(authorization);
          return true;
        } catch {
          return false;
        }
      },
      context: (ctx) => {
        const caller = ctx.extra.caller;
        if (!caller) throw new Error('subscribe on a connection that was not authorised');
        return createContext(caller, services);
      },
    },
    wsServer,
  );
  const introspection = options.introspection ?? services.config.graphql.introspection;
  const apollo = new ApolloServer<GraphQLContext>({
    gateway: compiledExecution(schema),
    introspection,
    validationRules: [queryLimitsRule()],
    includeStacktraceInErrorResponses: false,
    formatError: formatError(log),
    plugins: [
      // No field sets cache hints, and the default cache-control plugin's per-field hook makes
      // Apollo wrap and call a hook around every resolver (~12% of a cached read's CPU; npm run bench).
      ApolloServerPluginCacheControlDisabled(),
      ApolloServerPluginDrainHttpServer({ httpServer }),
      // A subgraph schema turns on federated tracing (ftv1) by default; we report to no GraphOS, and
      // per-resolver timings are not for any caller who asks with the header.
      ApolloServerPluginInlineTraceDisabled(),
      // The API process runs with NODE_ENV=production (graphql-js skips its development checks);
      // the landing page follows introspection instead, so Sandbox still opens where it can work.
      introspection ? ApolloServerPluginLandingPageLocalDefault() : ApolloServerPluginLandingPageProductionDefault(),
      { serverWillStart: async () => ({ drainServer: async () => void (await wsCleanup.dispose()) }) },
    ],
  });
  await apollo.start();

  httpServer.on('request', (req, res) => {
    const started = process.hrtime.bigint();
    const path = (req.url ?? '/').split('?')[0];
    res.on('finish', () => {
      metrics.inc('vipps_graph_http_requests_total', { path: path === '/graphql' ? path : 'other', status: String(res.statusCode) });
      log.debug({ method: req.method, path, status: res.statusCode, ms: Number(process.hrtime.bigint() - started) / 1e6 }, 'request');
    });
    const route = async () => {
      if (path === '/graphql') {
        return handleGraphQL(apollo, req, res, async () => {
          const caller = services.authenticator.authenticate(req.headers.authorization);
          await services.rateLimiter.take(callerKey(caller));
          return createContext(caller, services);
        });
      }
      if (path === WEBHOOK_PATH && req.method === 'POST') {
        const rawBody = await readBody(req, 256 * 1024);
        if (rawBody === null) return sendJson(res, 413, { ok: false, error: 'body too large' });
        const answer = await services.webhookReceiver.receive({ pathAndQuery: req.url ?? path, headers: req.headers, rawBody });
        metrics.inc('vipps_graph_webhooks_total', { status: String(answer.status) });
        return sendJson(res, answer.status, answer.body);
      }
      if (path?.startsWith(AGREEMENT_PAGE_PREFIX)) return handleAgreementPage(services, req, res, path);
      if (path === '/healthz') return sendJson(res, 200, { status: 'ok' });
      if (path === '/readyz') {
        const redisOk = await redis.ping().then(() => true, () => false);
        return sendJson(res, redisOk ? 200 : 503, { redis: redisOk ? 'ok' : 'unavailable' });
      }
      if (path === '/metrics') {
        res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
        return void res.end(metrics.render());
      }
      sendJson(res, 404, { error: 'Not found' });
    };
    route().catch((error: unknown) => {
      log.error({ err: error, path }, 'request failed');
      if (!res.headersSent) sendJson(res, 500, { error: 'Internal error' });
      else res.end();
    });
  });

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port ?? 0, options.host ?? '0.0.0.0', () => resolve());
  });
  const port = (httpServer.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    httpServer,
    close: async () => {
      await apollo.stop();
      wsServer.close();
    },
  };
}
