import { nextChargePollDelay, nextPollDelay } from '../../../src/queues/poll-cadence';

const since = 0;
const minute = 60_000;

describe('poll cadence (docs/design.md §5)', () => {
  test.each<[string, number, string | null, number | null]>([
    ['every 2 s while the user can act', 3 * minute, null, 2_000],
    ['backing off just after the window', 10 * minute + 1, null, 4_000],
    ['at most a minute apart later', 40 * minute, null, 60_000],
    ['giving up an hour after the window', 71 * minute, null, null],
    ['every 2 s until a long-living payment expires', 3 * 86_400_000, new Date(4 * 86_400_000).toISOString(), 2_000],
  ])('%s', (_name, now, expiresAt, expected) => {
    expect(nextPollDelay(now, since, expiresAt)).toBe(expected);
  });
});

describe('charge poll cadence', () => {
  const due = Date.parse('2026-03-10T00:00:00Z');
  const charge = (status: string, retryDays = 2) => ({ status: status as 'DUE', due: new Date(due).toISOString(), retryDays });
  const hour = 3_600_000;

  test.each<[string, ReturnType<typeof charge>, number, number | null]>([
    ['a day at most while the due date is far', charge('PENDING'), due - 10 * 24 * hour, 24 * hour],
    ['until the due date when it is close', charge('DUE'), due - 2 * hour, 2 * hour],
    ['every 15 minutes from the due date', charge('DUE'), due + hour, 15 * 60_000],
    ['still during the retry days', charge('DUE', 3), due + 3 * 24 * hour, 15 * 60_000],
    ['not after the last retry day has passed', charge('DUE', 1), due + 4 * 24 * hour + 1, null],
    ['not for a charged charge', charge('CHARGED'), due + hour, null],
    ['not for a reserved charge (capture-before-expiry follows it)', charge('RESERVED'), due + hour, null],
  ])('%s', (_name, c, now, expected) => {
    expect(nextChargePollDelay(c, now)).toBe(expected);
  });
});
