import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { RedisNotFoundError, startPrivateRedis, type PrivateRedis } from '../../src/dev/redis-server';
import { testRedis, uniquePrefix, deleteKeys } from '../support/redis';

describe('startPrivateRedis', () => {
  let dataDir: string;
  let redis: PrivateRedis | undefined;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'vg-redis-test-'));
  });
  afterEach(async () => {
    await redis?.stop();
    redis = undefined;
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts a redis-server that answers PING, configured like production', async () => {
    redis = await startPrivateRedis({ dataDir });
    expect(redis.url).toBe(`redis://127.0.0.1:${redis.port}`);
    const client = new Redis(redis.url);
    try {
      expect(await client.ping()).toBe('PONG');
      expect(await client.config('GET', 'maxmemory-policy')).toEqual(['maxmemory-policy', 'noeviction']);
      expect(await client.config('GET', 'appendonly')).toEqual(['appendonly', 'yes']);
      expect(await client.config('GET', 'bind')).toEqual(['bind', '127.0.0.1']);
      expect(await client.config('GET', 'dir')).toEqual(['dir', expect.stringContaining('vg-redis-test-')]);
    } finally {
      await client.quit();
    }
    expect(readdirSync(dataDir).length).toBeGreaterThan(0); // the AOF lives in dataDir
  });

  it('stop() ends the server: the port refuses connections afterwards', async () => {
    redis = await startPrivateRedis({ dataDir });
    const { port } = redis;
    await redis.stop();
    await redis.stop(); // idempotent
    const client = new Redis({ port, host: '127.0.0.1', lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
    client.on('error', () => undefined);
    await expect(client.connect()).rejects.toThrow(/ECONNREFUSED|Connection is closed/);
    expect(client.status).toBe('end');
  });

  it('says in one line how to get Redis when redis-server cannot be found', async () => {
    const failure = startPrivateRedis({ dataDir, command: join(dataDir, 'no-such-redis-server') });
    await expect(failure).rejects.toBeInstanceOf(RedisNotFoundError);
    const message = await failure.catch((error: Error) => error.message);
    expect(message).not.toContain('\n');
    expect(message).toMatch(/apt-get install redis-server.*brew install redis.*REDIS_URL/);
  });

  it('keeps data across a restart on the same data directory (AOF)', async () => {
    redis = await startPrivateRedis({ dataDir });
    let client = new Redis(redis.url);
    await client.set('survives', 'yes');
    await client.quit();
    await redis.stop();

    redis = await startPrivateRedis({ dataDir });
    client = new Redis(redis.url);
    try {
      expect(await client.get('survives')).toBe('yes');
    } finally {
      await client.quit();
    }
  });
});

describe('the global setup', () => {
  it('exports a Redis that answers', async () => {
    const client = testRedis();
    const prefix = uniquePrefix('start redis test');
    try {
      expect(prefix).toMatch(/^t:start-redis-test:[0-9a-f]{6}$/);
      await client.set(`${prefix}:k`, '1');
      expect(await deleteKeys(client, prefix)).toBe(1);
    } finally {
      await client.quit();
    }
  });
});
