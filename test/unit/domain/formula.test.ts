import { describe, expect, it } from 'vitest';

import {
  compileFormula,
  FormulaEvaluationError,
  MAX_FORMULA_LENGTH,
  MAX_FORMULA_NESTING,
  MAX_FORMULA_NODES,
  type CompiledFormula,
  type FormulaEnvironment,
  type FormulaIssue,
  type FormulaType,
  type FormulaValue,
  type FormulaValues,
} from '../../../domain/formula/formula.js';
import { InvalidDecimalError } from '../../../domain/errors.js';
import { isDecimal, parseDecimal, parseDecimalNotation, roundHalfUp } from '../../../domain/money.js';

const ENVIRONMENT: FormulaEnvironment = {
  variables: {
    value: 'number',
    quantity: 'number',
    activations: 'number',
    cancellationRate: 'number',
    zero: 'number',
    digits: 'number',
    hasBonus: 'boolean',
    category: 'text',
  },
  attributes: {
    Campaign__c: 'text',
    Region__c: 'text',
    Amount__c: 'number',
    Active__c: 'boolean',
  },
};

const VARIABLES: Readonly<Record<string, FormulaValue>> = {
  value: parseDecimal('1200.10', 'value'),
  quantity: parseDecimal('30', 'quantity'),
  activations: parseDecimal('20', 'activations'),
  cancellationRate: parseDecimal('0.15', 'cancellationRate'),
  zero: parseDecimal('0', 'zero'),
  digits: parseDecimal('2', 'digits'),
  hasBonus: false,
  category: 'electricity',
};

const ATTRIBUTES: Readonly<Record<string, unknown>> = {
  Campaign__c: 'WINTER',
  Region__c: 'North',
  Amount__c: '12.50',
  Active__c: true,
};

/** Compiles a formula that must be valid. */
function compile(source: string, environment: FormulaEnvironment = ENVIRONMENT): CompiledFormula {
  const result = compileFormula(source, environment);
  if (!result.ok) {
    throw new Error(`expected "${source}" to compile, but got ${JSON.stringify(result.issues)}`);
  }
  return result.formula;
}

/** Returns the issues of a formula that must be invalid. */
function issuesOf(
  source: string,
  environment: FormulaEnvironment = ENVIRONMENT,
  expected?: FormulaType,
): FormulaIssue[] {
  const result = compileFormula(source, environment, expected);
  if (result.ok) {
    throw new Error(`expected "${source}" to be rejected, but it compiled`);
  }
  return result.issues;
}

/** Returns the only issue of a formula that must be invalid. */
function issueOf(source: string, environment: FormulaEnvironment = ENVIRONMENT): FormulaIssue {
  const issues = issuesOf(source, environment);
  expect(issues).toHaveLength(1);
  return issues[0] as FormulaIssue;
}

/** Evaluates a formula and returns its value as text: numbers in plain notation, text and booleans as they are. */
function evaluate(source: string, values: Partial<FormulaValues> = {}): string {
  const result = compile(source).evaluate({
    variables: values.variables ?? VARIABLES,
    attributes: values.attributes ?? ATTRIBUTES,
  });
  return isDecimal(result) ? result.toFixed() : String(result);
}

/** Returns the error that evaluating a formula throws. */
function evaluationErrorOf(source: string, values: Partial<FormulaValues> = {}): FormulaEvaluationError {
  try {
    evaluate(source, values);
  } catch (error) {
    if (error instanceof FormulaEvaluationError) {
      return error;
    }
    throw error;
  }
  throw new Error(`expected "${source}" to throw FormulaEvaluationError`);
}

describe('compileFormula evaluation', () => {
  it.each([
    ['value * 0.05 + (attr.Campaign__c == "WINTER" ? 10 : 0)', '70.005'],
    ['min(quantity * 25, 500)', '500'],
    ['activations >= 20 and cancellationRate <= 0.15', 'true'],
    ['0.1 + 0.2 == 0.3', 'true'],
    ['1200.10 * 0.05', '60.005'],
    ['value * 0.05', '60.005'],
    ['10 - 2 - 3', '5'],
    ['2 + 3 * 4', '14'],
    ['(2 + 3) * 4', '20'],
    ['-quantity + +5', '-25'],
    ['-2^2', '-4'], // "^" binds tighter than unary minus, as in mathjs
    ['(1 + 0.05)^3', '1.157625'],
    ['quantity ^ 0', '1'],
    ['1 / 3', '0.3333333333333333333333333333333333'], // 34 significant digits
    ['2 / 3', '0.6666666666666666666666666666666667'], // the 34th digit rounds half up
    ['123456789012345678901234567890.123456789 - 123456789012345678901234567890', '0.123456789'],
    ['quantity > 29.99 and quantity < 30.01', 'true'],
    ['quantity <= 29 or quantity >= 31', 'false'],
    ['quantity == 30.00', 'true'],
    ['quantity != 30', 'false'],
    ['not hasBonus', 'true'],
    ['category == "electricity"', 'true'],
    ["category == 'gas'", 'false'],
    ['"it\'s" == "it\\\'s"', 'true'],
    ['hasBonus == false', 'true'],
    ['hasBonus ? 1 : quantity > 10 ? 2 : 3', '2'],
    ['value # a comment after the formula', '1200.1'],
    ['(value\n * 2)', '2400.2'],
  ])('evaluates %s to %s', (source, expected) => {
    expect(evaluate(source)).toBe(expected);
  });

  it('compares text attributes exactly', () => {
    const source = 'attr.Campaign__c == "WINTER"';
    expect(evaluate(source, { attributes: { Campaign__c: 'WINTER' } })).toBe('true');
    expect(evaluate(source, { attributes: { Campaign__c: 'winter' } })).toBe('false');
    expect(evaluate(source, { attributes: { Campaign__c: 'WINTER ' } })).toBe('false');
  });

  it('does not convert text to a number in ==', () => {
    expect(issueOf('attr.Campaign__c == 1').message).toBe(
      'type mismatch: "==" needs two values of the same type, but attr.Campaign__c is text and 1 is a number',
    );
  });

  it('reads a numeric-string attribute exactly', () => {
    expect(evaluate('attr.Amount__c * 2', { attributes: { Amount__c: '1200.10' } })).toBe('2400.2');
    expect(evaluate('attr.Amount__c', { attributes: { Amount__c: '-0.000125' } })).toBe('-0.000125');
  });

  it('reads a JSON number attribute through its decimal text', () => {
    expect(evaluate('attr.Amount__c + 0.2 == 0.3', { attributes: { Amount__c: 0.1 } })).toBe('true');
    expect(evaluate('attr.Amount__c / 1000', { attributes: { Amount__c: 1e21 } })).toBe('1000000000000000000');
  });

  it('reads a boolean attribute', () => {
    expect(evaluate('attr.Active__c and not hasBonus', { attributes: { Active__c: true } })).toBe('true');
  });

  it('short-circuits and and or', () => {
    // Region__c is missing, so evaluating the right side would throw.
    expect(evaluate('hasBonus and attr.Region__c == "North"', { attributes: {} })).toBe('false');
    expect(evaluate('not hasBonus or attr.Region__c == "North"', { attributes: {} })).toBe('true');
  });

  it('evaluates only the chosen branch of ?:', () => {
    expect(evaluate('quantity > 100 ? value / zero : 1')).toBe('1');
  });
});

describe('compileFormula functions', () => {
  it.each([
    ['min(2, -1, 0)', '-1'],
    ['min(5)', '5'],
    ['max(1, 7.5, 3)', '7.5'],
    ['abs(-3.5)', '3.5'],
    ['abs(2)', '2'],
    ['floor(1.7)', '1'],
    ['floor(-1.5)', '-2'],
    ['ceil(1.2)', '2'],
    ['ceil(-1.5)', '-1'],
    ['round(2.5)', '3'],
    ['round(-2.5)', '-3'], // ties round away from zero
    ['round(2.4)', '2'],
    ['round(2.345, 2)', '2.35'],
    ['round(0.125, 2)', '0.13'],
    ['round(value * 0.05, 2)', '60.01'],
    ['round(1250, -2)', '1300'],
    ['round(1249, -2)', '1200'],
    ['round(value, digits)', '1200.1'],
    ['anyOf(attr.Campaign__c, "SUMMER", "WINTER")', 'true'],
    ['anyOf(attr.Campaign__c, "SUMMER", "SPRING")', 'false'],
    ['anyOf(quantity, 10, 30.0)', 'true'],
    ['anyOf(1.50, 1.5)', 'true'],
    ['contains("Winter Promo", "Promo")', 'true'],
    ['contains("Winter", "winter")', 'false'], // case-sensitive
    ['contains(category, "")', 'true'],
  ])('evaluates %s to %s', (source, expected) => {
    expect(evaluate(source)).toBe(expected);
  });

  it('returns the fallback of coalesce for a missing attribute', () => {
    const source = 'coalesce(attr.Region__c, "none")';
    expect(evaluate(source, { attributes: {} })).toBe('none');
    expect(evaluate(source, { attributes: { Region__c: null } })).toBe('none');
    expect(evaluate(source, { attributes: { Region__c: 'North' } })).toBe('North');
  });

  it('converts a numeric attribute in coalesce', () => {
    expect(evaluate('coalesce(attr.Amount__c, 0) * 2', { attributes: {} })).toBe('0');
    expect(evaluate('coalesce(attr.Amount__c, 0) * 2', { attributes: { Amount__c: '12.50' } })).toBe('25');
  });

  it('rejects a mistyped attribute in coalesce', () => {
    expect(evaluationErrorOf('coalesce(attr.Amount__c, 0)', { attributes: { Amount__c: 'n/a' } }).message).toMatch(
      /^attribute Amount__c is declared as a number, but the order has "n\/a"/,
    );
  });
});

describe('compileFormula result', () => {
  it('lists read names sorted, once each', () => {
    const formula = compile('value * quantity + (attr.Region__c == "North" ? quantity : coalesce(attr.Amount__c, 0))');
    expect(formula.variables).toEqual(['quantity', 'value']);
    expect(formula.attributes).toEqual(['Amount__c', 'Region__c']);
  });

  it('reports the result type and source', () => {
    const formula = compile('attr.Campaign__c');
    expect(formula.resultType).toBe('text');
    expect(formula.source).toBe('attr.Campaign__c');
    expect(compile('quantity > 1').resultType).toBe('boolean');
    expect(compile('quantity').resultType).toBe('number');
  });

  it('accepts the expected type', () => {
    expect(compileFormula('quantity * 2', ENVIRONMENT, 'number').ok).toBe(true);
  });

  it('rejects a result of another type than expected', () => {
    expect(issuesOf('attr.Campaign__c', ENVIRONMENT, 'number')).toEqual([
      { message: 'type mismatch: the formula gives text, but a number is needed here' },
    ]);
    expect(issuesOf('quantity', ENVIRONMENT, 'boolean')).toEqual([
      { message: 'type mismatch: the formula gives a number, but a boolean is needed here' },
    ]);
  });
});

describe('compileFormula syntax errors', () => {
  it('converts mathjs char to 0-based position', () => {
    // mathjs reports the second "*" as char 12, counting from 1; it is at offset 11.
    const issue = issueOf('quantity * * 2');
    expect(issue.message).toMatch(/^syntax error at character 12: /);
    expect(issue.position).toBe(11);
  });

  it('points at the end of an unfinished formula', () => {
    const issue = issueOf('2 * (3');
    expect(issue.message).toBe('syntax error at character 7: Parenthesis ) expected');
    expect(issue.position).toBe(6);
  });

  it.each(['', '   ', '# only a comment'])('rejects the empty formula %j', (source) => {
    expect(issueOf(source).message).toBe('the formula is empty; write an expression such as value * 0.05');
  });

  it('rejects a second expression on a new line', () => {
    expect(issueOf('value\n * 2').message).toMatch(/^syntax error at character 8: /);
    const issue = issueOf('value\nquantity');
    expect(issue.message).toMatch(/^a formula must be a single expression/);
    expect(issue.position).toBeUndefined();
  });
});

describe('compileFormula names', () => {
  it('rejects an unknown name and lists the known ones', () => {
    expect(issueOf('activationz >= 20')).toEqual({
      message:
        'unknown name "activationz"; known names: activations, cancellationRate, category, digits, hasBonus, quantity, value, zero',
      position: 0,
    });
  });

  it('locates an unknown name outside strings', () => {
    expect(issueOf('"activationz" == activationz').position).toBe(17);
    expect(issueOf('1 + activationz').position).toBe(4);
  });

  it('reports an unknown name once', () => {
    expect(issuesOf('activationz * activationz')).toHaveLength(1);
  });

  it('lists the 15 closest of many names', () => {
    const variables: Record<string, FormulaType> = { rate: 'number' };
    for (let index = 1; index <= 20; index += 1) {
      variables[`metric${String(index).padStart(2, '0')}`] = 'number';
    }
    const { message } = issueOf('ratee', { variables, attributes: {} });
    expect(message).toMatch(/^unknown name "ratee"; known names: /);
    expect(message).toContain('rate');
    expect(message).toMatch(/ and 6 more$/);
    expect(message.split(', ')).toHaveLength(15);
  });

  it('says when no variables are declared', () => {
    expect(issueOf('x', { variables: {}, attributes: {} }).message).toBe('unknown name "x"; no variables are declared');
  });

  it('rejects an unknown attribute', () => {
    expect(issueOf('2 * attr.Campaing__c == 4')).toEqual({
      message:
        'unknown attribute "Campaing__c"; declare it under attributes in the plan ' +
        '(declared attributes: Active__c, Amount__c, Campaign__c, Region__c)',
      position: 4,
    });
  });

  it('points from an attribute name without attr. to attr.Name', () => {
    expect(issueOf('Campaign__c == "WINTER"').message).toBe(
      'unknown name "Campaign__c"; Campaign__c is an attribute, so write attr.Campaign__c',
    );
  });

  it('points from attr.variable to the variable', () => {
    expect(issueOf('attr.quantity').message).toBe(
      'unknown attribute "quantity"; quantity is a variable, so write it without "attr."',
    );
  });

  it('rejects attr without a name', () => {
    expect(issueOf('attr').message).toBe('"attr" must be followed by an attribute name, as in attr.Campaign__c');
  });

  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])(
    'treats %s as unknown, not as an object property',
    (name) => {
      expect(issueOf(name).message).toMatch(new RegExp(`^unknown name "${name}"`));
      expect(issueOf(`attr.${name}`).message).toMatch(new RegExp(`^unknown attribute "${name}"`));
      expect(issueOf(`${name}(1)`).message).toMatch(new RegExp(`^unknown function "${name}"`));
    },
  );

  it('does not read attributes inherited through the prototype', () => {
    const attributes = Object.create({ Region__c: 'North' }) as Record<string, unknown>;
    expect(evaluationErrorOf('attr.Region__c', { attributes }).message).toMatch(/^attribute Region__c is missing/);
  });

  it('reports every unknown name of a formula', () => {
    expect(issuesOf('activationz + attr.Campaing__c + foo(1)').map((issue) => issue.position)).toEqual([0, 14, 33]);
  });
});

describe('compileFormula functions errors', () => {
  it('rejects an unknown function', () => {
    expect(issueOf('value + sqrt(2)')).toEqual({
      message:
        'unknown function "sqrt"; available functions: abs, anyOf, ceil, coalesce, contains, floor, max, min, round',
      position: 8,
    });
  });

  it('points from a variable called as a function to "*"', () => {
    expect(issueOf('quantity(2)').message).toMatch(
      /^unknown function "quantity"; quantity is a variable, so write quantity \* \(\.\.\.\) to multiply/,
    );
  });

  it.each([
    ['min()', 'min() takes at least 1 argument, but got 0; write min(number, ...)'],
    ['abs(1, 2)', 'abs() takes 1 argument, but got 2; write abs(number)'],
    ['round(1, 2, 3)', 'round() takes 1 or 2 arguments, but got 3; write round(number, digits)'],
    ['anyOf(category)', 'anyOf() takes at least 2 arguments, but got 1; write anyOf(value, option, ...)'],
    ['contains("a")', 'contains() takes 2 arguments, but got 1; write contains(text, part)'],
    ['coalesce(attr.Region__c)', 'coalesce() takes 2 arguments, but got 1; write coalesce(attr.Name, fallback)'],
  ])('rejects the argument count of %s', (source, message) => {
    expect(issueOf(source)).toEqual({ message, position: 0 });
  });

  it.each([
    ['min(quantity, attr.Campaign__c)', 'type mismatch: min() needs numbers, but attr.Campaign__c is text'],
    ['round(hasBonus)', 'type mismatch: round() needs numbers, but hasBonus is a boolean'],
    ['anyOf(hasBonus, true)', 'type mismatch: anyOf() compares text or numbers, but hasBonus is a boolean'],
    [
      'anyOf(category, "gas", 5)',
      'type mismatch: anyOf() needs options of the same type as category (text), but 5 is a number',
    ],
    ['contains(category, 1)', 'type mismatch: contains() needs text, but 1 is a number'],
    [
      'coalesce(attr.Amount__c, "none")',
      'type mismatch: coalesce() needs a fallback of the attribute\'s type, but attr.Amount__c is a number and "none" is text',
    ],
    [
      'coalesce(quantity, 0)',
      'coalesce() needs an attribute such as attr.Region__c as its first argument; write coalesce(attr.Name, fallback)',
    ],
    ['round(value, 2.5)', 'round() needs whole-number digits from -34 to 34, but got 2.5'],
    ['round(value, 35)', 'round() needs whole-number digits from -34 to 34, but got 35'],
  ])('rejects the arguments of %s', (source, message) => {
    expect(issueOf(source)).toEqual({ message, position: 0 });
  });
});

describe('compileFormula type mismatches', () => {
  it.each([
    ['value * attr.Campaign__c', 'type mismatch: "*" needs numbers, but attr.Campaign__c is text', 6],
    ['hasBonus + 1', 'type mismatch: "+" needs numbers, but hasBonus is a boolean', 9],
    ['category - hasBonus', 'type mismatch: "-" needs numbers, but category is text and hasBonus is a boolean', 9],
    ['-category', 'type mismatch: "-" needs a number, but category is text', 0],
    ['"WINTER" < "SUMMER"', 'type mismatch: "<" needs numbers, but "WINTER" is text and "SUMMER" is text', 9],
    [
      'quantity == "30"',
      'type mismatch: "==" needs two values of the same type, but quantity is a number and "30" is text',
      9,
    ],
    ['quantity and hasBonus', 'type mismatch: "and" needs booleans, but quantity is a number', 9],
    ['not category', 'type mismatch: "not" needs a boolean, but category is text', 0],
    ['quantity ? 1 : 2', 'type mismatch: the condition of "?:" must be a boolean, but quantity is a number', 9],
    [
      'hasBonus ? 1 : "none"',
      'type mismatch: both results of "?:" must have the same type, but 1 is a number and "none" is text',
      9,
    ],
  ])('rejects %s', (source, message, position) => {
    expect(issueOf(source)).toEqual({ message, position });
  });

  it('locates the second of two equal operators', () => {
    expect(issueOf('value * 2 + value * "x"').position).toBe(18);
  });

  it('does not repeat a mismatch for the operators around it', () => {
    expect(issuesOf('(value * category) + 1 > 2')).toHaveLength(1);
  });
});

describe('compileFormula unsupported constructs', () => {
  it.each([
    ['quantity = 1', 'assignment with "=" is not supported; compare values with "=="', 9],
    ['f(x) = x * 2', 'function definitions are not supported', 5],
    ['[1, 2]', 'arrays and matrices ("[...]") are not supported', 0],
    ['{a: 1}', 'objects ("{...}") are not supported', 0],
    ['1:3', 'ranges ("start:end") are not supported', 1],
    ['1 < quantity < 50', 'chained comparisons such as "a < b < c" are not supported; write "a < b and b < c"', 2],
    ['value % 2', '"%" is not supported; write a percentage as a decimal fraction, such as 0.05 for 5%', 6],
    ['value * 5%', '"%" is not supported; write a percentage as a decimal fraction, such as 0.05 for 5%', 9],
    ['value mod 2', 'operator "mod" is not supported; the operators are + - * / ^ < <= > >= == != and or not', 6],
    ['hasBonus xor true', 'operator "xor" is not supported; the operators are + - * / ^ < <= > >= == != and or not', 9],
    ['quantity & 1', 'operator "&" is not supported; the operators are + - * / ^ < <= > >= == != and or not', 9],
    ['quantity!', 'operator "!" is not supported; the operators are + - * / ^ < <= > >= == != and or not', 8],
    ["quantity'", 'operator "\'" is not supported; the operators are + - * / ^ < <= > >= == != and or not', 8],
    ['attr.Region__c ?? "x"', '"??" is not supported; use coalesce(attr.Name, fallback)', 15],
    ['2 quantity', 'missing operator between 2 and quantity; write "*" to multiply', 2],
    ['quantity^11', '"^" needs a whole-number exponent from 0 to 10 written in the formula, such as (1 + rate)^2', 8],
    ['quantity^-1', '"^" needs a whole-number exponent from 0 to 10 written in the formula, such as (1 + rate)^2', 8],
    ['2^quantity', '"^" needs a whole-number exponent from 0 to 10 written in the formula, such as (1 + rate)^2', 1],
    ['quantity.x', '"." reads attributes and works only on attr, as in attr.Campaign__c', 0],
    ['attr.Region__c.x', '"." reads attributes and works only on attr, as in attr.Campaign__c', 0],
    ['attr["Region__c"]', 'indexing with "[...]" is not supported; read attributes as attr.Name', 0],
    [
      'attr?.Region__c',
      '"?." is not supported; read attributes as attr.Name, and use coalesce(attr.Name, fallback) for attributes that may be missing',
      0,
    ],
    ['null', 'null is not supported; for an attribute that may be missing, use coalesce(attr.Name, fallback)', 0],
    ['Infinity', 'Infinity is not supported; write a finite decimal number', 0],
    ['1 + NaN', 'NaN is not supported; write a finite decimal number', 4],
    ['1e99999999999999999', 'this number is too large for decimal arithmetic', 0],
  ])('rejects %s', (source, message, position) => {
    expect(issueOf(source)).toEqual({ message, position });
  });

  it('rejects a semicolon between expressions', () => {
    expect(issueOf('value; quantity').message).toMatch(/^a formula must be a single expression/);
  });

  it('reads a quote after a value as transpose', () => {
    // Read as the start of a string, the first quote would hide the "*", which would get no position.
    expect(issuesOf("category' == 'x' * 2").map((issue) => issue.position)).toEqual([8, 17]);
  });
});

describe('compileFormula limits', () => {
  it('rejects a formula over the length limit', () => {
    const source = `${'1 + '.repeat(250)}1`;
    expect(source.length).toBeGreaterThan(MAX_FORMULA_LENGTH);
    expect(issueOf(source)).toEqual({
      message: `the formula is ${source.length} characters long, but the maximum is 1000`,
      position: 1000,
    });
  });

  it('accepts a formula of exactly 1000 characters', () => {
    const source = `quantity${' '.repeat(MAX_FORMULA_LENGTH - 'quantity'.length)}`;
    expect(source).toHaveLength(1000);
    expect(evaluate(source)).toBe('30');
  });

  it('rejects a formula over the node limit', () => {
    // 101 names and 100 "+" operators make 201 nodes.
    const source = `${'quantity+'.repeat(100)}quantity`;
    expect(issueOf(source).message).toBe(
      `the formula has 201 syntax tree nodes, but the maximum is ${MAX_FORMULA_NODES}; simplify the formula`,
    );
  });

  it('accepts a formula at the node limit', () => {
    expect(evaluate(`${'quantity+'.repeat(99)}quantity`)).toBe('3000');
  });

  it('rejects brackets nested deeper than 32', () => {
    const source = `${'('.repeat(33)}1${')'.repeat(33)}`;
    expect(issueOf(source)).toEqual({
      message: `brackets are nested more than ${MAX_FORMULA_NESTING} levels deep; simplify the formula`,
      position: 32,
    });
  });

  it('counts function calls as nesting', () => {
    const source = `${'abs('.repeat(33)}1${')'.repeat(33)}`;
    expect(issueOf(source).position).toBe(4 * 32 + 3);
  });

  it('accepts brackets nested 32 deep', () => {
    expect(evaluate(`${'('.repeat(32)}1${')'.repeat(32)}`)).toBe('1');
  });

  it('ignores brackets inside strings', () => {
    expect(evaluate(`category == "${'('.repeat(40)}"`)).toBe('false');
  });
});

describe('CompiledFormula.evaluate errors', () => {
  it('rejects division by zero', () => {
    const error = evaluationErrorOf('value / zero');
    expect(error.message).toBe('division by zero in "value / zero"');
    expect(error.source).toBe('value / zero');
    expect(error.name).toBe('FormulaEvaluationError');
  });

  it('rejects a missing attribute', () => {
    expect(evaluationErrorOf('attr.Campaign__c == "WINTER"', { attributes: {} }).message).toBe(
      'attribute Campaign__c is missing on the order; write coalesce(attr.Campaign__c, fallback) if it is optional',
    );
  });

  it('treats a null attribute as missing', () => {
    expect(evaluationErrorOf('attr.Campaign__c', { attributes: { Campaign__c: null } }).message).toMatch(
      /^attribute Campaign__c is missing on the order/,
    );
  });

  it.each([
    [
      'attr.Amount__c',
      { Amount__c: '12,50' },
      'attribute Amount__c is declared as a number, but the order has "12,50"',
    ],
    ['attr.Amount__c', { Amount__c: '' }, 'attribute Amount__c is declared as a number, but the order has ""'],
    ['attr.Amount__c', { Amount__c: true }, 'attribute Amount__c is declared as a number, but the order has true'],
    ['attr.Campaign__c', { Campaign__c: 5 }, 'attribute Campaign__c is declared as text, but the order has 5'],
    ['attr.Active__c', { Active__c: 'true' }, 'attribute Active__c is declared as a boolean, but the order has "true"'],
    [
      'attr.Region__c',
      { Region__c: ['North'] },
      'attribute Region__c is declared as text, but the order has ["North"]',
    ],
  ])('rejects %s of the wrong type %j', (source, attributes, message) => {
    expect(evaluationErrorOf(source, { attributes }).message).toBe(
      `${message}; correct the value in the CRM or the attribute's type in the plan`,
    );
  });

  it('rejects a variable without a value', () => {
    expect(evaluationErrorOf('quantity * 2', { variables: {} }).message).toBe('variable quantity has no value');
  });

  it('rejects a variable of the wrong type', () => {
    expect(evaluationErrorOf('quantity * 2', { variables: { quantity: '30' } }).message).toBe(
      'variable quantity is declared as a number, but its value is "30"',
    );
  });

  it('rejects fractional round() digits at run time', () => {
    const variables = { ...VARIABLES, digits: parseDecimal('1.5', 'digits') };
    expect(evaluationErrorOf('round(value, digits)', { variables }).message).toBe(
      'round() needs whole-number digits from -34 to 34, but got 1.5 in "round(value, digits)"',
    );
  });
});

describe('parseDecimalNotation', () => {
  it.each([
    ['0.05', '0.05'],
    ['-12.5', '-12.5'],
    ['1.5e-7', '0.00000015'],
    ['1e+21', '1000000000000000000000'],
    ['1.23456789012345678901234567890123456789e+29', '123456789012345678901234567890.123456789'],
  ])('reads %s', (text, expected) => {
    expect(parseDecimalNotation(text, 'value').toFixed()).toBe(expected);
  });

  it.each(['', '1,5', ' 1', '.5', 'Infinity', 'NaN', '0x10', '1e99999999999999999'])('rejects %j', (text) => {
    expect(() => parseDecimalNotation(text, 'value')).toThrow(InvalidDecimalError);
  });
});

describe('roundHalfUp', () => {
  it.each([
    ['2.345', 2, '2.35'],
    ['-2.345', 2, '-2.35'],
    ['2.5', 0, '3'],
    ['1250', -2, '1300'],
    ['-1250', -2, '-1300'],
    ['1249.99', -2, '1200'],
  ])('rounds %s to %i places as %s', (value, places, expected) => {
    expect(roundHalfUp(parseDecimal(value, 'value'), places).toFixed()).toBe(expected);
  });
});
