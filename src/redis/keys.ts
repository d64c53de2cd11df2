/**
 * Every Redis key the project uses, built in one place under one prefix (`REDIS_PREFIX`, default
 * `vg`). Keys with `{msn}` hash tags keep one merchant's data in one Redis Cluster slot.
 * Cache keys carry a TTL; registry keys are durable data.
 */
export function redisKeys(prefix: string) {
  const p = `${prefix}:`;
  return {
    prefix: p,
    /** Shared Vipps access token per merchant (string, TTL = token lifetime minus margin). */
    accessToken: (msn: string) => `${p}token:{${msn}}`,
    /** Lock held while one process refreshes a merchant's access token. */
    accessTokenLock: (msn: string) => `${p}token-lock:{${msn}}`,
    /** Cached Vipps payment (JSON PaymentRecord), TTL by state. */
    paymentCache: (msn: string, reference: string) => `${p}payment:{${msn}}:${reference}`,
    /** Cached Vipps event log of a payment (JSON array), same TTL as the payment. */
    paymentEventsCache: (msn: string, reference: string) => `${p}payment-events:{${msn}}:${reference}`,
    /** Registry: what we know of a payment that Vipps does not return (hash). Durable. */
    paymentMeta: (msn: string, reference: string) => `${p}payment-meta:{${msn}}:${reference}`,
    /** Registry: every payment of a merchant by creation time (sorted set). Durable. */
    paymentIndex: (msn: string) => `${p}payments:{${msn}}`,
    /** Registry: a merchant's payments in one state by creation time (sorted set). Durable. */
    paymentStateIndex: (msn: string, state: string) => `${p}payments:{${msn}}:${state}`,
    /** Outcome of a mutation per merchant and idempotency key (JSON), kept 30 days. */
    idempotency: (msn: string, key: string) => `${p}idempotency:{${msn}}:${key}`,
  };
}

export type RedisKeys = ReturnType<typeof redisKeys>;
