import type { LiveUpdates, Topic } from '../live/live-updates';
import type { Logger } from '../log/logger';
import type { MerchantEvent, MerchantEventSink } from './merchant-event';

/** Where a merchant's events are published: one topic per merchant, whatever the resource. */
export const merchantTopic = (msn: string) => `merchant:${msn}` as Topic<MerchantEvent>;

/**
 * Tells a merchant's systems what happened: first on the merchant's stream (`merchantEvents`
 * subscribers on every API replica, through Redis pub/sub), then to each sink (the outbound
 * webhook deliveries). Callers emit only what is stored (a change the registry recorded, a
 * warning whose marker is set), so the event id is enough for receivers to deduplicate.
 */
export class MerchantEvents {
  constructor(
    private readonly live: LiveUpdates,
    /** Outbound webhooks register theirs here; none until they do. */
    private readonly sinks: readonly MerchantEventSink[],
    private readonly log: Logger,
  ) {}

  /**
   * Publish, then hand to the sinks. Throws when the publish does (the caller's announcement or
   * job is retried, with the same id); a sink's failure is its own to log and retry.
   */
  async emit(event: MerchantEvent): Promise<void> {
    await this.live.publish(merchantTopic(event.merchantSerialNumber), event);
    for (const sink of this.sinks) {
      await sink.enqueue(event).catch((error: unknown) => this.log.error({ err: error, eventId: event.id, type: event.type }, 'a merchant event sink failed'));
    }
  }

  async emitAll(events: readonly MerchantEvent[]): Promise<void> {
    for (const event of events) await this.emit(event);
  }
}
