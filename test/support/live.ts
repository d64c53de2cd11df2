import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createClient, type Client } from 'graphql-ws';
import type { Redis } from 'ioredis';
import type { DestinationStream } from 'pino';
import WebSocket from 'ws';
import { startWorkers, type RunningWorkers, type WorkerOptions } from '../../jobs/worker';
import { startWorkerOps } from '../../jobs/worker-ops';
import { startApiServer, type ApiServer } from '../../src/api/server';
import { createServices, type Services } from '../../src/app/services';
import { SIMULATOR_MERCHANT } from '../../src/config/config';
import { buildGraphQLSchema } from '../../src/api/schema/schema';
import { createLogger } from '../../src/log/logger';
import { bullPrefix, QueueName } from '../../src/queues/queues';
import { apiRedis, workerRedis } from '../../src/redis/client';
import { redisKeys } from '../../src/redis/keys';
import { createVippsClient } from '../../src/vipps/vipps-client';
import { Metrics } from '../../src/telemetry/metrics';
import { WEBHOOK_PATH } from '../../src/webhooks/webhook-events';
import { ensureWebhooks } from '../../src/webhooks/webhook-registration';
import { OTHER_MERCHANT, type GqlResult, type TestApi } from './api';
import { deleteKeys, testRedis, testRedisUrl } from './redis';
import { paymentTopic } from '../../src/payments/payment-topic';

/**
 * Live-update harness on top of `startTestApi`: BullMQ workers in-process or as a real child
 * process, a second API instance on the same Redis prefix and simulator, webhook registration,
 * and a graphql-ws client. Every piece has its own Redis connections, as separate processes do.
 */

const ROOT = join(__dirname, '..', '..');
const retryPolicy = { baseDelayMs: 10, maxDelayMs: 50, maxRetryAfterMs: 1000 };

/** Services wired like a separate process: own Redis connections, own LiveUpdates, own queues, own metrics. */
function processServices(api: TestApi, kind: 'api' | 'worker', logDestination?: DestinationStream): { services: Services; redis: Redis; subscriber: Redis } {
  const log = createLogger(api.config.logLevel, logDestination);
  const redisUrl = api.config.redis.url ?? testRedisUrl();
  const redis = kind === 'api' ? apiRedis(redisUrl) : workerRedis(redisUrl);
  const subscriber = workerRedis(redisUrl);
  const metrics = new Metrics();
  const vipps = createVippsClient({ config: api.config, redis, log, retryPolicy, metrics: metrics.vipps });
  return { services: createServices({ config: api.config, redis, subscriber, vipps, log, metrics }), redis, subscriber };
}

export interface TestWorker {
  services: Services;
  running: RunningWorkers;
  /** Its `/metrics` and `/healthz`, on a free loopback port. */
  metricsUrl: string;
  healthUrl: string;
  close(): Promise<void>;
}

/** The worker (`jobs/main.ts`'s wiring) in this process, on the API's Redis and prefix and simulator. */
export async function startTestWorker(api: TestApi, options: WorkerOptions = {}, logDestination?: DestinationStream): Promise<TestWorker> {
  const { services, redis, subscriber } = processServices(api, 'worker', logDestination);
  const running = await startWorkers(services, redis, options);
  const ops = await startWorkerOps(running, redis, services.metrics.registry, '127.0.0.1', 0);
  return {
    services,
    running,
    metricsUrl: ops.metricsUrl,
    healthUrl: ops.healthUrl,
    close: async () => {
      await running.close();
      await ops.close();
      await services.close();
      subscriber.disconnect();
      redis.disconnect();
    },
  };
}

export interface PeerApi {
  url: string;
  services: Services;
  gql<T = any>(query: string, variables?: Record<string, unknown>, key?: string | null): Promise<GqlResult<T>>;
  close(): Promise<void>;
}

/**
 * A second API "process" sharing the first one's Redis prefix and simulator. It has its own
 * Redis connections (commands and pub/sub) and its own LiveUpdates, so the only path from one
 * API's mutation to the other's subscribers is Redis pub/sub.
 */
export async function startPeerApi(api: TestApi): Promise<PeerApi> {
  const { services, redis, subscriber } = processServices(api, 'api');
  await once(redis, 'ready');
  const log = createLogger(api.config.logLevel);
  const server: ApiServer = await startApiServer({ schema: buildGraphQLSchema(), services, redis, log, host: '127.0.0.1', metricsPort: 0 });
  return {
    url: server.url,
    services,
    gql: (query, variables = {}, key = 'dev') => gqlAt(server.url, query, variables, key),
    close: async () => {
      await server.close();
      await services.close();
      subscriber.disconnect();
      redis.disconnect();
    },
  };
}

export async function gqlAt<T = any>(url: string, query: string, variables: Record<string, unknown> = {}, key: string | null = 'dev'): Promise<GqlResult<T>> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (key !== null) headers.authorization = `Bearer ${key}`;
  const res = await fetch(`${url}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  const body = (await res.json()) as { data: T; errors?: GqlResult['errors'] };
  return { status: res.status, data: body.data, ...(body.errors ? { errors: body.errors } : {}) };
}

/** Registers `PUBLIC_URL/webhooks/vipps` with the API's simulator for both merchants (needs `knownPort`). */
export async function registerWebhooks(api: TestApi): Promise<void> {
  const log = createLogger(api.config.logLevel);
  const redis = workerRedis(testRedisUrl());
  try {
    const vipps = createVippsClient({ config: api.config, redis, log, retryPolicy });
    const msns = [SIMULATOR_MERCHANT.msn, OTHER_MERCHANT.msn];
    await ensureWebhooks(vipps, redis, redisKeys(api.config.redis.prefix), msns, `${api.config.publicUrl}${WEBHOOK_PATH}`, log);
  } finally {
    redis.disconnect();
  }
}

/** Removes every queue, job and job scheduler of the API's prefix (BullMQ keys are outside it). */
export async function removeQueues(api: TestApi): Promise<void> {
  for (const name of Object.values(QueueName)) await api.services.jobs.queue(name).obliterate({ force: true });
  const cleaner = testRedis();
  await deleteKeys(cleaner, bullPrefix(api.config.redis.prefix));
  await cleaner.quit();
}

/** Redis connections subscribed to a payment's live channel (PUBSUB NUMSUB). */
export async function paymentSubscribers(api: TestApi, reference: string, msn = SIMULATOR_MERCHANT.msn): Promise<number> {
  const channel = redisKeys(api.config.redis.prefix).liveChannel(paymentTopic(msn, reference));
  const [, count] = (await api.redis.call('PUBSUB', 'NUMSUB', channel)) as [string, number];
  return Number(count);
}

export interface WsCredentials {
  /** An API key or a status token, sent as `connectionParams: { authorization: 'Bearer …' }`; null sends none. */
  bearer: string | null;
}

export interface Received<T> {
  /** Each `next` payload's data (with the time it arrived). */
  values: { data: T; at: number }[];
  errors: unknown[];
  completed: boolean;
  /** Ends this subscription. */
  stop(): void;
}

export interface TestWsClient {
  client: Client;
  /** Close events seen (code and reason), e.g. 4403 when the connection was refused. */
  closes: { code: number; reason: string }[];
  subscribe<T = any>(query: string, variables: Record<string, unknown>): Received<T>;
  close(): Promise<void>;
}

/** A graphql-ws client on the API's `/graphql`, not retrying, so refusals show as errors. */
export function wsClient(baseUrl: string, { bearer }: WsCredentials): TestWsClient {
  const closes: TestWsClient['closes'] = [];
  const client = createClient({
    url: `${baseUrl.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: bearer === null ? {} : { authorization: `Bearer ${bearer}` },
    retryAttempts: 0,
    lazy: true,
    on: { closed: (event) => void closes.push({ code: (event as { code: number }).code, reason: String((event as { reason: unknown }).reason) }) },
  });
  return {
    client,
    closes,
    subscribe<T>(query: string, variables: Record<string, unknown>): Received<T> {
      const received: Received<T> = { values: [], errors: [], completed: false, stop: () => undefined };
      received.stop = client.subscribe<T>(
        { query, variables },
        {
          next: (result) => {
            if (result.errors) received.errors.push(...result.errors);
            if (result.data) received.values.push({ data: result.data as T, at: Date.now() });
          },
          error: (error) => void received.errors.push(error),
          complete: () => void (received.completed = true),
        },
      );
      return received;
    },
    close: () => client.dispose() as Promise<void>,
  };
}

export interface WorkerProcess {
  child: ChildProcess;
  /** stdout and stderr so far (pino JSON lines), for failure messages. */
  output(): string;
  /** Resolves once the worker logged that it started. */
  started: Promise<void>;
  kill(signal: NodeJS.Signals): Promise<void>;
}

/**
 * `jobs/main.ts` as a real child process, compiled on the fly (`swc-register.js`), configured
 * like the API (same Redis prefix, simulator, merchants) plus `env`.
 */
export function spawnWorker(api: TestApi, env: Record<string, string> = {}): WorkerProcess {
  const merchants = api.config.vipps.merchants.map((m) => ({
    msn: m.msn,
    clientId: m.clientId,
    clientSecret: m.clientSecret,
    subscriptionKey: m.subscriptionKey,
    capturePolicy: m.capturePolicy,
  }));
  const child = spawn(process.execPath, ['-r', './test/support/swc-register.js', 'jobs/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      REDIS_URL: testRedisUrl(),
      REDIS_PREFIX: api.config.redis.prefix,
      VIPPS_ENV: 'simulator',
      VIPPS_BASE_URL: api.sim.url,
      VIPPS_MERCHANTS: JSON.stringify(merchants),
      API_KEYS: JSON.stringify(api.config.apiKeys),
      CAPTURE_MARGIN: String(api.config.capture.marginSeconds),
      CAPTURE_FINAL_MARGIN: String(api.config.capture.finalMarginSeconds),
      PUBLIC_URL: api.config.publicUrl,
      // Tests run side by side: a free port for /metrics and /healthz rather than 9465.
      WORKER_METRICS_PORT: '0',
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  let markStarted: () => void = () => undefined;
  let failStart: (error: Error) => void = () => undefined;
  const started = new Promise<void>((resolve, reject) => {
    markStarted = resolve;
    failStart = reject;
  });
  const onData = (chunk: Buffer) => {
    text += chunk.toString('utf8');
    if (text.includes('"worker started"')) markStarted();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  child.once('exit', (code, signal) => failStart(new Error(`worker exited (${code ?? signal}) before it started:\n${text}`)));
  return {
    child,
    output: () => text,
    started,
    kill: async (signal) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill(signal);
      await exited;
    },
  };
}
