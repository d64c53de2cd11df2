import type { ChildProcess } from 'node:child_process';

/** Resolves when the child has exited (at once if it already has). */
export function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/**
 * SIGTERM, then SIGKILL if the child is still running after `graceMs` (a worker draining its
 * active jobs gets that long).
 */
export async function stopProcess(child: ChildProcess, graceMs: number): Promise<void> {
  const done = exited(child);
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), graceMs);
  });
  const outcome = await Promise.race([done, timedOut]);
  clearTimeout(timer);
  if (outcome === 'timeout') {
    child.kill('SIGKILL');
    await done;
  }
}

/**
 * Kills the children when this process exits, whatever the reason (an uncaught error included).
 * Only synchronous work runs at exit, so this is the last resort; orderly stops come first.
 */
export function killOnExit(children: () => Iterable<ChildProcess>): () => void {
  const hook = () => {
    for (const child of children()) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  };
  process.once('exit', hook);
  return () => process.removeListener('exit', hook);
}
