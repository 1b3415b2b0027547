/**
 * The functions a formula can call, with their type rules and implementations. `coalesce` is not
 * in this table, because its first argument is an attribute read that may be missing rather than a
 * value. check.ts and evaluate.ts handle it.
 */
import { isDecimal, roundHalfUp, type Decimal } from '../money.js';
import {
  describeOperands,
  describeType,
  FormulaEvaluationError,
  type FormulaType,
  type FormulaValue,
  type TypedOperand,
} from './types.js';

/** The reason why argument types do not fit a function, for a message after "type mismatch: ". */
export interface TypeMismatch {
  mismatch: string;
}

export interface FormulaFunction {
  name: string;
  /** Call form for messages, such as "round(number, digits)" */
  usage: string;
  minArguments: number;
  maxArguments: number;
  /** Returns the result type for arguments of these types, or why the types do not fit. */
  resultType(argumentTypes: readonly TypedOperand[]): FormulaType | TypeMismatch;
  /**
   * Returns a problem with the arguments that are constants in the formula (undefined for the other
   * arguments), so that it is reported when the plan is checked and not at the first evaluation.
   */
  constantArgumentIssue?(constants: readonly (FormulaValue | undefined)[]): string | undefined;
  /** Computes the result from arguments that passed `resultType`. `source` is the formula, for errors. */
  evaluate(argumentValues: readonly FormulaValue[], source: string): FormulaValue;
}

/** The largest number of digits that round() accepts, either side of the decimal point: the decimal precision. */
const MAX_ROUND_DIGITS = 34;

export const COALESCE_USAGE = 'coalesce(attr.Name, fallback)';

function requireNumbers(name: string): (argumentTypes: readonly TypedOperand[]) => FormulaType | TypeMismatch {
  return (argumentTypes) => {
    const mismatched = argumentTypes.filter((argument) => argument.type !== 'number');
    if (mismatched.length > 0) {
      return { mismatch: `${name}() needs numbers, but ${describeOperands(mismatched)}` };
    }
    return 'number';
  };
}

function numberFunction(
  name: string,
  usage: string,
  arity: { min: number; max: number },
  compute: (numbers: readonly Decimal[], source: string) => Decimal,
): FormulaFunction {
  return {
    name,
    usage,
    minArguments: arity.min,
    maxArguments: arity.max,
    resultType: requireNumbers(name),
    evaluate: (argumentValues, source) => compute(argumentValues.map(expectNumber), source),
  };
}

const FUNCTIONS: readonly FormulaFunction[] = [
  numberFunction('min', 'min(number, ...)', { min: 1, max: Infinity }, (numbers) =>
    numbers.reduce((lowest, value) => (value.lessThan(lowest) ? value : lowest)),
  ),
  numberFunction('max', 'max(number, ...)', { min: 1, max: Infinity }, (numbers) =>
    numbers.reduce((highest, value) => (value.greaterThan(highest) ? value : highest)),
  ),
  numberFunction('abs', 'abs(number)', { min: 1, max: 1 }, ([value]) => required(value).abs()),
  numberFunction('floor', 'floor(number)', { min: 1, max: 1 }, ([value]) => required(value).floor()),
  numberFunction('ceil', 'ceil(number)', { min: 1, max: 1 }, ([value]) => required(value).ceil()),
  {
    ...numberFunction('round', 'round(number, digits)', { min: 1, max: 2 }, ([value, digits], source) =>
      roundHalfUp(required(value), checkRoundDigits(digits, source)),
    ),
    constantArgumentIssue: ([, digits]) =>
      digits !== undefined && isDecimal(digits) && !isValidRoundDigits(digits)
        ? describeInvalidDigits(digits)
        : undefined,
  },
  {
    name: 'anyOf',
    usage: 'anyOf(value, option, ...)',
    minArguments: 2,
    maxArguments: Infinity,
    resultType: (argumentTypes) => {
      const [first, ...options] = argumentTypes;
      const subject = required(first);
      if (subject.type === 'boolean') {
        return { mismatch: `anyOf() compares text or numbers, but ${describeOperands([subject])}` };
      }
      const mismatched = options.filter((option) => option.type !== subject.type);
      if (mismatched.length > 0) {
        return {
          mismatch:
            `anyOf() needs options of the same type as ${subject.description} (${describeType(subject.type)}), ` +
            `but ${describeOperands(mismatched)}`,
        };
      }
      return 'boolean';
    },
    evaluate: ([subject, ...options]) => options.some((option) => valuesEqual(required(subject), option)),
  },
  {
    name: 'contains',
    usage: 'contains(text, part)',
    minArguments: 2,
    maxArguments: 2,
    resultType: (argumentTypes) => {
      const mismatched = argumentTypes.filter((argument) => argument.type !== 'text');
      if (mismatched.length > 0) {
        return { mismatch: `contains() needs text, but ${describeOperands(mismatched)}` };
      }
      return 'boolean';
    },
    evaluate: ([text, part]) => expectText(required(text)).includes(expectText(required(part))),
  },
];

/** Functions by name. A Map, so that names such as "constructor" are not found. */
export const FORMULA_FUNCTIONS: ReadonlyMap<string, FormulaFunction> = new Map(
  FUNCTIONS.map((definition) => [definition.name, definition]),
);

/** Names of all functions, coalesce included, sorted for messages. */
export const FUNCTION_NAMES: readonly string[] = [...FORMULA_FUNCTIONS.keys(), 'coalesce'].sort();

/** Returns the number of digits for round(): 0 without a second argument, else an integer within ±34. */
function checkRoundDigits(digits: Decimal | undefined, source: string): number {
  if (digits === undefined) {
    return 0;
  }
  if (!isValidRoundDigits(digits)) {
    throw new FormulaEvaluationError(source, `${describeInvalidDigits(digits)} in "${source}"`);
  }
  return digits.toNumber();
}

function isValidRoundDigits(digits: Decimal): boolean {
  return digits.isInteger() && digits.abs().lessThanOrEqualTo(MAX_ROUND_DIGITS);
}

function describeInvalidDigits(digits: Decimal): string {
  return (
    `round() needs whole-number digits from -${MAX_ROUND_DIGITS} to ${MAX_ROUND_DIGITS}, ` +
    `but got ${digits.toString()}`
  );
}

/** Compares two values of the same type: numbers by value (1.50 equals 1.5), text and booleans exactly. */
export function valuesEqual(left: FormulaValue, right: FormulaValue): boolean {
  if (isDecimal(left) && isDecimal(right)) {
    return left.equals(right);
  }
  return left === right;
}

// The checker guarantees the types below, so a failure here is a bug in this module, not in a formula.

export function expectNumber(value: FormulaValue): Decimal {
  if (!isDecimal(value)) {
    throw new TypeError(`formula evaluation expected a number but got ${JSON.stringify(value)}`);
  }
  return value;
}

export function expectText(value: FormulaValue): string {
  if (typeof value !== 'string') {
    throw new TypeError(`formula evaluation expected text but got ${String(value)}`);
  }
  return value;
}

export function expectBoolean(value: FormulaValue): boolean {
  if (typeof value !== 'boolean') {
    throw new TypeError(`formula evaluation expected a boolean but got ${String(value)}`);
  }
  return value;
}

function required<T>(value: T | undefined): T {
  if (value === undefined) {
    throw new TypeError('formula evaluation is missing an argument that the checker counted');
  }
  return value;
}
