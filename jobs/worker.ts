import { Worker, type ConnectionOptions, type Job } from 'bullmq';
import type { Services } from '../src/app/services';
import { bullPrefix, QueueName, type JobDataOf } from '../src/queues/queues';
import { inJobSpan } from '../src/telemetry/job-spans';
import { captureBeforeExpiryProcessor } from './capture-before-expiry.processor';
import { pollAgreementProcessor } from './poll-agreement.processor';
import { pollChargeProcessor } from './poll-charge.processor';
import { pollPaymentProcessor } from './poll-payment.processor';
import { sweeperProcessor } from './sweeper.processor';
import { webhookEventProcessor } from './webhook-event.processor';
import { merchantWebhookProcessor } from './merchant-webhook.processor';
import { WorkerMetrics } from './worker-metrics';

export interface WorkerOptions {
  /** Polls in flight at once per process (default 50). */
  pollConcurrency?: number;
  /** How often the sweeper runs (default every 5 minutes). */
  sweepEveryMs?: number;
}

export interface RunningWorkers {
  workers: Worker[];
  /** Finishes the jobs in hand, then stops. */
  close(): Promise<void>;
}

/** Starts one BullMQ worker per queue and schedules the sweeper. */
export async function startWorkers(services: Services, connection: ConnectionOptions, options: WorkerOptions = {}): Promise<RunningWorkers> {
  const prefix = bullPrefix(services.config.redis.prefix);
  const metrics = new WorkerMetrics(services.metrics.registry, (name) => services.jobs.queue(name));
  // A processor must take the data of its queue (JobDataOf): no casts.
  const make = <N extends QueueName>(name: N, processor: (job: Job<JobDataOf[N]>, token?: string) => Promise<string>, concurrency: number) => {
    // Each run in the scope of the request that scheduled it, and in a span linked to its trace.
    const traced = (job: Job<JobDataOf[N]>, token?: string) => inJobSpan(name, job, () => processor(job, token));
    const worker = new Worker<JobDataOf[N], string>(name, metrics.measured(name, traced), { connection, prefix, concurrency });
    worker.on('failed', (job, error) => services.log.warn({ queue: name, jobId: job?.id, requestId: job?.data.requestId, err: error }, 'job failed'));
    worker.on('error', (error) => services.log.error({ queue: name, err: error }, 'worker error'));
    return worker;
  };
  const workers = [
    make(QueueName.PollPayment, pollPaymentProcessor(services), options.pollConcurrency ?? 50),
    make(QueueName.PollAgreement, pollAgreementProcessor(services), 10),
    make(QueueName.PollCharge, pollChargeProcessor(services), 10),
    make(QueueName.CaptureBeforeExpiry, captureBeforeExpiryProcessor(services), 5),
    make(QueueName.WebhookEvent, webhookEventProcessor(services), 20),
    // Mostly waiting on merchants' receivers (up to the 10 s timeout each), little CPU.
    make(QueueName.MerchantWebhook, merchantWebhookProcessor(services), 50),
    make(QueueName.Sweeper, sweeperProcessor(services), 1),
  ];
  await services.jobs.queue(QueueName.Sweeper).upsertJobScheduler('sweep', { every: options.sweepEveryMs ?? 5 * 60_000 }, { name: QueueName.Sweeper });
  return {
    workers,
    close: async () => {
      await Promise.all(workers.map((w) => w.close()));
    },
  };
}
