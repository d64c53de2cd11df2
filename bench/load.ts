import { fork } from 'node:child_process';
import { join } from 'node:path';

/**
 * The shared load generator: autocannon, run in a child process so it does not share an event
 * loop (or a garbage collector) with the server under test. On this 2-core machine the load
 * child, the server and redis-server still compete for the cores; every benchmark runs in the
 * same layout, so their ratios compare like with like.
 *
 * Latencies are collected per response as float milliseconds (autocannon's own histogram rounds
 * to whole milliseconds, too coarse for a sub-millisecond baseline) and percentiles come from
 * the sorted samples.
 */
export interface LoadOptions {
  /** Loopback only: the URL must be on 127.0.0.1. */
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /** Every response body must equal this; others count as mismatches. */
  expectBody?: string;
  connections: number;
  warmupSeconds: number;
  durationSeconds: number;
}

export interface LoadResult {
  connections: number;
  /** Measured seconds (warm-up excluded). */
  durationSeconds: number;
  requests: number;
  requestsPerSecond: number;
  latencyMs: { p50: number; p90: number; p99: number; mean: number; max: number };
  /** Responses that were not 2xx, did not match `expectBody`, failed or timed out. */
  failures: { non2xx: number; mismatches: number; errors: number; timeouts: number };
}

/** The message the parent sends the load child. */
export interface LoadRequest {
  options: LoadOptions;
}

export type LoadReply = { ok: true; result: LoadResult } | { ok: false; error: string } | { phase: 'measuring' | 'measured' };

/** Called in the parent when the measured run starts and ends (e.g. to read the server's CPU time). */
export interface LoadHooks {
  onMeasuring?(): void;
  onMeasured?(): void;
}

const CHILD_SCRIPT = join(__dirname, 'load-child.js');

export function runLoad(options: LoadOptions, hooks: LoadHooks = {}): Promise<LoadResult> {
  const { hostname } = new URL(options.url);
  if (hostname !== '127.0.0.1') return Promise.reject(new Error(`load generator: loopback only (127.0.0.1), got ${options.url}`));
  const budgetMs = (options.warmupSeconds + options.durationSeconds) * 1000 + 30_000;
  return new Promise((resolve, reject) => {
    const child = fork(CHILD_SCRIPT, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let settled = false;
    const finish = (error: Error | null, result?: LoadResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      if (error) reject(error);
      else resolve(result as LoadResult);
    };
    const timer = setTimeout(() => finish(new Error(`load generator did not finish within ${budgetMs} ms`)), budgetMs);
    child.on('message', (reply: LoadReply) => {
      if ('phase' in reply) return reply.phase === 'measuring' ? hooks.onMeasuring?.() : hooks.onMeasured?.();
      if (reply.ok) finish(null, reply.result);
      else finish(new Error(`load generator: ${reply.error}`));
    });
    child.once('error', (error) => finish(error));
    child.once('exit', (code, signal) => finish(new Error(`load generator exited (${code ?? signal}) without a result`)));
    child.send({ options } satisfies LoadRequest);
  });
}

/** The q-quantile (0..1) of ascending samples: the smallest sample with at least q of them at or below it. */
export function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[index] as number;
}
