import autocannon from 'autocannon';
import { quantile, type LoadOptions, type LoadReply, type LoadRequest, type LoadResult } from './load';

/** The load generator's child process (see load.ts): one warm-up run, one measured run, reply, exit. */

function cannon(options: LoadOptions, seconds: number, onLatency?: (ms: number) => void): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        method: options.method ?? 'GET',
        headers: options.headers,
        body: options.body,
        connections: options.connections,
        duration: seconds,
        pipelining: 1,
        timeout: 10,
        expectBody: options.expectBody,
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
    if (onLatency) instance.on('response', (_client, _status, _bytes, ms) => onLatency(ms));
  });
}

async function measure(options: LoadOptions): Promise<LoadResult> {
  if (options.warmupSeconds > 0) await cannon(options, options.warmupSeconds);
  let samples = new Float64Array(1 << 16);
  let count = 0;
  let sum = 0;
  process.send?.({ phase: 'measuring' } satisfies LoadReply);
  const started = process.hrtime.bigint();
  const result = await cannon(options, options.durationSeconds, (ms) => {
    if (count === samples.length) {
      const bigger = new Float64Array(samples.length * 2);
      bigger.set(samples);
      samples = bigger;
    }
    samples[count++] = ms;
    sum += ms;
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  process.send?.({ phase: 'measured' } satisfies LoadReply);
  const sorted = samples.subarray(0, count).sort();
  const round = (ms: number) => Math.round(ms * 1000) / 1000;
  return {
    connections: options.connections,
    durationSeconds: Math.round(seconds * 100) / 100,
    requests: count,
    requestsPerSecond: Math.round(count / seconds),
    latencyMs: {
      p50: round(quantile(sorted, 0.5)),
      p90: round(quantile(sorted, 0.9)),
      p99: round(quantile(sorted, 0.99)),
      mean: round(count > 0 ? sum / count : Number.NaN),
      max: round(count > 0 ? (sorted[count - 1] as number) : Number.NaN),
    },
    failures: { non2xx: result.non2xx, mismatches: result.mismatches, errors: result.errors, timeouts: result.timeouts },
  };
}

process.once('message', (message: LoadRequest) => {
  measure(message.options).then(
    (result) => reply({ ok: true, result }),
    (error: unknown) => reply({ ok: false, error: error instanceof Error ? error.message : String(error) }),
  );
});

function reply(message: LoadReply): void {
  process.send?.(message, () => process.exit(0));
}
