import type { Redis } from 'ioredis';
import { IdempotencyLedger, LedgerUnavailableError, ledgerFingerprint, type Begin, type LedgerEntry } from '../../../src/common/idempotency-ledger';
import { createLogger } from '../../../src/log/logger';
import { apiRedis } from '../../../src/redis/client';
import { redisKeys } from '../../../src/redis/keys';
import { deleteKeys, testRedis, testRedisUrl, uniquePrefix } from '../../support/redis';

type Request = { amount: number };
type Outcome = string;

/** The ledger (src/common/idempotency-ledger.ts) against the real test Redis, many callers at once. */
describe('idempotency ledger', () => {
  const prefix = uniquePrefix('idempotency-ledger');
  const keys = redisKeys(prefix);
  const msn = '123456';
  const fingerprint = ledgerFingerprint('capture', { reference: 'order-1', amount: 100 });
  const warnings: string[] = [];
  const log = createLogger('warn', { write: (line: string) => void warnings.push(line) });
  let redis: Redis;
  /** Separate connections, as separate API processes would have, each with its own ledger. */
  let clients: Redis[];
  let ledgers: IdempotencyLedger[];
  let n = 0;
  const newKey = () => `key-${++n}`;

  beforeAll(async () => {
    redis = testRedis();
    // The API's fail-fast connections: no offline queue, so wait until they are ready.
    clients = [0, 1, 2].map(() => apiRedis(testRedisUrl()));
    await Promise.all(clients.map((client) => new Promise((resolve) => client.once('ready', resolve))));
    ledgers = clients.map((client) => new IdempotencyLedger(client, keys, log));
  });
  beforeEach(() => {
    warnings.length = 0;
  });
  afterEach(() => {
    // No test expects a warning.
    expect(warnings).toEqual([]);
  });
  afterAll(async () => {
    await deleteKeys(redis, prefix);
    await Promise.all([redis, ...clients].map((client) => client.quit()));
  });

  const store = (key: string, entry: LedgerEntry<Request, Outcome>) => redis.set(keys.idempotency(msn, key), JSON.stringify(entry), 'EX', 600);
  const stored = async (key: string) => JSON.parse((await redis.get(keys.idempotency(msn, key))) ?? 'null') as LedgerEntry<Request, Outcome> | null;

  /** `callers` concurrent `begin`s for one key, spread over the ledgers; how many got each answer. */
  async function beginAll(key: string, callers = 20): Promise<{ kinds: Record<string, number>; answers: Begin<Request, Outcome>[] }> {
    const answers = await Promise.all(
      Array.from({ length: callers }, (_, i) => (ledgers[i % ledgers.length] as IdempotencyLedger).begin<Request, Outcome>(msn, key, fingerprint)),
    );
    const kinds: Record<string, number> = {};
    for (const answer of answers) kinds[answer.kind] = (kinds[answer.kind] ?? 0) + 1;
    return { kinds, answers };
  }

  it('lets one of many concurrent callers start a new key', async () => {
    const { kinds } = await beginAll(newKey());
    expect(kinds).toEqual({ new: 1, 'in-progress': 19 });
  });

  it('lets exactly one of many concurrent callers take over an abandoned decision', async () => {
    const key = newKey();
    await store(key, { state: 'deciding', fingerprint, at: Date.now() - 60_000 });
    const before = Date.now();
    const { kinds } = await beginAll(key);
    expect(kinds).toEqual({ new: 1, 'in-progress': 19 });
    const entry = await stored(key);
    expect(entry).toMatchObject({ state: 'deciding', fingerprint });
    expect(entry?.at).toBeGreaterThanOrEqual(before);
    expect(await redis.ttl(keys.idempotency(msn, key))).toBeGreaterThan(29 * 86_400);
  });

  it('lets exactly one of many concurrent callers resume an interrupted send, with the stored request', async () => {
    const key = newKey();
    await store(key, { state: 'sending', fingerprint, at: 0, request: { amount: 100 } });
    const before = Date.now();
    const { kinds, answers } = await beginAll(key);
    expect(kinds).toEqual({ resume: 1, 'in-progress': 19 });
    expect(answers.find((a) => a.kind === 'resume')).toEqual({ kind: 'resume', request: { amount: 100 } });
    // The resuming caller has claimed the request: it stays the same, now marked as being sent.
    const entry = await stored(key);
    expect(entry).toMatchObject({ state: 'sending', fingerprint, request: { amount: 100 } });
    expect(entry?.at).toBeGreaterThanOrEqual(before);
    expect(await redis.ttl(keys.idempotency(msn, key))).toBeGreaterThan(29 * 86_400);
  });

  it('decides again on what it finds when the entry changes between its read and its takeover', async () => {
    const key = newKey();
    await store(key, { state: 'deciding', fingerprint, at: Date.now() - 60_000 });
    const client = clients[0] as Redis;
    const get = client.get.bind(client);
    // The first read sees the abandoned decision; before the takeover, another caller finishes.
    const spy = jest.spyOn(client, 'get').mockImplementationOnce(async (k) => {
      const value = await get(k);
      await store(key, { state: 'done', fingerprint, at: Date.now(), outcome: 'captured' });
      return value;
    });
    try {
      const answer = await (ledgers[0] as IdempotencyLedger).begin<Request, Outcome>(msn, key, fingerprint);
      expect(answer).toEqual({ kind: 'replay', outcome: 'captured' });
      expect(await stored(key)).toMatchObject({ state: 'done', outcome: 'captured' });
    } finally {
      spy.mockRestore();
    }
  });

  it('answers in progress, without writing, when every read it takes over from has changed already', async () => {
    const key = newKey();
    const current: LedgerEntry<Request, Outcome> = { state: 'deciding', fingerprint, at: Date.now() };
    await store(key, current);
    const client = clients[0] as Redis;
    // Every read sees an abandoned decision that is no longer what Redis holds.
    const spy = jest.spyOn(client, 'get').mockResolvedValue(JSON.stringify({ state: 'deciding', fingerprint, at: 1 }));
    try {
      const answer = await (ledgers[0] as IdempotencyLedger).begin<Request, Outcome>(msn, key, fingerprint);
      expect(answer).toEqual({ kind: 'in-progress' });
    } finally {
      spy.mockRestore();
    }
    expect(await stored(key)).toEqual(current);
  });

  it('does not step aside when Redis is unavailable: begin and sending throw, so nothing is sent', async () => {
    // Nothing listens on port 1; the API's fail-fast client refuses the command at once.
    const down = apiRedis('redis://127.0.0.1:1', { lazyConnect: true, retryStrategy: () => null });
    try {
      const unreachable = new IdempotencyLedger(down, keys, log);
      await expect(unreachable.begin(msn, newKey(), fingerprint)).rejects.toBeInstanceOf(LedgerUnavailableError);
      await expect(unreachable.sending(msn, newKey(), fingerprint, { body: 1 })).rejects.toBeInstanceOf(LedgerUnavailableError);
    } finally {
      down.disconnect();
    }
  });
});
