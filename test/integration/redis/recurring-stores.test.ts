import type { Redis } from 'ioredis';
import { createLogger } from '../../../src/log/logger';
import { AgreementStore } from '../../../src/recurring/agreement-store';
import { ChargeStore } from '../../../src/recurring/charge-store';
import { Registry } from 'prom-client';
import { RecurringCache } from '../../../src/recurring/recurring-cache';
import type { AgreementRecord, ChargeRecord } from '../../../src/recurring/recurring-record';
import { RecurringRegistry } from '../../../src/recurring/recurring-registry';
import { apiRedis } from '../../../src/redis/client';
import { redisKeys } from '../../../src/redis/keys';
import { CacheMetrics } from '../../../src/telemetry/metrics';
import { deleteKeys, testRedis, testRedisUrl, uniquePrefix } from '../../support/redis';

const MSN = '123456';
const agreement = (agreementId: string, status: AgreementRecord['status'] = 'PENDING'): AgreementRecord => ({
  merchantSerialNumber: MSN, agreementId, uuid: null, status, productName: 'News', productDescription: null,
  pricing: { type: 'LEGACY', currency: 'NOK', amount: 19900, suggestedMaxAmount: null, maxAmount: null }, interval: { unit: 'MONTH', count: 1, text: null },
  campaign: null, merchantAgreementUrl: 'https://x.example', merchantRedirectUrl: 'https://x.example', vippsConfirmationUrl: null, externalId: null,
  countryCode: 'NO', sub: null, userinfoUrl: null, created: '2026-01-01T00:00:00Z', start: null, stop: null,
});
const charge = (chargeId: string, status: ChargeRecord['status'], captured = 0): ChargeRecord => ({
  merchantSerialNumber: MSN, agreementId: 'agr_A', chargeId, status, type: 'RECURRING', transactionType: 'RESERVE_CAPTURE', amount: 5000, currency: 'NOK',
  description: 'Box', due: '2026-01-01T00:00:00Z', retryDays: 0, externalId: null, externalAgreementId: null, transactionId: null, failureReason: null,
  failureDescription: null, summary: { captured, refunded: 0, cancelled: 0 }, history: [{ occurred: '2026-01-01T00:00:00Z', event: 'RESERVE', amount: 5000, idempotencyKey: null, success: true }],
});

/** The Recurring registry and stores (src/recurring/) against the real test Redis: many writers at once, and Redis failing. */
describe('Recurring registry and stores', () => {
  const prefix = uniquePrefix('recurring-stores');
  const keys = redisKeys(prefix);
  const errors: string[] = [];
  const log = createLogger('error', { write: (line: string) => void errors.push(line) });
  const lookups = new CacheMetrics(new Registry());
  let redis: Redis;
  /** Separate connections, as separate API and worker processes would have. */
  let clients: Redis[];
  let registries: RecurringRegistry[];

  beforeAll(async () => {
    redis = testRedis();
    clients = [0, 1, 2].map(() => apiRedis(testRedisUrl()));
    await Promise.all(clients.map((client) => new Promise((resolve) => client.once('ready', resolve))));
    registries = clients.map((client) => new RecurringRegistry(client, keys));
  });
  beforeEach(() => {
    errors.length = 0;
  });
  afterAll(async () => {
    await deleteKeys(redis, prefix);
    await Promise.all([redis, ...clients].map((client) => client.quit()));
  });

  const registry = () => registries[0] as RecurringRegistry;

  it('tells exactly one of many writers storing the same change at once that it moved', async () => {
    const recordAll = (a: AgreementRecord) => Promise.all(Array.from({ length: 30 }, (_, i) => (registries[i % registries.length] as RecurringRegistry).recordAgreement(a)));
    expect((await recordAll(agreement('agr_MANY'))).filter((r) => r === 'moved')).toHaveLength(1);
    expect((await recordAll(agreement('agr_MANY'))).filter((r) => r === 'moved')).toHaveLength(0);
    expect((await recordAll(agreement('agr_MANY', 'ACTIVE'))).filter((r) => r === 'moved')).toHaveLength(1);
    expect(await redis.ttl(keys.agreementStoredVersion(MSN, 'agr_MANY'))).toBe(-1);
  });

  it('keeps a slower, older read from taking back what a newer one stored: behind, nothing written', async () => {
    expect(await registry().recordAgreement(agreement('agr_RACE', 'ACTIVE'))).toBe('moved');
    expect(await registry().recordAgreement(agreement('agr_RACE', 'PENDING'))).toBe('behind');
    expect(await registry().recordAgreement(agreement('agr_RACE', 'ACTIVE'))).toBe('same');
    expect(await registry().recordCharge(charge('c-race', 'CHARGED', 5000))).toBe('moved');
    expect(await registry().recordCharge(charge('c-race', 'RESERVED'))).toBe('behind');
    // The stale RESERVED did not put the charge back in the reserved index either.
    expect((await registry().reservedCharges(MSN, null, 100)).map((k) => k.chargeId)).not.toContain('c-race');
    const announced: string[] = [];
    const store = new AgreementStore(registry(), new RecurringCache(clients[0] as Redis, keys, log, lookups), log, async (a) => void announced.push(a.status));
    await store.store(agreement('agr_RACE2', 'ACTIVE'));
    await store.store(agreement('agr_RACE2', 'PENDING'));
    expect(announced).toEqual(['ACTIVE']);
    const cached = await new RecurringCache(clients[0] as Redis, keys, log, lookups).getAgreements([{ msn: MSN, agreementId: 'agr_RACE2' }]);
    expect(cached[0]?.status).toBe('ACTIVE');
  });

  it('keeps the index of reserved charges in step and pages it by id', async () => {
    const ids = ['c1', 'c2', 'c3', 'c4', 'c5'];
    for (const id of ids) await registry().recordCharge(charge(id, 'RESERVED'));
    await registry().recordCharge(charge('c6', 'DUE'));
    await registry().recordCharge(charge('c2', 'CHARGED', 5000));
    await registry().recordCharge(charge('c4', 'PARTIALLY_CAPTURED', 1000));
    const seen: string[] = [];
    let page = await registry().reservedCharges(MSN, null, 2);
    for (; page.length > 0; page = await registry().reservedCharges(MSN, page.at(-1) ?? null, 2)) seen.push(...page.map((k) => k.chargeId));
    expect(seen).toEqual(['c1', 'c3', 'c4', 'c5']);
    expect(await registry().reservedCharges(MSN, null, 10)).toContainEqual({ msn: MSN, agreementId: 'agr_A', chargeId: 'c1' });
  });

  it('caches and announces nothing when the registry cannot be written, so the next store announces the change', async () => {
    const down = apiRedis(testRedisUrl(), { lazyConnect: true });
    const announced: string[] = [];
    const changed = async (c: ChargeRecord) => void announced.push(c.status);
    const cache = new RecurringCache(clients[1] as Redis, keys, log, lookups);
    const failing = new ChargeStore(new RecurringRegistry(down, keys), cache, log, changed);
    const working = new ChargeStore(registry(), cache, log, changed);
    const cached = async () => cache.getCharges([{ msn: MSN, agreementId: 'agr_A', chargeId: 'c-down' }]);

    await failing.store(charge('c-down', 'RESERVED'));
    expect(announced).toEqual([]);
    expect(await cached()).toEqual([null]);
    expect(errors.join('')).toMatch(/registry write failed; the next read, poll, webhook or sweep stores the change/);

    await working.store(charge('c-down', 'RESERVED'));
    await working.store(charge('c-down', 'RESERVED'));
    expect(announced).toEqual(['RESERVED']);
    expect((await cached())[0]?.status).toBe('RESERVED');
    down.disconnect();
  });

  it('logs a failed announcement without failing the store, which has cached the change', async () => {
    const cache = new RecurringCache(clients[2] as Redis, keys, log, lookups);
    const store = new AgreementStore(registry(), cache, log, async () => {
      throw new Error('publish failed');
    });
    await expect(store.store(agreement('agr_LOUD', 'ACTIVE'))).resolves.toBeUndefined();
    expect(errors.join('')).toMatch(/could not announce a change.*"agreementId":"agr_LOUD"|"agreementId":"agr_LOUD".*could not announce a change/);
    expect((await cache.getAgreements([{ msn: MSN, agreementId: 'agr_LOUD' }]))[0]?.status).toBe('ACTIVE');
  });
});
