import { nextPollDelay } from '../../../src/queues/poll-cadence';

const since = 0;
const minute = 60_000;

describe('poll cadence (DESIGN §5)', () => {
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
