import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPrivateRedis } from '../../src/dev/redis-server';

/**
 * Once per `jest` run, before the integration project: a real Redis (REDIS_URL when set, else a
 * private redis-server on a free port). Test workers inherit TEST_REDIS_URL from here; each test
 * file starts the simulators it needs (test/support/simulator.ts, api.ts).
 */
export default async function globalSetup(): Promise<void> {
  const external = process.env.REDIS_URL?.trim();
  let redisUrl: string;
  let dataDir: string | undefined;
  let stopRedis: (() => Promise<void>) | undefined;
  if (external) {
    redisUrl = external;
  } else {
    dataDir = mkdtempSync(join(tmpdir(), 'vipps-graph-redis-'));
    const redis = await startPrivateRedis({ dataDir });
    redisUrl = redis.url;
    stopRedis = () => redis.stop();
  }
  process.env.TEST_REDIS_URL = redisUrl;
  (globalThis as Holder)[KEY] = { stopRedis, dataDir };
}

/**
 * What the setup started, for the teardown. Both run in jest's main process but as separate
 * module registries, so the handle lives on globalThis.
 */
export interface TestServices {
  stopRedis?: () => Promise<void>;
  dataDir?: string;
}

const KEY = Symbol.for('vipps-graph.test-services');
type Holder = { [KEY]?: TestServices };

export function takeTestServices(): TestServices | undefined {
  const services = (globalThis as Holder)[KEY];
  delete (globalThis as Holder)[KEY];
  return services;
}
