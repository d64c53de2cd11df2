import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { loadavg } from 'node:os';
import type { Redis } from 'ioredis';
import { createServices } from '../src/app/services';
import { loadConfig, SIMULATOR_MERCHANT } from '../src/config/config';
import { createLogger } from '../src/log/logger';
import { paymentEvents } from '../src/merchant-events/change-events';
import type { MerchantEvent } from '../src/merchant-events/merchant-event';
import { signedMessage } from '../src/merchant-webhooks/webhook-message';
import type { PaymentRecord } from '../src/payments/payment-record';
import { workerRedis } from '../src/redis/client';
import { createVippsClient } from '../src/vipps/vipps-client';
import { round, target, type Benchmark, type BenchContext, type BenchmarkReport, type Target } from './benchmark';
import { forkRpc, wallMs, type RpcChild } from './ipc';
import { quantile } from './load';
import { fmt } from './report';
import { clearBenchRun } from './stack';

/**
 * Issue 14: outbound merchant webhooks under load. 10,000 payment changes of one merchant are
 * emitted as the stores emit them (`merchantEvents.emit`: the merchant's topic, then the webhook
 * sink, which claims each delivery and adds its BullMQ job) and delivered by the real worker
 * (`startWorkers` in a child process wired like `npm run start:worker`, merchant-webhook queue
 * concurrency 50) to a receiver in a third process, which verifies every signature with the
 * standardwebhooks library and notes when each event id first arrived. Three runs, one row each:
 *  - burst: all 10,000 emitted 64 at a time, as fast as the sink takes them: deliveries per
 *    second, and event → delivery latency including the backlog;
 *  - paced: 10,000 emitted at PACED_PER_SECOND: event → delivery latency without a backlog;
 *  - baseline: the same signed POSTs (same bodies and headers, signed at send time as the worker
 *    does) sent by a bare loop in this process with 50 in flight over a keep-alive agent, to the
 *    same receiver: what the HTTP exchanges alone cost.
 * Latency is from just before `emit` (or the baseline's request) to the receiver's first sight of
 * the event id, both on the wall clock of one machine.
 */
const EVENTS = 10_000;
const EMIT_CONCURRENCY = 64;
const PACED_PER_SECOND = 500;
const IN_FLIGHT = 50;
const DELIVERY_TIMEOUT_MS = 180_000;
const TARGET_PACED_P95_MS = 250;
const TARGET_BURST_RATIO = 0.25;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

interface RunResult {
  label: string;
  emittedPerSecond: number | null;
  deliveredPerSecond: number;
  latency: { p50: number; p95: number; max: number };
  undelivered: number;
  duplicates: number;
  invalid: number;
}

export const merchantWebhooksBench: Benchmark = {
  name: 'merchant-webhooks',
  description: `${EVENTS} payment changes of one merchant delivered as signed webhooks by the worker to a local receiver, against the same POSTs from a bare loop`,
  async run(ctx: BenchContext): Promise<BenchmarkReport> {
    const msn = SIMULATOR_MERCHANT.msn;
    const prefix = `bench:${randomBytes(3).toString('hex')}`;
    // Vipps is never called here: the events are made in this process, not read from Vipps.
    const unused = 'http://127.0.0.1:9';
    const config = loadConfig({ VIPPS_ENV: 'simulator', VIPPS_BASE_URL: unused, REDIS_URL: ctx.redisUrl, REDIS_PREFIX: prefix, LOG_LEVEL: 'silent' });
    const log = createLogger(config.logLevel);
    const redis = workerRedis(ctx.redisUrl);
    const subscriber = workerRedis(ctx.redisUrl);
    const services = createServices({ config, redis, subscriber, vipps: createVippsClient({ config, redis, log }), log });
    const notes: string[] = [`load average at start of this benchmark: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`];
    let receiver: RpcChild | undefined;
    let worker: RpcChild | undefined;
    try {
      receiver = await forkRpc('webhook-receiver-child');
      const { url } = await receiver.call<{ url: string }>('start');
      const { endpoint, secret } = await services.merchantWebhooks.register(msn, { url, types: ['PAYMENT_UPDATED'] });
      await receiver.call('verifyWith', { secret });
      // --profile DIR: a CPU profile of the worker process for the whole benchmark.
      const profileDir = ctx.settings.profileDir;
      worker = await forkRpc('poller-worker-child', profileDir ? { execArgv: ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] } : {});
      await worker.call('start', { redisUrl: ctx.redisUrl, prefix, simulatorUrl: unused });
      notes.push(`endpoint ${endpoint.id} registered for PAYMENT_UPDATED at the receiver's ${url}; worker process: startWorkers (merchant-webhook queue concurrency 50)`);

      const cpu = async () => ({ worker: await worker?.call<NodeJS.CpuUsage>('cpu'), receiver: await receiver?.call<NodeJS.CpuUsage>('cpu'), main: process.cpuUsage(), redis: await redisCpuSeconds(redis) });
      const cpuNote = (label: string, before: Awaited<ReturnType<typeof cpu>>, after: Awaited<ReturnType<typeof cpu>>, seconds: number) => {
        const busy = (a?: NodeJS.CpuUsage, b?: NodeJS.CpuUsage) => (a && b ? round((b.user + b.system - a.user - a.system) / 1e6 / seconds, 2) : Number.NaN);
        notes.push(`[${label}] CPU busy (cores): worker ${busy(before.worker, after.worker)}, receiver ${busy(before.receiver, after.receiver)}, this process ${busy(before.main, after.main)}, redis-server ${round((after.redis - before.redis) / seconds, 2)}`);
      };

      const runWorker = async (label: string, emit: (events: MerchantEvent[], emittedAt: Map<string, number>) => Promise<void>): Promise<RunResult> => {
        await receiver?.call('reset');
        const events = makeEvents(msn, EVENTS);
        const emittedAt = new Map<string, number>();
        ctx.progress(`merchant-webhooks: ${label}`);
        const cpu0 = await cpu();
        const t0 = wallMs();
        await emit(events, emittedAt);
        const emitSeconds = (wallMs() - t0) / 1000;
        const deadline = Date.now() + DELIVERY_TIMEOUT_MS;
        let counts = { requests: 0, distinct: 0, invalid: 0 };
        while (Date.now() < deadline) {
          counts = (await receiver?.call<typeof counts>('counts')) ?? counts;
          if (counts.distinct >= EVENTS) break;
          await sleep(100);
        }
        const arrivals = (await receiver?.call<Record<string, number>>('arrivals')) ?? {};
        const cpu1 = await cpu();
        const latencies: number[] = [];
        let last = t0;
        for (const e of events) {
          const at = arrivals[e.id];
          if (at === undefined) continue;
          latencies.push(at - (emittedAt.get(e.id) as number));
          last = Math.max(last, at);
        }
        const seconds = (last - t0) / 1000;
        cpuNote(label, cpu0, cpu1, seconds);
        return {
          label,
          emittedPerSecond: Math.round(EVENTS / emitSeconds),
          deliveredPerSecond: Math.round(latencies.length / seconds),
          latency: percentiles(latencies),
          undelivered: EVENTS - latencies.length,
          duplicates: counts.requests - counts.distinct,
          invalid: counts.invalid,
        };
      };

      const emitOne = async (event: MerchantEvent, emittedAt: Map<string, number>) => {
        emittedAt.set(event.id, wallMs());
        await services.merchantEvents.emit(event);
      };
      const burst = await runWorker(`worker, burst: ${EVENTS} emitted ${EMIT_CONCURRENCY} at a time`, async (events, emittedAt) => {
        let next = 0;
        await Promise.all(Array.from({ length: EMIT_CONCURRENCY }, async () => {
          while (next < events.length) await emitOne(events[next++] as MerchantEvent, emittedAt);
        }));
      });
      const paced = await runWorker(`worker, paced: ${EVENTS} emitted at ${PACED_PER_SECOND}/s`, async (events, emittedAt) => {
        const start = performance.now();
        const pending: Promise<void>[] = [];
        for (const [i, event] of events.entries()) {
          await sleep(start + (i * 1000) / PACED_PER_SECOND - performance.now());
          pending.push(emitOne(event, emittedAt));
        }
        await Promise.all(pending);
      });
      const baseline = await runBaseline(receiver, url, secret, msn, ctx);

      const ratio = (r: RunResult) => round(r.deliveredPerSecond / baseline.deliveredPerSecond, 3);
      const row = (r: RunResult, isBaseline = false) => [
        r.label,
        r.emittedPerSecond === null ? '-' : String(r.emittedPerSecond),
        String(r.deliveredPerSecond),
        isBaseline ? '1.000 (baseline)' : ratio(r).toFixed(3),
        fmt(r.latency.p50),
        fmt(r.latency.p95),
        fmt(r.latency.max),
        String(r.undelivered),
        String(r.duplicates),
        String(r.invalid),
      ];
      notes.push(
        `latency: from just before merchantEvents.emit (worker rows) or the POST (baseline) to the receiver's first sight of the event id; delivered/s: deliveries ÷ (last arrival − first emit); emitted/s: how fast emit (publish + claim + job add) took the events`,
      );
      notes.push(`every request's signature was verified by the receiver with the standardwebhooks library (bad signatures column)`);
      const targets: Target[] = [
        target(`[paced ${PACED_PER_SECOND}/s] p95 event → delivery`, paced.latency.p95, '<=', TARGET_PACED_P95_MS, 'ms'),
        target('[burst] deliveries per second ÷ the bare loop\'s', ratio(burst), '>=', TARGET_BURST_RATIO),
        target('undelivered, duplicate deliveries and bad signatures, all runs', [burst, paced, baseline].reduce((sum, r) => sum + r.undelivered + r.duplicates + r.invalid, 0), '<=', 0),
      ];
      return {
        name: this.name,
        description: this.description,
        measurements: [],
        table: {
          header: ['run', 'emitted/s', 'delivered/s', 'ratio vs baseline', 'p50 ms', 'p95 ms', 'max ms', 'undelivered', 'duplicates', 'bad signatures'],
          rows: [row(burst), row(paced), row(baseline, true)],
        },
        figures: { events: EVENTS, burst, paced, baseline },
        targets,
        notes,
      };
    } finally {
      ctx.progress('merchant-webhooks: stopping the worker and the receiver, cleaning up');
      await worker?.stop(30_000);
      await receiver?.stop(10_000);
      await clearBenchRun(services, redis, prefix);
      subscriber.disconnect();
      redis.disconnect();
    }
  },
};

/** The same POSTs from a plain loop: IN_FLIGHT at a time over one keep-alive agent, signed at send time. */
async function runBaseline(receiver: RpcChild, url: string, secret: string, msn: string, ctx: BenchContext): Promise<RunResult> {
  const label = `baseline: bare loop, ${IN_FLIGHT} POSTs in flight`;
  ctx.progress(`merchant-webhooks: ${label}`);
  await receiver.call('reset');
  const events = makeEvents(msn, EVENTS);
  const agent = new http.Agent({ keepAlive: true, maxSockets: IN_FLIGHT });
  const destination = new URL(url);
  const sentAt = new Map<string, number>();
  let failed = 0;
  const post = (event: MerchantEvent) =>
    new Promise<void>((resolve) => {
      const message = signedMessage(event, secret, new Date());
      sentAt.set(event.id, wallMs());
      const request = http.request(destination, { method: 'POST', agent, headers: { ...message.headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(message.body) } }, (response) => {
        response.resume();
        response.on('end', () => {
          if (response.statusCode !== 200) failed++;
          resolve();
        });
      });
      request.on('error', () => {
        failed++;
        resolve();
      });
      request.end(message.body);
    });
  const t0 = wallMs();
  let next = 0;
  await Promise.all(Array.from({ length: IN_FLIGHT }, async () => {
    while (next < events.length) await post(events[next++] as MerchantEvent);
  }));
  agent.destroy();
  const counts = await receiver.call<{ requests: number; distinct: number; invalid: number }>('counts');
  const arrivals = await receiver.call<Record<string, number>>('arrivals');
  const latencies: number[] = [];
  let last = t0;
  for (const e of events) {
    const at = arrivals[e.id];
    if (at === undefined) continue;
    latencies.push(at - (sentAt.get(e.id) as number));
    last = Math.max(last, at);
  }
  return {
    label,
    emittedPerSecond: null,
    deliveredPerSecond: Math.round(latencies.length / ((last - t0) / 1000)),
    latency: percentiles(latencies),
    undelivered: EVENTS - latencies.length + failed,
    duplicates: counts.requests - counts.distinct,
    invalid: counts.invalid,
  };
}

/** PAYMENT_UPDATED for `count` payments of one merchant, as the payment store's announcement makes them. */
function makeEvents(msn: string, count: number): MerchantEvent[] {
  const tag = randomBytes(3).toString('hex');
  const now = new Date().toISOString();
  return Array.from({ length: count }, (_, i) => {
    const record: PaymentRecord = {
      merchantSerialNumber: msn,
      reference: `bench-hook-${tag}-${String(i).padStart(5, '0')}`,
      pspReference: null,
      state: 'AUTHORIZED',
      amount: { value: 49_900, currency: 'NOK' },
      aggregate: { authorized: 49_900, captured: 0, refunded: 0, cancelled: 0 },
      redirectUrl: null,
      description: 'Merchant webhook benchmark payment',
      userFlow: 'WEB_REDIRECT',
      createdAt: now,
      updatedAt: now,
      authorizedAt: now,
      captureGuaranteedUntil: null,
    };
    return paymentEvents(record)[0] as MerchantEvent;
  });
}

function percentiles(samples: number[]): RunResult['latency'] {
  const sorted = Float64Array.from(samples).sort();
  return { p50: round(quantile(sorted, 0.5), 1), p95: round(quantile(sorted, 0.95), 1), max: round(quantile(sorted, 1), 1) };
}

async function redisCpuSeconds(redis: Redis): Promise<number> {
  const info = await redis.info('cpu');
  const value = (name: string) => Number(new RegExp(`^${name}:([0-9.]+)`, 'm').exec(info)?.[1] ?? Number.NaN);
  return value('used_cpu_user') + value('used_cpu_sys');
}
