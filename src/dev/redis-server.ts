import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { Redis } from 'ioredis';
import { freePort } from './free-port';
import { lineSplitter } from './lines';
import { killOnExit, stopProcess } from './processes';
import { waitUntil } from './wait';

/**
 * A private `redis-server` for `npm start` and the integration tests, so a first look needs no
 * Redis set up by hand. Configured like production (docs/design.md §4): AOF on, `noeviction`, no RDB
 * snapshots, listening on loopback only.
 */
export interface PrivateRedis {
  url: string;
  port: number;
  /** SIGTERM (redis fsyncs the AOF and exits), SIGKILL after a grace period. */
  stop(): Promise<void>;
}

export interface PrivateRedisOptions {
  /** Where the AOF lives (`.data/redis` for `npm start`, a temp dir in tests). Created if missing. */
  dataDir: string;
  /** Each line redis-server prints (warnings and above). */
  onOutput?: (line: string) => void;
  /** Run in its own process group, so a Ctrl-C in the terminal reaches only the parent, which
   * then stops it last, after the processes that use it. */
  detached?: boolean;
  startTimeoutMs?: number;
  /** The executable, looked up on PATH; tests point it at a missing file. */
  command?: string;
  /** A fixed port (e.g. to restart a stopped server where its clients reconnect); default a free one. */
  port?: number;
}

export const REDIS_NOT_FOUND_MESSAGE =
  'redis-server was not found on PATH: install Redis 7 (apt-get install redis-server, or brew install redis) or set REDIS_URL to a running Redis.';

export class RedisNotFoundError extends Error {
  constructor() {
    super(REDIS_NOT_FOUND_MESSAGE);
  }
}

const PORT_ATTEMPTS = 3;
const STOP_GRACE_MS = 5_000;

export function redisServerArgs(port: number, dataDir: string): string[] {
  return [
    '--port', String(port),
    '--bind', '127.0.0.1',
    '--dir', dataDir,
    '--appendonly', 'yes',
    '--maxmemory-policy', 'noeviction',
    '--save', '',
    '--daemonize', 'no',
    '--loglevel', 'warning',
  ];
}

export async function startPrivateRedis(options: PrivateRedisOptions): Promise<PrivateRedis> {
  mkdirSync(options.dataDir, { recursive: true });
  let lastError: Error | undefined;
  // The free port may be taken between probing and binding; try another one then.
  if (options.port !== undefined) return startOn(options.port, options);
  for (let attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
    const port = await freePort();
    try {
      return await startOn(port, options);
    } catch (error) {
      if (error instanceof RedisNotFoundError) throw error;
      lastError = error as Error;
    }
  }
  throw lastError ?? new Error('redis-server did not start');
}

async function startOn(port: number, options: PrivateRedisOptions): Promise<PrivateRedis> {
  const child = spawn(options.command ?? 'redis-server', redisServerArgs(port, options.dataDir), {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.detached ?? false,
  });
  const output: string[] = [];
  const onLine = (line: string) => {
    if (line.trim() === '') return;
    output.push(line);
    if (output.length > 20) output.shift();
    options.onOutput?.(line);
  };
  const splitters = [lineSplitter(onLine), lineSplitter(onLine)] as const;
  child.stdout?.on('data', (chunk: Buffer) => splitters[0].push(chunk));
  child.stderr?.on('data', (chunk: Buffer) => splitters[1].push(chunk));

  let spawnError: NodeJS.ErrnoException | undefined;
  child.once('error', (error: NodeJS.ErrnoException) => {
    spawnError = error;
  });
  const forgetExitHook = killOnExit(() => [child]);
  const url = `redis://127.0.0.1:${port}`;

  try {
    await waitUntil(`redis-server on port ${port}`, () => ping(port), {
      timeoutMs: options.startTimeoutMs ?? 10_000,
      intervalMs: 50,
      abort: () => {
        if (spawnError?.code === 'ENOENT') return REDIS_NOT_FOUND_MESSAGE;
        if (spawnError) return `redis-server could not be started: ${spawnError.message}`;
        if (child.exitCode !== null || child.signalCode !== null) {
          return `redis-server exited (${child.exitCode ?? child.signalCode}) before answering PING: ${output.join(' | ') || 'no output'}`;
        }
        return undefined;
      },
    });
  } catch (error) {
    forgetExitHook();
    await stopChild(child);
    if (spawnError?.code === 'ENOENT') throw new RedisNotFoundError();
    throw error;
  }

  let stopping: Promise<void> | undefined;
  return {
    url,
    port,
    stop: () => {
      stopping ??= stopChild(child).finally(forgetExitHook);
      return stopping;
    },
  };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.pid === undefined) return; // never started (ENOENT)
  await stopProcess(child, STOP_GRACE_MS);
}

async function ping(port: number): Promise<boolean> {
  const client = new Redis({
    host: '127.0.0.1',
    port,
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: 1000,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const pong = await client.ping();
    await client.quit();
    return pong === 'PONG';
  } finally {
    // disconnect() arms a 2 s timer that would keep a test run alive; a refused or quit
    // connection has already ended.
    if (client.status !== 'end') client.disconnect();
  }
}
