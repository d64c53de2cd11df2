import type { Logger } from '../log/logger';

/** What recording a record found: it moved, it is what we had, or it is behind what we had. */
export type Recorded = 'moved' | 'same' | 'behind';

export interface StoreSteps<T> {
  /** Record one in the registry: whether it moved, or is behind what we have (throws when Redis does). */
  record: (r: T) => Promise<Recorded>;
  /** Write the cache with the records that are not behind (`moved`: those that moved). */
  write: (current: readonly T[], moved: readonly T[]) => Promise<unknown>;
  /** Tell of one move (subscriptions, jobs). */
  announce: (r: T) => Promise<void>;
  /** For log lines: which record. */
  describe: (r: T) => Record<string, unknown>;
  log: Logger;
}

/**
 * The steps of every store (payments, agreements, charges), in order: the registry says which
 * records moved (one atomic compare-and-set each), the cache is written, then each move is
 * announced once, after it is stored (docs/design.md, convention 9). When the registry cannot be written nothing is
 * cached or announced and false is returned, so the next read, poll, webhook or sweep finds the
 * change again. A failed announcement is logged, never turned into an error of the read or
 * mutation that stored it.
 */
export async function storeThenAnnounce<T>(records: readonly T[], steps: StoreSteps<T>): Promise<boolean> {
  let outcomes: Recorded[];
  try {
    outcomes = await Promise.all(records.map(steps.record));
  } catch (error) {
    steps.log.error({ err: error }, 'registry write failed; the next read, poll, webhook or sweep stores the change');
    return false;
  }
  const moved = records.filter((_, i) => outcomes[i] === 'moved');
  await steps.write(records.filter((_, i) => outcomes[i] !== 'behind'), moved);
  for (const r of moved) {
    try {
      await steps.announce(r);
    } catch (error) {
      steps.log.error({ err: error, ...steps.describe(r) }, 'could not announce a change; its jobs are rebuilt by the sweeper');
    }
  }
  return true;
}
