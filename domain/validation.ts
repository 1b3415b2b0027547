/**
 * Conversion of zod issues into ValidationIssue values with a readable path such as
 * `rules[2].tiers[1].from`, shared by the plan definition and the tax rule set parsers.
 */
import { z } from 'zod';

import type { ValidationIssue } from './errors.js';

/** Formats a zod path as `rules[2].tiers[1].from`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') {
      text += `[${segment}]`;
    } else {
      text += text === '' ? String(segment) : `.${String(segment)}`;
    }
  }
  return text;
}

/** Describes a JSON value for an error message: `the number 0.05`, `"abc"`, `null`. */
export function describeValue(value: unknown): string {
  if (value === undefined) {
    return 'nothing';
  }
  if (typeof value === 'number') {
    return `the number ${value}`;
  }
  if (Array.isArray(value)) {
    return 'a list';
  }
  if (value !== null && typeof value === 'object') {
    return 'an object';
  }
  return JSON.stringify(value);
}

const EXPECTED_NOUNS: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'an object',
};

function describeIssue(issue: z.core.$ZodIssue): ValidationIssue[] {
  const path = formatPath(issue.path);
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({
      path: formatPath([...issue.path, key]),
      message: 'unknown field; remove it or correct its spelling',
    }));
  }
  if (issue.code === 'invalid_type' && issue.input === undefined) {
    return [{ path, message: 'is missing' }];
  }
  if (issue.code === 'invalid_type' && issue.expected === 'string' && typeof issue.input === 'number') {
    const message = `must be a string, not the number ${issue.input}; write it as "${issue.input}" so that it is not rounded as a binary float`;
    return [{ path, message }];
  }
  if (issue.code === 'invalid_type') {
    const expected = EXPECTED_NOUNS[issue.expected] ?? issue.expected;
    return [{ path, message: `must be ${expected}, not ${describeValue(issue.input)}` }];
  }
  const offset = issue.code === 'custom' ? (issue.params as { offset?: unknown } | undefined)?.offset : undefined;
  return [{ path, message: issue.message, ...(typeof offset === 'number' ? { offset } : {}) }];
}

/**
 * Parses `input` with `schema` and returns the parsed value, or every problem found as a list of
 * ValidationIssue in document order. Invalid input gives `success: false` instead of an exception.
 */
export function validateWithSchema<T>(
  schema: z.ZodType<T>,
  input: unknown,
): { success: true; data: T } | { success: false; issues: ValidationIssue[] } {
  const result = schema.safeParse(input, { reportInput: true });
  if (result.success) {
    return { success: true, data: result.data };
  }
  const issues = result.error.issues.flatMap(describeIssue);
  return { success: false, issues };
}

/** Parses a JSON text, or returns a ValidationIssue for the document when the text is not JSON. */
export function parseJsonText(
  text: string,
): { success: true; data: unknown } | { success: false; issue: ValidationIssue } {
  try {
    return { success: true, data: JSON.parse(text) as unknown };
  } catch (error) {
    const reason = error instanceof SyntaxError ? error.message : String(error);
    return { success: false, issue: { path: '', message: `is not valid JSON: ${reason}` } };
  }
}
