import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import type { Redis } from 'ioredis';
import type { DestinationStream } from 'pino';
import { createServices, type Services } from '../../src/app/services';
import { loadConfig, sha256Hex, SIMULATOR_MERCHANT, type Config, type MerchantConfig } from '../../src/config/config';
import { buildGraphQLSchema } from '../../src/api/schema/schema';
import { createLogger } from '../../src/log/logger';
import { apiRedis, reportRedisErrors, workerRedis } from '../../src/redis/client';
import { startApiServer, type ApiServer } from '../../src/api/server';
import { createVippsClient } from '../../src/vipps/vipps-client';
import { Metrics } from '../../src/telemetry/metrics';
import { freePort } from '../../src/dev/free-port';
import { deleteKeys, testRedis, testRedisUrl, uniquePrefix } from './redis';
import { startTestSimulator, type TestSimulator } from './simulator';

/**
 * The API in-process on a free port, against its own simulator and the test Redis under a
 * unique prefix, exactly as `npm run start:api` wires it. Keys: `dev` (every scope, merchant
 * 123456), `other` (merchant 654321), `reader` (payments:read on 123456), `partner` (both).
 */
export const OTHER_MERCHANT: MerchantConfig = {
  msn: '654321',
  clientId: 'other-client-id',
  clientSecret: 'other-client-secret',
  subscriptionKey: 'other-subscription-key',
};

const ALL_SCOPES = ['payments:read', 'payments:write', 'recurring:read', 'recurring:write', 'support'];
export const API_KEYS = [
  { id: 'dev', keyHash: sha256Hex('dev'), scopes: ALL_SCOPES, merchants: ['123456'] },
  { id: 'other', keyHash: sha256Hex('other'), scopes: ALL_SCOPES, merchants: ['654321'] },
  { id: 'reader', keyHash: sha256Hex('reader'), scopes: ['payments:read', 'recurring:read'], merchants: ['123456'] },
  { id: 'partner', keyHash: sha256Hex('partner'), scopes: ALL_SCOPES, merchants: ['123456', '654321'] },
];

export interface GqlResult<T = any> {
  status: number;
  data: T;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

export interface TestApi {
  url: string;
  /** `/metrics`, on its own loopback port. */
  metricsUrl: string;
  sim: TestSimulator;
  config: Config;
  services: Services;
  /** The API's own Redis connection (tests may count its commands). */
  redis: Redis;
  /**
   * POST /graphql with `Authorization: Bearer <key>` (an API key id or a status token; `null`
   * sends no Authorization header). A typed document checks variables and types `data`.
   */
  gql<R, V extends Record<string, unknown>>(document: TypedDocumentNode<R, V>, variables: V, key?: string | null): Promise<GqlResult<R>>;
  gql<T = any>(query: string, variables?: Record<string, unknown>, key?: string | null): Promise<GqlResult<T>>;
  /** Vipps API calls the simulator has received so far (token requests excluded). */
  vippsCalls(): number;
  close(): Promise<void>;
}

export interface TestApiOptions {
  /**
   * Listen on a port chosen up front and set PUBLIC_URL to it, so webhooks registered with the
   * simulator (`ensureWebhooks`) reach this API and the receiver checks the host they signed.
   */
  knownPort?: boolean;
  /** Where the API's logger writes (level from LOG_LEVEL); default stdout. */
  logDestination?: DestinationStream;
  /** A Redis other than the shared test Redis (e.g. a private one a test stops and starts). */
  redisUrl?: string;
}

export async function startTestApi(env: Record<string, string> = {}, options: TestApiOptions = {}): Promise<TestApi> {
  const sim = await startTestSimulator([SIMULATOR_MERCHANT, OTHER_MERCHANT]);
  const prefix = uniquePrefix('api');
  const port = options.knownPort ? await freePort() : undefined;
  if (port !== undefined) env = { PUBLIC_URL: `http://127.0.0.1:${port}`, ...env };
  const config = loadConfig({
    VIPPS_ENV: 'simulator',
    VIPPS_BASE_URL: sim.url,
    VIPPS_MERCHANTS: JSON.stringify([SIMULATOR_MERCHANT, OTHER_MERCHANT]),
    API_KEYS: JSON.stringify(API_KEYS),
    REDIS_URL: options.redisUrl ?? testRedisUrl(),
    REDIS_PREFIX: prefix,
    VIPPS_TIMEOUT_MS: '3000',
    LOG_LEVEL: 'silent',
    ...env,
  });
  const log = createLogger(config.logLevel, options.logDestination);
  const redisUrl = options.redisUrl ?? testRedisUrl();
  const redis = apiRedis(redisUrl);
  const subscriber = workerRedis(redisUrl);
  reportRedisErrors(redis, log, 'commands');
  reportRedisErrors(subscriber, log, 'subscriber');
  const metrics = new Metrics();
  const vipps = createVippsClient({ config, redis, log, metrics: metrics.vipps, retryPolicy: { baseDelayMs: 10, maxDelayMs: 50, maxRetryAfterMs: 1000 } });
  const services = createServices({ config, redis, subscriber, vipps, log, metrics });
  const server: ApiServer = await startApiServer({ schema: buildGraphQLSchema(), services, redis, log, host: '127.0.0.1', metricsPort: 0, ...(port !== undefined ? { port } : {}) });

  const printed = new WeakMap<object, string>();
  function queryText(document: string | TypedDocumentNode<unknown, never>): string {
    if (typeof document === 'string') return document;
    let text = printed.get(document);
    if (text === undefined) {
      text = print(document);
      printed.set(document, text);
    }
    return text;
  }

  async function gql<T>(document: string | TypedDocumentNode<T, never>, variables: Record<string, unknown> = {}, key: string | null = 'dev'): Promise<GqlResult<T>> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (key !== null) headers.authorization = `Bearer ${key}`;
    const res = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ query: queryText(document as TypedDocumentNode<unknown, never>), variables }),
    });
    const body = (await res.json()) as { data: T; errors?: GqlResult['errors'] };
    return { status: res.status, data: body.data, ...(body.errors ? { errors: body.errors } : {}) };
  }

  return {
    url: server.url,
    metricsUrl: server.metricsUrl as string,
    sim,
    config,
    services,
    redis,
    gql: gql as TestApi['gql'],
    vippsCalls: () => sim.sim.ctx.requests.filter((r) => !r.path.toLowerCase().startsWith('/accesstoken')).length,
    close: async () => {
      await server.close();
      await services.close();
      subscriber.disconnect();
      if (!options.redisUrl) {
        const cleaner = testRedis();
        await deleteKeys(cleaner, prefix);
        await cleaner.quit();
      }
      redis.disconnect();
      await sim.close();
    },
  };
}
