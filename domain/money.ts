/**
 * Decimal arithmetic for amounts, rates and quantities. All values are instances of a private
 * decimal.js clone with 34 significant digits and ROUND_HALF_UP, so the global Decimal settings of
 * other code cannot change a result. ROUND_HALF_UP rounds ties away from zero, so a credit note
 * rounds to the same cents as the matching invoice with the opposite sign.
 */
import { Decimal as DecimalJs } from 'decimal.js';

import { InvalidAmountError, InvalidDecimalError, UnroundedAmountError } from './errors.js';
import type { AmountString } from './model.js';

const MoneyDecimal = DecimalJs.clone({ precision: 34, rounding: DecimalJs.ROUND_HALF_UP, toExpNeg: -40, toExpPos: 40 });

/** A decimal value created by this module. */
export type Decimal = DecimalJs;

const AMOUNT_PATTERN = /^-?\d+(\.\d{1,2})?$/;
const DECIMAL_PATTERN = /^-?\d+(\.\d+)?$/;
const DECIMAL_NOTATION_PATTERN = /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/;

export const ZERO: Decimal = new MoneyDecimal(0);

/**
 * Parses an amount string such as "80.00", "-12.5" or "7". Throws InvalidAmountError, naming
 * `field`, when the value is not a string of digits with an optional sign and at most two fraction
 * digits.
 */
export function parseAmount(value: unknown, field: string): Decimal {
  if (typeof value !== 'string' || !AMOUNT_PATTERN.test(value)) {
    throw new InvalidAmountError(field, value);
  }
  return new MoneyDecimal(value);
}

/**
 * Parses a decimal string such as "0.05" or "7.350" (rates, shares, quantities). Throws
 * InvalidDecimalError, naming `field`, for numbers, exponents, separators and empty strings.
 */
export function parseDecimal(value: unknown, field: string): Decimal {
  if (typeof value !== 'string' || !DECIMAL_PATTERN.test(value)) {
    throw new InvalidDecimalError(field, value);
  }
  return new MoneyDecimal(value);
}

/**
 * Parses a decimal in plain or exponent notation, such as "0.05", "-12.5" or "1.5e-7": the output of
 * `String(number)` and of decimal.js `toString()`. Keeps every digit. Throws InvalidDecimalError,
 * naming `field`, for other strings and for exponents beyond the range of decimal.js.
 */
export function parseDecimalNotation(value: string, field: string): Decimal {
  if (!DECIMAL_NOTATION_PATTERN.test(value)) {
    throw new InvalidDecimalError(field, value);
  }
  const decimal = new MoneyDecimal(value);
  if (!decimal.isFinite()) {
    throw new InvalidDecimalError(field, value);
  }
  return decimal;
}

/** Reports whether `value` is a decimal.js value, such as one created by this module. */
export function isDecimal(value: unknown): value is Decimal {
  return DecimalJs.isDecimal(value);
}

export function addAmounts(left: Decimal, right: Decimal): Decimal {
  return left.plus(right);
}

/** Multiplies an amount by a rate or share without rounding. */
export function multiplyByRate(amount: Decimal, rate: Decimal): Decimal {
  return amount.times(rate);
}

/** Rounds to cents with ROUND_HALF_UP (ties away from zero): 0.125 becomes 0.13 and -0.125 becomes -0.13. */
export function roundToCents(value: Decimal): Decimal {
  return value.toDecimalPlaces(2, MoneyDecimal.ROUND_HALF_UP);
}

/**
 * Rounds to `places` fraction digits with ROUND_HALF_UP (ties away from zero). A negative `places`
 * rounds to tens, hundreds and so on: -2 rounds 1250 to 1300. `places` must be an integer.
 */
export function roundHalfUp(value: Decimal, places: number): Decimal {
  if (places >= 0) {
    return value.toDecimalPlaces(places, MoneyDecimal.ROUND_HALF_UP);
  }
  return value.toNearest(new MoneyDecimal(10).pow(-places), MoneyDecimal.ROUND_HALF_UP);
}

/** Returns the exact sum of the values, 0 for an empty list. */
export function sumAmounts(values: readonly Decimal[]): Decimal {
  return values.reduce<Decimal>((total, value) => total.plus(value), ZERO);
}

/**
 * Formats a value that is already rounded to cents as an AmountString with exactly two fraction
 * digits ("80.00"). Zero is always "0.00", never "-0.00". Throws UnroundedAmountError when the value
 * has more than two fraction digits, because rounding happens only at the documented points.
 */
export function formatAmount(value: Decimal): AmountString {
  if (value.decimalPlaces() > 2) {
    throw new UnroundedAmountError(value.toString());
  }
  if (value.isZero()) {
    return '0.00';
  }
  return value.toFixed(2);
}

/** Formats a rate or share without trailing zeros, for example "0.05" or "1". */
export function formatDecimal(value: Decimal): string {
  return value.toFixed();
}

/** Formats a rate or share as a percentage without trailing zeros: "0.05" becomes "5%", "0.115" becomes "11.5%". */
export function formatPercent(value: Decimal): string {
  return `${value.times(100).toFixed()}%`;
}
