import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { loadConfig, SIMULATOR_MERCHANT } from '../../../src/config/config';
import { redisKeys } from '../../../src/redis/keys';
import { createVippsClient, type VippsClient } from '../../../src/vipps/vipps-client';
import { deleteKeys, testRedis } from '../../support/redis';
import { startTestSimulator, type TestSimulator } from '../../support/simulator';
import { capturingLogger, SYSTEM } from './support/fake-vipps.server';

/**
 * Access tokens shared through a real Redis, against the simulator's token authority. Every test
 * uses its own key prefix, so clients in one test share tokens and tests do not.
 */

const MSN = SIMULATOR_MERCHANT.msn;

let sim: TestSimulator;
let redis: Redis;
let prefix: string;
const extraRedis: Redis[] = [];

function client(options: { redis?: Redis; prefix?: string } = {}): VippsClient {
  const config = loadConfig({
    VIPPS_ENV: 'simulator',
    VIPPS_BASE_URL: sim.url,
    REDIS_PREFIX: options.prefix ?? prefix,
    VIPPS_MAX_RETRIES: '1',
    VIPPS_SYSTEM_NAME: SYSTEM.name,
    VIPPS_SYSTEM_VERSION: SYSTEM.version,
    VIPPS_SYSTEM_PLUGIN_NAME: SYSTEM.pluginName,
    VIPPS_SYSTEM_PLUGIN_VERSION: SYSTEM.pluginVersion,
  });
  return createVippsClient({ config, redis: 'redis' in options ? options.redis : redis, log: capturingLogger('warn').log });
}

const tokenRequests = () => sim.sim.ctx.requests.filter((r) => r.method === 'POST' && r.path.toLowerCase() === '/accesstoken/get');

/** Any authenticated call; an unknown reference is a 404 once the token was accepted. */
const touch = (c: VippsClient) => c.epayment.getPayment(MSN, `unknown-${randomUUID().slice(0, 8)}`).catch((error: unknown) => error);

beforeAll(async () => {
  sim = await startTestSimulator();
  redis = testRedis();
});

beforeEach(() => {
  prefix = `test-vipps-token-${randomUUID().slice(0, 8)}`;
  sim.sim.ctx.requests.length = 0;
});

afterEach(async () => {
  await deleteKeys(redis, `${prefix}:`);
});

afterAll(async () => {
  for (const extra of extraRedis) await extra.quit();
  await redis.quit();
  await sim.close();
});

it('fetches one token for two client instances and stores it in Redis with a TTL under the token lifetime', async () => {
  const a = client();
  const b = client();
  await touch(a);
  await touch(b);
  expect(tokenRequests()).toHaveLength(1);

  const key = redisKeys(prefix).accessToken(MSN);
  const ttl = await redis.ttl(key);
  expect(ttl).toBeGreaterThan(3000);
  expect(ttl).toBeLessThanOrEqual(3300); // 3600 s minus the 5-minute margin
  expect(await redis.get(redisKeys(prefix).accessTokenLock(MSN))).toBeNull();
});

it('shares one refresh between many concurrent callers in two "processes"', async () => {
  const a = client();
  const secondConnection = testRedis();
  extraRedis.push(secondConnection);
  const b = client({ redis: secondConnection });
  await Promise.all([...Array.from({ length: 10 }, () => touch(a)), ...Array.from({ length: 10 }, () => touch(b))]);
  expect(tokenRequests()).toHaveLength(1);
});

it('reuses a token already in Redis', async () => {
  const token = await sim.token(); // issued by the simulator, as if another process fetched it
  await redis.set(redisKeys(prefix).accessToken(MSN), token, 'EX', 600);
  sim.sim.ctx.requests.length = 0;

  const result = await touch(client());
  expect(result).toMatchObject({ name: 'VippsNotFoundError' }); // authenticated, so the token was accepted
  expect(tokenRequests()).toHaveLength(0);
});

it('waits for another process that holds the refresh lock instead of fetching', async () => {
  const keys = redisKeys(prefix);
  const token = await sim.token();
  sim.sim.ctx.requests.length = 0;
  await redis.set(keys.accessTokenLock(MSN), 'another-process', 'PX', 10_000);
  setTimeout(() => void redis.set(keys.accessToken(MSN), token, 'EX', 600), 300);

  await touch(client());
  expect(tokenRequests()).toHaveLength(0);
});

it('replaces a token Vipps rejects, in Redis too', async () => {
  const keys = redisKeys(prefix);
  await redis.set(keys.accessToken(MSN), 'not-a-token-vipps-knows', 'EX', 600);
  const result = await touch(client());
  expect(result).toMatchObject({ name: 'VippsNotFoundError' });
  expect(tokenRequests()).toHaveLength(1);
  expect(await redis.get(keys.accessToken(MSN))).not.toBe('not-a-token-vipps-knows');
});

/** A Redis whose every command fails (connection refused) or never answers (network partition). */
function brokenRedis(mode: 'failing' | 'hanging'): Redis {
  const calls: string[] = [];
  const answer = () => (mode === 'failing' ? Promise.reject(new Error('connect ECONNREFUSED')) : new Promise<never>(() => {}));
  const pipeline = { get: () => pipeline, pttl: () => pipeline, exec: () => (calls.push('pipeline'), answer()) };
  return Object.assign({ status: 'ready', calls }, {
    pipeline: () => pipeline,
    set: () => (calls.push('set'), answer()),
    eval: () => (calls.push('eval'), answer()),
  }) as unknown as Redis;
}

it.each(['failing', 'hanging'] as const)('keeps working when Redis is %s, and stops asking it for a while', async (mode) => {
  const broken = brokenRedis(mode);
  const c = client({ redis: broken });
  const started = Date.now();
  expect(await touch(c)).toMatchObject({ name: 'VippsNotFoundError' });
  expect(Date.now() - started).toBeLessThan(2_500); // one 1 s Redis timeout at most, not one per command
  expect(await touch(c)).toMatchObject({ name: 'VippsNotFoundError' });
  expect(tokenRequests()).toHaveLength(1); // memoized in-process
  expect((broken as unknown as { calls: string[] }).calls).toEqual(['pipeline']);
});

it('sends the MSN and Vipps-System-* headers the simulator records', async () => {
  await touch(client());
  const [record] = tokenRequests();
  expect(record?.headers).toMatchObject({
    'merchant-serial-number': MSN,
    'vipps-system-name': SYSTEM.name,
    'vipps-system-version': SYSTEM.version,
    'vipps-system-plugin-name': SYSTEM.pluginName,
    'vipps-system-plugin-version': SYSTEM.pluginVersion,
  });
  const apiCalls = sim.sim.ctx.requests.filter((r) => r.path.startsWith('/epayment/'));
  expect(apiCalls.length).toBeGreaterThan(0);
  for (const call of apiCalls) expect(call.headers).toMatchObject({ 'merchant-serial-number': MSN, 'vipps-system-name': SYSTEM.name, 'vipps-system-plugin-version': SYSTEM.pluginVersion });
});
