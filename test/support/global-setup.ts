import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SIMULATOR_MERCHANT } from '../../src/config/config';
import { startPrivateRedis } from '../../src/dev/redis-server';
import { startSimulator, type Simulator } from '../../src/simulator/server';

/**
 * Once per `jest` run, before the integration project: a real Redis (REDIS_URL when set, else a
 * private redis-server on a free port) and the Vipps simulator on a free port. Test workers
 * inherit the environment set here: TEST_REDIS_URL and TEST_SIMULATOR_URL.
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
  const simulator = await startSimulator({ merchants: [SIMULATOR_MERCHANT] });
  process.env.TEST_REDIS_URL = redisUrl;
  process.env.TEST_SIMULATOR_URL = simulator.url;
  (globalThis as Holder)[KEY] = { simulator, stopRedis, dataDir };
}

/**
 * What the setup started, for the teardown. Both run in jest's main process but as separate
 * module registries, so the handle lives on globalThis.
 */
export interface TestServices {
  simulator: Simulator;
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
