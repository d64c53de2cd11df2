import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname } from 'node:path';
import type { BenchmarkReport, BenchSettings, Target } from './benchmark';

/** The printed table and `bench/results/latest.json`: the same figures, for people and for tools. */
export interface BenchRun {
  startedAt: string;
  machine: { cpus: number; cpuModel: string; memoryGb: number; node: string; platform: string; loadAverageAtStart: number };
  settings: BenchSettings;
  benchmarks: BenchmarkReport[];
  /** Every target missed, as printed. */
  misses: string[];
  /** Benchmarks that failed to run. */
  failed: { name: string; error: string }[];
}

export function machine(): BenchRun['machine'] {
  const list = cpus();
  return {
    cpus: list.length,
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    memoryGb: Math.round(totalmem() / 1e8) / 10,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    loadAverageAtStart: Math.round((loadavg()[0] ?? 0) * 100) / 100,
  };
}

export function targetLine(t: Target): string {
  const unit = t.unit ? ` ${t.unit}` : '';
  return `${t.pass ? 'PASS' : 'MISS'}  ${t.description}: ${fmt(t.actual)}${unit} (target ${t.comparator} ${fmt(t.threshold)}${unit})`;
}

export function renderReport(run: BenchRun): string {
  const lines: string[] = [];
  const m = run.machine;
  lines.push(`vipps-graph benchmarks — ${run.startedAt}`);
  lines.push(`${m.cpus} × ${m.cpuModel}, ${m.memoryGb} GB, node ${m.node} ${m.platform}, load average ${m.loadAverageAtStart} at start`);
  if (m.loadAverageAtStart > 0.5) lines.push(`WARNING: other processes were busy when the run started (load average ${m.loadAverageAtStart}): req/s and latencies are noisy; compare ratios and µs per request`);
  lines.push(`${run.settings.connections} connections, ${run.settings.warmupSeconds} s warm-up + ${run.settings.durationSeconds} s measured per server, load generator in its own process`);
  for (const b of run.benchmarks) {
    lines.push('');
    lines.push(`## ${b.name}: ${b.description}`);
    if (b.table) {
      lines.push(...table(b.table.header, b.table.rows));
      for (const t of b.targets) lines.push(targetLine(t));
      for (const note of b.notes) lines.push(`note: ${note}`);
      continue;
    }
    const header = ['server', 'req/s', 'p50 ms', 'p99 ms', 'max ms', 'ratio vs baseline', 'failed'];
    const rows = b.measurements.map((x) => {
      const f = x.result.failures;
      const failed = f.non2xx + f.mismatches + f.errors + f.timeouts;
      return [
        x.name,
        String(x.result.requestsPerSecond),
        fmt(x.result.latencyMs.p50),
        fmt(x.result.latencyMs.p99),
        fmt(x.result.latencyMs.max),
        x.baseline ? '1.000 (baseline)' : x.ratio === null ? '-' : x.ratio.toFixed(3),
        String(failed),
      ];
    });
    lines.push(...table(header, rows));
    for (const t of b.targets) lines.push(targetLine(t));
    for (const note of b.notes) lines.push(`note: ${note}`);
  }
  for (const f of run.failed) lines.push('', `## ${f.name}: FAILED TO RUN — ${f.error}`);
  lines.push('');
  if (run.misses.length === 0 && run.failed.length === 0) lines.push('All targets met.');
  else {
    lines.push(`${run.misses.length} target(s) missed${run.failed.length ? `, ${run.failed.length} benchmark(s) failed` : ''}:`);
    for (const miss of run.misses) lines.push(`  ${miss}`);
    for (const f of run.failed) lines.push(`  ${f.name}: ${f.error}`);
  }
  return lines.join('\n');
}

export function writeJson(path: string, run: BenchRun): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(run, null, 2)}\n`);
}

function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
}

export function fmt(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return String(value);
  return value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);
}
