import type { Redis } from 'ioredis';
import type { RedisKeys } from '../redis/keys';
import type { PaymentRecord, PaymentState, UserFlow } from './payment-record';
import { progressRank, progressVersion } from './payment-version';

/**
 * ePayment has no list endpoint, so we keep a registry of every payment we create or learn of
 * (docs/design.md §4): a hash per payment with what Vipps does not return, and sorted sets per merchant
 * (all, and per state) ordered by creation time. Durable data: no TTL.
 */
export interface PaymentMeta {
  reference: string;
  state: PaymentState;
  createdAt: string;
  updatedAt: string;
  description: string | null;
  userFlow: UserFlow | null;
  redirectUrl: string | null;
  authorizedAt: string | null;
  capturedAt: string | null;
}

export interface RegistryPage {
  total: number;
  rows: { reference: string; createdAtMs: number; cached: PaymentRecord | null }[];
}

/**
 * Write meta, index by creation time, and move the payment between state sets, atomically.
 * Progress only moves forward (webhooks and polls may arrive out of order, reads may race): a
 * record that is behind the stored one (back to CREATED, or less money moved) is not written. Returns the state kept and 1 when the progress version (state
 * and amounts) differs from the stored one.
 */
const RECORD_SCRIPT = `
local old = redis.call('HGET', KEYS[1], 'state')
local oldVersion = redis.call('HGET', KEYS[1], 'version')
local oldProgress = tonumber(redis.call('HGET', KEYS[1], 'progress') or '-1')
local state = ARGV[3]
if (old and old ~= 'CREATED' and state == 'CREATED') or tonumber(ARGV[5]) < oldProgress then return { old, 0, 0 } end
redis.call('HSET', KEYS[1], 'progress', ARGV[5])
for i = 6, #ARGV, 2 do
  if ARGV[i + 1] == '' then redis.call('HDEL', KEYS[1], ARGV[i]) else redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
end
redis.call('HSET', KEYS[1], 'state', state)
redis.call('ZADD', KEYS[2], 'NX', ARGV[2], ARGV[1])
if old and old ~= state then redis.call('ZREM', ARGV[4] .. old, ARGV[1]) end
redis.call('ZADD', ARGV[4] .. state, 'NX', ARGV[2], ARGV[1])
local version = redis.call('HGET', KEYS[1], 'version')
return { state, (oldVersion == version) and 0 or 1, 1 }
`;

/**
 * One page, newest first, from one or more sorted sets (one per requested state), together with
 * the cached payments: one round trip for the whole page. ARGV: cursor score ('' = none), cursor
 * reference, page size + 1, cache key prefix. Ties on the creation time are ordered by reference.
 */
const PAGE_SCRIPT = `
local n = tonumber(ARGV[3])
local hasCursor = ARGV[1] ~= ''
local cursorScore = hasCursor and tonumber(ARGV[1]) or 0
local max = hasCursor and ARGV[1] or '+inf'
local items = {}
local total = 0
for _, key in ipairs(KEYS) do
  total = total + redis.call('ZCARD', key)
  local rows = redis.call('ZREVRANGEBYSCORE', key, max, '-inf', 'WITHSCORES', 'LIMIT', 0, n + 64)
  for j = 1, #rows, 2 do
    local member, score = rows[j], tonumber(rows[j + 1])
    if not hasCursor or score < cursorScore or member < ARGV[2] then
      table.insert(items, { member, score })
    end
  end
end
table.sort(items, function(a, b)
  if a[2] ~= b[2] then return a[2] > b[2] end
  return a[1] > b[1]
end)
local out = { total }
local count = math.min(#items, n)
if count == 0 then return out end
local cacheKeys = {}
for i = 1, count do cacheKeys[i] = ARGV[4] .. items[i][1] end
local cached = redis.call('MGET', unpack(cacheKeys))
for i = 1, count do
  table.insert(out, items[i][1])
  table.insert(out, tostring(items[i][2]))
  table.insert(out, cached[i] or '')
end
return out
`;

export class PaymentRegistry {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {
    redis.defineCommand('vgRegistryRecord', { numberOfKeys: 2, lua: RECORD_SCRIPT });
    redis.defineCommand('vgRegistryPage', { lua: PAGE_SCRIPT });
  }

  /**
   * Record a payment we created or learnt of, or its new state: whether it was written (not
   * behind what we had) and whether it moved.
   */
  async record(p: PaymentRecord): Promise<{ written: boolean; changed: boolean }> {
    const msn = p.merchantSerialNumber;
    const fields: Record<string, string> = {
      createdAt: p.createdAt,
      updatedAt: p.updatedAt,
      description: p.description ?? '',
      userFlow: p.userFlow ?? '',
      redirectUrl: p.redirectUrl ?? '',
      authorizedAt: p.authorizedAt ?? '',
      capturedAt: p.capturedAt ?? '',
      version: progressVersion(p),
    };
    const args = [p.reference, String(Date.parse(p.createdAt)), p.state, this.keys.paymentStateIndex(msn, ''), String(progressRank(p))];
    for (const [name, value] of Object.entries(fields)) args.push(name, value);
    const command = (this.redis as unknown as Record<string, (...a: string[]) => Promise<[string, number, number]>>).vgRegistryRecord as (...a: string[]) => Promise<[string, number, number]>;
    const [, changed, written] = await command.call(this.redis, this.keys.paymentMeta(msn, p.reference), this.keys.paymentIndex(msn), ...args);
    return { written: Number(written) === 1, changed: Number(changed) === 1 };
  }

  /**
   * A create we are about to send: kept until the payment is recorded, so a payment Vipps made
   * while our store was failing is still found (the sweeper reads these). Throws when Redis does.
   */
  async intend(msn: string, reference: string, atMs: number): Promise<void> {
    await this.redis.zadd(this.keys.paymentIntents(msn), 'NX', atMs, reference);
  }

  async fulfil(msn: string, reference: string): Promise<void> {
    await this.redis.zrem(this.keys.paymentIntents(msn), reference);
  }

  /** Intents decided before `beforeMs`, oldest first, with when they were decided. */
  async intents(msn: string, beforeMs: number, limit: number): Promise<{ reference: string; atMs: number }[]> {
    const reply = await this.redis.zrangebyscore(this.keys.paymentIntents(msn), '-inf', `(${beforeMs}`, 'WITHSCORES', 'LIMIT', 0, limit);
    const out: { reference: string; atMs: number }[] = [];
    for (let i = 0; i < reply.length; i += 2) out.push({ reference: reply[i] as string, atMs: Number(reply[i + 1]) });
    return out;
  }

  async meta(msn: string, reference: string): Promise<PaymentMeta | null> {
    const hash = await this.redis.hgetall(this.keys.paymentMeta(msn, reference));
    if (!hash.state || !hash.createdAt) return null;
    const orNull = (v: string | undefined) => (v ? v : null);
    return {
      reference,
      state: hash.state as PaymentState,
      createdAt: hash.createdAt,
      updatedAt: hash.updatedAt ?? hash.createdAt,
      description: orNull(hash.description),
      userFlow: orNull(hash.userFlow) as UserFlow | null,
      redirectUrl: orNull(hash.redirectUrl),
      authorizedAt: orNull(hash.authorizedAt),
      capturedAt: orNull(hash.capturedAt),
    };
  }

  async page(msn: string, states: readonly PaymentState[] | null, size: number, after: { createdAtMs: number; reference: string } | null): Promise<RegistryPage> {
    const sets = states && states.length > 0 ? [...new Set(states)].map((s) => this.keys.paymentStateIndex(msn, s)) : [this.keys.paymentIndex(msn)];
    const args = [after ? String(after.createdAtMs) : '', after?.reference ?? '', String(size + 1), this.keys.paymentCache(msn, '')];
    const command = (this.redis as unknown as Record<string, (...a: (string | number)[]) => Promise<string[]>>).vgRegistryPage as (...a: (string | number)[]) => Promise<(string | number)[]>;
    const reply = await command.call(this.redis, sets.length, ...sets, ...args);
    const rows: RegistryPage['rows'] = [];
    for (let i = 1; i < reply.length; i += 3) {
      const cached = String(reply[i + 2] ?? '');
      rows.push({ reference: String(reply[i]), createdAtMs: Number(reply[i + 1]), cached: cached ? (JSON.parse(cached) as PaymentRecord) : null });
    }
    return { total: Number(reply[0]), rows };
  }
}
