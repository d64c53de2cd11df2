import type { Redis } from 'ioredis';
import { capturable, captureDeadline } from '../payments/payment-rules';
import type { PaymentRecord } from '../payments/payment-record';
import { capturable as chargeCapturable, captureDeadline as chargeCaptureDeadline } from '../recurring/charge-rules';
import type { ChargeRecord } from '../recurring/recurring-record';
import type { RedisKeys } from '../redis/keys';

/** One entry of the index: which reservation, and when it expires. */
export type ReservationEntry =
  | { kind: 'payment'; msn: string; reference: string; deadlineMs: number; member: string }
  | { kind: 'charge'; msn: string; agreementId: string; chargeId: string; deadlineMs: number; member: string };

export type ReservationKind = ReservationEntry['kind'];

/** Where the next page starts: after this deadline and member (the total order of the index). */
export interface ReservationCursor {
  deadlineMs: number;
  member: string;
}

/**
 * One page across the indexes the caller may read (payments, charges or both), soonest deadline
 * first, ties by member. Each index's start is found by rank, so the work is O(log N + page)
 * whatever the index holds: with a cursor, a marker just after the cursor's member is added at the
 * cursor's deadline, ranked and removed (the cursor's own entry may be gone or have moved); without
 * one, the start is the first deadline not yet passed. KEYS: the indexes. ARGV: now ms, deadline
 * limit ms (exclusive), page size + 1, cursor deadline, cursor member ('' = none).
 */
const PAGE_SCRIPT = `
local now, limit, n = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local items, total = {}, 0
for _, key in ipairs(KEYS) do
  total = total + redis.call('ZCOUNT', key, now, '(' .. ARGV[2])
  local start
  if ARGV[5] ~= '' then
    local marker = ARGV[5] .. '\\0'
    redis.call('ZADD', key, ARGV[4], marker)
    start = redis.call('ZRANK', key, marker)
    redis.call('ZREM', key, marker)
  else
    start = redis.call('ZCOUNT', key, '-inf', '(' .. now)
  end
  local rows = redis.call('ZRANGE', key, start, start + n - 1, 'WITHSCORES')
  for j = 1, #rows, 2 do
    local score = tonumber(rows[j + 1])
    if score < limit then table.insert(items, { rows[j], score }) end
  end
end
table.sort(items, function(a, b)
  if a[2] ~= b[2] then return a[2] < b[2] end
  return a[1] < b[1]
end)
local out = { total }
for i = 1, math.min(#items, n) do
  table.insert(out, items[i][1])
  table.insert(out, tostring(items[i][2]))
end
return out
`;

/**
 * Each merchant's reservations with money left to capture, by capture deadline: authorized
 * payments and reserved Recurring charges, one sorted set each (score = deadline in ms; members
 * `payment/<reference>`, `charge/<agreementId>/<chargeId>`). Kept by the stores' announcements
 * (`keepPayment`, `keepCharge`: in when there is money left, out when captured in full, cancelled
 * or gone), made whole again by the sweeper, which also drops deadlines that have passed.
 * Durable: an entry leaves when its reservation does. Calls throw when Redis does.
 */
export class ReservationIndex {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  async keepPayment(p: PaymentRecord): Promise<void> {
    const deadline = capturable(p) > 0 ? captureDeadline(p) : null;
    await this.keep(this.keys.expiringReservations(p.merchantSerialNumber, 'payment'), `payment/${p.reference}`, deadline);
  }

  async keepCharge(c: ChargeRecord): Promise<void> {
    const deadline = chargeCapturable(c) > 0 ? chargeCaptureDeadline(c) : null;
    await this.keep(this.keys.expiringReservations(c.merchantSerialNumber, 'charge'), `charge/${c.agreementId}/${c.chargeId}`, deadline);
  }

  /**
   * Up to `first` reservations whose deadline is from `nowMs` to before `beforeMs`, soonest first,
   * after `cursor`; `more` when there are others after them; `total` counts the whole range.
   */
  async page(msn: string, kinds: readonly ReservationKind[], nowMs: number, beforeMs: number, first: number, cursor: ReservationCursor | null): Promise<{ entries: ReservationEntry[]; more: boolean; total: number }> {
    const keys = kinds.map((kind) => this.keys.expiringReservations(msn, kind));
    const args = [String(nowMs), String(beforeMs), String(first + 1), String(cursor?.deadlineMs ?? 0), cursor?.member ?? ''];
    const reply = (await this.redis.eval(PAGE_SCRIPT, keys.length, ...keys, ...args)) as (string | number)[];
    const entries: ReservationEntry[] = [];
    for (let i = 1; i < reply.length; i += 2) {
      const entry = parseMember(msn, String(reply[i]), Number(reply[i + 1]));
      if (entry) entries.push(entry);
    }
    return { entries: entries.slice(0, first), more: entries.length > first, total: Number(reply[0]) };
  }

  /** Drop a merchant's entries whose deadline passed before `nowMs`: nothing can be captured there. */
  async prune(msn: string, nowMs: number): Promise<void> {
    await Promise.all((['payment', 'charge'] as const).map((kind) => this.redis.zremrangebyscore(this.keys.expiringReservations(msn, kind), '-inf', `(${nowMs}`)));
  }

  private async keep(key: string, member: string, deadline: Date | null): Promise<void> {
    if (deadline) await this.redis.zadd(key, deadline.getTime(), member);
    else await this.redis.zrem(key, member);
  }
}

/** The entry a member names; null for one this version does not write. */
export function parseMember(msn: string, member: string, deadlineMs: number): ReservationEntry | null {
  const [kind, first, second] = member.split('/');
  if (kind === 'payment' && first) return { kind, msn, reference: first, deadlineMs, member };
  if (kind === 'charge' && first && second) return { kind, msn, agreementId: first, chargeId: second, deadlineMs, member };
  return null;
}
