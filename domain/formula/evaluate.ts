/**
 * Evaluation of checked formula expressions with decimal arithmetic. An expression is a tree
 * without loops, so each node is evaluated at most once. `and`, `or`, `?:` and coalesce() skip the
 * operands they do not need.
 */
import { InvalidDecimalError } from '../errors.js';
import { isDecimal, parseDecimalNotation, type Decimal } from '../money.js';
import type { ArithmeticOperator, ComparisonOperator, Expression } from './expression.js';
import { expectBoolean, expectNumber, valuesEqual } from './functions.js';
import {
  describeType,
  FormulaEvaluationError,
  type FormulaType,
  type FormulaValue,
  type FormulaValues,
} from './types.js';

const MAX_VALUE_DESCRIPTION_LENGTH = 60;

interface Evaluation {
  source: string;
  values: FormulaValues;
}

/** Evaluates a checked expression. Throws FormulaEvaluationError for missing or invalid values and division by zero. */
export function evaluateExpression(expression: Expression, source: string, values: FormulaValues): FormulaValue {
  return evaluate(expression, { source, values });
}

function evaluate(expression: Expression, evaluation: Evaluation): FormulaValue {
  switch (expression.kind) {
    case 'constant':
      return expression.value;
    case 'variable':
      return readVariable(expression.name, expression.type, evaluation);
    case 'attribute':
      return readAttribute(expression.name, expression.type, evaluation);
    case 'negation':
      return expectNumber(evaluate(expression.operand, evaluation)).negated();
    case 'arithmetic':
      return calculate(
        expression.operator,
        expectNumber(evaluate(expression.left, evaluation)),
        expectNumber(evaluate(expression.right, evaluation)),
        evaluation.source,
      );
    case 'comparison':
      return compare(
        expression.operator,
        expectNumber(evaluate(expression.left, evaluation)),
        expectNumber(evaluate(expression.right, evaluation)),
      );
    case 'equality': {
      const equal = valuesEqual(evaluate(expression.left, evaluation), evaluate(expression.right, evaluation));
      return equal !== expression.negated;
    }
    case 'not':
      return !expectBoolean(evaluate(expression.operand, evaluation));
    case 'logical': {
      const left = expectBoolean(evaluate(expression.left, evaluation));
      if (expression.operator === 'and' ? !left : left) {
        return left;
      }
      return expectBoolean(evaluate(expression.right, evaluation));
    }
    case 'conditional': {
      const condition = expectBoolean(evaluate(expression.condition, evaluation));
      return evaluate(condition ? expression.whenTrue : expression.whenFalse, evaluation);
    }
    case 'call': {
      const argumentValues = expression.arguments.map((argument) => evaluate(argument, evaluation));
      return expression.function.evaluate(argumentValues, evaluation.source);
    }
    case 'coalesce': {
      const raw = readRawAttribute(expression.attribute, evaluation.values);
      if (raw === undefined) {
        return evaluate(expression.fallback, evaluation);
      }
      return convertAttribute(expression.attribute, expression.type, raw, evaluation.source);
    }
  }
}

function calculate(operator: ArithmeticOperator, left: Decimal, right: Decimal, source: string): Decimal {
  let result: Decimal;
  switch (operator) {
    case '+':
      result = left.plus(right);
      break;
    case '-':
      result = left.minus(right);
      break;
    case '*':
      result = left.times(right);
      break;
    case '/':
      if (right.isZero()) {
        throw new FormulaEvaluationError(source, `division by zero in "${source}"`);
      }
      result = left.dividedBy(right);
      break;
    case '^':
      // The checker allows only whole-number exponents from 0 to 10.
      result = left.toPower(right);
      break;
  }
  // decimal.js returns Infinity when an exponent passes about 9e15.
  if (!result.isFinite()) {
    throw new FormulaEvaluationError(source, `the result of "${operator}" is too large in "${source}"`);
  }
  return result;
}

function compare(operator: ComparisonOperator, left: Decimal, right: Decimal): boolean {
  switch (operator) {
    case '<':
      return left.lessThan(right);
    case '<=':
      return left.lessThanOrEqualTo(right);
    case '>':
      return left.greaterThan(right);
    case '>=':
      return left.greaterThanOrEqualTo(right);
  }
}

function readVariable(name: string, type: FormulaType, evaluation: Evaluation): FormulaValue {
  const variables = evaluation.values.variables;
  const value = Object.hasOwn(variables, name) ? variables[name] : undefined;
  if (value === undefined) {
    throw new FormulaEvaluationError(evaluation.source, `variable ${name} has no value`);
  }
  if (!hasType(value, type)) {
    throw new FormulaEvaluationError(
      evaluation.source,
      `variable ${name} is declared as ${describeType(type)}, but its value is ${describeValue(value)}`,
    );
  }
  return value;
}

function hasType(value: FormulaValue, type: FormulaType): boolean {
  switch (type) {
    case 'number':
      return isDecimal(value);
    case 'text':
      return typeof value === 'string';
    case 'boolean':
      return typeof value === 'boolean';
  }
}

function readAttribute(name: string, type: FormulaType, evaluation: Evaluation): FormulaValue {
  const raw = readRawAttribute(name, evaluation.values);
  if (raw === undefined) {
    throw new FormulaEvaluationError(
      evaluation.source,
      `attribute ${name} is missing on the order; write coalesce(attr.${name}, fallback) if it is optional`,
    );
  }
  return convertAttribute(name, type, raw, evaluation.source);
}

/** Returns the attribute's JSON value, or undefined when the order does not have it or it is null. */
function readRawAttribute(name: string, values: FormulaValues): unknown {
  const raw = Object.hasOwn(values.attributes, name) ? values.attributes[name] : undefined;
  return raw === null ? undefined : raw;
}

/**
 * Converts a CRM value to the attribute's declared type: a number from a JSON number or a decimal
 * string such as "1200.10", text from a string, a boolean from a boolean.
 */
function convertAttribute(name: string, type: FormulaType, raw: unknown, source: string): FormulaValue {
  if (type === 'number') {
    const number = convertNumber(raw);
    if (number !== undefined) {
      return number;
    }
  } else if (type === 'text' && typeof raw === 'string') {
    return raw;
  } else if (type === 'boolean' && typeof raw === 'boolean') {
    return raw;
  }
  throw new FormulaEvaluationError(
    source,
    `attribute ${name} is declared as ${describeType(type)}, but the order has ${describeValue(raw)}; ` +
      "correct the value in the CRM or the attribute's type in the plan",
  );
}

function convertNumber(raw: unknown): Decimal | undefined {
  let text: string;
  if (typeof raw === 'number' && Number.isFinite(raw)) {
    // String() gives the shortest text that reads back as the same double, such as "0.1" or "1e+21".
    text = String(raw);
  } else if (typeof raw === 'string') {
    text = raw;
  } else {
    return undefined;
  }
  try {
    return parseDecimalNotation(text, 'attribute');
  } catch (error) {
    if (error instanceof InvalidDecimalError) {
      return undefined;
    }
    throw error;
  }
}

function describeValue(value: unknown): string {
  const text = isDecimal(value) ? value.toString() : (JSON.stringify(value) ?? String(value));
  return text.length > MAX_VALUE_DESCRIPTION_LENGTH ? `${text.slice(0, MAX_VALUE_DESCRIPTION_LENGTH - 1)}…` : text;
}
