import { DELIVERY_SCHEDULE, retryDelayMs, retrySpanMs } from '../../../src/merchant-webhooks/delivery-schedule';

const HOUR = 3_600_000;

describe('merchant webhook retry schedule', () => {
  it('keeps retrying for at least 24 hours, and one try fewer would not', () => {
    expect(retrySpanMs(DELIVERY_SCHEDULE)).toBeGreaterThanOrEqual(24 * HOUR);
    expect(retrySpanMs({ ...DELIVERY_SCHEDULE, attempts: DELIVERY_SCHEDULE.attempts - 1 })).toBeLessThan(24 * HOUR);
    expect(retrySpanMs(DELIVERY_SCHEDULE)).toBe(122_850_000); // 34 h 7 min 30 s
  });

  it('doubles the wait after each failed try, as BullMQ exponential backoff does, and stops after the last', () => {
    const waits = Array.from({ length: DELIVERY_SCHEDULE.attempts }, (_, i) => retryDelayMs(DELIVERY_SCHEDULE, i + 1));
    expect(waits.slice(0, 4)).toEqual([30_000, 60_000, 120_000, 240_000]);
    expect(waits.at(-2)).toBe(30_000 * 2 ** 11);
    expect(waits.at(-1)).toBeNull();
    // The waits add up to the span: the schedule the log shows is the one BullMQ keeps.
    expect(waits.reduce<number>((sum, w) => sum + (w ?? 0), 0)).toBe(retrySpanMs(DELIVERY_SCHEDULE));
  });
});
