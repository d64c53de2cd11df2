import type { Redis } from 'ioredis';
import { RateLimiter } from '../../../src/access/rate-limiter';
import { createLogger } from '../../../src/log/logger';
import { redisKeys } from '../../../src/redis/keys';
import { deleteKeys, testRedis, uniquePrefix } from '../../support/redis';

/** The leased limiter against a real Redis: never more than the budget, across replicas. */
describe('RateLimiter (leases)', () => {
  const prefix = uniquePrefix('rate-limiter');
  const keys = redisKeys(prefix);
  const log = createLogger('silent');
  const clients: Redis[] = [];
  const replica = (perMinute: number) => {
    const client = testRedis();
    clients.push(client);
    return new RateLimiter(client, keys, perMinute, log);
  };
  afterAll(async () => {
    await deleteKeys(clients[0] as Redis, `${prefix}:`);
    for (const c of clients) c.disconnect();
  });

  /** Fires `n` requests at once on each replica; counts those let through and refused. */
  async function burst(limiters: RateLimiter[], key: string, n: number) {
    const outcomes = await Promise.all(
      limiters.flatMap((l) => Array.from({ length: n }, () => Promise.resolve().then(() => l.take(key)).then(() => 'ok', (e: { extensions?: { code?: string } }) => e.extensions?.code))),
    );
    return { ok: outcomes.filter((o) => o === 'ok').length, limited: outcomes.filter((o) => o === 'RATE_LIMITED').length };
  }

  it('counts a small limit one request at a time: the 6th of 5 is refused with a retry time', async () => {
    const limiter = replica(5);
    for (let i = 0; i < 5; i += 1) await limiter.take('small');
    let refused: { extensions: { code: string; retryAfterSeconds: number } } | undefined;
    try {
      await limiter.take('small');
    } catch (error) {
      refused = error as typeof refused;
    }
    expect(refused?.extensions.code).toBe('RATE_LIMITED');
    expect(refused?.extensions.retryAfterSeconds).toBeGreaterThan(0);
    expect(refused?.extensions.retryAfterSeconds).toBeLessThanOrEqual(61);
    await expect(Promise.resolve(limiter.take('another'))).resolves.toBeUndefined();
  });

  it('never lets more than the budget through across three replicas under concurrent load', async () => {
    const limiters = [replica(1000), replica(1000), replica(1000)];
    let ok = 0;
    let limited = 0;
    for (let round = 0; round < 8; round += 1) {
      const r = await burst(limiters, 'busy', 200);
      ok += r.ok;
      limited += r.limited;
    }
    expect(ok + limited).toBe(8 * 3 * 200);
    expect(ok).toBeLessThanOrEqual(1000);
    // Leases left unspent are the only loss: most of the budget is used.
    expect(ok).toBeGreaterThanOrEqual(900);
  });

  it('serves a busy key from leases: far fewer Redis calls than requests', async () => {
    const client = testRedis();
    clients.push(client);
    const limiter = new RateLimiter(client, keys, 1_000_000, log);
    let calls = 0;
    const original = client.sendCommand.bind(client);
    client.sendCommand = ((...args: Parameters<Redis['sendCommand']>) => {
      calls += 1;
      return original(...args);
    }) as Redis['sendCommand'];
    const r = await burst([limiter], 'lease', 5000);
    expect(r.ok).toBe(5000);
    expect(calls).toBeLessThan(50);
  });
});
