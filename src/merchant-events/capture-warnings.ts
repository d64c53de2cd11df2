import type { Redis } from 'ioredis';
import type { RedisKeys } from '../redis/keys';
import type { MerchantEvent } from './merchant-event';
import type { MerchantEvents } from './merchant-events';

/** How long a marker outlives the deadline it is about (after it, nothing is left to warn of). */
const KEEP_AFTER_DEADLINE_S = 86_400;

/**
 * Emits each CAPTURE_DEADLINE_APPROACHING once, however often its job runs: a retried job, a job
 * the sweeper rebuilt after it had run, a stalled job a second worker takes over after SIGKILL.
 * One marker per event id in Redis: claimed atomically (SET NX) as `emitting` before the event is
 * emitted and set to `emitted` after. A claim left `emitting` means the worker died in between,
 * so the next run emits again, with the same id: a receiver may see an id twice in that window
 * (at least once, deduplicated by id), never zero times. The marker lasts a day past the deadline.
 */
export class CaptureWarnings {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly events: MerchantEvents,
  ) {}

  /** Whether this warning was already emitted (for a job to stop before reading Vipps). */
  async emitted(msn: string, id: string): Promise<boolean> {
    return (await this.redis.get(this.keys.captureWarning(msn, id))) === 'emitted';
  }

  /** Emit the warning unless it was; true when it was emitted now. */
  async emitOnce(event: MerchantEvent, deadline: Date): Promise<boolean> {
    const key = this.keys.captureWarning(event.merchantSerialNumber, event.id);
    const ttl = Math.max(60, Math.ceil((deadline.getTime() - Date.now()) / 1000) + KEEP_AFTER_DEADLINE_S);
    const claimed = await this.redis.set(key, 'emitting', 'EX', ttl, 'NX');
    if (!claimed && (await this.redis.get(key)) === 'emitted') return false;
    await this.events.emit(event);
    await this.redis.set(key, 'emitted', 'EX', ttl);
    return true;
  }
}
