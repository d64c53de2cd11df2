import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Request/response over the IPC channel of a forked bench child (the fan-out and poller
 * benchmarks keep servers and clients in processes of their own, as load.ts does, so they do not
 * share an event loop or a garbage collector with what they measure).
 */
type RpcRequest = { rpc: number; method: string; args: unknown };
type RpcReply = { rpc: number; ok: true; value: unknown } | { rpc: number; ok: false; error: string };

export interface RpcChild {
  child: ChildProcess;
  call<T = unknown>(method: string, args?: unknown, timeoutMs?: number): Promise<T>;
  /** Asks the child to stop (`stop` handler), SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Forks `dist/bench/<script>.js` and resolves once it has sent `{ ready: true }`. `execPath` runs
 * it on another Node binary (graphql-payment compares runtimes).
 */
export function forkRpc(script: string, options: { execArgv?: string[]; startTimeoutMs?: number; execPath?: string } = {}): Promise<RpcChild> {
  const child = fork(join(__dirname, `${script}.js`), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: options.execArgv ?? [], execPath: options.execPath });
  let next = 1;
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.on('message', (message: RpcReply | { ready: true }) => {
    if ('ready' in message) return;
    const waiter = pending.get(message.rpc);
    if (!waiter) return;
    pending.delete(message.rpc);
    if (message.ok) waiter.resolve(message.value);
    else waiter.reject(new Error(`${script}: ${message.error}`));
  });
  child.once('exit', (code, signal) => {
    for (const waiter of pending.values()) waiter.reject(new Error(`${script} exited (${code ?? signal})`));
    pending.clear();
  });
  const rpc: RpcChild = {
    child,
    call<T>(method: string, args: unknown = null, timeoutMs = 120_000): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        if (child.exitCode !== null || child.signalCode !== null) return reject(new Error(`${script} is not running`));
        const id = next++;
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new Error(`${script}: ${method} took longer than ${timeoutMs} ms`));
        }, timeoutMs);
        pending.set(id, {
          resolve: (value) => {
            clearTimeout(timer);
            resolve(value as T);
          },
          reject: (error) => {
            clearTimeout(timer);
            reject(error);
          },
        });
        child.send({ rpc: id, method, args } satisfies RpcRequest);
      });
    },
    async stop(graceMs = 15_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await rpc.call('stop', null, graceMs).catch(() => undefined);
      await exited;
      clearTimeout(timer);
    },
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${script} did not start within ${options.startTimeoutMs ?? 30_000} ms`));
    }, options.startTimeoutMs ?? 30_000);
    child.on('message', (message: { ready?: boolean }) => {
      if (message.ready) {
        clearTimeout(timer);
        resolve(rpc);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited (${code}) before it was ready`));
    });
  });
}

/** In the child: answer RPCs with `handlers`; `stop` replies and then exits. */
export function serveRpc(handlers: Record<string, (args: never) => unknown>): void {
  process.on('message', (message: RpcRequest) => {
    if (typeof message !== 'object' || message === null || typeof message.rpc !== 'number') return;
    const handler = handlers[message.method];
    const reply = (r: RpcReply, then?: () => void) => process.send?.(r, undefined, {}, () => then?.());
    if (!handler) return reply({ rpc: message.rpc, ok: false, error: `no method ${message.method}` });
    Promise.resolve()
      .then(() => handler(message.args as never))
      .then(
        (value) => reply({ rpc: message.rpc, ok: true, value: value ?? null }, message.method === 'stop' ? () => process.exit(0) : undefined),
        (error: unknown) => reply({ rpc: message.rpc, ok: false, error: error instanceof Error ? error.message : String(error) }),
      );
  });
  process.send?.({ ready: true });
}

/** Wall-clock milliseconds with sub-millisecond precision, comparable across processes on one machine. */
export function wallMs(): number {
  return performance.timeOrigin + performance.now();
}

/** Memory of this process after a full collection (when the process runs with --expose-gc). */
export function memoryAfterGc(): { rss: number; heapUsed: number; external: number; gcForced: boolean } {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    gc();
  }
  const m = process.memoryUsage();
  return { rss: m.rss, heapUsed: m.heapUsed, external: m.external, gcForced: Boolean(gc) };
}

/** The soft and hard `ulimit -n` of this process (Linux /proc), or null elsewhere. */
export function openFileLimit(): { soft: number; hard: number } | null {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8').split('\n').find((l) => l.startsWith('Max open files'));
    const [soft, hard] = (line ?? '').replace('Max open files', '').trim().split(/\s+/);
    const parse = (v: string | undefined) => (v === 'unlimited' ? Number.POSITIVE_INFINITY : Number(v));
    const limit = { soft: parse(soft), hard: parse(hard) };
    return Number.isFinite(limit.soft) || limit.soft === Number.POSITIVE_INFINITY ? limit : null;
  } catch {
    return null;
  }
}
