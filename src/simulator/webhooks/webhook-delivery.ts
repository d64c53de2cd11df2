import { randomUUID } from 'node:crypto';
import { signWebhook } from '../../webhooks/signature';
import type { SimContext, SimEvent } from '../simulator-context';
import { orderingKey } from './simulated-webhook-events';
import type { Registration } from './webhook-registry';

/**
 * Real-time delay before attempt n+1 after attempt n failed; its length + 1 is the number of
 * attempts. Vipps retries for up to 7 days (~2 s ×4, 60 s, 120 s, hourly, daily; docs/vipps.md §11);
 * the simulator compresses that so tests and demos see retries and give-ups in about a minute.
 */
export const RETRY_DELAYS_MS: readonly number[] = [1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 32_000, 32_000, 32_000];
/** Vipps counts no answer within 10 s as a failure. */
export const DELIVERY_TIMEOUT_MS = 10_000;
const MAX_LOG_ENTRIES = 1_000;

export type DeliveryOutcome = 'delivered' | 'retrying' | 'failed' | 'dropped';

/** One attempt, as listed by `GET /simulator/v1/webhook-deliveries`. */
export interface DeliveryLogEntry {
  /** The delivery (one event to one registration); the same across its attempts. */
  id: string;
  registrationId: string;
  url: string;
  event: string;
  attempt: number;
  /** The receiver's HTTP status; null when it did not answer in time or could not be reached. */
  status: number | null;
  outcome: DeliveryOutcome;
  deliveredAt: string;
  error?: string;
}

interface Delivery {
  id: string;
  registration: Registration;
  event: SimEvent;
  attempt: number;
}

/**
 * Signed delivery with retries. Each (registration, payment) pair is a FIFO stream: only its head
 * is in flight, so a failing event holds back later events of the same payment until it succeeds
 * or is given up.
 */
export class WebhookDeliverer {
  readonly log: DeliveryLogEntry[] = [];
  private readonly streams = new Map<string, Delivery[]>();
  private readonly inFlight = new Set<AbortController>();
  /** Bumped on reset/close so answers to requests sent before it are ignored. */
  private generation = 0;

  constructor(private readonly ctx: SimContext) {}

  enqueue(registration: Registration, event: SimEvent): void {
    const delivery: Delivery = { id: randomUUID(), registration, event, attempt: 0 };
    if (this.ctx.faults.dropWebhooks) {
      this.record(delivery, null, 'dropped');
      return;
    }
    const key = `${registration.id}|${orderingKey(event.payload) ?? delivery.id}`;
    const stream = this.streams.get(key);
    if (stream) {
      stream.push(delivery);
      return;
    }
    this.streams.set(key, [delivery]);
    void this.attempt(key, delivery);
  }

  /** Forget a deleted registration's pending deliveries. */
  forget(registrationId: string): void {
    for (const key of [...this.streams.keys()]) if (key.startsWith(`${registrationId}|`)) this.streams.delete(key);
  }

  /** Stop everything pending; the context cancels the retry timers. */
  stop(): void {
    this.generation += 1;
    for (const controller of this.inFlight) controller.abort();
    this.inFlight.clear();
    this.streams.clear();
  }

  reset(): void {
    this.stop();
    this.log.length = 0;
  }

  private async attempt(key: string, delivery: Delivery): Promise<void> {
    if (this.streams.get(key)?.[0] !== delivery) return;
    delivery.attempt += 1;
    if (this.ctx.faults.dropWebhooks) {
      this.record(delivery, null, 'dropped');
      this.next(key);
      return;
    }
    const generation = this.generation;
    const { status, error } = await this.post(delivery);
    if (generation !== this.generation || this.streams.get(key)?.[0] !== delivery) return;
    if (status !== null && status >= 200 && status < 300) {
      this.record(delivery, status, 'delivered');
      this.next(key);
      return;
    }
    const delay = RETRY_DELAYS_MS[delivery.attempt - 1];
    if (delay === undefined) {
      this.record(delivery, status, 'failed', error);
      this.next(key);
      return;
    }
    this.record(delivery, status, 'retrying', error);
    this.ctx.schedule(delay, () => void this.attempt(key, delivery));
  }

  private next(key: string): void {
    const stream = this.streams.get(key);
    stream?.shift();
    const head = stream?.[0];
    if (!stream || !head) {
      this.streams.delete(key);
      return;
    }
    void this.attempt(key, head);
  }

  private async post(delivery: Delivery): Promise<{ status: number | null; error?: string }> {
    const { registration, event } = delivery;
    const body = JSON.stringify(event.payload);
    // Real time, not the simulator clock: receivers compare x-ms-date with their own clock.
    const signature = signWebhook({ secret: registration.secret, url: registration.url, date: new Date(), body });
    const controller = new AbortController();
    const timeout = setTimeout(() => controller.abort(), DELIVERY_TIMEOUT_MS);
    timeout.unref();
    this.inFlight.add(controller);
    try {
      // fetch sets Host from the URL itself, which is the authority that was signed.
      const res = await fetch(registration.url, {
        method: 'POST',
        headers: { ...signature, 'content-type': 'application/json', 'user-agent': 'vipps-simulator-webhooks' },
        body,
        redirect: 'manual',
        signal: controller.signal,
      });
      await res.arrayBuffer().catch(() => undefined);
      return { status: res.status };
    } catch (error) {
      return { status: null, error: controller.signal.aborted ? 'no answer within 10 s' : String((error as Error).cause ?? error) };
    } finally {
      clearTimeout(timeout);
      this.inFlight.delete(controller);
    }
  }

  private record(delivery: Delivery, status: number | null, outcome: DeliveryOutcome, error?: string): void {
    if (this.log.length >= MAX_LOG_ENTRIES) this.log.shift();
    this.log.push({
      id: delivery.id,
      registrationId: delivery.registration.id,
      url: delivery.registration.url,
      event: delivery.event.name,
      attempt: Math.max(delivery.attempt, 1),
      status,
      outcome,
      deliveredAt: new Date().toISOString(),
      ...(error ? { error } : {}),
    });
  }
}
