import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import type { Redis } from 'ioredis';
import { createServices } from '../src/app/services';
import { loadConfig, SIMULATOR_MERCHANT } from '../src/config/config';
import { createLogger } from '../src/log/logger';
import { progressVersion } from '../src/payments/payment-version';
import type { PaymentRecord } from '../src/payments/payment-record';
import { POLL, QueueName } from '../src/queues/queues';
import { workerRedis } from '../src/redis/client';
import { redisKeys } from '../src/redis/keys';
import { startSimulator } from '../src/simulator/simulator-server';
import type { CreatePaymentRequest } from '../src/vipps/api-types';
import { createVippsClient } from '../src/vipps/vipps-client';
import { round, target, type Benchmark, type BenchContext, type BenchmarkReport, type Target } from './benchmark';
import { forkRpc, type RpcChild } from './ipc';
import { quantile } from './load';
import { fmt } from './report';
import { clearBenchRun } from './stack';
import { paymentTopic } from '../src/payments/payment-topic';

/**
 * Issue 5 (2): PENDING payments (CREATED in Vipps) followed by the real `poll-payment` workers
 * (`jobs/worker.ts` `startWorkers`, in a child process wired like `npm run start:worker`) against
 * the simulator (in this process, standing in for Vipps). Two runs, one table row each, each with
 * its own simulator, Redis prefix and worker process:
 *  - polling only: webhooks are dropped (`PUT /simulator/v1/faults {dropWebhooks:true}`) so only
 *    polling can notice a change;
 *  - webhooks on (how the product runs): an API process (`api-child.ts`, wired like
 *    `npm run start:api` with PUBLIC_URL pointing at it) registers its receiver
 *    (`POST /webhooks/vipps`, `ensureWebhooks`) with the simulator before seeding, the simulator
 *    delivers every event to it, and the worker's webhook-event jobs read the payment again; a
 *    change is detected by whichever of the poller and the webhook stores it first. The
 *    `created` webhooks of the seeding are drained before the warm-up.
 *
 * Seeding: each payment is created in the simulator over HTTP through the product's Vipps
 * client (bounded concurrency), then registered exactly as `PaymentService.create` does after
 * Vipps answered: `paymentStore.store` (cache + registry), then the `paymentChanged` hook's
 * steps (`live.publishOnce`, `jobs.pollPayment`: the deterministic poll job, first look after 5 s).
 *
 * Measured over a fixed window after a warm-up: (a) Vipps GET payment calls, per reference
 * (the most in any 60 s, docs/vipps.md §12 allows 120/min) and in total per second, counted from
 * every exchange the simulator answers (its request log, `GET /simulator/v1/requests`, keeps only
 * the last 10 000 requests: two seconds at this rate); (b) for a sample of payments approved
 * through the simulator's test approve endpoint, spread over the window, the time until the
 * poller stored AUTHORIZED, seen as the publish on the payment's live channel (published right
 * after the cache and registry writes).
 */
const PAYMENTS = 10_000;
const SEED_CONCURRENCY = 64;
const WARMUP_MS = 10_000;
const WINDOW_MS = 60_000;
const SAMPLE = 200;
/** Approvals are spread over this much of the window, so the last ones have time to be noticed inside it. */
const APPROVE_SPAN_MS = 50_000;
const GRACE_MS = 20_000;
const TARGET_P95_MS = 5_000;
const VIPPS_GET_LIMIT_PER_MINUTE = 120;

const SEED_TIMEOUT_MS = 180_000;
const GET_PAYMENT = /^\/epayment\/v1\/payments\/([^/]+)$/;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/** Most entries of ascending `times` within any `span` ms. */
function maxInSpan(times: number[], span: number): number {
  let best = 0;
  let start = 0;
  for (let end = 0; end < times.length; end++) {
    while ((times[end] as number) - (times[start] as number) >= span) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}

function stats(samples: number[], qs: number[]): number[] {
  const sorted = Float64Array.from(samples).sort();
  return qs.map((q) => quantile(sorted, q));
}

async function redisCpuSeconds(redis: Redis): Promise<number> {
  const info = await redis.info('cpu');
  const value = (name: string) => Number(new RegExp(`^${name}:([0-9.]+)`, 'm').exec(info)?.[1] ?? Number.NaN);
  return value('used_cpu_user') + value('used_cpu_sys');
}

/** Webhook deliveries the API's receiver answered, from its `/metrics` (vipps_graph_webhooks_total by status). */
function webhooksReceived(metrics: string): { accepted: number; refused: number } {
  const result = { accepted: 0, refused: 0 };
  for (const match of metrics.matchAll(/^vipps_graph_webhooks_total\{[^}]*status="(\d+)"[^}]*\} (\d+)$/gm)) {
    if (match[1] === '200') result.accepted += Number(match[2]);
    else result.refused += Number(match[2]);
  }
  return result;
}

async function pool<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await work(items[next++] as T);
    }),
  );
}

type Variant = 'polling' | 'webhooks';
const VARIANT_LABEL: Record<Variant, string> = {
  polling: 'polling only (webhooks dropped)',
  webhooks: 'webhooks on + polling (as the product runs)',
};
/** How long the `created` webhooks of the seeding may take to be received and applied. */
const WEBHOOK_DRAIN_TIMEOUT_MS = 180_000;

interface VariantResult {
  row: string[];
  figures: Record<string, unknown>;
  targets: Target[];
  notes: string[];
}

export const pollerLoadBench: Benchmark = {
  name: 'poller-load',
  description: `${PAYMENTS} CREATED payments followed by the poll-payment workers against the simulator: webhooks dropped (polling only), then webhooks delivered to the API's receiver (as the product runs)`,
  async run(ctx: BenchContext): Promise<BenchmarkReport> {
    const notes: string[] = [`load average at start of this benchmark: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`];
    const polling = await runVariant(ctx, 'polling');
    const webhooks = await runVariant(ctx, 'webhooks');
    notes.push(...polling.notes.map((n) => `[${VARIANT_LABEL.polling}] ${n}`));
    notes.push(...webhooks.notes.map((n) => `[${VARIANT_LABEL.webhooks}] ${n}`));
    return {
      name: this.name,
      description: this.description,
      measurements: [],
      table: {
        header: ['variant', 'workers', 'pending', 'GET/s', 'ratio vs cadence', 'max GET/60 s per ref', 'poll gap p50/p95 s', 'detect p50 ms', 'detect p95 ms', 'max ms', 'undetected'],
        rows: [polling.row, webhooks.row],
      },
      figures: { pollingOnly: polling.figures, webhooksOn: webhooks.figures },
      targets: [...polling.targets, ...webhooks.targets],
      notes,
    };
  },
};

async function runVariant(ctx: BenchContext, variant: Variant): Promise<VariantResult> {
  const label = VARIANT_LABEL[variant];
  // Diagnosis only: --poll-concurrency overrides startWorkers' pollConcurrency (default 50).
  const pollConcurrency = ctx.settings.pollConcurrency;
  const notes: string[] = [];
  const msn = SIMULATOR_MERCHANT.msn;
  const getTimes = new Map<string, number[]>();
  let vippsCalls = 0;
  let vippsFailures = 0;
  const sim = await startSimulator({
    merchants: [SIMULATOR_MERCHANT],
    host: '127.0.0.1',
    onExchange: (exchange) => {
      if (exchange.route.api === 'control') return;
      vippsCalls++;
      if (exchange.status >= 400) vippsFailures++;
      const match = exchange.method === 'GET' ? GET_PAYMENT.exec(exchange.path) : null;
      if (!match) return;
      const reference = decodeURIComponent(match[1] as string);
      let times = getTimes.get(reference);
      if (!times) getTimes.set(reference, (times = []));
      times.push(performance.now());
    },
  });
  const prefix = `bench:${randomBytes(3).toString('hex')}`;
  const config = loadConfig({ VIPPS_ENV: 'simulator', VIPPS_BASE_URL: sim.url, REDIS_URL: ctx.redisUrl, REDIS_PREFIX: prefix, LOG_LEVEL: 'silent' });
  const log = createLogger(config.logLevel);
  const redis = workerRedis(ctx.redisUrl);
  const subscriber = workerRedis(ctx.redisUrl);
  const detector = workerRedis(ctx.redisUrl);
  const vipps = createVippsClient({ config, redis, log });
  const services = createServices({ config, redis, subscriber, vipps, log });
  let worker: RpcChild | undefined;
  let api: RpcChild | undefined;
  let apiMetricsUrl = '';
  try {
    ctx.progress(`poller-load [${label}]: starting`);
    const faults = await fetch(`${sim.url}/simulator/v1/faults`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ dropWebhooks: variant === 'polling' }),
    });
    if (!faults.ok) throw new Error(`PUT /simulator/v1/faults answered ${faults.status}`);

    ctx.progress('poller-load: starting the worker process (startWorkers)');
    worker = await forkRpc('poller-worker-child');
    await worker.call('start', { redisUrl: ctx.redisUrl, prefix, simulatorUrl: sim.url, ...(pollConcurrency ? { pollConcurrency } : {}) });
    if (variant === 'webhooks') {
      ctx.progress('poller-load: starting the API process (startApiServer + ensureWebhooks with the simulator)');
      api = await forkRpc('api-child');
      const started = await api.call<{ url: string; metricsUrl: string; webhookUrl: string }>('start', { redisUrl: ctx.redisUrl, prefix, simulatorUrl: sim.url, webhooks: true });
      apiMetricsUrl = started.metricsUrl;
      notes.push(`API process (startApiServer, PUBLIC_URL ${started.url}) registered ${started.webhookUrl} with the simulator (ensureWebhooks) before seeding; the simulator delivered every event to it`);
    }

    const tag = randomBytes(3).toString('hex');
    const references = Array.from({ length: PAYMENTS }, (_, i) => `bench-poll-${tag}-${String(i).padStart(5, '0')}`);
    const sampled = Array.from({ length: SAMPLE }, (_, j) => references[Math.floor(((j + 0.5) * PAYMENTS) / SAMPLE)] as string);
    const detectedAt = new Map<string, number>();
    const keys = redisKeys(prefix);
    const byChannel = new Map(sampled.map((reference) => [keys.liveChannel(paymentTopic(msn, reference)), reference]));
    detector.on('message', (channel: string, message: string) => {
      const reference = byChannel.get(channel);
      if (!reference || detectedAt.has(reference)) return;
      if ((JSON.parse(message) as PaymentRecord).state === 'AUTHORIZED') detectedAt.set(reference, performance.now());
    });
    await detector.subscribe(...byChannel.keys());

    ctx.progress(`poller-load: seeding ${PAYMENTS} payments (simulator create over HTTP, then store + publishOnce + pollPayment, ${SEED_CONCURRENCY} at a time)`);
    const seedStart = performance.now();
    const seedDeadline = seedStart + SEED_TIMEOUT_MS;
    await pool(references, SEED_CONCURRENCY, async (reference) => {
      if (performance.now() > seedDeadline) throw new Error(`seeding took longer than ${SEED_TIMEOUT_MS / 1000} s`);
      const body: CreatePaymentRequest = {
        amount: { value: 49_900, currency: 'NOK' },
        paymentMethod: { type: 'WALLET' },
        reference,
        userFlow: 'WEB_REDIRECT',
        customerInteraction: 'CUSTOMER_NOT_PRESENT',
        returnUrl: 'https://shop.example/back',
        paymentDescription: 'Poller benchmark payment',
      };
      const created = await vipps.epayment.createPayment(msn, body, `${reference}-create`);
      const now = new Date().toISOString();
      const record: PaymentRecord = {
        merchantSerialNumber: msn,
        reference,
        pspReference: null,
        state: 'CREATED',
        amount: { value: 49_900, currency: 'NOK' },
        aggregate: { authorized: 0, captured: 0, refunded: 0, cancelled: 0 },
        redirectUrl: created.redirectUrl ?? null,
        description: 'Poller benchmark payment',
        userFlow: 'WEB_REDIRECT',
        createdAt: now,
        updatedAt: now,
        authorizedAt: null,
        captureGuaranteedUntil: null,
      };
      await services.paymentStore.store(record);
      await services.live.publishOnce(paymentTopic(msn, reference), progressVersion(record), record);
      await services.jobs.pollPayment(record);
    });
    const seedSeconds = (performance.now() - seedStart) / 1000;
    if (variant === 'webhooks') {
      // The seeding's `created` webhooks (one per payment) each become a webhook-event job (a GET
      // and an unchanged store); let them be delivered and applied before the warm-up, so the
      // window measures steady state, as for the polling-only row.
      const drainStart = performance.now();
      const queue = services.jobs.queue(QueueName.WebhookEvent);
      let lastProgress = drainStart;
      let received = { accepted: 0, refused: 0 };
      let outstanding = 0;
      for (;;) {
        const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
        outstanding = Object.values(counts).reduce((a, b) => a + b, 0);
        received = webhooksReceived(await (await fetch(apiMetricsUrl)).text());
        if (outstanding === 0 && received.accepted + received.refused >= PAYMENTS) break;
        if (performance.now() - drainStart > WEBHOOK_DRAIN_TIMEOUT_MS) {
          notes.push(`the seeding's created webhooks were not all received and applied within ${WEBHOOK_DRAIN_TIMEOUT_MS / 1000} s; measuring anyway`);
          break;
        }
        if (performance.now() - lastProgress > 10_000) {
          lastProgress = performance.now();
          ctx.progress(`poller-load: draining created webhooks: ${received.accepted} received, ${outstanding} webhook-event jobs queued`);
        }
        await sleep(250);
      }
      const failedJobs = await queue.getFailedCount();
      notes.push(
        `the seeding's created webhooks: ${received.accepted} accepted by the receiver (${received.refused} refused), their webhook-event jobs applied (${failedJobs} failed, ${outstanding} left) ${((performance.now() - drainStart) / 1000).toFixed(1)} s after the seeding ended, before the warm-up`,
      );
    }
    ctx.progress(`poller-load: seeded in ${seedSeconds.toFixed(1)} s; warm-up ${WARMUP_MS / 1000} s`);
    await sleep(WARMUP_MS);

    ctx.progress(`poller-load: measuring ${WINDOW_MS / 1000} s, approving ${SAMPLE} sampled payments over the first ${APPROVE_SPAN_MS / 1000} s`);
    const workerCpu0 = await worker.call<NodeJS.CpuUsage>('cpu');
    const apiCpu0 = api ? await api.call<NodeJS.CpuUsage>('cpu') : undefined;
    const mainCpu0 = process.cpuUsage();
    const redisCpu0 = await redisCpuSeconds(redis);
    const calls0 = vippsCalls;
    const failures0 = vippsFailures;
    const t0 = performance.now();
    const approvedAt = new Map<string, number>();
    let approveFailures = 0;
    let lastProgress = t0;
    for (let j = 0; j < SAMPLE; j++) {
      await sleep(t0 + (j * APPROVE_SPAN_MS) / SAMPLE - performance.now());
      const reference = sampled[j] as string;
      const at = performance.now();
      try {
        await vipps.epayment.forceApprovePayment(msn, reference, { customer: { phoneNumber: '4791234567' } });
        approvedAt.set(reference, at);
      } catch {
        approveFailures++;
      }
      if (performance.now() - lastProgress > 10_000) {
        lastProgress = performance.now();
        ctx.progress(`poller-load: ${Math.round((lastProgress - t0) / 1000)} s, ${Math.round((vippsCalls - calls0) / ((lastProgress - t0) / 1000))} Vipps calls/s, ${detectedAt.size}/${approvedAt.size} approvals noticed`);
      }
    }
    await sleep(t0 + WINDOW_MS - performance.now());
    const t1 = performance.now();
    const windowSeconds = (t1 - t0) / 1000;
    const calls = vippsCalls - calls0;
    const failures = vippsFailures - failures0;
    const workerCpu = await worker.call<NodeJS.CpuUsage>('cpu');
    const apiCpu = api ? await api.call<NodeJS.CpuUsage>('cpu') : undefined;
    const mainCpu = process.cpuUsage(mainCpu0);
    const redisCpu = (await redisCpuSeconds(redis)) - redisCpu0;
    const graceEnd = performance.now() + GRACE_MS;
    while ([...approvedAt.keys()].some((r) => !detectedAt.has(r)) && performance.now() < graceEnd) await sleep(100);
    const webhooks = variant === 'webhooks' ? webhooksReceived(await (await fetch(apiMetricsUrl)).text()) : null;

    // (a) Vipps calls.
    let getsInWindow = 0;
    let maxPerMinute = 0;
    let maxPerMinuteRef = '';
    let followed = 0;
    const gaps: number[] = [];
    for (const [reference, times] of getTimes) {
      const most = maxInSpan(times, 60_000);
      if (most > maxPerMinute) {
        maxPerMinute = most;
        maxPerMinuteRef = reference;
      }
      let previous: number | null = null;
      let inWindow = 0;
      for (const t of times) {
        if (t < t0 || t > t1) continue;
        inWindow++;
        if (previous !== null) gaps.push(t - previous);
        previous = t;
      }
      getsInWindow += inWindow;
      if (inWindow > 0) followed++;
    }
    const getsPerSecond = getsInWindow / windowSeconds;
    const pending = PAYMENTS - approvedAt.size / 2; // on average over the window
    const cadencePerSecond = pending / (POLL.intervalMs / 1000);
    const [gapP50, gapP95, gapMax] = stats(gaps, [0.5, 0.95, 1]).map((v) => round(v / 1000, 2)) as [number, number, number];

    // (b) Approval → stored AUTHORIZED.
    const latencies: number[] = [];
    for (const [reference, at] of approvedAt) {
      const seen = detectedAt.get(reference);
      if (seen !== undefined) latencies.push(seen - at);
    }
    const undetected = approvedAt.size - latencies.length;
    const [p50, p95, pMax] = stats(latencies, [0.5, 0.95, 1]).map((v) => round(v, 0)) as [number, number, number];
    const cpuSeconds = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1e6;
    const workerBusy = round((cpuSeconds(workerCpu) - cpuSeconds(workerCpu0)) / windowSeconds, 2);
    const mainBusy = round(cpuSeconds(mainCpu) / windowSeconds, 2);
    const redisBusy = round(redisCpu / windowSeconds, 2);
    const apiBusy = apiCpu && apiCpu0 ? round((cpuSeconds(apiCpu) - cpuSeconds(apiCpu0)) / windowSeconds, 2) : null;
    let webhookOutcomes = '';
    if (variant === 'webhooks') {
      // The simulator's delivery log keeps the last 1 000 attempts: the window's approvals are among them.
      const log = (await (await fetch(`${sim.url}/simulator/v1/webhook-deliveries`)).json()) as { deliveries: { event: string; outcome: string; attempt: number }[] };
      const authorized = log.deliveries.filter((d) => d.event === 'epayments.payment.authorized.v1');
      const count = (outcome: string) => authorized.filter((d) => d.outcome === outcome).length;
      webhookOutcomes = `authorized webhooks in the simulator's delivery log: ${count('delivered')} delivered, ${count('retrying')} retrying, ${count('failed')} failed, ${authorized.filter((d) => d.attempt > 1).length} attempts after the first`;
    }

    notes.push(`seeded ${PAYMENTS} payments in ${seedSeconds.toFixed(1)} s (${Math.round(PAYMENTS / seedSeconds)}/s): simulator create over HTTP with the product's Vipps client, then paymentStore.store + live.publishOnce + jobs.pollPayment as PaymentService.create does; ${WARMUP_MS / 1000} s warm-up before the ${round(windowSeconds, 1)} s window`);
    notes.push(`the cadence (first look after ${POLL.firstDelayMs / 1000} s, then every ${POLL.intervalMs / 1000} s) asks for ${Math.round(cadencePerSecond)} GET/s for ~${Math.round(pending)} pending payments; the workers made ${Math.round(getsPerSecond)}/s (ratio column), ${followed} payments looked at in the window`);
    notes.push(`time between two looks at one payment in the window: p50 ${gapP50} s, p95 ${gapP95} s, max ${gapMax} s (cadence: ${POLL.intervalMs / 1000} s)`);
    notes.push(`busiest reference: ${maxPerMinute} GET payment calls in one 60 s span (${maxPerMinuteRef}), whole run; Vipps allows ${VIPPS_GET_LIMIT_PER_MINUTE}/min per reference`);
    notes.push(`all Vipps calls in the window: ${Math.round(calls / windowSeconds)}/s (token calls included), ${failures} answered ≥ 400; approvals that failed: ${approveFailures}`);
    notes.push(`CPU busy during the window (cores): worker process ${workerBusy}, ${apiBusy !== null ? `API process ${apiBusy}, ` : ''}this process (simulator + orchestration) ${mainBusy}, redis-server ${Number.isFinite(redisBusy) ? redisBusy : 'n/a'}; on ${loadavg()[0]?.toFixed(2)} load average at the end`);
    notes.push(
      `approval → stored: approval sent (test approve endpoint) until the publish on the payment's live channel, which follows the cache and registry writes (${variant === 'polling' ? "the poller's" : "the poller's or the webhook-event job's, whichever stored AUTHORIZED first"}); ${approvedAt.size} approvals over ${APPROVE_SPAN_MS / 1000} s, up to ${GRACE_MS / 1000} s grace after the window`,
    );
    if (webhookOutcomes) notes.push(webhookOutcomes);
    if (webhooks) notes.push(`webhook deliveries answered by the API's receiver over the whole run: ${webhooks.accepted} accepted, ${webhooks.refused} refused`);
    if (variant === 'webhooks') notes.push('GET/s counts every GET payment call in the window: the pollers\' and the webhook-event jobs\'');

    const row = [
      label,
      `poll-payment workers (1 process, concurrency ${pollConcurrency ?? '50, the default'})`,
      String(PAYMENTS),
      String(Math.round(getsPerSecond)),
      (getsPerSecond / cadencePerSecond).toFixed(3),
      String(maxPerMinute),
      `${fmt(gapP50)} / ${fmt(gapP95)}`,
      fmt(p50),
      fmt(p95),
      fmt(pMax),
      String(undetected),
    ];
    return {
      row,
      figures: {
        payments: PAYMENTS,
        seedSeconds: round(seedSeconds, 2),
        windowSeconds: round(windowSeconds, 2),
        getPaymentPerSecond: round(getsPerSecond, 1),
        cadencePerSecond: round(cadencePerSecond, 1),
        vippsCallsPerSecond: round(calls / windowSeconds, 1),
        vippsFailures: failures,
        maxGetPerReferenceIn60s: maxPerMinute,
        pollGapSeconds: { p50: gapP50, p95: gapP95, max: gapMax },
        detectionMs: { p50, p95, max: pMax, samples: latencies.length, undetected },
        cpuCores: { worker: workerBusy, ...(apiBusy !== null ? { api: apiBusy } : {}), simulatorAndOrchestrator: mainBusy, redis: redisBusy },
      },
      targets: [
        target(`[${label}] max GET payment calls per reference in any 60 s (Vipps: ${VIPPS_GET_LIMIT_PER_MINUTE}/min)`, maxPerMinute, '<=', VIPPS_GET_LIMIT_PER_MINUTE),
        target(`[${label}] p95 approval → AUTHORIZED stored, ${PAYMENTS} pending`, p95, '<=', TARGET_P95_MS, 'ms'),
        target(
          `[${label}] approvals not noticed within the window + grace, failed approvals, Vipps calls answered ≥ 400${webhooks ? ', webhook deliveries the receiver refused (whole run)' : ''}`,
          undetected + approveFailures + failures + (webhooks?.refused ?? 0),
          '<=',
          0,
        ),
      ],
      notes,
    };
  } finally {
    ctx.progress('poller-load: stopping the worker and cleaning up');
    await api?.stop(30_000);
    await worker?.stop(30_000);
    await clearBenchRun(services, redis, prefix);
    detector.disconnect();
    subscriber.disconnect();
    redis.disconnect();
    await sim.close();
  }
}
