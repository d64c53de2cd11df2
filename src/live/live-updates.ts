import type { Redis } from 'ioredis';
import type { Logger } from '../log/logger';
import type { RedisKeys } from '../redis/keys';
import { AsyncQueue } from './async-queue';

/**
 * Subscription events through Redis pub/sub (docs/design.md §1), so every API replica delivers every
 * update. One Redis channel subscription per topic per process however many clients follow it;
 * updates fan out locally. Separate connections publish and subscribe (a subscribing Redis
 * connection can do nothing else).
 */
export class LiveUpdates {
  private readonly listeners = new Map<string, Set<AsyncQueue<unknown>>>();
  /** The Redis SUBSCRIBE of each channel, shared by everyone who follows it. */
  private readonly confirmed = new Map<string, Promise<unknown>>();

  constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
    private readonly keys: RedisKeys,
    private readonly log: Logger,
  ) {
    subscriber.on('message', (channel: string, message: string) => this.deliver(channel, message));
  }

  async publish<T>(topic: Topic<T>, payload: T): Promise<void> {
    await this.publisher.publish(this.keys.liveChannel(topic), JSON.stringify(payload));
  }

  /**
   * Publish `payload` unless this exact `version` of the topic was already published: a change
   * seen by a poller and a webhook at once reaches each subscriber once.
   */
  async publishOnce<T>(topic: Topic<T>, version: string, payload: T): Promise<boolean> {
    const previous = await this.publisher.set(this.keys.livePublished(topic), version, 'EX', 7 * 86_400, 'GET');
    if (previous === version) return false;
    await this.publish(topic, payload);
    return true;
  }

  /**
   * Follow a topic. Resolves once Redis has confirmed the channel subscription, so an update
   * published after this returns is never missed.
   */
  async subscribe<T>(topic: Topic<T>): Promise<AsyncIterableIterator<T>> {
    const channel = this.keys.liveChannel(topic);
    let set = this.listeners.get(channel);
    if (!set) {
      set = new Set();
      this.listeners.set(channel, set);
      this.confirmed.set(channel, this.subscriber.subscribe(channel));
    }
    const queue: AsyncQueue<unknown> = new AsyncQueue(() => {
      const listeners = this.listeners.get(channel);
      listeners?.delete(queue);
      if (listeners && listeners.size === 0) {
        this.listeners.delete(channel);
        this.confirmed.delete(channel);
        this.subscriber.unsubscribe(channel).catch(() => undefined);
      }
    });
    set.add(queue);
    try {
      await this.confirmed.get(channel);
    } catch (error) {
      await queue.return();
      this.log.error({ err: error, topic }, 'live update subscribe failed');
      throw error;
    }
    return queue as AsyncIterableIterator<T>;
  }

  private deliver(channel: string, message: string): void {
    const listeners = this.listeners.get(channel);
    if (!listeners) return;
    let payload: unknown;
    try {
      payload = JSON.parse(message);
    } catch {
      return;
    }
    for (const queue of listeners) queue.push(payload);
  }
}

/**
 * A pub/sub topic and the payload it carries: each domain names its topics (paymentTopic,
 * agreementTopic, chargeTopic), so publishing or following the wrong payload does not compile.
 */
export type Topic<T> = string & { readonly payload?: T };
