import type { Logger } from '../log/logger';
import type { PaymentCache } from './payment-cache';
import { sameProgress } from './payment-mapper';
import type { PaymentReader } from './payment-reader';
import type { PaymentRecord } from './payment-record';
import type { PaymentChanged } from './payment.service';

/**
 * Re-reads a payment from Vipps (polls, webhooks, capture jobs) and reports what it found;
 * subscribers hear of each state once (`publishOnce`).
 * Vipps is the source of truth: a webhook is only a hint to look again, so an event arriving
 * late or out of order can never set an older state.
 */
export class PaymentTracker {
  constructor(
    private readonly reader: PaymentReader,
    private readonly cache: PaymentCache,
    private readonly changed: PaymentChanged,
    private readonly log: Logger,
  ) {}

  /** The payment as Vipps has it now, or null when Vipps does not know it. */
  async observe(msn: string, reference: string): Promise<PaymentRecord | null> {
    const [before] = await this.cache.getMany([{ msn, reference }]);
    const after = await this.reader.refresh(msn, reference);
    if (!after) return null;
    if (!before || !sameProgress(before, after)) await this.reader.forgetEvents(after);
    // Announce every observation, not only a difference from the cache: a GraphQL read or a
    // mutation's pre-read may have stored the new state already without announcing it, and then
    // subscribers and the capture job would never hear of it. Announcing is idempotent (one
    // publish per progress version, deterministic job ids).
    try {
      await this.changed(after);
    } catch (error) {
      this.log.warn({ err: error, reference }, 'could not announce a payment change');
    }
    return after;
  }
}

/** A version of a payment's progress: it changes whenever the state or any amount does. */
export function progressVersion(p: PaymentRecord): string {
  const a = p.aggregate;
  return `${p.state}:${a.authorized}:${a.captured}:${a.refunded}:${a.cancelled}`;
}
