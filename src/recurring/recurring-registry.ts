import type { Redis } from 'ioredis';
import type { Recorded } from '../common/store-then-announce';
import type { RedisKeys } from '../redis/keys';
import type { ChargeKey } from './recurring-cache';
import { capturable } from './charge-rules';
import type { AgreementRecord, ChargeRecord } from './recurring-record';
import { agreementRank, agreementVersion, chargeRank, chargeVersion } from './recurring-versions';

/**
 * Set the version a resource now has and say whether it differs from the one stored before:
 * one atomic step on one key, so of everyone storing the same change at once (a query, a poll
 * and a webhook) exactly one hears that it moved. The key holds `<progress rank>|<version>`: a
 * record whose rank is below the stored one is behind (a slower, older read) and changes nothing
 * (-1). A charge also joins or leaves its merchant's index of reserved charges (KEYS[2], same
 * slot). ARGV: version, index member, '1' = reserved, progress rank.
 */
const RECORD_SCRIPT = `
local stored = redis.call('GET', KEYS[1])
local storedRank, storedVersion = -1, stored
if stored then
  local bar = string.find(stored, '|', 1, true)
  if bar then
    storedRank = tonumber(string.sub(stored, 1, bar - 1))
    storedVersion = string.sub(stored, bar + 1)
  end
end
if tonumber(ARGV[4]) < storedRank then return -1 end
local moved = storedVersion ~= ARGV[1]
if moved then redis.call('SET', KEYS[1], ARGV[4] .. '|' .. ARGV[1]) end
if KEYS[2] then
  if ARGV[3] == '1' then redis.call('ZADD', KEYS[2], 0, ARGV[2]) else redis.call('ZREM', KEYS[2], ARGV[2]) end
end
return moved and 1 or 0
`;

const RECORDED: Record<number, Recorded> = { 1: 'moved', 0: 'same', [-1]: 'behind' };

/**
 * What we keep of Recurring for good (durable, no TTL), beside the cache: the version of every
 * agreement and charge last stored, and each merchant's reserved charges with money left, which
 * the sweeper pages through to rebuild their capture deadlines (Vipps lists charges per
 * agreement only). Calls throw when Redis does.
 */
export class RecurringRegistry {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  /** Whether this agreement moved since it was last recorded (a first sight is a move). */
  async recordAgreement(a: AgreementRecord): Promise<Recorded> {
    const reply = await this.redis.eval(RECORD_SCRIPT, 1, this.keys.agreementStoredVersion(a.merchantSerialNumber, a.agreementId), agreementVersion(a), '', '0', String(agreementRank(a)));
    return RECORDED[Number(reply)] ?? 'same';
  }

  /** The same for a charge, keeping the index of reserved charges in step. */
  async recordCharge(c: ChargeRecord): Promise<Recorded> {
    const msn = c.merchantSerialNumber;
    const version = this.keys.chargeStoredVersion(msn, c.agreementId, c.chargeId);
    const reserved = capturable(c) > 0 ? '1' : '0';
    const reply = await this.redis.eval(RECORD_SCRIPT, 2, version, this.keys.reservedCharges(msn), chargeVersion(c), `${c.agreementId}/${c.chargeId}`, reserved, String(chargeRank(c)));
    return RECORDED[Number(reply)] ?? 'same';
  }

  /** Up to `limit` of a merchant's reserved charges after `after` (the last of the previous page), in id order. */
  async reservedCharges(msn: string, after: ChargeKey | null, limit: number): Promise<ChargeKey[]> {
    const from = after ? `(${after.agreementId}/${after.chargeId}` : '-';
    const members = await this.redis.zrangebylex(this.keys.reservedCharges(msn), from, '+', 'LIMIT', 0, limit);
    return members.map((member) => {
      const [agreementId = '', chargeId = ''] = member.split('/');
      return { msn, agreementId, chargeId };
    });
  }
}
