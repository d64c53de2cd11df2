import { POLL } from './queues';

/**
 * When to look at a CREATED payment next (DESIGN §5): every 2 s while the user can act (10
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
