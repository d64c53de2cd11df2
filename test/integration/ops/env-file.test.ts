import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../../src/dev/free-port';
import { expectEventually } from '../../support/eventually';

/**
 * A `.env` in the working directory is read by every entry point (Node's --env-file-if-exists),
 * and a missing one is no error. `npm start`'s and `npm run dev`'s children inherit the values
 * with the rest of the environment.
 */
const ROOT = join(__dirname, '..', '..', '..');
const scripts = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
const ENTRY_POINTS: Record<string, string> = {
  start: 'dist/src/start.js',
  dev: 'dist/src/watch.js',
  'start:api': 'dist/src/api/main.js',
  'start:worker': 'dist/jobs/main.js',
  simulator: 'dist/src/simulator/main.js',
  checklist: 'dist/src/checklist/main.js',
  'webhooks:register': 'dist/src/webhooks/register-main.js',
};

/** The options an npm script gives `node` before the file it runs. */
function nodeOptions(name: string): string[] {
  const script = scripts[name] ?? '';
  const match = new RegExp(`scripts/with-node node ((?:--\\S+ )*)${ENTRY_POINTS[name]?.replace(/\./g, '\\.')}`).exec(script);
  if (!match) throw new Error(`npm script ${name} does not run ${ENTRY_POINTS[name]} through scripts/with-node node: ${script}`);
  return (match[1] ?? '').trim().split(' ').filter(Boolean);
}

describe('.env', () => {
  const dirs: string[] = [];
  const children: ChildProcess[] = [];

  afterEach(async () => {
    for (const child of children.splice(0)) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await once(child, 'exit');
      }
    }
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  /** The simulator, started with its npm script's node options (sources compiled on the fly), in `cwd`. */
  function simulatorIn(cwd: string, env: Record<string, string> = {}): { child: ChildProcess; output: () => string } {
    const { SIMULATOR_PORT: _ignored, ...inherited } = process.env;
    const child = spawn(process.execPath, [...nodeOptions('simulator'), '-r', join(ROOT, 'test/support/swc-register.js'), join(ROOT, 'src/simulator/main.ts')], {
      cwd,
      env: { ...inherited, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let text = '';
    child.stdout?.on('data', (chunk: Buffer) => void (text += chunk.toString('utf8')));
    child.stderr?.on('data', (chunk: Buffer) => void (text += chunk.toString('utf8')));
    return { child, output: () => text };
  }

  function tempDir(): string {
    const dir = mkdtempSync(join(tmpdir(), 'vg-env-file-'));
    dirs.push(dir);
    return dir;
  }

  async function answersOn(port: number, started: { child: ChildProcess; output: () => string }): Promise<void> {
    await expectEventually(
      async () => {
        if (started.child.exitCode !== null) throw new Error(`the simulator exited (${started.child.exitCode}):\n${started.output()}`);
        expect((await fetch(`http://127.0.0.1:${port}/simulator/v1/clock`)).status).toBe(200);
      },
      { timeoutMs: 20_000 },
    );
  }

  it.each(Object.keys(ENTRY_POINTS))('npm run %s reads .env when present', (name) => {
    expect(nodeOptions(name)).toContain('--env-file-if-exists=.env');
  });

  it('a value in .env takes effect; the environment wins over the file', async () => {
    const dir = tempDir();
    const [fromFile, fromEnv] = [await freePort(), await freePort()];
    writeFileSync(join(dir, '.env'), `# the simulator's port\nSIMULATOR_PORT=${fromFile}\nLOG_LEVEL=warn\n`);
    const started = simulatorIn(dir);
    await answersOn(fromFile, started);
    // LOG_LEVEL=warn from the file: the info line "Vipps simulator listening" is not written.
    expect(started.output()).not.toContain('Vipps simulator listening');

    const overridden = simulatorIn(dir, { SIMULATOR_PORT: String(fromEnv) });
    await answersOn(fromEnv, overridden);
  });

  it('starts without a .env', async () => {
    const port = await freePort();
    const started = simulatorIn(tempDir(), { SIMULATOR_PORT: String(port) });
    await answersOn(port, started);
    expect(started.output()).toContain('Vipps simulator listening');
  });
});
