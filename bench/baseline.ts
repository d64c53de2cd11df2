import { fork } from 'node:child_process';
import { join } from 'node:path';

export interface BaselineServer {
  url: string;
  stop(): Promise<void>;
}

/** Starts `baseline-server.js` (see there for why it is a child process) answering `key` from Redis. */
export function startBaselineServer(redisUrl: string, key: string): Promise<BaselineServer> {
  return startChildServer('baseline-server.js', [redisUrl, key]);
}

/** Starts `apollo-floor-server.js`: Apollo Server with a one-field schema answering `key` from Redis. */
export function startApolloFloorServer(redisUrl: string, key: string): Promise<BaselineServer> {
  return startChildServer('apollo-floor-server.js', [redisUrl, key]);
}

/** Forks a server script of this folder that sends `{ port }` once listening and exits on `stop`. */
function startChildServer(script: string, args: string[]): Promise<BaselineServer> {
  const child = fork(join(__dirname, script), args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.send('stop');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${script} did not start within 10 s`));
    }, 10_000);
    child.once('message', (message: { port: number }) => {
      clearTimeout(timer);
      resolve({ url: `http://127.0.0.1:${message.port}`, stop });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited (${code}) before listening`));
    });
  });
}
