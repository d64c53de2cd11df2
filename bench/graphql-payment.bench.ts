import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { DEV_API_KEY, SIMULATOR_MERCHANT } from '../src/config/config';
import { redisKeys } from '../src/redis/keys';
import { startSimulator } from '../src/simulator/simulator-server';
import { startApolloFloorServer, startBaselineServer } from './baseline';
import { round, target, withRatios, type Benchmark, type BenchContext, type BenchmarkReport } from './benchmark';
import { runLoad, type LoadOptions, type LoadResult } from './load';
import { forkRpc, type RpcChild } from './ipc';
import { otherNode } from './other-node';
import { startOtlpReceiver } from './otlp-receiver';
import { deleteKeys, graphqlClient, vippsCallCount } from './stack';

/**
 * Issue 3: a cached `payment(reference)` query through the full stack (HTTP → Apollo → auth →
 * DataLoader → Redis MGET → JSON → response) against a plain Node `http` server answering the
 * same cached JSON from Redis (one GET). The payment is created and cancelled first, so it is
 * TERMINATED: a final state, cached for 24 h, which no request during the run can expire or change.
 *
 * A third server shows how much of the gap is Apollo Server itself: Apollo with the API's HTTP
 * glue and a one-field schema resolving the same Redis GET (apollo-floor-server.ts).
 *
 * The same API is then measured with tracing on (OTLP/HTTP to a local receiver that counts what it
 * gets) and on the machine's other Node (the first `node` on PATH other than this one, Node 20 on
 * the project's machines), each in a fresh API process against the same cached payment.
 */
const REFERENCE = 'bench-payment-0001';
const TARGET_RATIO = 0.4;
const TARGET_P99_MS = 25;
const TARGET_FLOOR_RATIO = 0.85;
/** Tracing may cost at most 10 % of cached-lookup throughput. */
const TARGET_TRACING_RATIO = 0.9;

const CREATE = `mutation($input: CreatePaymentInput!) {
  createPayment(input: $input) { payment { reference state } errors { code message } }
}`;
const CANCEL = `mutation($input: CancelPaymentInput!) {
  cancelPayment(input: $input) { payment { state } errors { code message } }
}`;
/** The Apollo floor's query: one String field, the cached record as it is in Redis. */
const FLOOR_QUERY = 'query Payment($reference: String!) { payment(reference: $reference) }';
/** What a client polling a payment asks for: the whole Payment, nested money included. */
export const PAYMENT_QUERY = `query Payment($reference: String!) {
  payment(reference: $reference) {
    id merchantSerialNumber reference pspReference state
    amount { value currency }
    aggregate { authorized { value currency } captured { value currency } refunded { value currency } cancelled { value currency } }
    capturable { value currency } refundable { value currency }
    availableActions captureDeadline redirectUrl userFlow description createdAt updatedAt
  }
}`;

function failures(result: LoadResult): number {
  const f = result.failures;
  return f.non2xx + f.mismatches + f.errors + f.timeouts;
}

export const graphqlPaymentBench: Benchmark = {
  name: 'graphql-payment',
  description: 'cached payment(reference) through the full stack vs a plain http server answering the same Redis value',
  async run(ctx: BenchContext): Promise<BenchmarkReport> {
    const { settings } = ctx;
    ctx.progress('graphql-payment: starting the simulator here and the API in a process of its own');
    const sim = await startSimulator({ merchants: [SIMULATOR_MERCHANT], host: '127.0.0.1' });
    const prefix = `bench:${randomBytes(3).toString('hex')}`;
    const redis = new Redis(ctx.redisUrl);
    let api: RpcChild | undefined;
    try {
      api = await forkRpc('api-child');
      // The rate limiter runs on every request (its cost is measured) but must not refuse: at the
      // default 1,200 a minute the run would measure 429s after the first second.
      const env = { RATE_LIMIT_PER_MINUTE: '100000000' };
      const { url } = await api.call<{ url: string }>('start', { redisUrl: ctx.redisUrl, prefix, simulatorUrl: sim.url, env });
      const authorization = `Bearer ${DEV_API_KEY}`;
      const gql = graphqlClient(`${url}/graphql`, authorization);
      const created = await gql<{ createPayment: { errors: unknown[] } }>(CREATE, {
        input: {
          idempotencyKey: 'bench-create-1',
          reference: REFERENCE,
          amount: { value: 49_900, currency: 'NOK' },
          userFlow: 'WEB_REDIRECT',
          returnUrl: 'https://shop.example/back',
          description: 'Benchmark payment',
        },
      });
      if (created.errors || created.data.createPayment.errors.length > 0) throw new Error(`createPayment failed: ${created.text}`);
      const cancelled = await gql<{ cancelPayment: { payment: { state: string } | null } }>(CANCEL, {
        input: { idempotencyKey: 'bench-cancel-1', reference: REFERENCE },
      });
      if (cancelled.data?.cancelPayment.payment?.state !== 'TERMINATED') throw new Error(`cancelPayment did not terminate the payment: ${cancelled.text}`);

      // Read once: this response is what every request of the run must get back.
      const read = await gql<{ payment: { state: string } | null }>(PAYMENT_QUERY, { reference: REFERENCE });
      if (read.status !== 200 || read.errors || read.data.payment?.state !== 'TERMINATED') throw new Error(`payment query failed: ${read.text}`);
      const cacheKey = redisKeys(prefix).paymentCache(SIMULATOR_MERCHANT.msn, REFERENCE);
      const ttl = await redis.ttl(cacheKey);
      const minTtl = settings.warmupSeconds * 2 + settings.durationSeconds * 2 + 300;
      if (ttl < minTtl) throw new Error(`cache key ${cacheKey} has TTL ${ttl} s; expected the final-state TTL (24 h)`);
      const cachedJson = (await redis.get(cacheKey)) as string;

      const body = JSON.stringify({ query: PAYMENT_QUERY, variables: { reference: REFERENCE } });
      const request: Omit<LoadOptions, 'url' | 'expectBody'> = {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization },
        body,
        connections: settings.connections,
        warmupSeconds: settings.warmupSeconds,
        durationSeconds: settings.durationSeconds,
      };

      ctx.progress('graphql-payment: baseline (plain http + Redis GET, own process)');
      const baselineServer = await startBaselineServer(ctx.redisUrl, cacheKey);
      let baseline;
      try {
        baseline = await runLoad({ ...request, url: baselineServer.url, expectBody: cachedJson });
      } finally {
        await baselineServer.stop();
      }

      ctx.progress('graphql-payment: Apollo floor (Apollo Server + one-field schema + Redis GET, own process)');
      const floorServer = await startApolloFloorServer(ctx.redisUrl, cacheKey);
      let floor;
      try {
        const floorBody = JSON.stringify({ query: FLOOR_QUERY, variables: { reference: REFERENCE } });
        const floorUrl = `${floorServer.url}/graphql`;
        const probe = await fetch(floorUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: floorBody });
        const floorText = await probe.text();
        if (!probe.ok || (JSON.parse(floorText) as { data?: { payment?: string } }).data?.payment !== cachedJson) {
          throw new Error(`Apollo floor server answered ${probe.status}: ${floorText.slice(0, 200)}`);
        }
        floor = await runLoad({ ...request, url: floorUrl, headers: { 'content-type': 'application/json' }, body: floorBody, expectBody: floorText });
      } finally {
        await floorServer.stop();
      }

      const startApi = async (options: { execPath?: string; execArgv?: string[]; env?: Record<string, string> } = {}) => {
        const child = await forkRpc('api-child', { execPath: options.execPath, execArgv: options.execArgv });
        const started = await child.call<{ url: string }>('start', { redisUrl: ctx.redisUrl, prefix, simulatorUrl: sim.url, env: { ...env, ...options.env } });
        return { child, url: started.url };
      };
      const measure = (target: { child: RpcChild; url: string }) => measureFullStack({ ...request, url: `${target.url}/graphql`, expectBody: read.text }, target.child);

      // Every variant runs in a fresh API process, as the one that created the payment is not.
      await api.stop();
      api = undefined;
      ctx.progress(`graphql-payment: full stack (POST /graphql, Node ${process.versions.node})`);
      const vippsBefore = vippsCallCount(sim);
      // --profile DIR: this (tracing-off) API process writes a CPU profile there when it stops.
      const plainApi = await startApi(settings.profileDir ? { execArgv: ['--cpu-prof', `--cpu-prof-dir=${settings.profileDir}`] } : {});
      let full;
      try {
        full = await measure(plainApi);
      } finally {
        await plainApi.child.stop();
      }
      const vippsDuring = vippsCallCount(sim) - vippsBefore;

      const older = otherNode();
      let onOlder: FullStackRun | undefined;
      if (older) {
        ctx.progress(`graphql-payment: full stack on Node ${older.version} (${older.path})`);
        const olderApi = await startApi({ execPath: older.path });
        try {
          onOlder = await measure(olderApi);
        } finally {
          await olderApi.child.stop();
        }
      } else ctx.progress('graphql-payment: no other Node on PATH; skipping the runtime comparison');

      ctx.progress('graphql-payment: full stack with tracing on, exporting to a local OTLP receiver');
      const receiver = await startOtlpReceiver();
      let traced;
      try {
        const tracedApi = await startApi({ env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint } });
        try {
          traced = await measure(tracedApi);
        } finally {
          await tracedApi.child.stop();
        }
      } finally {
        await receiver.close();
      }
      const exported = receiver.received();
      if (exported.requests === 0) throw new Error('tracing on: the OTLP receiver got no export');

      const measurements = withRatios([
        { name: 'baseline: node http + ioredis GET', baseline: true, result: baseline },
        { name: 'Apollo floor: one-field schema + GET', baseline: false, result: floor },
        { name: `full stack: POST /graphql payment (Node ${process.versions.node})`, baseline: false, result: full.result },
        { name: 'full stack, tracing on (OTLP to a local receiver)', baseline: false, result: traced.result },
        ...(onOlder && older ? [{ name: `full stack on Node ${older.version.replace(/^v/, '')}`, baseline: false, result: onOlder.result }] : []),
      ]);
      const ratio = measurements[2]?.ratio ?? Number.NaN;
      const floorRatio = round(full.result.requestsPerSecond / floor.requestsPerSecond, 3);
      // The API is CPU-bound on cached reads, so the throughput one core gives is 1 / CPU per request:
      // off ÷ on compares what tracing costs with less noise than req/s from two separate runs.
      const tracingRatio = round(full.cpuPerRequestUs / traced.cpuPerRequestUs, 3);
      return {
        name: this.name,
        description: this.description,
        measurements,
        targets: [
          target(`full stack req/s ÷ baseline req/s at ${settings.connections} connections`, ratio, '>=', TARGET_RATIO),
          target(`full stack p99 latency at ${settings.connections} connections`, full.result.latencyMs.p99, '<=', TARGET_P99_MS, 'ms'),
          target('full stack req/s ÷ Apollo floor req/s (what our code costs on top of Apollo Server)', floorRatio, '>=', TARGET_FLOOR_RATIO),
          target('throughput per CPU with tracing on ÷ off (API CPU µs per request, off ÷ on; cached lookups)', tracingRatio, '>=', TARGET_TRACING_RATIO),
          target('failed or wrong responses (non-2xx, body mismatch, error, timeout), all servers', [baseline, floor, full.result, traced.result, ...(onOlder ? [onOlder.result] : [])].reduce((n, r) => n + failures(r), 0), '<=', 0),
        ],
        notes: [
          `response bytes: baseline ${Buffer.byteLength(cachedJson)} (the cached PaymentRecord), full stack ${Buffer.byteLength(read.text)} (the GraphQL response); every response was checked against these bodies`,
          `API process (its own, only the API in it, as npm run start:api) CPU per request: ${full.cpuPerRequestUs} µs (${full.cpuBusy} cores busy); tracing on ${traced.cpuPerRequestUs} µs${onOlder && older ? `; on Node ${older.version} ${onOlder.cpuPerRequestUs} µs` : ''}`,
          `tracing on: ${exported.requests} OTLP export requests, ${round(exported.bytes / 1024, 1)} KiB received; req/s on ÷ off ${round(traced.result.requestsPerSecond / full.result.requestsPerSecond, 3)}`,
          onOlder && older
            ? `Node ${process.versions.node} ÷ Node ${older.version.replace(/^v/, '')} req/s: ${round(full.result.requestsPerSecond / onOlder.result.requestsPerSecond, 3)}`
            : 'no other Node on PATH for the runtime comparison',
          `Vipps (simulator) calls during the full-stack run: ${vippsDuring} (every read was a cache hit)`,
          `baseline p50/p99 ${baseline.latencyMs.p50}/${baseline.latencyMs.p99} ms, full stack mean ${full.result.latencyMs.mean} ms, ${round(full.result.requests / 1000, 1)}k requests measured`,
        ],
      };
    } finally {
      await api?.stop();
      await deleteKeys(redis, `${prefix}:`).catch(() => 0);
      redis.disconnect();
      await sim.close();
    }
  },
};

interface FullStackRun {
  result: LoadResult;
  cpuPerRequestUs: number;
  cpuBusy: number;
}

/**
 * One load run against an API child, with that process's CPU time over the measured part: a
 * per-request cost that other load on the machine disturbs less than req/s does.
 */
async function measureFullStack(options: LoadOptions, api: RpcChild): Promise<FullStackRun> {
  let cpuStart: Promise<NodeJS.CpuUsage> | undefined;
  let cpuEnd: Promise<NodeJS.CpuUsage> | undefined;
  const result = await runLoad(options, { onMeasuring: () => (cpuStart = api.call('cpu')), onMeasured: () => (cpuEnd = api.call('cpu')) });
  const [before, after] = cpuStart && cpuEnd ? await Promise.all([cpuStart, cpuEnd]) : [];
  const cpuUs = before && after ? after.user - before.user + (after.system - before.system) : Number.NaN;
  return {
    result,
    cpuPerRequestUs: result.requests > 0 ? Math.round(cpuUs / result.requests) : Number.NaN,
    cpuBusy: round(cpuUs / 1e6 / result.durationSeconds, 2),
  };
}
