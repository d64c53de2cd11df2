import { Queue, type ConnectionOptions } from 'bullmq';
import type { Logger } from '../log/logger';
import type { PaymentRecord } from '../payments/payment-record';
import { captureDeadline, capturable } from '../payments/payment-rules';
import {
  bullPrefix,
  DEFAULT_JOB_OPTIONS,
  jobIds,
  POLL,
  QueueName,
  type CaptureBeforeExpiryData,
  type PollPaymentData,
  type WebhookEventData,
} from './queues';

/**
 * Enqueues background work. Enqueue failures are logged, never thrown into a request: the
 * sweeper recreates missing jobs from the registry.
 */
export class JobScheduler {
  private readonly queues = new Map<QueueName, Queue>();

  constructor(
    private readonly connection: ConnectionOptions,
    private readonly redisPrefix: string,
    private readonly captureMarginSeconds: number,
    private readonly log: Logger,
  ) {}

  queue(name: QueueName): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: this.connection, prefix: bullPrefix(this.redisPrefix), defaultJobOptions: DEFAULT_JOB_OPTIONS });
      this.queues.set(name, queue);
    }
    return queue;
  }

  /** Start following a payment that may still change (a no-op when it is already followed). */
  async pollPayment(p: PaymentRecord, delayMs = POLL.firstDelayMs, expiresAt: string | null = null): Promise<void> {
    if (p.state !== 'CREATED') return;
    const data: PollPaymentData = { msn: p.merchantSerialNumber, reference: p.reference, since: Date.now(), expiresAt };
    await this.add(QueueName.PollPayment, data, jobIds.pollPayment(p.merchantSerialNumber, p.reference), delayMs);
  }

  /** Set (or move) the capture-before-expiry job of an authorized payment with money left. */
  async scheduleCaptureDeadline(p: PaymentRecord): Promise<void> {
    const deadline = captureDeadline(p);
    if (!deadline || capturable(p) === 0) return;
    const id = jobIds.captureBeforeExpiry(p.merchantSerialNumber, p.reference);
    const queue = this.queue(QueueName.CaptureBeforeExpiry);
    try {
      const existing = await queue.getJob(id);
      if (existing && (existing.data as CaptureBeforeExpiryData).deadline === deadline.toISOString()) return;
      if (existing) await existing.remove();
    } catch (error) {
      this.log.warn({ err: error, reference: p.reference }, 'could not inspect capture deadline job');
    }
    const data: CaptureBeforeExpiryData = { msn: p.merchantSerialNumber, reference: p.reference, deadline: deadline.toISOString() };
    const runAt = deadline.getTime() - this.captureMarginSeconds * 1000;
    await this.add(QueueName.CaptureBeforeExpiry, data, id, Math.max(0, runAt - Date.now()));
  }

  async webhookEvent(data: WebhookEventData, id: string): Promise<void> {
    await this.queue(QueueName.WebhookEvent).add(QueueName.WebhookEvent, data, { jobId: id });
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
  }

  private async add(name: QueueName, data: object, jobId: string, delay: number): Promise<void> {
    try {
      await this.queue(name).add(name, data, { jobId, delay });
    } catch (error) {
      this.log.warn({ err: error, queue: name, jobId }, 'could not enqueue job; the sweeper will retry');
    }
  }
}
