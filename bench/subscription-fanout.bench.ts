import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import type { Redis } from 'ioredis';
import { workerRedis } from '../src/redis/client';
import { round, target, type Benchmark, type BenchContext, type BenchmarkReport, type Target } from './benchmark';
import { forkRpc, openFileLimit, wallMs, type RpcChild } from './ipc';
import { quantile } from './load';
import { fmt } from './report';

/**
 * Issue 5 (1): one payment followed by N graphql-ws subscribers (`paymentUpdated(reference)`) on
 * one API process; the payment is captured through the `capturePayment` mutation, and we time
 * each subscriber's copy of the update from the moment Redis delivered the publish (seen by an
 * independent subscriber in this process) — and, for reference, from the mutation's response.
 *
 * Processes: this one (orchestrator, mutation, the timing Redis subscriber), the API (child,
 * --expose-gc, with its in-process simulator), the subscribers (child: graphql-ws clients on
 * `ws`). Baseline, same layout: a plain `ws` server (child) relaying a Redis channel to N raw
 * WebSocket clients (child), sent the same JSON the API sent.
 *
 * Each N gets a fresh server process and payment: one unmeasured warm-up update, then ROUNDS
 * measured ones (a partial capture each, 4 captures per payment: within Vipps' 5/min).
 */
const SIZES = [1_000, 5_000];
const ROUNDS = 3;
const BATCH = 250;
const TARGET_P99_MS = 1_000;
const TARGET_KB_PER_SUBSCRIBER = 20;
const CAPTURE_VALUE = 1_000;

const SUBSCRIPTION = `subscription($reference: String!) {
  paymentUpdated(reference: $reference) {
    reference state
    amount { value currency }
    aggregate { authorized { value currency } captured { value currency } refunded { value currency } cancelled { value currency } }
    capturable { value currency } availableActions updatedAt
  }
}`;
const CAPTURE = `mutation($input: CapturePaymentInput!) {
  capturePayment(input: $input) { payment { state } errors { code message } }
}`;

interface Collected {
  times: (number | null)[];
  missing: number;
  extra: number;
  errors: number;
  firstError: string | null;
  sample: string | null;
}

interface Memory {
  rss: number;
  heapUsed: number;
  external: number;
  gcForced: boolean;
}

export interface FanoutRun {
  server: 'graphql-ws API' | 'baseline ws';
  subscribers: number;
  requested: number;
  connectMs: number;
  latencyMs: { p50: number; p99: number; max: number };
  /** From the mutation's HTTP response instead (negative: the copy arrived before the response). */
  fromResponseMs: { p50: number; p99: number } | null;
  /** When the mutation's response arrived, relative to the publish (ms). */
  responseAfterPublishMs: number | null;
  perSubscriberBytes: { rss: number; heapAndExternal: number };
  gcForced: boolean;
  /** Copies that did not arrive within the round's timeout, over all measured rounds. */
  missed: number;
  /** Subscribers that held more copies than updates published when a round was collected. */
  duplicated: number;
  errors: number;
  firstError: string | null;
  serverCpuMs: number;
}

/** Times Redis delivered each publish on `channel` (an independent connection in this process). */
async function publishClock(redisUrl: string, channel: string): Promise<{ times: number[]; close(): void }> {
  const redis: Redis = workerRedis(redisUrl);
  const times: number[] = [];
  redis.on('message', () => void times.push(wallMs()));
  await redis.subscribe(channel);
  return { times, close: () => redis.disconnect() };
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function percentiles(samples: number[]): { p50: number; p99: number; max: number } {
  const sorted = Float64Array.from(samples).sort();
  const r = (v: number) => round(v, 2);
  return { p50: r(quantile(sorted, 0.5)), p99: r(quantile(sorted, 0.99)), max: r(sorted.length ? (sorted[sorted.length - 1] as number) : Number.NaN) };
}

async function runOne(
  ctx: BenchContext,
  mode: 'graphql-ws' | 'raw',
  count: number,
  message: string | null,
): Promise<{ run: FanoutRun; sample: string | null }> {
  const server = await forkRpc(mode === 'raw' ? 'fanout-baseline-server' : 'fanout-api-child', { execArgv: ['--expose-gc'] });
  let clients: RpcChild | undefined;
  let clock: { times: number[]; close(): void } | undefined;
  let publisher: Redis | undefined;
  try {
    const reference = `bench-fanout-${count}-${randomBytes(3).toString('hex')}`;
    const channel = `bench:fanout-baseline:${randomBytes(3).toString('hex')}`;
    const started = await server.call<{ url: string; authorization?: string; channel?: string }>(
      'start',
      mode === 'raw' ? { redisUrl: ctx.redisUrl, channel } : { redisUrl: ctx.redisUrl, reference },
    );
    const liveChannel = started.channel ?? channel;
    clients = await forkRpc('fanout-clients-child');
    const before = await server.call<Memory>('memory');
    const profileDir = mode === 'graphql-ws' ? ctx.settings.profileDir : undefined;
    if (profileDir) await server.call('profile', { what: 'heap', action: 'start', dir: profileDir });
    const opened = await clients.call<{ ms: number; errors: number; firstError: string | null }>(
      'open',
      {
        mode,
        url: started.url,
        count,
        batch: BATCH,
        query: SUBSCRIPTION,
        variables: { reference },
        authorization: started.authorization,
      },
      300_000,
    );
    let subscribed = 0;
    await waitFor(
      `${count} subscriptions on the server (${opened.errors} client errors${opened.firstError ? `, first: ${opened.firstError}` : ''})`,
      async () => (subscribed = await server.call<number>('listeners')) >= count - opened.errors,
      60_000,
    ).catch((error: Error) => {
      if (subscribed === 0) throw error;
      ctx.progress(`subscription-fanout: ${error.message}; measuring the ${subscribed} established`);
    });
    const after = await server.call<Memory>('memory');
    if (profileDir) ctx.progress(`subscription-fanout: heap profile ${await server.call<string>('profile', { what: 'heap', action: 'stop', dir: profileDir })}`);
    ctx.progress(`subscription-fanout: ${mode} ${subscribed}/${count} subscribed in ${opened.ms} ms`);

    clock = await publishClock(ctx.redisUrl, liveChannel);
    if (mode === 'raw') publisher = workerRedis(ctx.redisUrl);
    const apiUrl = started.url;
    const samples: number[] = [];
    const fromResponse: number[] = [];
    const responseAfter: number[] = [];
    let missed = 0;
    let duplicated = 0;
    let errors = 0;
    let firstError: string | null = opened.firstError;
    let sample: string | null = null;
    let cpuStart: NodeJS.CpuUsage | undefined;
    for (let k = 1; k <= ROUNDS + 1; k++) {
      if (k === 2) {
        if (profileDir) await server.call('profile', { what: 'cpu', action: 'start', dir: profileDir });
        cpuStart = await server.call<NodeJS.CpuUsage>('cpu');
      }
      let responseAt: number | null = null;
      if (mode === 'raw') {
        await (publisher as Redis).publish(liveChannel, message as string);
      } else {
        const res = await fetch(`${apiUrl}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: started.authorization as string },
          body: JSON.stringify({
            query: CAPTURE,
            variables: { input: { idempotencyKey: `${reference}-capture-${k}`, reference, amount: { value: CAPTURE_VALUE, currency: 'NOK' } } },
          }),
        });
        const text = await res.text();
        responseAt = wallMs();
        const body = JSON.parse(text) as { data?: { capturePayment?: { errors: unknown[] } }; errors?: unknown };
        if (body.errors || !body.data?.capturePayment || body.data.capturePayment.errors.length > 0) throw new Error(`capturePayment failed: ${text}`);
      }
      const got = await clients.call<Collected>('collect', { k, timeoutMs: 30_000 }, 60_000);
      await waitFor('the publish on the timing subscriber', async () => clock!.times.length >= k, 5_000);
      const publishedAt = clock.times[k - 1] as number;
      sample ??= got.sample;
      if (got.errors > errors) firstError ??= got.firstError;
      errors = got.errors;
      if (k === 1) continue; // warm-up
      missed += got.missing;
      for (const t of got.times) {
        if (t === null || !Number.isFinite(t)) continue;
        samples.push(t - publishedAt);
        if (responseAt !== null) fromResponse.push(t - responseAt);
      }
      if (responseAt !== null) responseAfter.push(responseAt - publishedAt);
      if (got.extra > 0) {
        duplicated += got.extra;
        firstError ??= `${got.extra} subscribers got more than one copy of round ${k}`;
      }
    }
    const cpu = await server.call<NodeJS.CpuUsage>('cpu');
    if (profileDir) ctx.progress(`subscription-fanout: CPU profile ${await server.call<string>('profile', { what: 'cpu', action: 'stop', dir: profileDir })}`);
    const serverCpuMs = cpuStart ? round((cpu.user - cpuStart.user + cpu.system - cpuStart.system) / 1000 / ROUNDS, 1) : Number.NaN;
    const n = Math.max(1, subscribed);
    const fr = fromResponse.length ? percentiles(fromResponse) : null;
    return {
      sample,
      run: {
        server: mode === 'raw' ? 'baseline ws' : 'graphql-ws API',
        subscribers: subscribed,
        requested: count,
        connectMs: opened.ms,
        latencyMs: percentiles(samples),
        fromResponseMs: fr ? { p50: fr.p50, p99: fr.p99 } : null,
        responseAfterPublishMs: responseAfter.length ? round(responseAfter.reduce((a, b) => a + b, 0) / responseAfter.length, 1) : null,
        perSubscriberBytes: {
          rss: Math.round((after.rss - before.rss) / n),
          heapAndExternal: Math.round((after.heapUsed + after.external - before.heapUsed - before.external) / n),
        },
        gcForced: after.gcForced,
        missed,
        duplicated,
        errors,
        firstError,
        serverCpuMs,
      },
    };
  } finally {
    clock?.close();
    publisher?.disconnect();
    await clients?.stop();
    await server.stop();
  }
}

export const subscriptionFanoutBench: Benchmark = {
  name: 'subscription-fanout',
  description: `one paymentUpdated(reference) followed by N graphql-ws subscribers (another process), one capture through GraphQL; time from publish to each copy, vs a plain ws broadcast`,
  async run(ctx: BenchContext): Promise<BenchmarkReport> {
    const limit = openFileLimit();
    const notes: string[] = [];
    notes.push(`load average at start of this benchmark: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    notes.push(`open file limit (ulimit -n, inherited by the children): soft ${limit?.soft ?? 'unknown'}, hard ${limit?.hard ?? 'unknown'}; each process holds one end of every socket (N + ~50 descriptors)`);
    const sizes = SIZES.map((n) => {
      if (!limit || n + 200 <= limit.soft) return n;
      const fit = Math.max(0, Math.floor((limit.soft - 200) / 100) * 100);
      notes.push(`ulimit -n ${limit.soft} is too low for ${n} subscribers; measured ${fit} instead (raise it with ulimit -n ${n + 1000})`);
      return fit;
    });

    const runs: FanoutRun[] = [];
    for (const n of sizes) {
      if (n === 0) continue;
      ctx.progress(`subscription-fanout: ${n} graphql-ws subscribers on the API`);
      const full = await runOne(ctx, 'graphql-ws', n, null);
      if (!full.sample) throw new Error('no subscriber received an update; nothing to replay to the baseline');
      ctx.progress(`subscription-fanout: ${n} raw ws clients on the baseline`);
      const baseline = await runOne(ctx, 'raw', n, full.sample);
      runs.push(baseline.run, full.run);
      if (n === sizes[0]) notes.push(`message each subscriber receives: ${Buffer.byteLength(full.sample)} bytes (the baseline sends the same text)`);
    }

    const rows = runs.map((r) => {
      const baseline = runs.find((b) => b.server === 'baseline ws' && b.requested === r.requested);
      const ratio = r.server === 'baseline ws' ? '1.000 (baseline)' : baseline && baseline.latencyMs.p99 > 0 ? (r.latencyMs.p99 / baseline.latencyMs.p99).toFixed(2) : '-';
      return [
        r.server,
        String(r.subscribers),
        fmt(r.latencyMs.p50),
        fmt(r.latencyMs.p99),
        fmt(r.latencyMs.max),
        ratio,
        r.fromResponseMs ? `${fmt(r.fromResponseMs.p50)} / ${fmt(r.fromResponseMs.p99)}` : '-',
        fmt(round(r.perSubscriberBytes.rss / 1024, 1)),
        fmt(round(r.perSubscriberBytes.heapAndExternal / 1024, 1)),
        fmt(r.serverCpuMs),
        `${r.missed} / ${r.duplicated}`,
      ];
    });

    const targets: Target[] = [];
    const largest = runs.filter((r) => r.server === 'graphql-ws API').at(-1);
    if (largest) {
      targets.push(target(`p99 publish → subscriber at ${largest.subscribers} subscribers`, largest.latencyMs.p99, '<=', TARGET_P99_MS, 'ms'));
      targets.push(target(`API process memory per subscriber at ${largest.subscribers} (RSS after − before, GC forced)`, round(largest.perSubscriberBytes.rss / 1024, 1), '<=', TARGET_KB_PER_SUBSCRIBER, 'KB'));
      targets.push(target(`API process JS heap + external per subscriber at ${largest.subscribers}`, round(largest.perSubscriberBytes.heapAndExternal / 1024, 1), '<=', TARGET_KB_PER_SUBSCRIBER, 'KB'));
    }
    targets.push(target('copies missed or duplicated, client errors (all runs)', runs.reduce((s, r) => s + r.missed + r.duplicated + r.errors, 0), '<=', 0));
    if (largest && largest.subscribers < SIZES[SIZES.length - 1]!) targets.push(target(`subscribers established (of ${SIZES[SIZES.length - 1]})`, largest.subscribers, '>=', SIZES[SIZES.length - 1]!));

    for (const r of runs) {
      if (r.firstError) notes.push(`${r.server} at ${r.requested}: first error: ${r.firstError}`);
      if (!r.gcForced) notes.push(`${r.server}: GC could not be forced; memory figures include garbage`);
    }
    for (const r of runs.filter((x) => x.server === 'graphql-ws API')) {
      notes.push(`${r.subscribers} subscribers: connected and subscribed in ${r.connectMs} ms (${BATCH} per batch); the capture mutation's response came ${fmt(r.responseAfterPublishMs ?? Number.NaN)} ms after the publish on average`);
    }
    notes.push(`latency = a subscriber's handler ran (client process) − Redis delivered the publish to an independent subscriber (this process), wall clock; ${ROUNDS} measured updates per run after one warm-up, every subscriber's copy counted`);
    notes.push('server CPU ms/update = CPU time of the server process per measured update (the API figure includes the capture itself: Vipps call, ledger, cache and registry writes)');

    return {
      name: this.name,
      description: this.description,
      measurements: [],
      table: {
        header: ['server', 'subscribers', 'p50 ms', 'p99 ms', 'max ms', 'p99 ÷ baseline p99', 'from response p50/p99 ms', 'KB/sub RSS', 'KB/sub heap+ext', 'server CPU ms/update', 'missed / dup'],
        rows,
      },
      figures: { runs, rounds: ROUNDS, batch: BATCH, openFileLimit: limit },
      targets,
      notes,
    };
  },
};
