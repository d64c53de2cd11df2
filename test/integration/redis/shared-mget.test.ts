import type { Redis } from 'ioredis';
import { createLogger } from '../../../src/log/logger';
import { apiRedis } from '../../../src/redis/client';
import { sharedMget } from '../../../src/redis/shared-mget';
import { deleteKeys, testRedis, uniquePrefix } from '../../support/redis';

/** The cache reads requests share (src/redis/shared-mget.ts), against the real test Redis. */
describe('shared MGET', () => {
  const prefix = uniquePrefix('shared-mget');
  const key = (n: number) => `${prefix}:k${n}`;
  let redis: Redis;
  const warnings: string[] = [];
  const log = createLogger('warn', { write: (line: string) => void warnings.push(line) });

  beforeAll(async () => {
    redis = testRedis();
    for (let n = 0; n < 20; n++) await redis.set(key(n), `value ${n}`);
  });
  afterAll(async () => {
    await deleteKeys(redis, prefix);
    await redis.quit();
  });

  /** MGET commands `redis` sends while `act` runs, each with its keys. */
  async function mgets<T>(act: () => Promise<T>): Promise<{ sent: string[][]; result: T }> {
    const spy = jest.spyOn(redis, 'sendCommand');
    try {
      const result = await act();
      const sent = spy.mock.calls.map(([command]) => command as unknown as { name: string; args: string[] }).filter((c) => c.name === 'mget');
      return { sent: sent.map((c) => c.args), result };
    } finally {
      spy.mockRestore();
    }
  }

  it('sends the reads of one turn of the event loop as one MGET, each caller getting its own values', async () => {
    const read = sharedMget(redis, log, 'test cache');
    const { sent, result } = await mgets(() =>
      Promise.all([read([key(0)]), read([key(1), key(2)]), read([key(3), `${prefix}:missing`]), read([key(0)])]),
    );
    expect(result).toEqual([['value 0'], ['value 1', 'value 2'], ['value 3', null], ['value 0']]);
    expect(sent).toEqual([[key(0), key(1), key(2), key(3), `${prefix}:missing`, key(0)]]);
  });

  it('sends reads of different turns separately', async () => {
    const read = sharedMget(redis, log, 'test cache');
    const { sent, result } = await mgets(async () => [await read([key(4)]), await read([key(5)])]);
    expect(result).toEqual([['value 4'], ['value 5']]);
    expect(sent).toEqual([[key(4)], [key(5)]]);
  });

  it('sends nothing for no keys', async () => {
    const read = sharedMget(redis, log, 'test cache');
    const { sent, result } = await mgets(() => read([]));
    expect(result).toEqual([]);
    expect(sent).toEqual([]);
  });

  it('reads as misses for every caller when Redis fails, and says so once', async () => {
    // Nothing listens on port 1; the API's fail-fast client refuses the command at once.
    const down = apiRedis('redis://127.0.0.1:1', { lazyConnect: true, retryStrategy: () => null });
    try {
      const read = sharedMget(down, log, 'test cache');
      warnings.length = 0;
      const result = await Promise.all([read([key(6)]), read([key(7), key(8)])]);
      expect(result).toEqual([[null], [null, null]]);
      expect(warnings).toHaveLength(1);
      expect(JSON.parse(warnings[0] as string)).toMatchObject({ msg: 'test cache read failed; reading from Vipps' });
    } finally {
      down.disconnect();
    }
  });
});
