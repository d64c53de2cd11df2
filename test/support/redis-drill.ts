import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPrivateRedis, type PrivateRedis } from '../../src/dev/redis-server';
import { startTestApi, type TestApi } from './api';

/**
 * The API on a redis-server of its own (AOF on, in a temp folder), which a test stops and starts
 * again on the same port, with the data it had.
 */
export interface RedisDrill {
  api: TestApi;
  redisUrl(): string;
  stopRedis(): Promise<void>;
  startRedis(): Promise<void>;
  close(): Promise<void>;
}

export async function startRedisDrill(name: string): Promise<RedisDrill> {
  const dataDir = mkdtempSync(join(tmpdir(), `vg-${name}-`));
  let redis: PrivateRedis = await startPrivateRedis({ dataDir });
  const api = await startTestApi({}, { redisUrl: redis.url });
  return {
    api,
    redisUrl: () => redis.url,
    stopRedis: () => redis.stop(),
    startRedis: async () => {
      redis = await startPrivateRedis({ dataDir, port: redis.port });
    },
    close: async () => {
      await api.close();
      await redis.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
