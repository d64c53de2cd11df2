import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { lineSplitter } from './dev/lines';
import { exited } from './dev/processes';

/**
 * `npm run dev`: what `npm start` runs, rebuilt and restarted on change. `tsc --watch` compiles
 * each change into dist/; Node's watch mode restarts dist/src/start.js when files under dist/src
 * or dist/jobs change (once per build: it batches the writes), and start.js stops and starts
 * Redis, the simulator, the API and the worker as under `npm start`. tsc's first pass finds
 * dist/ up to date (`npm run dev` builds first) and writes nothing, so nothing restarts at once.
 */

// This file is dist/src/watch.js once built.
const ROOT = join(__dirname, '..', '..');

function say(message: string): void {
  process.stderr.write(`[dev] ${message}\n`);
}

/**
 * Each child in its own process group, so a Ctrl-C in the terminal reaches only this process:
 * start.js must get one SIGTERM and stop its children in order, not a SIGINT of its own as well.
 */
function launch(args: string[], stdout: 'inherit' | 'pipe'): ChildProcess {
  return spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', stdout, 'inherit'], detached: true });
}

const tsc = launch([require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--watch', '--preserveWatchOutput'], 'pipe');
const tscLines = lineSplitter((line) => {
  if (line.trim() !== '') process.stdout.write(`[tsc] ${line}\n`);
});
tsc.stdout?.on('data', (chunk: Buffer) => tscLines.push(chunk));
const app = launch(['--watch-path=dist/src', '--watch-path=dist/jobs', '--watch-preserve-output', 'dist/src/start.js'], 'inherit');

let stopping = false;

async function stop(reason: string, exitCode: number): Promise<void> {
  stopping = true;
  say(reason);
  // Node's watch mode passes the SIGTERM on to start.js and exits when start.js has stopped
  // everything (API and worker drain first, then the simulator and Redis).
  app.kill('SIGTERM');
  tsc.kill('SIGTERM');
  await Promise.all([exited(app), exited(tsc)]);
  process.exit(exitCode);
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    // A second Ctrl-C reaches start.js as a second SIGTERM, on which it kills its children at once.
    if (stopping) return void app.kill('SIGTERM');
    void stop(`${signal} received; stopping.`, 0);
  });
}
for (const [name, child] of [['node --watch', app], ['tsc --watch', tsc]] as const) {
  child.once('exit', (code, signal) => {
    if (!stopping) void stop(`${name} ${signal ? `was killed by ${signal}` : `exited with code ${code}`}; stopping.`, 1);
  });
}
// Should this process die of an error, its children (in their own groups) must not run on.
process.once('exit', () => {
  for (const child of [app, tsc]) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
});
