import type { JobsOptions } from 'bullmq';
import type { JobOrigin } from '../telemetry/job-spans';

/**
 * Job definitions (STYLE 10): queue names, job data and options. `src/` enqueues with these;
 * the processors live in `jobs/`. Job data holds ids only, never secrets. Job ids are
 * deterministic, one per resource and purpose, so enqueueing twice is harmless.
 */
export enum QueueName {
  PollPayment = 'poll-payment',
  PollAgreement = 'poll-agreement',
  PollCharge = 'poll-charge',
  CaptureBeforeExpiry = 'capture-before-expiry',
  WebhookEvent = 'webhook-event',
  MerchantWebhook = 'merchant-webhook',
  Sweeper = 'sweeper',
}

export interface PollPaymentData {
  msn: string;
  reference: string;
  /** When polling started (ms): the cadence slows after the user's 10-minute window. */
  since: number;
  /** Long-living payments: the user can act until then (ISO time). */
  expiresAt?: string | null;
}

export interface PollAgreementData {
  msn: string;
  agreementId: string;
  since: number;
}

export interface PollChargeData {
  msn: string;
  agreementId: string;
  chargeId: string;
}

/** Which capture-before-expiry run: at CAPTURE_MARGIN before the deadline, or the last one at CAPTURE_FINAL_MARGIN. */
export type CaptureThreshold = 'first' | 'final';

/** A payment (reference) or a reserved Recurring charge (agreementId + chargeId). */
export interface CaptureBeforeExpiryData {
  msn: string;
  reference?: string;
  agreementId?: string;
  chargeId?: string;
  /** The deadline this job was set for (ISO time), to tell a stale job from a current one. */
  deadline: string;
  /** Which of the two runs: at CAPTURE_MARGIN (`first`, also when absent) or CAPTURE_FINAL_MARGIN. */
  threshold?: CaptureThreshold;
}

export interface WebhookEventData {
  msn: string;
  /** Event name as Vipps sends it, e.g. `AUTHORIZED` (ePayment) or `recurring.charge-captured.v1`. */
  event: string;
  reference?: string;
  agreementId?: string;
  chargeId?: string;
  /** When Vipps says the event happened. */
  occurredAt?: string;
}

/** One delivery of a merchant event to one of the merchant's webhook endpoints (src/merchant-webhooks/). Never the secret. */
export interface MerchantWebhookData {
  msn: string;
  endpointId: string;
  eventId: string;
  /** Sent again by redeliverWebhook. */
  redelivery?: boolean;
}

/**
 * What each queue's jobs carry: the one place a queue's name meets its data type. Every job also
 * carries its origin (the request id and trace context of what scheduled it), added on enqueue.
 */
export interface JobDataOf {
  [QueueName.PollPayment]: PollPaymentData & JobOrigin;
  [QueueName.PollAgreement]: PollAgreementData & JobOrigin;
  [QueueName.PollCharge]: PollChargeData & JobOrigin;
  [QueueName.CaptureBeforeExpiry]: CaptureBeforeExpiryData & JobOrigin;
  [QueueName.WebhookEvent]: WebhookEventData & JobOrigin;
  [QueueName.MerchantWebhook]: MerchantWebhookData & JobOrigin;
  /** The sweeper's repeating job carries nothing else. */
  [QueueName.Sweeper]: JobOrigin;
}

/** BullMQ job ids may not contain ':'; MSNs are digits and references [A-Za-z0-9-]. */
export const jobIds = {
  pollPayment: (msn: string, reference: string) => `poll-payment__${msn}__${reference}`,
  captureBeforeExpiry: (msn: string, reference: string, threshold: CaptureThreshold = 'first') => `${threshold === 'first' ? 'capture' : 'capture-final'}__${msn}__${reference}`,
  pollAgreement: (msn: string, agreementId: string) => `poll-agreement__${msn}__${agreementId}`,
  pollCharge: (msn: string, agreementId: string, chargeId: string) => `poll-charge__${msn}__${agreementId}__${chargeId}`,
  captureCharge: (msn: string, agreementId: string, chargeId: string, threshold: CaptureThreshold = 'first') =>
    `${threshold === 'first' ? 'capture-charge' : 'capture-charge-final'}__${msn}__${agreementId}__${chargeId}`,
  /** One event's delivery to one webhook endpoint (endpoint ids have no ':'; event ids, `evt_<hex>`, are made safe). */
  merchantWebhook: (endpointId: string, eventId: string) => `merchant-webhook__${endpointId}__${eventId.replace(/[^A-Za-z0-9_-]/g, '-')}`,
};

/** Completed jobs are removed so a deterministic id can be used again for the next round. */
export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  removeOnComplete: true,
  removeOnFail: { age: 7 * 86_400, count: 10_000 },
  attempts: 8,
  backoff: { type: 'exponential', delay: 1000 },
};

/** Polling cadence (REFERENCE §12, DESIGN §5): first after 5 s, every 2 s while the user can act. */
export const POLL = {
  firstDelayMs: 5_000,
  intervalMs: 2_000,
  userWindowMs: 10 * 60_000,
  /** After the window, back off up to this interval, and give up this long after it closed. */
  slowIntervalMs: 60_000,
  giveUpAfterWindowMs: 60 * 60_000,
};

/** BullMQ prefix; a `{hashtag}` keeps each queue in one Redis Cluster slot. */
export function bullPrefix(redisPrefix: string): string {
  return `{${redisPrefix}:bull}`;
}
