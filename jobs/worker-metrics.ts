import { DelayedError, type Job, type Queue } from 'bullmq';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { settledWithin } from '../src/common/settled-within';
import { QueueName } from '../src/queues/queues';
import { secondsSince } from '../src/telemetry/metrics';

const STATES = ['waiting', 'active', 'delayed', 'failed'] as const;
/** A scrape waits this long for the counts; a scrape must not hang while Redis is away. */
const COUNT_TIMEOUT_MS = 1_000;

type Processor<D> = (job: Job<D>, token?: string) => Promise<string>;

/**
 * What the worker process measures besides the Vipps calls and cache lookups every process has:
 * each job run (duration by outcome, failures), how late runs start, and each queue's depth.
 *
 * Depth is read at scrape time with BullMQ's `getJobCounts` (one small Lua script per queue, the
 * counts `Queue.exportPrometheusMetrics()` also reports); that exporter is not used itself: it
 * returns text of its own, with HELP and TYPE repeated for every queue, outside this registry.
 */
export class WorkerMetrics {
  private readonly runs: Histogram<'queue' | 'outcome'>;
  private readonly failures: Counter<'queue'>;
  private readonly lag: Histogram<'queue'>;

  constructor(registry: Registry, queue: (name: QueueName) => Queue) {
    const registers = [registry];
    this.runs = new Histogram({
      name: 'vipps_graph_job_duration_seconds',
      help: 'Duration of job runs, by queue and outcome (completed; delayed: a poll that moved itself back to wait; failed).',
      labelNames: ['queue', 'outcome'],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    });
    this.failures = new Counter({
      name: 'vipps_graph_job_failures_total',
      help: 'Job runs that failed (threw), by queue; BullMQ retries them with backoff until their attempts are used up.',
      labelNames: ['queue'],
      registers,
    });
    this.lag = new Histogram({
      name: 'vipps_graph_job_lag_seconds',
      help: "Time from when a job was due (added, plus its delay) to when a worker started it, by queue; a job's first run only.",
      labelNames: ['queue'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers,
    });
    new Gauge({
      name: 'vipps_graph_queue_jobs',
      help: 'Jobs in each queue by state (waiting, active, delayed, failed), read from Redis at scrape time; absent when Redis did not answer within 1 s.',
      labelNames: ['queue', 'state'],
      registers,
      async collect() {
        this.reset();
        const names = Object.values(QueueName);
        const counts = await settledWithin(Promise.all(names.map((name) => queue(name).getJobCounts(...STATES))), COUNT_TIMEOUT_MS);
        if (!counts) return;
        names.forEach((name, i) => {
          for (const state of STATES) this.set({ queue: name, state }, counts[i]?.[state] ?? 0);
        });
      },
    });
  }

  /** The processor with each run timed and counted, and its start's lag recorded. */
  measured<D>(queue: QueueName, processor: Processor<D>): Processor<D> {
    return async (job, token) => {
      this.recordLag(queue, job);
      const startedMs = performance.now();
      let outcome = 'failed';
      try {
        const result = await processor(job, token);
        outcome = 'completed';
        return result;
      } catch (error) {
        if (error instanceof DelayedError) outcome = 'delayed';
        else this.failures.inc({ queue });
        throw error;
      } finally {
        this.runs.observe({ queue, outcome }, secondsSince(startedMs));
      }
    };
  }

  /**
   * BullMQ keeps when a job was added and its delay, but not when a rescheduled run (a poll moving
   * itself back to the delayed set, a retry's backoff) was due: that is forgotten once the job
   * is promoted. So only a job's first run is measured, where added plus delay is exact.
   */
  private recordLag(queue: QueueName, job: Job): void {
    if (job.attemptsStarted !== 1 || !job.processedOn) return;
    const dueAt = job.timestamp + (job.opts.delay ?? 0);
    this.lag.observe({ queue }, Math.max(0, job.processedOn - dueAt) / 1000);
  }
}
