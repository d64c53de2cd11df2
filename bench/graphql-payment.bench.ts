import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { DEV_API_KEY, SIMULATOR_MERCHANT } from '../src/config/config';
import { redisKeys } from '../src/redis/keys';
import { startSimulator } from '../src/simulator/simulator-server';
import { startApolloFloorServer, startBaselineServer } from './baseline';
import { round, target, withRatios, type Benchmark, type BenchContext, type BenchmarkReport } from './benchmark';
import { runLoad, type LoadOptions, type LoadResult } from './load';
import { forkRpc, type RpcChild } from './ipc';
import { deleteKeys, graphqlClient, vippsCallCount } from './stack';

/**
 * Issue 3: a cached `payment(reference)` query through the full stack (HTTP → Apollo → auth →
 * DataLoader → Redis MGET → JSON → response) against a plain Node `http` server answering the
 * same cached JSON from Redis (one GET). The payment is created and cancelled first, so it is
 * TERMINATED: a final state, cached for 24 h, which no request during the run can expire or change.
 *
 * A third server shows how much of the gap is Apollo Server itself: Apollo with the API's HTTP
 * glue and a one-field schema resolving the same Redis GET (apollo-floor-server.ts).
 */
const REFERENCE = 'bench-payment-0001';
const TARGET_RATIO = 0.4;
const TARGET_P99_MS = 25;

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

      ctx.progress('graphql-payment: full stack (POST /graphql)');
      const vippsBefore = vippsCallCount(sim);
      // CPU time of the API process over the measured run: a per-request cost that other load on
      // the machine disturbs less than req/s does.
      const apiProcess = api;
      let cpuStart: Promise<NodeJS.CpuUsage> | undefined;
      let cpuEnd: Promise<NodeJS.CpuUsage> | undefined;
      const full = await runLoad(
        { ...request, url: `${url}/graphql`, expectBody: read.text },
        { onMeasuring: () => (cpuStart = apiProcess.call('cpu')), onMeasured: () => (cpuEnd = apiProcess.call('cpu')) },
      );
      const vippsDuring = vippsCallCount(sim) - vippsBefore;
      const [before, after] = cpuStart && cpuEnd ? await Promise.all([cpuStart, cpuEnd]) : [];
      const cpuUs = before && after ? after.user - before.user + (after.system - before.system) : Number.NaN;
      const cpuPerRequestUs = full.requests > 0 ? Math.round(cpuUs / full.requests) : Number.NaN;
      const cpuBusy = round(cpuUs / 1e6 / full.durationSeconds, 2);

      const measurements = withRatios([
        { name: 'baseline: node http + ioredis GET', baseline: true, result: baseline },
        { name: 'Apollo floor: one-field schema + GET', baseline: false, result: floor },
        { name: 'full stack: POST /graphql payment', baseline: false, result: full },
      ]);
      const ratio = measurements[2]?.ratio ?? Number.NaN;
      return {
        name: this.name,
        description: this.description,
        measurements,
        targets: [
          target(`full stack req/s ÷ baseline req/s at ${settings.connections} connections`, ratio, '>=', TARGET_RATIO),
          target(`full stack p99 latency at ${settings.connections} connections`, full.latencyMs.p99, '<=', TARGET_P99_MS, 'ms'),
          target('failed or wrong responses (non-2xx, body mismatch, error, timeout), all servers', failures(baseline) + failures(floor) + failures(full), '<=', 0),
        ],
        notes: [
          `response bytes: baseline ${Buffer.byteLength(cachedJson)} (the cached PaymentRecord), full stack ${Buffer.byteLength(read.text)} (the GraphQL response); every response was checked against these bodies`,
          `API process (its own, only the API in it, as npm run start:api) CPU: ${cpuPerRequestUs} µs per request (${cpuBusy} cores busy during the run)`,
          `Vipps (simulator) calls during the full-stack run: ${vippsDuring} (every read was a cache hit)`,
          `full stack ÷ Apollo floor: ${round(full.requestsPerSecond / floor.requestsPerSecond, 3)} (what our code costs on top of Apollo Server itself)`,
          `baseline p50/p99 ${baseline.latencyMs.p50}/${baseline.latencyMs.p99} ms, full stack mean ${full.latencyMs.mean} ms, ${round(full.requests / 1000, 1)}k requests measured`,
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
