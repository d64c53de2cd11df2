import { existsSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { configOrExit, DEV_API_KEY, sha256Hex, type Config } from './config/config';
import { renderBanner } from './dev/banner';
import { portTaken, startNodeChild, type Child } from './dev/children';
import { killOnExit, stopProcess } from './dev/processes';
import { RedisNotFoundError, startPrivateRedis, type PrivateRedis } from './dev/redis-server';
import { answers200, NotReadyError, waitUntil } from './dev/wait';

/**
 * `npm start`: the whole system in one process tree for a first look (docs/design.md §1): a private
 * redis-server unless REDIS_URL is set, the Vipps simulator (VIPPS_ENV=simulator), the API and
 * the worker. Production runs `start:api` and `start:worker` separately against a shared Redis.
 */

// This file is dist/src/start.js once built.
const ROOT = join(__dirname, '..', '..');
const SCRIPTS = {
  simulator: join(__dirname, 'simulator', 'main.js'),
  api: join(__dirname, 'api', 'main.js'),
  worker: join(ROOT, 'dist', 'jobs', 'main.js'),
};
const READY_TIMEOUT_MS = 60_000;
/**
 * How long a child gets to drain before SIGKILL: the API and worker exit by themselves at
 * SHUTDOWN_TIMEOUT_SECONDS (src/app/process.ts); a second more is for them to get there.
 */
let stopGraceMs = 10_000;

const children: Child[] = [];
let redis: PrivateRedis | undefined;
let stopping = false;

function say(message: string): void {
  process.stderr.write(`[start] ${message}\n`);
}

async function main(): Promise<void> {
  const config = configOrExit();
  stopGraceMs = (config.shutdown.timeoutSeconds + 1) * 1000;
  killOnExit(() => children.map((c) => c.process));
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => void onSignal(signal));
  }

  const simulated = config.vipps.env === 'simulator';
  const wanted = simulated ? (['simulator', 'api', 'worker'] as const) : (['api', 'worker'] as const);
  const missing = wanted.map((name) => SCRIPTS[name]).filter((script) => !existsSync(script));
  if (missing.length > 0) {
    return fail(`${missing.map((m) => relative(ROOT, m)).join(', ')} not found: run \`npm run build\` (\`npm start\` builds first).`);
  }
  const ports: Array<[number, string]> = [
    [config.port, 'PORT'],
    [config.metrics.port, 'METRICS_PORT'],
    [config.workerMetrics.port, 'WORKER_METRICS_PORT'],
  ];
  if (simulated) ports.push([config.simulator.port, 'SIMULATOR_PORT']);
  for (const [port, variable] of ports) {
    if (port !== 0 && (await portTaken(port))) return fail(`port ${port} is already in use: stop what runs there or set ${variable} to another port.`);
  }

  let redisUrl = config.redis.url;
  if (!redisUrl) {
    const dataDir = join(ROOT, '.data', 'redis');
    // The simulator keeps its payments in memory only: a registry and queues left from an earlier
    // run would point at payments it no longer knows. Against real Vipps the data is kept.
    if (simulated) rmSync(dataDir, { recursive: true, force: true });
    try {
      redis = await startPrivateRedis({
        dataDir,
        detached: true,
        onOutput: (line) => {
          if (!isRedisChatter(line)) process.stderr.write(`[redis] ${line}\n`);
        },
      });
    } catch (error) {
      if (error instanceof RedisNotFoundError) return fail(error.message);
      throw error;
    }
    redisUrl = redis.url;
  }
  // Children read their own configuration from this same environment, plus the Redis we chose.
  // eslint-disable-next-line no-restricted-properties -- forwarded unchanged, not read here
  const env: NodeJS.ProcessEnv = { ...process.env, REDIS_URL: redisUrl };

  let simulatorUrl: string | undefined;
  if (simulated) {
    simulatorUrl = `http://127.0.0.1:${config.simulator.port}`;
    const simulator = launch('simulator', env);
    await ready('the simulator', `${simulatorUrl}/simulator/v1/clock`, [simulator]);
  }
  // As `npm run start:api`: graphql-js skips its development-only checks under NODE_ENV=production.
  const api = launch('api', { ...env, NODE_ENV: 'production' });
  const worker = launch('worker', env);
  await ready('the API', `http://127.0.0.1:${config.port}/healthz`, [api, worker]);
  const workerOps = config.workerMetrics.port === 0 ? undefined : `http://${config.workerMetrics.host}:${config.workerMetrics.port}`;
  if (workerOps) await ready('the worker', `${workerOps}/healthz`, [api, worker]);
  if (stopping) return;

  process.stdout.write(`\n${renderBanner(bannerInfo(config, redisUrl, simulatorUrl, workerOps))}\n`);
  for (const child of children) {
    child.process.once('exit', () => {
      if (!stopping) void shutdown(`${child.name} ${child.exitDescription()}; stopping everything.`, 1);
    });
  }
}

/**
 * redis-server prints its start-up lines and the overcommit advice (irrelevant for a private
 * development Redis without RDB snapshots) even at `--loglevel warning`.
 */
function isRedisChatter(line: string): boolean {
  return /Redis is starting|Redis version=|Configuration loaded|Server initialized|Memory overcommit must be enabled/.test(line);
}

function launch(name: keyof typeof SCRIPTS, env: NodeJS.ProcessEnv): Child {
  const child = startNodeChild(name, SCRIPTS[name], env);
  children.push(child);
  return child;
}

async function ready(what: string, url: string, watched: Child[]): Promise<void> {
  try {
    await waitUntil(what, () => answers200(url), {
      timeoutMs: READY_TIMEOUT_MS,
      intervalMs: 200,
      abort: () => {
        if (stopping) return 'stopping';
        const dead = watched.find((c) => c.exitDescription() !== undefined);
        return dead ? `${dead.name} ${dead.exitDescription()} before ${what} was ready (its output is above, prefixed [${dead.name}]).` : undefined;
      },
    });
  } catch (error) {
    if (stopping) return;
    if (error instanceof NotReadyError) return fail(error.timedOut ? `${error.message} (waited for GET ${url} to answer 200)` : error.message);
    throw error;
  }
}

function bannerInfo(config: Config, redisUrl: string, simulatorUrl: string | undefined, workerOps: string | undefined) {
  const simulated = config.vipps.env === 'simulator';
  return {
    vippsEnv: config.vipps.env,
    port: config.port,
    redisUrl,
    privateRedis: redis !== undefined,
    vippsBaseUrl: config.vipps.baseUrl,
    merchants: config.vipps.merchants.map((m) => m.msn),
    ide: config.graphql.introspection,
    metricsUrl: `http://${config.metrics.host}:${config.metrics.port}/metrics`,
    workerMetricsUrl: workerOps && `${workerOps}/metrics`,
    simulatorUrl,
    devApiKey: simulated && config.apiKeys.some((k) => k.keyHash === sha256Hex(DEV_API_KEY)) ? DEV_API_KEY : undefined,
  };
}

function fail(message: string): Promise<void> {
  return shutdown(message, 1);
}

let secondSignal = false;
async function onSignal(signal: NodeJS.Signals): Promise<void> {
  if (stopping) {
    if (secondSignal) return;
    secondSignal = true;
    say(`${signal} again: killing everything now.`);
    for (const child of children) child.process.kill('SIGKILL');
    process.exit(130);
  }
  await shutdown(`${signal} received; stopping.`, 0);
}

async function shutdown(reason: string, exitCode: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  say(reason);
  // Users of Redis and of the simulator first, so the worker can drain its active jobs.
  const users = children.filter((c) => c.name !== 'simulator');
  await Promise.all(users.map((c) => stopProcess(c.process, stopGraceMs)));
  await Promise.all(children.filter((c) => c.name === 'simulator').map((c) => stopProcess(c.process, stopGraceMs)));
  await redis?.stop();
  process.exit(exitCode);
}

main().catch((error: unknown) => {
  void shutdown(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`, 1);
});
