import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import type { GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import type { Redis } from 'ioredis';
import { WebSocketServer } from 'ws';
import type { Services } from '../app/services';
import { AGREEMENT_PAGE_PREFIX, handleAgreementPage } from '../agreement-page/agreement-page.route';
import { createContext, type GraphQLContext } from '../graphql/context';
import type { Logger } from '../log/logger';
import { formatError } from './format-error';
import { WEBHOOK_PATH } from '../webhooks/webhook-events';
import { handleGraphQL, readBody, sendJson } from './graphql-http';
import { Metrics } from './metrics';

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
  const wsCleanup = useServer(
    {
      schema,
      context: (ctx) => {
        const params = ctx.connectionParams as { authorization?: unknown } | undefined;
        const authorization = typeof params?.authorization === 'string' ? params.authorization : undefined;
        return createContext(services.authenticator.authenticate(authorization), services);
      },
    },
    wsServer,
  );
  const apollo = new ApolloServer<GraphQLContext>({
    schema,
    introspection: options.introspection ?? true,
    includeStacktraceInErrorResponses: false,
    formatError: formatError(log),
    plugins: [
      // No field sets cache hints, and the default cache-control plugin's per-field hook makes
      // Apollo wrap and call a hook around every resolver (~12% of a cached read's CPU; npm run bench).
      ApolloServerPluginCacheControlDisabled(),
      ApolloServerPluginDrainHttpServer({ httpServer }),
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
        return handleGraphQL(apollo, req, res, async () => createContext(services.authenticator.authenticate(req.headers.authorization), services));
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
