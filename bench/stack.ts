import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { startApiServer } from '../src/api/server';
import { createServices, type Services } from '../src/app/services';
import { DEV_API_KEY, loadConfig, SIMULATOR_MERCHANT } from '../src/config/config';
import { buildGraphQLSchema } from '../src/api/schema/schema';
import { createLogger } from '../src/log/logger';
import { bullPrefix, QueueName } from '../src/queues/queues';
import { apiRedis, workerRedis } from '../src/redis/client';
import { redisKeys, type RedisKeys } from '../src/redis/keys';
import { startSimulator, type Simulator } from '../src/simulator/simulator-server';
import { createVippsClient, type VippsClient } from '../src/vipps/vipps-client';

/**
 * The full stack in-process, wired exactly as `npm run start:api` wires it (createServices,
 * buildGraphQLSchema, startApiServer), against an in-process simulator and the given Redis under
 * a prefix of its own. The configuration is built from an env object here, never read from the
 * process environment. The API key is the simulator's dev key (`Bearer dev`).
 */
export interface BenchStack {
  url: string;
  keys: RedisKeys;
  services: Services;
  vipps: VippsClient;
  authorization: string;
  gql: GraphQLCall;
  close(): Promise<void>;
}

export async function startBenchStack(redisUrl: string): Promise<BenchStack> {
  const sim = await startSimulator({ merchants: [SIMULATOR_MERCHANT], host: '127.0.0.1' });
  const prefix = `bench:${randomBytes(3).toString('hex')}`;
  const config = loadConfig({
    VIPPS_ENV: 'simulator',
    VIPPS_BASE_URL: sim.url,
    REDIS_URL: redisUrl,
    REDIS_PREFIX: prefix,
    LOG_LEVEL: 'silent',
    // The rate limiter runs on every request (its cost is part of what is measured) but must not
    // refuse: at the default 1200 a minute the run would measure 429s after the first second.
    RATE_LIMIT_PER_MINUTE: '100000000',
  });
  const log = createLogger(config.logLevel);
  const redis = apiRedis(redisUrl);
  const vipps = createVippsClient({ config, redis, log });
  const subscriber = workerRedis(redisUrl);
  const services = createServices({ config, redis, subscriber, vipps, log });
  const server = await startApiServer({ schema: buildGraphQLSchema(), services, redis, log, host: '127.0.0.1', introspection: true, metricsPort: null });
  const authorization = `Bearer ${DEV_API_KEY}`;

  const gql = graphqlClient(`${server.url}/graphql`, authorization);

  return {
    url: server.url,
    keys: redisKeys(prefix),
    services,
    vipps,
    authorization,
    gql,
    close: async () => {
      await server.close();
      await services.close();
      subscriber.disconnect();
      await deleteKeys(redis, `${prefix}:`).catch(() => 0);
      redis.disconnect();
      await sim.close();
    },
  };
}

/** Vipps API calls a simulator has received (token requests excluded). */
export function vippsCallCount(sim: Simulator): number {
  return sim.ctx.requests.filter((r) => !r.path.toLowerCase().startsWith('/accesstoken')).length;
}

export type GraphQLCall = <T = unknown>(query: string, variables?: Record<string, unknown>) => Promise<{ status: number; text: string; data: T; errors?: unknown[] }>;

/** POSTs GraphQL to `url` with the given Authorization; the body text is kept (the exact bytes). */
export function graphqlClient(url: string, authorization: string): GraphQLCall {
  return async <T>(query: string, variables: Record<string, unknown> = {}) => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization },
      body: JSON.stringify({ query, variables }),
    });
    const text = await res.text();
    const body = JSON.parse(text) as { data: T; errors?: unknown[] };
    return { status: res.status, text, data: body.data, ...(body.errors ? { errors: body.errors } : {}) };
  };
}

/** After a bench that ran workers: empties every queue, deletes the run's keys and its BullMQ keys (best effort), closes the services. */
export async function clearBenchRun(services: Services, redis: Redis, prefix: string): Promise<void> {
  for (const name of Object.values(QueueName)) await services.jobs.queue(name).obliterate({ force: true }).catch(() => undefined);
  await deleteKeys(redis, `${prefix}:`).catch(() => undefined);
  await deleteKeys(redis, bullPrefix(prefix)).catch(() => undefined);
  await services.close();
}

/** Deletes every key under `prefix` (SCAN, so a shared Redis given as REDIS_URL is not blocked). */
export async function deleteKeys(redis: Redis, prefix: string): Promise<number> {
  let deleted = 0;
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    cursor = next;
    if (keys.length > 0) deleted += await redis.unlink(...keys);
  } while (cursor !== '0');
  return deleted;
}
