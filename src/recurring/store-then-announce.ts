import type { Logger } from '../log/logger';
import type { AgreementRecord, ChargeRecord } from './recurring-record';
import type { Recorded } from './recurring-registry';

export interface StoreSteps<T extends AgreementRecord | ChargeRecord> {
  /** Record one in the registry: whether it moved, or is behind what we have (throws when Redis does). */
  record: (r: T) => Promise<Recorded>;
  /** Write the cache with the records that are not behind. */
  write: (current: readonly T[]) => Promise<unknown>;
  /** Tell of one move (subscriptions, jobs). */
  announce: (r: T) => Promise<void>;
  log: Logger;
}

/**
 * The steps of every Recurring store, in order: the registry says which records moved (one
 * atomic compare-and-set each), the cache is written, then each move is announced once, after it
 * is stored (STYLE 9). When the registry cannot be written nothing is cached or announced, so the
 * next read, poll or webhook finds the change again. A failed announcement is logged, never
 * turned into an error of the read or mutation that stored it.
 */
export async function storeThenAnnounce<T extends AgreementRecord | ChargeRecord>(records: readonly T[], steps: StoreSteps<T>): Promise<void> {
  let outcomes: Recorded[];
  try {
    outcomes = await Promise.all(records.map(steps.record));
  } catch (error) {
    steps.log.error({ err: error }, 'recurring registry write failed; the next read, poll or webhook stores the change');
    return;
  }
  const moved = records.filter((_, i) => outcomes[i] === 'moved');
  await steps.write(records.filter((_, i) => outcomes[i] !== 'behind'));
  for (const r of moved) {
    try {
      await steps.announce(r);
    } catch (error) {
      steps.log.error({ err: error, agreementId: r.agreementId, chargeId: 'chargeId' in r ? r.chargeId : undefined }, 'could not announce a Recurring change');
    }
  }
}
