/**
 * Type checking of a mathjs syntax tree against the names a plan declares. Builds an Expression
 * from the node types that formulas may use. Every other construct, unknown names and type
 * mismatches become issues, located at the offending operator or name where its position is known.
 */
import {
  isAccessorNode,
  isBigNumber,
  isConditionalNode,
  isConstantNode,
  isFunctionNode,
  isOperatorNode,
  isParenthesisNode,
  isSymbolNode,
  type AccessorNode,
  type ConditionalNode,
  type FunctionNode,
  type MathNode,
  type OperatorNode,
  type OperatorNodeFn,
  type OperatorNodeOp,
  type SymbolNode,
} from 'mathjs';

import { InvalidDecimalError } from '../errors.js';
import { isDecimal, parseDecimalNotation } from '../money.js';
import type { ArithmeticOperator, ComparisonOperator, Expression } from './expression.js';
import { COALESCE_USAGE, FORMULA_FUNCTIONS, FUNCTION_NAMES, type FormulaFunction } from './functions.js';
import { describeNameChoices } from './names.js';
import type { SourcePositions } from './positions.js';
import {
  describeOperands,
  type FormulaEnvironment,
  type FormulaIssue,
  type FormulaType,
  type TypedOperand,
} from './types.js';

export type CheckResult =
  | { ok: true; expression: Expression; variables: string[]; attributes: string[] }
  | { ok: false; issues: FormulaIssue[] };

type AnyOperatorNode = OperatorNode<OperatorNodeOp, OperatorNodeFn>;
type AttributeExpression = Extract<Expression, { kind: 'attribute' }>;

const ARITHMETIC_OPERATORS: ReadonlyMap<string, ArithmeticOperator> = new Map([
  ['add', '+'],
  ['subtract', '-'],
  ['multiply', '*'],
  ['divide', '/'],
]);
const COMPARISON_OPERATORS: ReadonlyMap<string, ComparisonOperator> = new Map([
  ['smaller', '<'],
  ['smallerEq', '<='],
  ['larger', '>'],
  ['largerEq', '>='],
]);
const SUPPORTED_OPERATORS = '+ - * / ^ < <= > >= == != and or not';
const MAX_EXPONENT = 10;
const MAX_DESCRIPTION_LENGTH = 40;
const PERCENT_MESSAGE = '"%" is not supported; write a percentage as a decimal fraction, such as 0.05 for 5%';

const UNSUPPORTED_NODES: ReadonlyMap<string, string> = new Map([
  ['AssignmentNode', 'assignment with "=" is not supported; compare values with "=="'],
  ['FunctionAssignmentNode', 'function definitions are not supported'],
  [
    'BlockNode',
    'a formula must be a single expression, without ";" or line breaks between expressions; ' +
      'wrap an expression that spans several lines in parentheses',
  ],
  ['ArrayNode', 'arrays and matrices ("[...]") are not supported'],
  ['ObjectNode', 'objects ("{...}") are not supported'],
  ['RangeNode', 'ranges ("start:end") are not supported'],
  ['RelationalNode', 'chained comparisons such as "a < b < c" are not supported; write "a < b and b < c"'],
]);

/** Checks a parsed formula and returns its expression and the names it reads, or every issue found. */
export function checkFormula(root: MathNode, positions: SourcePositions, environment: FormulaEnvironment): CheckResult {
  const checker = new Checker(positions, environment);
  const expression = checker.check(root);
  if (expression === undefined || checker.issues.length > 0) {
    if (checker.issues.length === 0) {
      throw new Error('the formula checker rejected a formula without reporting an issue');
    }
    return { ok: false, issues: checker.issues };
  }
  return {
    ok: true,
    expression,
    variables: [...checker.variables].sort(),
    attributes: [...checker.attributes].sort(),
  };
}

/** Returns the declared type of `name`, reading only own properties so that "constructor" is unknown. */
function lookUp(types: Readonly<Record<string, FormulaType>>, name: string): FormulaType | undefined {
  return Object.hasOwn(types, name) ? types[name] : undefined;
}

/** Returns the node's text as mathjs prints it, shortened, for messages. */
function describeNode(node: MathNode): string {
  const text = node.toString();
  return text.length > MAX_DESCRIPTION_LENGTH ? `${text.slice(0, MAX_DESCRIPTION_LENGTH - 1)}…` : text;
}

function operand(node: MathNode, expression: Expression): TypedOperand {
  return { description: describeNode(node), type: expression.type };
}

function describeArity(definition: FormulaFunction): string {
  const { minArguments: min, maxArguments: max } = definition;
  if (max === Infinity) {
    return `at least ${min} argument${min === 1 ? '' : 's'}`;
  }
  if (min === max) {
    return `${min} argument${min === 1 ? '' : 's'}`;
  }
  return max === min + 1 ? `${min} or ${max} arguments` : `${min} to ${max} arguments`;
}

class Checker {
  readonly issues: FormulaIssue[] = [];
  readonly variables = new Set<string>();
  readonly attributes = new Set<string>();
  /** Unknown names, attributes and functions already reported, so that each is reported once. */
  private readonly reported = new Set<string>();

  constructor(
    private readonly positions: SourcePositions,
    private readonly environment: FormulaEnvironment,
  ) {}

  check(node: MathNode): Expression | undefined {
    if (isParenthesisNode(node)) {
      return this.check(node.content);
    }
    if (isConstantNode(node)) {
      return this.checkConstant(node, node.value);
    }
    if (isSymbolNode(node)) {
      return this.checkSymbol(node);
    }
    if (isAccessorNode(node)) {
      return this.checkAttribute(node);
    }
    if (isOperatorNode(node)) {
      return this.checkOperator(node);
    }
    if (isConditionalNode(node)) {
      return this.checkConditional(node);
    }
    if (isFunctionNode(node)) {
      return this.checkCall(node);
    }
    return this.reject(node, UNSUPPORTED_NODES.get(node.type) ?? `${node.type} is not supported`);
  }

  private checkConstant(node: MathNode, value: unknown): Expression | undefined {
    if (isBigNumber(value)) {
      try {
        return { kind: 'constant', type: 'number', value: parseDecimalNotation(value.toString(), 'formula constant') };
      } catch (error) {
        if (error instanceof InvalidDecimalError) {
          return this.reject(node, 'this number is too large for decimal arithmetic');
        }
        throw error;
      }
    }
    if (typeof value === 'string') {
      return { kind: 'constant', type: 'text', value };
    }
    if (typeof value === 'boolean') {
      return { kind: 'constant', type: 'boolean', value };
    }
    if (value === null) {
      return this.reject(node, `null is not supported; for an attribute that may be missing, use ${COALESCE_USAGE}`);
    }
    // undefined, NaN and Infinity
    return this.reject(node, `${String(value)} is not supported; write a finite decimal number`);
  }

  private checkSymbol(node: SymbolNode): Expression | undefined {
    const name = node.name;
    const type = lookUp(this.environment.variables, name);
    if (type !== undefined) {
      this.variables.add(name);
      return { kind: 'variable', type, name };
    }
    if (name === 'attr') {
      return this.reject(node, '"attr" must be followed by an attribute name, as in attr.Campaign__c');
    }
    return this.rejectUnknown(`name:${name}`, node, this.describeUnknownName(name));
  }

  private describeUnknownName(name: string): string {
    if (lookUp(this.environment.attributes, name) !== undefined) {
      return `unknown name "${name}"; ${name} is an attribute, so write attr.${name}`;
    }
    const definition = FORMULA_FUNCTIONS.get(name);
    if (definition !== undefined || name === 'coalesce') {
      return `unknown name "${name}"; ${name} is a function, so call it as ${definition?.usage ?? COALESCE_USAGE}`;
    }
    const names = Object.keys(this.environment.variables);
    if (names.length === 0) {
      return `unknown name "${name}"; no variables are declared`;
    }
    return `unknown name "${name}"; known names: ${describeNameChoices(name, names)}`;
  }

  private checkAttribute(node: AccessorNode): AttributeExpression | undefined {
    if (node.optionalChaining) {
      return this.reject(
        node,
        `"?." is not supported; read attributes as attr.Name, and use ${COALESCE_USAGE} for attributes that may be missing`,
      );
    }
    if (!node.index.dotNotation) {
      return this.reject(node, 'indexing with "[...]" is not supported; read attributes as attr.Name');
    }
    if (!isSymbolNode(node.object) || node.object.name !== 'attr') {
      return this.reject(node, '"." reads attributes and works only on attr, as in attr.Campaign__c');
    }
    const name = node.name;
    const type = lookUp(this.environment.attributes, name);
    if (type === undefined) {
      return this.rejectUnknown(`attribute:${name}`, node, this.describeUnknownAttribute(name));
    }
    this.attributes.add(name);
    return { kind: 'attribute', type, name };
  }

  private describeUnknownAttribute(name: string): string {
    if (lookUp(this.environment.variables, name) !== undefined) {
      return `unknown attribute "${name}"; ${name} is a variable, so write it without "attr."`;
    }
    const names = Object.keys(this.environment.attributes);
    const declared =
      names.length === 0 ? 'no attributes are declared' : `declared attributes: ${describeNameChoices(name, names)}`;
    return `unknown attribute "${name}"; declare it under attributes in the plan (${declared})`;
  }

  private checkOperator(node: AnyOperatorNode): Expression | undefined {
    // The typings of mathjs 15 leave out some operators, such as "??" and "'", so compare as strings.
    const operator: string = node.op;
    const fn: string = node.fn;
    if ('isPercentage' in node && node.isPercentage === true) {
      return this.reject(node, PERCENT_MESSAGE);
    }
    if (node.implicit) {
      const [left, right] = node.args;
      const between = left && right ? ` between ${describeNode(left)} and ${describeNode(right)}` : '';
      return this.reject(right ?? node, `missing operator${between}; write "*" to multiply`);
    }

    const arithmeticOperator = ARITHMETIC_OPERATORS.get(fn);
    if (arithmeticOperator !== undefined) {
      return this.checkArithmetic(node, arithmeticOperator);
    }
    const comparisonOperator = COMPARISON_OPERATORS.get(fn);
    if (comparisonOperator !== undefined) {
      return this.checkComparison(node, comparisonOperator);
    }

    switch (fn) {
      case 'pow':
        return this.checkPower(node);
      case 'unaryMinus':
      case 'unaryPlus':
        return this.checkSign(node, fn === 'unaryMinus');
      case 'equal':
      case 'unequal':
        return this.checkEquality(node, fn === 'unequal');
      case 'and':
      case 'or':
        return this.checkLogical(node, fn);
      case 'not':
        return this.checkNot(node);
    }

    if (operator === '%') {
      return this.reject(node, PERCENT_MESSAGE);
    }
    if (operator === '??') {
      return this.reject(node, `"??" is not supported; use ${COALESCE_USAGE}`);
    }
    return this.reject(node, `operator "${operator}" is not supported; the operators are ${SUPPORTED_OPERATORS}`);
  }

  /** Checks both operands, so that the issues of both are reported. */
  private checkOperands(node: AnyOperatorNode): [Expression, Expression] | undefined {
    const [leftNode, rightNode] = node.args;
    if (leftNode === undefined || rightNode === undefined) {
      return this.reject(node, `operator "${node.op}" needs two operands`);
    }
    const left = this.check(leftNode);
    const right = this.check(rightNode);
    return left !== undefined && right !== undefined ? [left, right] : undefined;
  }

  /** Reports the operands that are not of `type`, and returns whether all operands are of it. */
  private requireType(
    node: AnyOperatorNode,
    type: FormulaType,
    requirement: string,
    operands: readonly (Expression | undefined)[],
  ): boolean {
    const mismatched = operands.flatMap((expression, index) => {
      const argument = node.args[index];
      return expression !== undefined && argument !== undefined && expression.type !== type
        ? [operand(argument, expression)]
        : [];
    });
    if (mismatched.length === 0) {
      return true;
    }
    this.reject(node, `type mismatch: ${requirement}, but ${describeOperands(mismatched)}`);
    return false;
  }

  private checkArithmetic(node: AnyOperatorNode, operator: ArithmeticOperator): Expression | undefined {
    const operands = this.checkOperands(node);
    if (operands === undefined || !this.requireType(node, 'number', `"${operator}" needs numbers`, operands)) {
      return undefined;
    }
    const [left, right] = operands;
    return { kind: 'arithmetic', type: 'number', operator, left, right };
  }

  /** Allows `^` only with a whole-number constant exponent from 0 to 10, so that results stay exact and small. */
  private checkPower(node: AnyOperatorNode): Expression | undefined {
    const operands = this.checkOperands(node);
    if (operands === undefined || !this.requireType(node, 'number', '"^" needs numbers', operands)) {
      return undefined;
    }
    const [base, exponent] = operands;
    const isAllowedExponent =
      exponent.kind === 'constant' &&
      isDecimal(exponent.value) &&
      exponent.value.isInteger() &&
      exponent.value.greaterThanOrEqualTo(0) &&
      exponent.value.lessThanOrEqualTo(MAX_EXPONENT);
    if (!isAllowedExponent) {
      return this.reject(
        node,
        `"^" needs a whole-number exponent from 0 to ${MAX_EXPONENT} written in the formula, such as (1 + rate)^2`,
      );
    }
    return { kind: 'arithmetic', type: 'number', operator: '^', left: base, right: exponent };
  }

  private checkSign(node: AnyOperatorNode, negate: boolean): Expression | undefined {
    const [operandNode] = node.args;
    const operandExpression = operandNode === undefined ? undefined : this.check(operandNode);
    if (
      operandExpression === undefined ||
      !this.requireType(node, 'number', `"${node.op}" needs a number`, [operandExpression])
    ) {
      return undefined;
    }
    if (!negate) {
      return operandExpression;
    }
    // Folding a negative constant lets `^` and round() see it as a constant.
    if (operandExpression.kind === 'constant' && isDecimal(operandExpression.value)) {
      return { kind: 'constant', type: 'number', value: operandExpression.value.negated() };
    }
    return { kind: 'negation', type: 'number', operand: operandExpression };
  }

  private checkComparison(node: AnyOperatorNode, operator: ComparisonOperator): Expression | undefined {
    const operands = this.checkOperands(node);
    if (operands === undefined || !this.requireType(node, 'number', `"${operator}" needs numbers`, operands)) {
      return undefined;
    }
    const [left, right] = operands;
    return { kind: 'comparison', type: 'boolean', operator, left, right };
  }

  private checkEquality(node: AnyOperatorNode, negated: boolean): Expression | undefined {
    const operands = this.checkOperands(node);
    if (operands === undefined) {
      return undefined;
    }
    const [left, right] = operands;
    const [leftNode, rightNode] = node.args;
    if (left.type !== right.type && leftNode !== undefined && rightNode !== undefined) {
      const described = describeOperands([operand(leftNode, left), operand(rightNode, right)]);
      return this.reject(node, `type mismatch: "${node.op}" needs two values of the same type, but ${described}`);
    }
    return { kind: 'equality', type: 'boolean', negated, left, right };
  }

  private checkLogical(node: AnyOperatorNode, operator: 'and' | 'or'): Expression | undefined {
    const operands = this.checkOperands(node);
    if (operands === undefined || !this.requireType(node, 'boolean', `"${operator}" needs booleans`, operands)) {
      return undefined;
    }
    const [left, right] = operands;
    return { kind: 'logical', type: 'boolean', operator, left, right };
  }

  private checkNot(node: AnyOperatorNode): Expression | undefined {
    const [operandNode] = node.args;
    const operandExpression = operandNode === undefined ? undefined : this.check(operandNode);
    if (
      operandExpression === undefined ||
      !this.requireType(node, 'boolean', '"not" needs a boolean', [operandExpression])
    ) {
      return undefined;
    }
    return { kind: 'not', type: 'boolean', operand: operandExpression };
  }

  private checkConditional(node: ConditionalNode): Expression | undefined {
    const condition = this.check(node.condition);
    const whenTrue = this.check(node.trueExpr);
    const whenFalse = this.check(node.falseExpr);
    if (condition === undefined || whenTrue === undefined || whenFalse === undefined) {
      return undefined;
    }
    let matches = true;
    if (condition.type !== 'boolean') {
      const described = describeOperands([operand(node.condition, condition)]);
      this.reject(node, `type mismatch: the condition of "?:" must be a boolean, but ${described}`);
      matches = false;
    }
    if (whenTrue.type !== whenFalse.type) {
      const described = describeOperands([operand(node.trueExpr, whenTrue), operand(node.falseExpr, whenFalse)]);
      this.reject(node, `type mismatch: both results of "?:" must have the same type, but ${described}`);
      matches = false;
    }
    return matches ? { kind: 'conditional', type: whenTrue.type, condition, whenTrue, whenFalse } : undefined;
  }

  private checkCall(node: FunctionNode<MathNode>): Expression | undefined {
    if (!isSymbolNode(node.fn)) {
      return this.reject(node, `only these functions can be called: ${FUNCTION_NAMES.join(', ')}`);
    }
    const name = node.fn.name;
    if (name === 'coalesce') {
      return this.checkCoalesce(node);
    }
    const definition = FORMULA_FUNCTIONS.get(name);
    if (definition === undefined) {
      return this.rejectUnknown(`function:${name}`, node, this.describeUnknownFunction(name));
    }
    const count = node.args.length;
    if (count < definition.minArguments || count > definition.maxArguments) {
      return this.reject(
        node,
        `${name}() takes ${describeArity(definition)}, but got ${count}; write ${definition.usage}`,
      );
    }

    const checked = node.args.map((argument) => this.check(argument));
    const argumentExpressions = checked.filter((expression) => expression !== undefined);
    if (argumentExpressions.length < count) {
      return undefined;
    }
    const resultType = definition.resultType(
      argumentExpressions.map((expression, index) => operand(node.args[index] ?? node, expression)),
    );
    if (typeof resultType === 'object') {
      return this.reject(node, `type mismatch: ${resultType.mismatch}`);
    }
    const constants = argumentExpressions.map((expression) =>
      expression.kind === 'constant' ? expression.value : undefined,
    );
    const constantIssue = definition.constantArgumentIssue?.(constants);
    if (constantIssue !== undefined) {
      return this.reject(node, constantIssue);
    }
    return { kind: 'call', type: resultType, function: definition, arguments: argumentExpressions };
  }

  private describeUnknownFunction(name: string): string {
    const available = `available functions: ${FUNCTION_NAMES.join(', ')}`;
    if (lookUp(this.environment.variables, name) !== undefined) {
      return `unknown function "${name}"; ${name} is a variable, so write ${name} * (...) to multiply (${available})`;
    }
    return `unknown function "${name}"; ${available}`;
  }

  /** Checks `coalesce(attr.Name, fallback)`: the fallback must have the attribute's type. */
  private checkCoalesce(node: FunctionNode<MathNode>): Expression | undefined {
    const [attributeArgument, fallbackNode] = node.args;
    if (attributeArgument === undefined || fallbackNode === undefined || node.args.length > 2) {
      return this.reject(node, `coalesce() takes 2 arguments, but got ${node.args.length}; write ${COALESCE_USAGE}`);
    }
    let attributeNode = attributeArgument;
    while (isParenthesisNode(attributeNode)) {
      attributeNode = attributeNode.content;
    }
    if (!isAccessorNode(attributeNode)) {
      return this.reject(
        node,
        `coalesce() needs an attribute such as attr.Region__c as its first argument; write ${COALESCE_USAGE}`,
      );
    }
    const attribute = this.checkAttribute(attributeNode);
    const fallback = this.check(fallbackNode);
    if (attribute === undefined || fallback === undefined) {
      return undefined;
    }
    if (fallback.type !== attribute.type) {
      const described = describeOperands([operand(attributeNode, attribute), operand(fallbackNode, fallback)]);
      return this.reject(node, `type mismatch: coalesce() needs a fallback of the attribute's type, but ${described}`);
    }
    return { kind: 'coalesce', type: attribute.type, attribute: attribute.name, fallback };
  }

  /** Records an issue at the node's position, when known. Returns undefined, for the caller to return. */
  private reject(node: MathNode, message: string): undefined {
    const position = this.positions.get(node);
    this.issues.push(position === undefined ? { message } : { message, position });
    return undefined;
  }

  /** Reports an unknown name, attribute or function once, at its first occurrence. */
  private rejectUnknown(key: string, node: MathNode, message: string): undefined {
    if (!this.reported.has(key)) {
      this.reported.add(key);
      this.reject(node, message);
    }
    return undefined;
  }
}
