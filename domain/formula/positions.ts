/**
 * Source positions for mathjs syntax trees, whose nodes carry none. `scanTokens` splits the source
 * into tokens by the rules of the mathjs 15 tokenizer. `SourcePositions` then pairs the k-th node of
 * a kind in source order, such as the k-th `*` operator or the k-th symbol `quantity`, with the k-th
 * token of that kind. When the node and token counts of a kind differ, that kind gets no positions,
 * so a difference between this scanner and mathjs leaves a position out instead of giving a wrong one.
 */
import {
  isAccessorNode,
  isArrayNode,
  isAssignmentNode,
  isBigNumber,
  isBlockNode,
  isConditionalNode,
  isConstantNode,
  isFunctionAssignmentNode,
  isFunctionNode,
  isIndexNode,
  isObjectNode,
  isOperatorNode,
  isParenthesisNode,
  isRangeNode,
  isRelationalNode,
  isSymbolNode,
  type IndexNode,
  type MathNode,
  type OperatorNode,
  type OperatorNodeFn,
  type OperatorNodeOp,
} from 'mathjs';

export interface Token {
  text: string;
  /**
   * Kind used to pair tokens with nodes: the operator text for delimiters and named operators
   * (`*`, `and`), `name:<identifier>` for symbols, function names and keywords such as `true`,
   * `prop:<identifier>` after a dot, `number` and `string`.
   */
  key: string;
  /** 0-based offset of the token's first character */
  position: number;
}

const DELIMITERS_BY_LENGTH: readonly (readonly string[])[] = [
  ['>>>'],
  ['.*', './', '.^', '^|', '?.', '??', '==', '!=', '<=', '>=', '<<', '>>'],
  [',', '(', ')', '[', ']', '{', '}', ';', '+', '-', '*', '/', '%', '^', '~', '!', '&', '|', '=', ':', '?', '<', '>'],
];
const NAMED_OPERATORS = new Set(['mod', 'to', 'in', 'and', 'xor', 'or', 'not']);
const WHITESPACE = new Set([' ', '\t', '\u00A0', '\n', '\r']);
/** Letters that mathjs accepts in names: ASCII letters, `_`, `$`, Latin with accents, Greek and letter-like symbols. */
const IDENTIFIER = /[A-Za-z_$\u00C0-\u02AF\u0370-\u03FF\u2100-\u214F][\w$\u00C0-\u02AF\u0370-\u03FF\u2100-\u214F]*/y;
/** Binary, octal and hexadecimal literals, then decimal literals whose dot does not start `.*`, `./` or `.^`. */
const NUMBER = /0[box][0-9A-Za-z]*(\.[0-9A-Za-z]*)?|(\d+(\.(?![*/^]))?\d*|\.\d+)([eE][-+]?\d+)?/y;
const OPENING_BRACKETS = new Set(['(', '[', '{']);
const CLOSING_BRACKETS = new Set([')', ']', '}']);

/**
 * Splits a formula into tokens, skipping whitespace and `#` comments. A character that mathjs
 * rejects is skipped, because parsing reports it.
 */
export function scanTokens(source: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  while (index < source.length) {
    const character = source.charAt(index);
    if (character === '#') {
      const lineEnd = source.indexOf('\n', index);
      index = lineEnd < 0 ? source.length : lineEnd;
      continue;
    }
    if (WHITESPACE.has(character)) {
      index += 1;
      continue;
    }
    const token = readToken(source, index, tokens.at(-1));
    if (token === undefined) {
      index += 1;
      continue;
    }
    tokens.push(token);
    index += token.text.length;
  }
  return tokens;
}

function readToken(source: string, index: number, previous: Token | undefined): Token | undefined {
  const character = source.charAt(index);
  // A quote after a value is the transpose operator in mathjs, elsewhere it starts a string.
  if (character === '"' || (character === "'" && !endsValue(previous))) {
    return { text: source.slice(index, findStringEnd(source, index)), key: 'string', position: index };
  }
  if (character === "'") {
    return { text: "'", key: "'", position: index };
  }
  const delimiter = readDelimiter(source, index);
  if (delimiter !== undefined) {
    return { text: delimiter, key: delimiter, position: index };
  }
  NUMBER.lastIndex = index;
  const number = NUMBER.exec(source);
  if (number !== null) {
    return { text: number[0], key: 'number', position: index };
  }
  if (character === '.') {
    return { text: '.', key: '.', position: index };
  }
  IDENTIFIER.lastIndex = index;
  const identifier = IDENTIFIER.exec(source);
  if (identifier === null) {
    return undefined;
  }
  const text = identifier[0];
  return { text, key: identifierKey(text, previous), position: index };
}

function readDelimiter(source: string, index: number): string | undefined {
  for (const delimiters of DELIMITERS_BY_LENGTH) {
    for (const delimiter of delimiters) {
      // mathjs reads "?.3" as "?" followed by the number .3, so `a ? .3 : .7` stays a conditional.
      const isOptionalChainBeforeDigit = delimiter === '?.' && /\d/.test(source.charAt(index + 2));
      if (source.startsWith(delimiter, index) && !isOptionalChainBeforeDigit) {
        return delimiter;
      }
    }
  }
  return undefined;
}

function identifierKey(text: string, previous: Token | undefined): string {
  if (NAMED_OPERATORS.has(text)) {
    return text;
  }
  if (previous?.key === '.' || previous?.key === '?.') {
    return `prop:${text}`;
  }
  return `name:${text}`;
}

function endsValue(token: Token | undefined): boolean {
  if (token === undefined) {
    return false;
  }
  if (
    token.key === 'number' ||
    token.key === 'string' ||
    token.key.startsWith('name:') ||
    token.key.startsWith('prop:')
  ) {
    return true;
  }
  return [')', ']', '}', "'", '!'].includes(token.key);
}

/** Returns the offset just after the closing quote, or the source length when the string is not closed. */
function findStringEnd(source: string, start: number): number {
  const quote = source.charAt(start);
  let index = start + 1;
  while (index < source.length) {
    const character = source.charAt(index);
    if (character === '\\') {
      index += 2;
    } else if (character === quote) {
      return index + 1;
    } else {
      index += 1;
    }
  }
  return source.length;
}

/**
 * Returns the position of the first opening bracket (round, square or curly) nested deeper than
 * `maxDepth`, or undefined when none is.
 */
export function findExcessNesting(tokens: readonly Token[], maxDepth: number): number | undefined {
  let depth = 0;
  for (const token of tokens) {
    if (OPENING_BRACKETS.has(token.key)) {
      depth += 1;
      if (depth > maxDepth) {
        return token.position;
      }
    } else if (CLOSING_BRACKETS.has(token.key) && depth > 0) {
      depth -= 1;
    }
  }
  return undefined;
}

const RELATIONAL_OPERATORS: Readonly<Record<string, string>> = {
  equal: '==',
  unequal: '!=',
  smaller: '<',
  larger: '>',
  smallerEq: '<=',
  largerEq: '>=',
};

interface Claim {
  node: MathNode;
  key: string;
  index: number;
}

/** Positions of the nodes of one syntax tree; see the module comment for how they are found. */
export class SourcePositions {
  private readonly positions = new Map<MathNode, number>();

  constructor(root: MathNode, tokens: readonly Token[]) {
    const tokenPositions = new Map<string, number[]>();
    for (const token of tokens) {
      const positions = tokenPositions.get(token.key) ?? [];
      positions.push(token.position);
      tokenPositions.set(token.key, positions);
    }

    const walker = new NodeWalker();
    walker.walk(root);

    for (const claim of walker.claims) {
      const positions = tokenPositions.get(claim.key);
      const position = positions?.[claim.index];
      if (position !== undefined && positions?.length === walker.claimCounts.get(claim.key)) {
        this.positions.set(claim.node, position);
      }
    }
    for (const [node, source] of walker.aliases) {
      const position = this.positions.get(source);
      if (position !== undefined) {
        this.positions.set(node, position);
      }
    }
  }

  /** Returns the 0-based offset of the node's operator or name, or undefined when it is not known. */
  get(node: MathNode): number | undefined {
    return this.positions.get(node);
  }
}

/**
 * Visits a syntax tree in source order and claims, for each node, the tokens it was parsed from.
 * Only the token that locates a node (its operator or name) is recorded with the node, but every
 * token is counted so that later claims of the same kind get the right index.
 */
class NodeWalker {
  readonly claims: Claim[] = [];
  readonly claimCounts = new Map<string, number>();
  /** Nodes located where another node is: a function call at its name, `attr.Name` at `attr`. */
  readonly aliases: [MathNode, MathNode][] = [];

  walk(node: MathNode): void {
    if (isConstantNode(node)) {
      this.walkConstant(node.value, node);
    } else if (isSymbolNode(node)) {
      this.claim(`name:${node.name}`, node);
    } else if (isParenthesisNode(node)) {
      this.claim('(', node);
      this.walk(node.content);
    } else if (isOperatorNode(node)) {
      this.walkOperator(node);
    } else if (isConditionalNode(node)) {
      this.walk(node.condition);
      this.claim('?', node);
      this.walk(node.trueExpr);
      this.claim(':');
      this.walk(node.falseExpr);
    } else if (isFunctionNode(node)) {
      this.walk(node.fn);
      this.aliases.push([node, node.fn]);
      this.claim('(');
      node.args.forEach((argument) => this.walk(argument));
    } else if (isAccessorNode(node)) {
      this.walk(node.object);
      this.aliases.push([node, node.object]);
      this.walkIndex(node.index);
    } else if (isIndexNode(node)) {
      this.walkIndex(node);
    } else if (isArrayNode(node)) {
      this.claim('[', node);
      node.items.forEach((item) => this.walk(item));
    } else if (isObjectNode(node)) {
      this.claim('{', node);
      Object.values(node.properties).forEach((value) => this.walk(value));
    } else if (isAssignmentNode(node)) {
      this.walk(node.object);
      if (node.index !== null) {
        this.walkIndex(node.index);
      }
      this.claim('=', node);
      this.walk(node.value);
    } else if (isFunctionAssignmentNode(node)) {
      this.claim(`name:${node.name}`);
      this.claim('(');
      node.params.forEach((parameter) => this.claim(`name:${parameter}`));
      this.claim('=', node);
      this.walk(node.expr);
    } else if (isRangeNode(node)) {
      this.walkRange(node.start, node.step, node.end, node);
    } else if (isRelationalNode(node)) {
      node.params.forEach((parameter, index) => {
        if (index > 0) {
          const conditional = node.conditionals[index - 1] ?? '';
          this.claim(RELATIONAL_OPERATORS[conditional] ?? conditional, index === 1 ? node : undefined);
        }
        this.walk(parameter);
      });
    } else if (isBlockNode(node)) {
      node.blocks.forEach((block) => this.walk(block.node));
    } else {
      node.forEach((child) => this.walk(child));
    }
  }

  private walkConstant(value: unknown, node: MathNode): void {
    if (isBigNumber(value)) {
      this.claim('number', node);
    } else if (typeof value === 'string') {
      this.claim('string', node);
    } else {
      // true, false, null, undefined, NaN and Infinity are keywords in the source.
      this.claim(`name:${String(value)}`, node);
    }
  }

  private walkOperator(node: OperatorNode<OperatorNodeOp, OperatorNodeFn>): void {
    const [first, ...rest] = node.args;
    if ('isPercentage' in node && node.isPercentage === true) {
      // `50%` parses as 50 / 100, and the 100 has no token.
      if (first !== undefined) {
        this.walk(first);
      }
      this.claim('%', node);
      return;
    }
    if (first === undefined) {
      return;
    }
    // The typings of mathjs 15 leave out the transpose operator "'", so compare as a string.
    const operator: string = node.op;
    if (rest.length === 0) {
      const isPostfix = operator === '!' || operator === "'";
      if (!isPostfix) {
        this.claim(operator, node);
      }
      this.walk(first);
      if (isPostfix) {
        this.claim(operator, node);
      }
      return;
    }
    this.walk(first);
    if (!node.implicit) {
      this.claim(operator, node);
    }
    rest.forEach((argument) => this.walk(argument));
  }

  private walkIndex(index: IndexNode): void {
    if (index.dotNotation) {
      return;
    }
    this.claim('[', index);
    index.dimensions.forEach((dimension) => this.walk(dimension));
  }

  private walkRange(start: MathNode, step: MathNode | null, end: MathNode, node: MathNode): void {
    this.walk(start);
    this.claim(':', node);
    if (step !== null) {
      this.walk(step);
      this.claim(':');
    }
    this.walk(end);
  }

  private claim(key: string, node?: MathNode): void {
    const index = this.claimCounts.get(key) ?? 0;
    this.claimCounts.set(key, index + 1);
    if (node !== undefined) {
      this.claims.push({ node, key, index });
    }
  }
}
