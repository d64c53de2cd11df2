import { addDays, checkDueDate, dateOf, isCalendarDate, isDueToday, isWithinVisibleWindow, lastRetryDate } from '../../../src/simulator/recurring/due-date';
import { outcome } from './recurring-fixtures';

/** Due-date rules of docs/vipps.md §10.4 and §10.7, on UTC calendar dates. */

const now = new Date('2026-03-10T23:30:00Z');

test('the simulator date is the UTC date', () => {
  expect(dateOf(now)).toBe('2026-03-10');
  expect(dateOf(new Date('2026-03-10T23:30:00-02:00'))).toBe('2026-03-11');
});

test.each([
  ['2026-03-10', 'charge-due-too-soon'],
  ['2026-03-09', 'charge-due-too-soon'],
  ['2026-03-11', 'ok'],
  ['2028-03-10', 'ok'],
  ['2028-03-11', 'charge-due-in-too-long'],
])('due %s → %s', (due, expected) => {
  expect(outcome(() => checkDueDate(due, now))).toBe(expected);
});

test('two years from a leap day ends on 1 March', () => {
  const leap = new Date('2028-02-29T10:00:00Z');
  expect(outcome(() => checkDueDate('2030-03-01', leap))).toBe('ok');
  expect(outcome(() => checkDueDate('2030-03-02', leap))).toBe('charge-due-in-too-long');
});

test.each([
  ['2026-02-28', true],
  ['2028-02-29', true],
  ['2026-02-29', false],
  ['2026-13-01', false],
  ['2026-3-1', false],
  ['2026-03-01T00:00:00Z', false],
])('isCalendarDate(%s) = %s', (value, expected) => {
  expect(isCalendarDate(value)).toBe(expected);
});

test('visible 30 days ahead; due on the day itself; last retry = due + retryDays across month ends', () => {
  expect(isWithinVisibleWindow('2026-04-09', now)).toBe(true);
  expect(isWithinVisibleWindow('2026-04-10', now)).toBe(false);
  expect(isDueToday('2026-03-10', now)).toBe(true);
  expect(isDueToday('2026-03-11', now)).toBe(false);
  expect(lastRetryDate('2026-01-30', 3)).toBe('2026-02-02');
  expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
});
