/** Parsing of formulas with the mathjs parser, after the size and nesting limits are checked. */
import { all, create, type MathJsInstance, type MathNode } from 'mathjs';

import { findExcessNesting, scanTokens, SourcePositions } from './positions.js';
import type { FormulaIssue } from './types.js';

export const MAX_FORMULA_LENGTH = 1000;
export const MAX_FORMULA_NODES = 200;
/** Maximum depth of nested round, square and curly brackets, function calls included. */
export const MAX_FORMULA_NESTING = 32;

export type ParseResult =
  { ok: true; root: MathNode; positions: SourcePositions } | { ok: false; issues: FormulaIssue[] };

let mathjs: MathJsInstance | undefined;

/** Creates the mathjs instance on first use. Its numbers are BigNumbers, which keep every digit of a literal. */
function getMathjs(): MathJsInstance {
  // The mathjs 15 typings declare the factory maps as a Record<string, FactoryFunctionMap>, so
  // with noUncheckedIndexedAccess `all` looks possibly undefined.
  if (all === undefined) {
    throw new Error('mathjs does not export its factory map "all"');
  }
  mathjs ??= create(all, { number: 'BigNumber' });
  return mathjs;
}

/**
 * Parses a formula into a mathjs syntax tree with the positions of its nodes. Reports an empty
 * formula, a formula over the length, nesting or node limit, and syntax errors.
 */
export function parseFormula(source: string): ParseResult {
  if (source.length > MAX_FORMULA_LENGTH) {
    return failure(
      `the formula is ${source.length} characters long, but the maximum is ${MAX_FORMULA_LENGTH}`,
      MAX_FORMULA_LENGTH,
    );
  }
  const tokens = scanTokens(source);
  if (tokens.length === 0) {
    return failure('the formula is empty; write an expression such as value * 0.05');
  }
  // The mathjs parser recurses once per bracket level, and a few hundred levels overflow the stack,
  // so the nesting limit is checked on the tokens before parsing.
  const excessNesting = findExcessNesting(tokens, MAX_FORMULA_NESTING);
  if (excessNesting !== undefined) {
    return failure(
      `brackets are nested more than ${MAX_FORMULA_NESTING} levels deep; simplify the formula`,
      excessNesting,
    );
  }

  const math = getMathjs();
  let root: MathNode;
  try {
    root = math.parse(source);
  } catch (error) {
    if (error instanceof RangeError) {
      // A stack overflow that the nesting check did not prevent.
      return failure(`the formula is nested too deeply to parse; simplify it`);
    }
    if (error instanceof Error) {
      return { ok: false, issues: [describeSyntaxError(error)] };
    }
    throw error;
  }

  const nodeCount = countNodes(root);
  if (nodeCount > MAX_FORMULA_NODES) {
    return failure(
      `the formula has ${nodeCount} syntax tree nodes, but the maximum is ${MAX_FORMULA_NODES}; simplify the formula`,
    );
  }
  return { ok: true, root, positions: new SourcePositions(root, tokens) };
}

/**
 * Converts a mathjs parse error. mathjs 15 appends " (char N)" to the message and sets `char` to N,
 * the 1-based column of the offending token (`col()` in its parse.js). The message keeps that
 * 1-based count for people, and the issue's position is 0-based.
 */
function describeSyntaxError(error: Error): FormulaIssue {
  const message = error.message.replace(/ \(char \d+\)$/, '');
  const column = 'char' in error && typeof error.char === 'number' ? error.char : undefined;
  if (column === undefined) {
    return { message: `syntax error: ${message}` };
  }
  return { message: `syntax error at character ${column}: ${message}`, position: column - 1 };
}

/** Counts the nodes without recursion, because a long chain such as `a + b + c + ...` is deep. */
function countNodes(root: MathNode): number {
  let count = 0;
  const pending: MathNode[] = [root];
  for (let node = pending.pop(); node !== undefined; node = pending.pop()) {
    count += 1;
    node.forEach((child) => pending.push(child));
  }
  return count;
}

function failure(message: string, position?: number): ParseResult {
  return { ok: false, issues: [position === undefined ? { message } : { message, position }] };
}
