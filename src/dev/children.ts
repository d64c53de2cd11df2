import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { prefixLines } from './lines';

/** One Node child process of `npm start` (simulator, API or worker), its output prefixed. */
export interface Child {
  name: string;
  process: ChildProcess;
  /** "exited with code 1" / "was killed by SIGKILL", once it has exited. */
  exitDescription(): string | undefined;
}

/** Runs `node <script>` as its own process group, its output prefixed with `[name]`. */
export function startNodeChild(name: string, script: string, env: NodeJS.ProcessEnv): Child {
  // Own process group: a Ctrl-C in the terminal reaches only `npm start`, which then stops the
  // children in order (API and worker drain before the simulator and Redis go away).
  const child = spawn(process.execPath, ['--enable-source-maps', script], { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const prefix = `[${name}]`;
  if (child.stdout) prefixLines(child.stdout, prefix, (text) => process.stdout.write(text));
  if (child.stderr) prefixLines(child.stderr, prefix, (text) => process.stderr.write(text));
  let description: string | undefined;
  child.once('error', (error) => {
    description = `could not be started: ${error.message}`;
  });
  child.once('exit', (code, signal) => {
    description = signal ? `was killed by ${signal}` : `exited with code ${code}`;
  });
  return { name, process: child, exitDescription: () => description };
}

/** True when something already accepts connections on 127.0.0.1:port. */
export function portTaken(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}
