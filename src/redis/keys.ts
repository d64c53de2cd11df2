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
  };
}

export type RedisKeys = ReturnType<typeof redisKeys>;
