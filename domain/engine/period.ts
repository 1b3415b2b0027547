import { InvalidPeriodError } from '../errors.js';
import { parseIsoDateTime } from '../time.js';
import type { PayPeriodWindow } from './types.js';

/** A pay period with its bounds as epoch milliseconds, half-open [startsAt, endsAt). */
export interface ParsedPeriod {
  id: string;
  startsAt: number;
  endsAt: number;
  endsAtIso: string;
}

/** Parses the period bounds. Throws InvalidDateTimeError for a malformed bound and InvalidPeriodError when it ends before it starts. */
export function parsePayPeriod(period: PayPeriodWindow): ParsedPeriod {
  const startsAt = parseIsoDateTime(period.startsAt, 'period.startsAt');
  const endsAt = parseIsoDateTime(period.endsAt, 'period.endsAt');
  if (endsAt <= startsAt) {
    throw new InvalidPeriodError(period.id, period.startsAt, period.endsAt);
  }
  return { id: period.id, startsAt, endsAt, endsAtIso: period.endsAt };
}

export function isWithinPeriod(
  period: ParsedPeriod,
  epochMilliseconds: number | undefined,
): epochMilliseconds is number {
  return epochMilliseconds !== undefined && epochMilliseconds >= period.startsAt && epochMilliseconds < period.endsAt;
}
