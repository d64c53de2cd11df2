import type { ChargeRecord } from '../recurring/recurring-record';
import { POLL } from './queues';

/**
 * When to look at a CREATED payment next (docs/design.md §5): every 2 s while the user can act (10
 * minutes, or until `expiresAt`), then backing off to a minute, and giving up an hour after the
 * window closed (Vipps will have expired it; the sweeper still looks now and then). Pure.
 */
export function nextPollDelay(now: number, since: number, expiresAt: string | null | undefined): number | null {
  const windowEnds = expiresAt ? Date.parse(expiresAt) : since + POLL.userWindowMs;
  if (now < windowEnds) return POLL.intervalMs;
  const overdue = now - windowEnds;
  if (overdue > POLL.giveUpAfterWindowMs) return null;
  return Math.min(POLL.slowIntervalMs, POLL.intervalMs * 2 ** Math.ceil(overdue / 60_000));
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * When to look at a Recurring charge next: Vipps processes charges on the due date and retries
 * daily until due + retryDays (docs/vipps.md §10.7), so look daily before that, every 15 minutes
 * from the due date to a day after the last retry, and stop at a final or settled status.
 */
export function nextChargePollDelay(c: Pick<ChargeRecord, 'status' | 'due' | 'retryDays'>, now: number): number | null {
  if (!['PENDING', 'DUE', 'PROCESSING'].includes(c.status)) return null;
  const due = Date.parse(c.due);
  const lastRetryOver = due + (c.retryDays + 1) * DAY;
  if (now > lastRetryOver + DAY) return null;
  if (now < due) return Math.min(due - now, DAY);
  return 15 * 60_000;
}
