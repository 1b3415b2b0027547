/**
 * Custom formulas in incentive plans, such as `min(quantity * 25, 500)`,
 * `value * 0.05 + (attr.Campaign__c == "WINTER" ? 10 : 0)` or
 * `activations >= 20 and cancellationRate <= 0.15`.
 *
 * The mathjs parser reads the text. This module type-checks the syntax tree and evaluates it
 * itself, because mathjs evaluation converts strings to numbers in `==` and offers hundreds of
 * functions. The language:
 *
 * - Values are numbers (decimals with 34 significant digits, ROUND_HALF_UP), text in single or
 *   double quotes, and `true`/`false`. Number literals keep every digit, so `0.1 + 0.2 == 0.3`.
 * - Names are the plan's declared variables, and `attr.Name` reads a declared CRM attribute of
 *   the order. Names are case-sensitive and are looked up as own properties only.
 * - Operators: `+ - * /`, unary `-` and `+`, and `^` with a whole-number constant exponent from 0
 *   to 10. `< <= > >=` compare numbers, and `== !=` compare two values of the same type. `and or not`
 *   take booleans, and `and` and `or` skip the right side when the left decides. `condition ? a : b`
 *   picks one of two values of the same type.
 * - Functions: min(n, ...), max(n, ...), abs(n), floor(n), ceil(n), round(n[, digits]) with ties
 *   away from zero and digits from -34 to 34, coalesce(attr.Name, fallback), anyOf(x, option, ...)
 *   for text or numbers, and contains(text, part), which is case-sensitive.
 * - Everything else mathjs parses is rejected: assignments, function definitions, blocks, arrays,
 *   matrices, objects, ranges, indexing, `%`, `mod`, bitwise and unit operators, implicit
 *   multiplication such as `2 x`, and calls of other functions.
 *
 * A formula has at most 1000 characters, 200 syntax tree nodes and brackets nested 32 levels deep.
 * The language has no loops and no user-defined functions, so evaluation visits each node at most
 * once and its work is bounded by the node count. The exceptions are string search in contains()
 * and anyOf(), which grow with the length of the attribute values.
 */
import { checkFormula } from './check.js';
import { evaluateExpression } from './evaluate.js';
import { parseFormula } from './parse.js';
import { describeType, type CompileResult, type FormulaEnvironment, type FormulaType } from './types.js';

export { MAX_FORMULA_LENGTH, MAX_FORMULA_NESTING, MAX_FORMULA_NODES } from './parse.js';
export {
  FormulaEvaluationError,
  type CompiledFormula,
  type CompileResult,
  type FormulaEnvironment,
  type FormulaIssue,
  type FormulaType,
  type FormulaValue,
  type FormulaValues,
} from './types.js';

/**
 * Parses and type-checks a formula against the declared names. With `expected`, the formula must
 * give a value of that type. Returns the compiled formula, or every issue found with its position
 * where known.
 */
export function compileFormula(source: string, environment: FormulaEnvironment, expected?: FormulaType): CompileResult {
  const parsed = parseFormula(source);
  if (!parsed.ok) {
    return parsed;
  }
  const checked = checkFormula(parsed.root, parsed.positions, environment);
  if (!checked.ok) {
    return checked;
  }
  const { expression, variables, attributes } = checked;
  if (expected !== undefined && expression.type !== expected) {
    const message = `type mismatch: the formula gives ${describeType(expression.type)}, but ${describeType(expected)} is needed here`;
    return { ok: false, issues: [{ message }] };
  }
  return {
    ok: true,
    formula: {
      source,
      resultType: expression.type,
      variables,
      attributes,
      evaluate: (values) => evaluateExpression(expression, source, values),
    },
  };
}
