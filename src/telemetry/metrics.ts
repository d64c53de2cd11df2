import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/**
 * Prometheus metrics (prom-client). Each process (API, worker) has one `Metrics`: its own
 * registry, not prom-client's global one, so tests that run several APIs in one process count
 * apart. The registry holds Node's and the process's default metrics (unprefixed standard names:
 * `process_*`, `nodejs_*`, event-loop lag included) and ours, all named `vipps_graph_*`. Label
 * values come from small fixed sets or are bounded (`BoundedLabel`); never an id, a reference, a
 * key or a token.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly vipps: VippsMetrics;
  readonly cache: CacheMetrics;

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    this.vipps = new VippsMetrics(this.registry);
    this.cache = new CacheMetrics(this.registry);
  }
}

/** Seconds, from milliseconds (`performance.now()` differences). */
export const secondsSince = (startedMs: number): number => (performance.now() - startedMs) / 1000;

/** What became of one HTTP exchange with Vipps: the status it answered, or why none came. */
export type VippsOutcome = number | 'timeout' | 'network_error';

export interface VippsEndpoint {
  api: string;
  /** The path template (`/epayment/v1/payments/{id}/capture`), never a concrete path. */
  endpoint: string;
  method: string;
}

/**
 * Every HTTP exchange with Vipps, retries and token fetches included: duration by endpoint and
 * outcome, and a count of the ones that got no 2xx answer.
 */
export class VippsMetrics {
  private readonly duration: Histogram<'api' | 'endpoint' | 'method' | 'status'>;
  private readonly failures: Counter<'api' | 'endpoint' | 'method' | 'status'>;

  constructor(registry: Registry) {
    const labelNames = ['api', 'endpoint', 'method', 'status'] as const;
    this.duration = new Histogram({
      name: 'vipps_graph_vipps_request_duration_seconds',
      help: 'Duration of HTTP requests to Vipps (each attempt), by API, endpoint template, method and status (or timeout / network_error).',
      labelNames,
      buckets: [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    });
    this.failures = new Counter({
      name: 'vipps_graph_vipps_request_failures_total',
      help: 'HTTP requests to Vipps (each attempt) that got no 2xx answer: an error status, a timeout or a network error.',
      labelNames,
      registers: [registry],
    });
  }

  observe(to: VippsEndpoint, outcome: VippsOutcome, startedMs: number): void {
    const labels = { api: to.api, endpoint: to.endpoint, method: to.method, status: String(outcome) };
    this.duration.observe(labels, secondsSince(startedMs));
    if (typeof outcome !== 'number' || outcome < 200 || outcome >= 300) this.failures.inc(labels);
  }
}

/** The read-through caches in Redis, by what they hold. */
export type CacheName = 'payment' | 'payment_events' | 'agreement' | 'charge' | 'charge_list';

/** Lookups in the Redis read-through caches, hits and misses (a failed read counts as a miss, as it reads). */
export class CacheMetrics {
  private readonly lookups: Counter<'cache' | 'result'>;
  private readonly bound = new Map<CacheName, { hit: Counter.Internal; miss: Counter.Internal }>();

  constructor(registry: Registry) {
    this.lookups = new Counter({
      name: 'vipps_graph_cache_requests_total',
      help: 'Lookups in the Redis read-through caches, by cache and result (hit or miss).',
      labelNames: ['cache', 'result'],
      registers: [registry],
    });
  }

  /** Counts one batch read: each null is a miss. */
  record(cache: CacheName, values: readonly unknown[]): void {
    let hits = 0;
    for (const value of values) if (value !== null && value !== undefined) hits++;
    const counters = this.counters(cache);
    if (hits > 0) counters.hit.inc(hits);
    if (values.length > hits) counters.miss.inc(values.length - hits);
  }

  /** Label children made once per cache, so a read costs no label hashing. */
  private counters(cache: CacheName) {
    let counters = this.bound.get(cache);
    if (!counters) {
      counters = { hit: this.lookups.labels(cache, 'hit'), miss: this.lookups.labels(cache, 'miss') };
      this.bound.set(cache, counters);
    }
    return counters;
  }
}

/**
 * A label whose values a caller chooses (GraphQL operation names): a value is kept when it looks
 * like a name and is among the first `max` distinct ones seen; anything else is `other`, so a
 * client inventing names cannot grow the series without bound.
 */
export class BoundedLabel {
  private readonly seen = new Set<string>();

  constructor(
    private readonly max: number,
    private readonly pattern: RegExp,
  ) {}

  value(raw: string): string {
    if (this.seen.has(raw)) return raw;
    if (this.seen.size >= this.max || !this.pattern.test(raw)) return 'other';
    this.seen.add(raw);
    return raw;
  }
}
