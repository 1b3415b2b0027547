/** Public types of custom formulas, shared by the compiler and the evaluator. */
import type { Decimal } from '../money.js';

export type FormulaType = 'number' | 'text' | 'boolean';

/** Names a formula may read: flat variables (order fields, metrics, parameters) and CRM attributes under `attr.`. */
export interface FormulaEnvironment {
  variables: Readonly<Record<string, FormulaType>>;
  attributes: Readonly<Record<string, FormulaType>>;
}

export interface FormulaIssue {
  message: string;
  /** 0-based character offset in the source, when known */
  position?: number;
}

export type FormulaValue = Decimal | string | boolean;

/**
 * Values of one evaluation. Variables must already have their declared types. Attributes are the
 * order's CRM attributes as parsed from JSON and are converted to their declared types when read.
 */
export interface FormulaValues {
  variables: Readonly<Record<string, FormulaValue>>;
  attributes: Readonly<Record<string, unknown>>;
}

export interface CompiledFormula {
  source: string;
  resultType: FormulaType;
  /** variables and attributes the formula reads, sorted, for explanations */
  variables: string[];
  attributes: string[];
  /** Evaluates the formula. Throws FormulaEvaluationError when a value is missing or invalid, or on division by zero. */
  evaluate(values: FormulaValues): FormulaValue;
}

export type CompileResult = { ok: true; formula: CompiledFormula } | { ok: false; issues: FormulaIssue[] };

/** A compiled formula failed on the values of one evaluation. `source` is the formula's text. */
export class FormulaEvaluationError extends Error {
  override readonly name = 'FormulaEvaluationError';

  constructor(
    readonly source: string,
    message: string,
  ) {
    super(message);
  }
}

/** Returns "a number", "text" or "a boolean", for messages such as "attr.Region__c is text". */
export function describeType(type: FormulaType): string {
  switch (type) {
    case 'number':
      return 'a number';
    case 'text':
      return 'text';
    case 'boolean':
      return 'a boolean';
  }
}

/** An operand in a type mismatch message: its text in the formula and its type. */
export interface TypedOperand {
  description: string;
  type: FormulaType;
}

/** Joins operands for a type mismatch message: `attr.Region__c is text and 5 is a number`. */
export function describeOperands(operands: readonly TypedOperand[]): string {
  return operands.map((operand) => `${operand.description} is ${describeType(operand.type)}`).join(' and ');
}
