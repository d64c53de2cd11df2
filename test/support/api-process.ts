import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { freePort } from '../../src/dev/free-port';
import { expectEventually } from './eventually';
import { testRedisUrl } from './redis';
import type { TestSimulator } from './simulator';

const ROOT = join(__dirname, '..', '..');

export interface ApiProcess {
  child: ChildProcess;
  url: string;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  exited: Promise<[number | null, NodeJS.Signals | null]>;
}

/**
 * `src/api/main.ts` as a real child process (compiled on the fly, as `npm run start:api` runs the
 * built file) against `sim`, ready once `/readyz` answers 200. NODE_ENV is production, as
 * `npm run start:api` and `npm start` run it (jest sets test, which changes what Apollo Server
 * does on signals). `env` adds to or overrides the environment.
 */
export async function spawnApiProcess(sim: TestSimulator, prefix: string, env: Record<string, string>): Promise<ApiProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['-r', './test/support/swc-register.js', 'src/api/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      VIPPS_ENV: 'simulator',
      VIPPS_BASE_URL: sim.url,
      REDIS_URL: testRedisUrl(),
      REDIS_PREFIX: prefix,
      HOST: '127.0.0.1',
      PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      METRICS_PORT: '0',
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout?.on('data', (chunk: Buffer) => void (text += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => void (text += chunk.toString('utf8')));
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  const url = `http://127.0.0.1:${port}`;
  await expectEventually(
    async () => {
      if (child.exitCode !== null) throw new Error(`the API exited (${child.exitCode}) before it was ready:\n${text}`);
      expect((await fetch(`${url}/readyz`)).status).toBe(200);
    },
    { timeoutMs: 20_000 },
  );
  return { child, url, output: () => text, exited };
}
