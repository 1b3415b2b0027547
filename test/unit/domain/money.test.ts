import { describe, expect, it } from 'vitest';

import { InvalidAmountError, InvalidDecimalError, UnroundedAmountError } from '../../../domain/errors.js';
import {
  addAmounts,
  formatAmount,
  formatPercent,
  multiplyByRate,
  parseAmount,
  parseDecimal,
  roundToCents,
  sumAmounts,
} from '../../../domain/money.js';

describe('parseAmount', () => {
  it.each(['80.00', '80', '80.5', '-12.50', '0.01'])('accepts %s', (text) => {
    expect(parseAmount(text, 'amount').toString()).toBe(String(Number(text)));
  });

  it.each(['80.005', '1,50', '1e3', '', ' 5', '+5', '.5'])('rejects %j', (text) => {
    expect(() => parseAmount(text, 'order value')).toThrow(InvalidAmountError);
  });

  it('rejects a number and names the field', () => {
    expect(() => parseAmount(80, 'orders[0].value')).toThrow(/orders\[0\]\.value/);
  });
});

describe('parseDecimal', () => {
  it('keeps every fraction digit of a rate', () => {
    expect(parseDecimal('0.000125', 'rate').toFixed()).toBe('0.000125');
  });

  it('rejects exponent notation', () => {
    expect(() => parseDecimal('5e-2', 'rate')).toThrow(InvalidDecimalError);
  });
});

describe('roundToCents', () => {
  it.each([
    ['24.6912', '24.69'],
    ['37.0368', '37.04'],
    ['0.125', '0.13'], // a tie rounds up
    ['-0.125', '-0.13'], // a negative tie rounds away from zero, mirroring the positive case
    ['-0.004', '0.00'], // never "-0.00"
  ])('rounds %s to %s', (exact, expected) => {
    expect(formatAmount(roundToCents(parseDecimal(exact, 'value')))).toBe(expected);
  });

  it('rounds a product without binary float error', () => {
    // 1.005 × 1 is exactly 1.005 in decimal, so it rounds up to 1.01 (a binary float gives 1.00).
    const product = multiplyByRate(parseAmount('1.00', 'amount'), parseDecimal('1.005', 'rate'));
    expect(formatAmount(roundToCents(product))).toBe('1.01');
  });
});

describe('formatAmount', () => {
  it('pads to two fraction digits', () => {
    expect(formatAmount(parseAmount('7', 'amount'))).toBe('7.00');
  });

  it('rejects a value that was not rounded', () => {
    expect(() => formatAmount(parseDecimal('24.6912', 'value'))).toThrow(UnroundedAmountError);
  });
});

describe('sumAmounts and addAmounts', () => {
  it('sums exactly', () => {
    // 0.10 + 0.20 = 0.30 exactly (0.1 + 0.2 is 0.30000000000000004 as binary floats).
    const values = ['0.10', '0.20'].map((text) => parseAmount(text, 'amount'));
    expect(formatAmount(sumAmounts(values))).toBe('0.30');
  });

  it('returns zero for no values', () => {
    expect(formatAmount(sumAmounts([]))).toBe('0.00');
  });

  it('adds a negative amount', () => {
    expect(formatAmount(addAmounts(parseAmount('80.00', 'a'), parseAmount('-32.00', 'b')))).toBe('48.00');
  });
});

describe('formatPercent', () => {
  it.each([
    ['0.05', '5%'],
    ['0.40', '40%'],
    ['0.115', '11.5%'],
    ['1', '100%'],
  ])('formats %s as %s', (rate, expected) => {
    expect(formatPercent(parseDecimal(rate, 'rate'))).toBe(expected);
  });
});
