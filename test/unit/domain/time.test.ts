import { describe, expect, it } from 'vitest';

import { InvalidDateTimeError } from '../../../domain/errors.js';
import { addCalendarMonths, endOfUtcDay, formatIsoDateTime, parseIsoDateTime } from '../../../domain/time.js';

function addMonths(iso: string, months: number): string {
  return formatIsoDateTime(addCalendarMonths(parseIsoDateTime(iso, 'test'), months));
}

describe('addCalendarMonths', () => {
  it('keeps day and time of day', () => {
    expect(addMonths('2026-05-12T10:00:00.000Z', 6)).toBe('2026-11-12T10:00:00.000Z');
  });

  it('clamps to the last day of a shorter month', () => {
    expect(addMonths('2026-08-31T10:00:00.000Z', 6)).toBe('2027-02-28T10:00:00.000Z');
  });

  it('crosses into a leap February', () => {
    expect(addMonths('2027-08-31T00:00:00.000Z', 6)).toBe('2028-02-29T00:00:00.000Z');
  });
});

describe('parseIsoDateTime', () => {
  it('accepts an offset', () => {
    expect(formatIsoDateTime(parseIsoDateTime('2026-11-01T00:00:00+01:00', 'at'))).toBe('2026-10-31T23:00:00.000Z');
  });

  it.each([
    '2026-11-01',
    '2026-11-01T00:00:00',
    'yesterday',
    '2026-13-01T00:00:00Z',
    '2026-02-30T00:00:00Z',
    '2026-11-01T24:00:00Z',
  ])('rejects %j', (text) => {
    expect(() => parseIsoDateTime(text, 'history[0].at')).toThrow(InvalidDateTimeError);
  });
});

describe('endOfUtcDay', () => {
  it.each([
    ['2026-11-15T12:00:00.000Z', '2026-11-15T23:59:59.999Z'],
    ['2026-11-15T00:00:00.000Z', '2026-11-15T23:59:59.999Z'],
    ['2026-11-15T23:59:59.999Z', '2026-11-15T23:59:59.999Z'],
    ['2026-11-16T00:30:00+01:00', '2026-11-15T23:59:59.999Z'],
    ['1969-12-31T12:00:00.000Z', '1969-12-31T23:59:59.999Z'],
  ])('ends the day of %s at %s', (instant, expected) => {
    expect(formatIsoDateTime(endOfUtcDay(parseIsoDateTime(instant, 'test')))).toBe(expected);
  });
});
