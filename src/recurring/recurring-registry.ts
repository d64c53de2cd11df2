import type { Redis } from 'ioredis';
import type { Recorded } from '../common/store-then-announce';
import type { RedisKeys } from '../redis/keys';
import type { ChargeKey } from './recurring-cache';
import { capturable } from './charge-rules';
import { AGREEMENT_STATUSES, type AgreementRecord, type AgreementStatus, type ChargeRecord } from './recurring-record';
import { agreementRank, agreementVersion, chargeRank, chargeVersion } from './recurring-versions';

/**
 * Set the version a resource now has and say whether it differs from the one stored before:
 * one atomic step, so of everyone storing the same change at once (a query, a poll and a webhook)
 * exactly one hears that it moved. KEYS[1] holds `<progress rank>|<version>`: a record whose rank
 * is below the stored one is behind (a slower, older read) and changes nothing (-1). The other
 * KEYS are the merchant's indexes (sorted sets, score 0, same slot): the record joins the one
 * numbered ARGV[3] (0 = none) and leaves the others, so it is in exactly one, with the version.
 * ARGV: version, index member, index to join, progress rank.
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
local join = tonumber(ARGV[3])
for i = 2, #KEYS do
  if i == join then redis.call('ZADD', KEYS[i], 0, ARGV[2]) else redis.call('ZREM', KEYS[i], ARGV[2]) end
end
return moved and 1 or 0
`;

const RECORDED: Record<number, Recorded> = { 1: 'moved', 0: 'same', [-1]: 'behind' };

type RecordCommand = (numberOfKeys: number, ...keysThenArgs: string[]) => Promise<number>;

/** An agreement in its status index, and where it stands there (the cursor to page on from it). */
export interface IndexedAgreement {
  agreementId: string;
  position: string;
}

/**
 * Where an agreement stands in its status index: creation time (zero-padded epoch ms, so text
 * order is time order) then id. It depends only on what never changes, so a move between statuses
 * removes exactly the member it added.
 */
export function agreementPosition(a: AgreementRecord): string {
  const created = Date.parse(a.created);
  return `${String(Number.isFinite(created) ? created : 0).padStart(15, '0')}:${a.agreementId}`;
}

/** A position as `agreementPosition` writes it (a cursor carries one). */
export const isAgreementPosition = (text: string): boolean => /^\d{15}:[^:]+$/.test(text);

/**
 * What we keep of Recurring for good (durable, no TTL), beside the cache: the version of every
 * agreement and charge last stored; each merchant's agreements by status, oldest first, which
 * `agreements(...)` pages through instead of Vipps' list (5 calls a minute per merchant); and each
 * merchant's reserved charges with money left, which the sweeper pages through to rebuild their
 * capture deadlines (Vipps lists charges per agreement only). Calls throw when Redis does.
 */
export class RecurringRegistry {
  private readonly recordCommand: RecordCommand;

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {
    // EVALSHA: a listing records up to a thousand agreements at once.
    redis.defineCommand('vgRecurringRecord', { lua: RECORD_SCRIPT });
    const commands = redis as unknown as { vgRecurringRecord: RecordCommand };
    this.recordCommand = commands.vgRecurringRecord.bind(redis);
  }

  /** Whether this agreement moved since it was last recorded (a first sight is a move); it joins its status index. */
  async recordAgreement(a: AgreementRecord): Promise<Recorded> {
    const msn = a.merchantSerialNumber;
    const indexes = AGREEMENT_STATUSES.map((status) => this.keys.agreementStatusIndex(msn, status));
    const join = 2 + AGREEMENT_STATUSES.indexOf(a.status);
    const reply = await this.recordCommand(1 + indexes.length, this.keys.agreementStoredVersion(msn, a.agreementId), ...indexes, agreementVersion(a), agreementPosition(a), String(join), String(agreementRank(a)));
    return RECORDED[Number(reply)] ?? 'same';
  }

  /** The same for a charge, keeping the index of reserved charges in step. */
  async recordCharge(c: ChargeRecord): Promise<Recorded> {
    const msn = c.merchantSerialNumber;
    const version = this.keys.chargeStoredVersion(msn, c.agreementId, c.chargeId);
    const join = capturable(c) > 0 ? '2' : '0';
    const reply = await this.recordCommand(2, version, this.keys.reservedCharges(msn), chargeVersion(c), `${c.agreementId}/${c.chargeId}`, join, String(chargeRank(c)));
    return RECORDED[Number(reply)] ?? 'same';
  }

  /**
   * Up to `limit` of a merchant's agreements in one status after `after` (a position), oldest
   * first, and how many are in that status: one MULTI, so the count and the page agree.
   */
  async agreements(msn: string, status: AgreementStatus, after: string | null, limit: number): Promise<{ total: number; rows: IndexedAgreement[] }> {
    const key = this.keys.agreementStatusIndex(msn, status);
    const replies = await this.redis.multi().zcard(key).zrangebylex(key, after ? `(${after}` : '-', '+', 'LIMIT', 0, limit).exec();
    const [count, range] = (replies ?? []).map(([error, value]) => {
      if (error) throw error;
      return value;
    });
    const rows = (range as string[]).map((position) => ({ agreementId: position.slice(position.indexOf(':') + 1), position }));
    return { total: Number(count), rows };
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

  /**
   * Whether this process may list the merchant's agreements at Vipps now: true for at most one
   * caller per `everySeconds` (across processes), and at once when it was never done.
   */
  async claimAgreementListing(msn: string, everySeconds: number): Promise<boolean> {
    return (await this.redis.set(this.keys.agreementsListed(msn), String(Date.now()), 'EX', everySeconds, 'NX')) === 'OK';
  }

  /** A listing that failed: the next sweep may try again. */
  async releaseAgreementListing(msn: string): Promise<void> {
    await this.redis.del(this.keys.agreementsListed(msn));
  }
}
