/**
 * Date-time helpers on epoch milliseconds. Every date comes from an input string, never from the
 * clock, and calendar arithmetic is done in UTC.
 */
import { InvalidDateTimeError } from './errors.js';
import type { IsoDateTime } from './model.js';

const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;

export const MILLISECONDS_PER_DAY = 86_400_000;

/**
 * Parses an ISO 8601 date-time with a time zone ("Z" or "+01:00") to epoch milliseconds. Throws
 * InvalidDateTimeError, naming `field`, for other strings and impossible dates.
 */
export function parseIsoDateTime(value: unknown, field: string): number {
  const match = typeof value === 'string' ? ISO_DATE_TIME.exec(value) : null;
  if (match === null || !isCalendarDateTime(match)) {
    throw new InvalidDateTimeError(field, value);
  }
  return Date.parse(match[0]);
}

/** Checks the fields that Date.parse would roll over, such as 30 February or hour 24. */
function isCalendarDateTime(match: RegExpExecArray): boolean {
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map((part) => Number(part ?? '0'));
  if (year === undefined || month === undefined || day === undefined) {
    return false;
  }
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return (
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth &&
    (hour ?? 0) <= 23 &&
    (minute ?? 0) <= 59 &&
    (second ?? 0) <= 59
  );
}

/** Formats epoch milliseconds as an ISO 8601 string in UTC, for example "2026-11-12T09:30:00.000Z". */
export function formatIsoDateTime(epochMilliseconds: number): IsoDateTime {
  return new Date(epochMilliseconds).toISOString();
}

/** Formats epoch milliseconds as a UTC calendar date, for example "2026-11-12". */
export function formatIsoDate(epochMilliseconds: number): string {
  return formatIsoDateTime(epochMilliseconds).slice(0, 10);
}

/** Returns the last millisecond (23:59:59.999) of the UTC calendar day that contains the instant. */
export function endOfUtcDay(epochMilliseconds: number): number {
  const startOfDay = epochMilliseconds - modulo(epochMilliseconds, MILLISECONDS_PER_DAY);
  return startOfDay + MILLISECONDS_PER_DAY - 1;
}

/** Remainder with the sign of the divisor, so that instants before 1970 map to the right day. */
function modulo(dividend: number, divisor: number): number {
  return ((dividend % divisor) + divisor) % divisor;
}

/**
 * Adds calendar months in UTC and keeps the time of day. When the target month is shorter, the day
 * becomes its last day: 31 January plus one month is 28 (or 29) February.
 */
export function addCalendarMonths(epochMilliseconds: number, months: number): number {
  const date = new Date(epochMilliseconds);
  const targetMonthIndex = date.getUTCMonth() + months;
  const lastDayOfTargetMonth = new Date(Date.UTC(date.getUTCFullYear(), targetMonthIndex + 1, 0)).getUTCDate();
  const day = Math.min(date.getUTCDate(), lastDayOfTargetMonth);
  return Date.UTC(
    date.getUTCFullYear(),
    targetMonthIndex,
    day,
    date.getUTCHours(),
    date.getUTCMinutes(),
    date.getUTCSeconds(),
    date.getUTCMilliseconds(),
  );
}

/** Returns the UTC calendar date `days` days after `date` (before it for a negative count), both as YYYY-MM-DD. */
export function addDays(date: string, days: number): string {
  const day = new Date(`${date}T00:00:00.000Z`);
  day.setUTCDate(day.getUTCDate() + days);
  return day.toISOString().slice(0, 10);
}
