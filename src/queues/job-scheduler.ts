import { Queue, type ConnectionOptions } from 'bullmq';
import type { Logger } from '../log/logger';
import { jobOrigin } from '../telemetry/job-spans';
import type { PaymentRecord } from '../payments/payment-record';
import { captureDeadline as chargeCaptureDeadline } from '../recurring/charge-rules';
import type { AgreementRecord, ChargeRecord } from '../recurring/recurring-record';
import { nextChargePollDelay } from './poll-cadence';
import { captureDeadline, capturable } from '../payments/payment-rules';
import {
  bullPrefix,
  DEFAULT_JOB_OPTIONS,
  jobIds,
  POLL,
  QueueName,
  type JobDataOf,
  type CaptureBeforeExpiryData,
  type CaptureThreshold,
  type PollAgreementData,
  type PollChargeData,
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
    /** How long before a capture deadline each capture-before-expiry run is (`finalMarginSeconds` 0: no final run). */
    private readonly capture: { readonly marginSeconds: number; readonly finalMarginSeconds: number },
    private readonly log: Logger,
  ) {}

  queue(name: QueueName): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: this.connection, prefix: bullPrefix(this.redisPrefix), defaultJobOptions: DEFAULT_JOB_OPTIONS });
      // The connection's own failures are reported where it is made (reportRedisErrors).
      queue.on('error', (error) => this.log.debug({ queue: name, error: error.message }, 'queue connection error'));
      this.queues.set(name, queue);
    }
    return queue;
  }

  /** The jobs a payment needs in its state: a poll while CREATED, the capture deadline while AUTHORIZED. */
  async followPayment(p: PaymentRecord, pollDelayMs = POLL.firstDelayMs): Promise<void> {
    await this.pollPayment(p, pollDelayMs);
    await this.scheduleCaptureDeadline(p);
  }

  /** Start following a payment that may still change (a no-op when it is already followed). */
  async pollPayment(p: PaymentRecord, delayMs = POLL.firstDelayMs, expiresAt: string | null = null): Promise<void> {
    if (p.state !== 'CREATED') return;
    const data: PollPaymentData = { msn: p.merchantSerialNumber, reference: p.reference, since: Date.now(), expiresAt };
    await this.add(QueueName.PollPayment, data, jobIds.pollPayment(p.merchantSerialNumber, p.reference), delayMs);
  }

  /**
   * Set (or move) the capture-before-expiry jobs of an authorized payment with money left: one at
   * CAPTURE_MARGIN before the deadline, and the final one at CAPTURE_FINAL_MARGIN.
   */
  async scheduleCaptureDeadline(p: PaymentRecord): Promise<void> {
    const deadline = captureDeadline(p);
    if (!deadline || capturable(p) === 0) return;
    const data: CaptureBeforeExpiryData = { msn: p.merchantSerialNumber, reference: p.reference, deadline: deadline.toISOString() };
    await this.setDeadlines((threshold) => jobIds.captureBeforeExpiry(p.merchantSerialNumber, p.reference, threshold), data, deadline);
  }

  /** The same for a reserved Recurring charge with money left. */
  async scheduleChargeCaptureDeadline(c: ChargeRecord): Promise<void> {
    const deadline = chargeCaptureDeadline(c);
    if (!deadline) return;
    const data: CaptureBeforeExpiryData = { msn: c.merchantSerialNumber, agreementId: c.agreementId, chargeId: c.chargeId, deadline: deadline.toISOString() };
    await this.setDeadlines((threshold) => jobIds.captureCharge(c.merchantSerialNumber, c.agreementId, c.chargeId, threshold), data, deadline);
  }

  /** Follow an agreement the customer has not answered yet. */
  async pollAgreement(a: AgreementRecord, delayMs = POLL.firstDelayMs): Promise<void> {
    if (a.status !== 'PENDING') return;
    const data: PollAgreementData = { msn: a.merchantSerialNumber, agreementId: a.agreementId, since: Date.now() };
    await this.add(QueueName.PollAgreement, data, jobIds.pollAgreement(a.merchantSerialNumber, a.agreementId), delayMs);
  }

  /** Follow a charge that Vipps will still process (see `nextChargePollDelay`). */
  async pollCharge(c: ChargeRecord, now = Date.now()): Promise<void> {
    const delay = nextChargePollDelay(c, now);
    if (delay === null) return;
    const data: PollChargeData = { msn: c.merchantSerialNumber, agreementId: c.agreementId, chargeId: c.chargeId };
    await this.add(QueueName.PollCharge, data, jobIds.pollCharge(c.merchantSerialNumber, c.agreementId, c.chargeId), delay);
  }

  private async setDeadlines(idOf: (threshold: CaptureThreshold) => string, data: CaptureBeforeExpiryData, deadline: Date): Promise<void> {
    await this.setDeadline(idOf('first'), { ...data, threshold: 'first' }, deadline, this.capture.marginSeconds);
    if (this.capture.finalMarginSeconds > 0) await this.setDeadline(idOf('final'), { ...data, threshold: 'final' }, deadline, this.capture.finalMarginSeconds);
  }

  private async setDeadline(id: string, data: CaptureBeforeExpiryData, deadline: Date, marginSeconds: number): Promise<void> {
    const queue = this.queue(QueueName.CaptureBeforeExpiry);
    try {
      const existing = await queue.getJob(id);
      if (existing && (existing.data as CaptureBeforeExpiryData).deadline === data.deadline) return;
      if (existing) await existing.remove();
    } catch (error) {
      this.log.warn({ err: error, jobId: id }, 'could not inspect capture deadline job');
    }
    const runAt = deadline.getTime() - marginSeconds * 1000;
    await this.add(QueueName.CaptureBeforeExpiry, data, id, Math.max(0, runAt - Date.now()));
  }

  async webhookEvent(data: WebhookEventData, id: string): Promise<void> {
    await this.queue(QueueName.WebhookEvent).add(QueueName.WebhookEvent, { ...data, ...jobOrigin() }, { jobId: id });
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
  }

  private async add<N extends QueueName>(name: N, data: JobDataOf[N], jobId: string, delay: number): Promise<void> {
    try {
      await this.queue(name).add(name, { ...data, ...jobOrigin() }, { jobId, delay });
    } catch (error) {
      this.log.warn({ err: error, queue: name, jobId }, 'could not enqueue job; the sweeper will retry');
    }
  }
}
