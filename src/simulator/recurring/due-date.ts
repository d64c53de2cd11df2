import { recurringProblem } from '../problems';

/**
 * Calendar rules for Recurring charges. `due` is a plain UTC date (`YYYY-MM-DD`) and every rule
 * compares dates on the simulator clock, so advancing the clock moves charges along.
 */

/** Vipps shows charges as DUE in the app roughly 30–35 days ahead (docs/vipps.md §10.7). */
export const VISIBLE_DAYS_AHEAD = 30;
/** [now]: at least one day ahead in both test and production (docs/vipps.md §10.4). */
export const MIN_DAYS_AHEAD = 1;
export const MAX_YEARS_AHEAD = 2;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The simulator's calendar date in UTC. */
export function dateOf(now: Date): string {
  return now.toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return dateOf(d);
}

export function addYears(date: string, years: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCFullYear(d.getUTCFullYear() + years);
  return dateOf(d);
}

/** True for a real calendar date in `YYYY-MM-DD` form (2026-02-30 is not one). */
export function isCalendarDate(value: string): boolean {
  const match = DATE.exec(value);
  if (!match) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && dateOf(d) === value;
}

/** The `charge-due-too-soon` / `charge-due-in-too-long` rules for a syntactically valid date. */
export function checkDueDate(due: string, now: Date): void {
  const today = dateOf(now);
  const earliest = addDays(today, MIN_DAYS_AHEAD);
  const latest = addYears(today, MAX_YEARS_AHEAD);
  if (due < earliest) {
    throw recurringProblem(400, 'charge-due-too-soon', 'Bad Request', `Charge due date must be at least ${MIN_DAYS_AHEAD} day in the future (earliest ${earliest}).`, [
      { field: 'due', text: `must be on or after ${earliest}` },
    ]);
  }
  if (due > latest) {
    throw recurringProblem(400, 'charge-due-in-too-long', 'Bad Request', `Charge due date must be at most ${MAX_YEARS_AHEAD} years in the future (latest ${latest}).`, [
      { field: 'due', text: `must be on or before ${latest}` },
    ]);
  }
}

/** A PENDING charge becomes DUE (visible to the user) once its due date is this close. */
export function isWithinVisibleWindow(due: string, now: Date): boolean {
  return due <= addDays(dateOf(now), VISIBLE_DAYS_AHEAD);
}

/** The due date has arrived: the charge is processed today. */
export function isDueToday(due: string, now: Date): boolean {
  return due <= dateOf(now);
}

/** The last day a failing charge is retried (docs/vipps.md §10.7: due + retryDays). */
export function lastRetryDate(due: string, retryDays: number): string {
  return addDays(due, retryDays);
}
