import type { JobsOptions } from 'bullmq';

/**
 * When a delivery is tried: at once, then after 30 s, 1, 2, 4 … minutes, doubling each time
 * (BullMQ's exponential backoff: the n-th retry waits `baseDelayMs · 2^(n-1)`). Thirteen tries
 * in all: the twelfth retry comes 30 s · (2^12 − 1) = 34 h 7 min after the first try, past
 * the 24 hours a receiver may be down (issue 14); with twelve tries it would be 17 h.
 * No jitter, so the next retry the delivery log shows is the real one.
 */
export interface DeliverySchedule {
  /** Tries in all, the first included. */
  attempts: number;
  baseDelayMs: number;
}

export const DELIVERY_SCHEDULE: DeliverySchedule = { attempts: 13, baseDelayMs: 30_000 };

/** Job options for one delivery; done jobs go (the claim mark deduplicates), failed ones stay a week. */
export function deliveryJobOptions(schedule: DeliverySchedule, jobId: string): JobsOptions {
  return {
    jobId,
    attempts: schedule.attempts,
    backoff: { type: 'exponential', delay: schedule.baseDelayMs },
    removeOnComplete: true,
    removeOnFail: { age: 7 * 86_400, count: 10_000 },
  };
}

/** How long after a failed try the next one comes, or null when it was the last. `triesMade` counts the failed one. */
export function retryDelayMs(schedule: DeliverySchedule, triesMade: number): number | null {
  if (triesMade >= schedule.attempts) return null;
  return schedule.baseDelayMs * 2 ** (triesMade - 1);
}

/** From the first try to the last retry. */
export function retrySpanMs(schedule: DeliverySchedule): number {
  return schedule.baseDelayMs * (2 ** (schedule.attempts - 1) - 1);
}
