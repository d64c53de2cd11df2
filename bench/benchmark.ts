import type { LoadResult } from './load';

/** What `bench/main.ts` runs: one module per benchmark (`*.bench.ts`), each with its own setup. */
export interface Benchmark {
  name: string;
  description: string;
  run(ctx: BenchContext): Promise<BenchmarkReport>;
}

export interface BenchSettings {
  connections: number;
  warmupSeconds: number;
  durationSeconds: number;
  /** `--profile DIR`: benchmarks that support it write CPU/heap profiles there (subscription-fanout). */
  profileDir?: string;
  /** `--poll-concurrency N`: overrides startWorkers' pollConcurrency in poller-load (diagnosis). */
  pollConcurrency?: number;
}

export interface BenchContext {
  /** A Redis the benchmark may use under a prefix of its own (private unless REDIS_URL is set). */
  redisUrl: string;
  settings: BenchSettings;
  /** A progress line on stderr (stdout carries the report). */
  progress(line: string): void;
}

/** One load run against one server; `ratio` is req/s ÷ the baseline's req/s in the same report. */
export interface Measurement {
  name: string;
  baseline: boolean;
  result: LoadResult;
  ratio: number | null;
}

export interface Target {
  description: string;
  actual: number;
  comparator: '>=' | '<=';
  threshold: number;
  unit: string;
  pass: boolean;
}

export interface BenchmarkReport {
  name: string;
  description: string;
  measurements: Measurement[];
  /**
   * A benchmark whose figures are not req/s (fan-out, pollers) prints this table instead of the
   * one built from `measurements`; `figures` keeps the same numbers, unformatted, for tools.
   */
  table?: { header: string[]; rows: string[][] };
  figures?: Record<string, unknown>;
  targets: Target[];
  notes: string[];
}

export function target(description: string, actual: number, comparator: '>=' | '<=', threshold: number, unit = ''): Target {
  const pass = Number.isFinite(actual) && (comparator === '>=' ? actual >= threshold : actual <= threshold);
  return { description, actual, comparator, threshold, unit, pass };
}

/** Measurements with `ratio` filled in against the one marked `baseline`. */
export function withRatios(measurements: Omit<Measurement, 'ratio'>[]): Measurement[] {
  const baseline = measurements.find((m) => m.baseline);
  return measurements.map((m) => ({
    ...m,
    ratio: baseline && baseline.result.requestsPerSecond > 0 ? round(m.result.requestsPerSecond / baseline.result.requestsPerSecond, 3) : null,
  }));
}

export function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
