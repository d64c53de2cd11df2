import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { SIMULATOR_MERCHANT } from '../src/config/config';
import { memoryAfterGc, serveRpc } from './ipc';
import { startBenchStack, type BenchStack } from './stack';
import { paymentTopic } from '../src/payments/payment-topic';

/**
 * The API process of the subscription fan-out benchmark (forked with --expose-gc): the full
 * stack as `bench/stack.ts` wires it (createServices, buildGraphQLSchema, startApiServer with
 * graphql-ws on /graphql) with its in-process simulator, and the per-key rate limit set out of
 * reach (startBenchStack sets it). `start` creates one payment through the createPayment mutation
 * and approves it in the simulator, then reads it back so the approval is stored before anyone subscribes (no worker runs
 * here, so nothing is published after that until the benchmark captures).
 */
let stack: BenchStack | undefined;
let channel = '';
let inspector: Session | undefined;

const CREATE = `mutation($input: CreatePaymentInput!) {
  createPayment(input: $input) { payment { reference state } errors { code message } }
}`;

serveRpc({
  start: async ({ redisUrl, reference }: { redisUrl: string; reference: string }) => {
    stack = await startBenchStack(redisUrl);
    const created = await stack.gql<{ createPayment: { errors: unknown[] } }>(CREATE, {
      input: {
        idempotencyKey: `${reference}-create`,
        reference,
        amount: { value: 49_900, currency: 'NOK' },
        userFlow: 'WEB_REDIRECT',
        returnUrl: 'https://shop.example/back',
        description: 'Fan-out benchmark payment',
      },
    });
    if (created.errors || created.data.createPayment.errors.length > 0) throw new Error(`createPayment failed: ${created.text}`);
    await stack.vipps.epayment.forceApprovePayment(SIMULATOR_MERCHANT.msn, reference, { customer: { phoneNumber: '4791234567' } });
    // Store the approval now, as the worker's poll or the webhook would have: otherwise the first
    // capture's own read of the payment learns of it and publishes AUTHORIZED ahead of the
    // capture's update (every reader announces what it stores), one publish more than the rounds.
    await stack.services.paymentReader.refresh(SIMULATOR_MERCHANT.msn, reference);
    channel = stack.keys.liveChannel(paymentTopic(SIMULATOR_MERCHANT.msn, reference));
    return { url: stack.url, authorization: stack.authorization, channel };
  },
  memory: () => memoryAfterGc(),
  /**
   * Subscribers this process delivers the payment's updates to. LiveUpdates keeps them private;
   * the benchmark reads the map (read only) to know every subscription is established server-side
   * (graphql-ws sends no acknowledgement per subscription).
   */
  listeners: () => {
    const live = stack?.services.live as unknown as { listeners: Map<string, Set<unknown>> } | undefined;
    return live?.listeners.get(channel)?.size ?? 0;
  },
  cpu: () => process.cpuUsage(),
  /**
   * Profiling (only with `npm run bench -- --profile DIR`): a sampling heap profile of
   * what the subscribers allocate and keep, and a CPU profile of the updates.
   */
  profile: async ({ what, action, dir }: { what: 'heap' | 'cpu'; action: 'start' | 'stop'; dir: string }) => {
    if (!inspector) {
      inspector = new Session();
      inspector.connect();
    }
    if (what === 'heap' && action === 'start') return void (await inspector.post('HeapProfiler.startSampling', { samplingInterval: 4096 }));
    if (what === 'cpu' && action === 'start') {
      await inspector.post('Profiler.enable');
      await inspector.post('Profiler.setSamplingInterval', { interval: 200 });
      return void (await inspector.post('Profiler.start'));
    }
    const result = what === 'heap' ? await inspector.post('HeapProfiler.stopSampling') : await inspector.post('Profiler.stop');
    const file = join(dir, `fanout-api-${process.pid}.${what === 'heap' ? 'heapprofile' : 'cpuprofile'}`);
    writeFileSync(file, JSON.stringify(result.profile));
    return file;
  },
  stop: async () => {
    await stack?.close();
  },
});
