/**
 * Type-checked formula expressions, built from the mathjs syntax tree by check.ts and evaluated by
 * evaluate.ts. Every expression carries the type of its value.
 */
import type { FormulaFunction } from './functions.js';
import type { FormulaType, FormulaValue } from './types.js';

export type ArithmeticOperator = '+' | '-' | '*' | '/' | '^';
export type ComparisonOperator = '<' | '<=' | '>' | '>=';

export type Expression =
  | { kind: 'constant'; type: FormulaType; value: FormulaValue }
  | { kind: 'variable'; type: FormulaType; name: string }
  | { kind: 'attribute'; type: FormulaType; name: string }
  | { kind: 'negation'; type: 'number'; operand: Expression }
  | { kind: 'arithmetic'; type: 'number'; operator: ArithmeticOperator; left: Expression; right: Expression }
  | { kind: 'comparison'; type: 'boolean'; operator: ComparisonOperator; left: Expression; right: Expression }
  | { kind: 'equality'; type: 'boolean'; negated: boolean; left: Expression; right: Expression }
  | { kind: 'not'; type: 'boolean'; operand: Expression }
  | { kind: 'logical'; type: 'boolean'; operator: 'and' | 'or'; left: Expression; right: Expression }
  | { kind: 'conditional'; type: FormulaType; condition: Expression; whenTrue: Expression; whenFalse: Expression }
  | { kind: 'call'; type: FormulaType; function: FormulaFunction; arguments: Expression[] }
  /** `coalesce(attr.Name, fallback)`: the fallback is evaluated only when the attribute is missing. */
  | { kind: 'coalesce'; type: FormulaType; attribute: string; fallback: Expression };
