import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configOrExit } from '../src/config/config';
import { startPrivateRedis, type PrivateRedis } from '../src/dev/redis-server';
import type { Benchmark, BenchContext, BenchSettings } from './benchmark';
import { graphqlPaymentBench } from './graphql-payment.bench';
import { pollerLoadBench } from './poller-load.bench';
import { merchantWebhooksBench } from './merchant-webhooks.bench';
import { subscriptionFanoutBench } from './subscription-fanout.bench';
import { machine, renderReport, targetLine, writeJson, type BenchRun } from './report';

/**
 * `npm run bench`: runs every benchmark in BENCHMARKS, prints one table per benchmark with the
 * targets (PASS/MISS) and writes the same to bench/results/latest.json. Benchmarks report; they
 * do not gate: the exit code is 0 even when a target is missed (1 only for bad arguments).
 *
 *   npm run bench -- [--connections 50] [--warmup 2] [--duration 10] [--only graphql-payment,subscription-fanout,poller-load,merchant-webhooks]
 *                    [--profile DIR] [--poll-concurrency N]   (diagnosis: see subscription-fanout, poller-load)
 *
 * Redis: REDIS_URL when set (read through the config module), else a private redis-server on a
 * free loopback port with its data in a temp dir, stopped and removed at the end.
 */
const BENCHMARKS: Benchmark[] = [graphqlPaymentBench, subscriptionFanoutBench, pollerLoadBench, merchantWebhooksBench];

const RESULTS_FILE = join(__dirname, '..', '..', 'bench', 'results', 'latest.json');

function parseArgs(argv: string[]): { settings: BenchSettings; only: string[] } {
  const settings: BenchSettings = { connections: 50, warmupSeconds: 2, durationSeconds: 10 };
  const only: string[] = [];
  const limits = { connections: [1, 1000], warmup: [0, 60], duration: [1, 120], 'poll-concurrency': [1, 1000] } as const;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i] as string;
    const value = argv[i + 1];
    const number = (name: keyof typeof limits) => {
      const n = Number(value);
      const [min, max] = limits[name];
      if (!Number.isFinite(n) || n < min || n > max) usage(`${flag} must be a number from ${min} to ${max}`);
      i++;
      return n;
    };
    if (flag === '--connections') settings.connections = Math.round(number('connections'));
    else if (flag === '--warmup') settings.warmupSeconds = number('warmup');
    else if (flag === '--duration') settings.durationSeconds = number('duration');
    else if (flag === '--poll-concurrency') settings.pollConcurrency = Math.round(number('poll-concurrency'));
    else if (flag === '--profile' && value) {
      settings.profileDir = value;
      i++;
    } else if (flag === '--only' && value) {
      only.push(...value.split(','));
      i++;
    } else usage(`unknown argument ${flag}`);
  }
  const unknown = only.filter((name) => !BENCHMARKS.some((b) => b.name === name));
  if (unknown.length > 0) usage(`no benchmark named ${unknown.join(', ')} (have: ${BENCHMARKS.map((b) => b.name).join(', ')})`);
  return { settings, only };
}

function usage(problem: string): never {
  process.stderr.write(`bench: ${problem}\nusage: npm run bench -- [--connections N] [--warmup S] [--duration S] [--only name,...] [--profile DIR] [--poll-concurrency N]\n`);
  process.exit(1);
}

async function main(): Promise<void> {
  const { settings, only } = parseArgs(process.argv.slice(2));
  const progress = (line: string) => process.stderr.write(`bench: ${line}\n`);
  const configured = configOrExit().redis.url;
  let privateRedis: PrivateRedis | undefined;
  let dataDir: string | undefined;
  if (!configured) {
    dataDir = mkdtempSync(join(tmpdir(), 'vipps-graph-bench-'));
    privateRedis = await startPrivateRedis({ dataDir });
    progress(`private redis-server on port ${privateRedis.port}`);
  }
  const redisUrl = configured ?? (privateRedis as PrivateRedis).url;
  const ctx: BenchContext = { redisUrl, settings, progress };

  const run: BenchRun = { startedAt: new Date().toISOString(), machine: machine(), settings, benchmarks: [], misses: [], failed: [] };
  try {
    for (const bench of BENCHMARKS) {
      if (only.length > 0 && !only.includes(bench.name)) continue;
      try {
        const report = await bench.run(ctx);
        run.benchmarks.push(report);
        for (const t of report.targets) if (!t.pass) run.misses.push(`${report.name}: ${targetLine(t)}`);
      } catch (error) {
        run.failed.push({ name: bench.name, error: error instanceof Error ? error.message : String(error) });
      }
    }
  } finally {
    await privateRedis?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }

  process.stdout.write(`\n${renderReport(run)}\n`);
  writeJson(RESULTS_FILE, run);
  process.stdout.write(`\nwrote ${RESULTS_FILE}\n`);
}

main().then(
  // Exit explicitly: a benchmark that leaves a handle open must not hang the run.
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(0);
  },
);
