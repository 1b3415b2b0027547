/**
 * Schemas of the single values a plan is written with: ids, labels, amounts, rates, decimals,
 * dates, order states and product categories. Amounts, rates and decimal thresholds are strings so
 * that no value passes through a binary float, and each of them may instead be a template
 * placeholder such as "${activationTarget}", which a plan assignment's parameter value replaces.
 */
import { z } from 'zod';

import { ORDER_STATES, PRODUCT_CATEGORIES, type OrderState } from '../model.js';

/** A whole-value template placeholder: `${name}`, where name starts with a letter. */
export const PLACEHOLDER_PATTERN = /^\$\{([A-Za-z][A-Za-z0-9_]*)\}$/;
const PLACEHOLDER_SOURCE = String.raw`\$\{[A-Za-z][A-Za-z0-9_]*\}`;

/** Returns the parameter name of a placeholder string, or undefined for any other value. */
export function placeholderName(value: unknown): string | undefined {
  return typeof value === 'string' ? PLACEHOLDER_PATTERN.exec(value)?.[1] : undefined;
}

/** States that end an order; a rule cannot pay on them. */
export const TERMINAL_STATES: readonly OrderState[] = ['cancelled', 'rejected'];

export const idSchema = z
  .string()
  .trim()
  .min(1, { error: 'must not be empty' })
  .max(64, { error: 'must be at most 64 characters long' });

export const labelSchema = z.string().trim().min(1, { error: 'must not be empty' });

/** A name that formulas refer to: metrics, parameters and CRM attributes. */
export const nameSchema = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_]*$/, { error: 'must start with a letter and contain only letters, digits and _' })
  .max(64, { error: 'must be at most 64 characters long' });

/** Builds the message for a value outside an enumeration, for example an unknown product category. */
export function unknownValueMessage(noun: string, values: readonly string[]) {
  return (issue: { input?: unknown }): string =>
    issue.input === undefined
      ? 'is missing'
      : `unknown ${noun} ${JSON.stringify(issue.input)}; use one of ${values.join(', ')}`;
}

export const categorySchema = z.enum(PRODUCT_CATEGORIES, {
  error: unknownValueMessage('product category', PRODUCT_CATEGORIES),
});

export const stateSchema = z.enum(ORDER_STATES, { error: unknownValueMessage('order state', ORDER_STATES) });

export const payableStateSchema = stateSchema.refine((state) => !TERMINAL_STATES.includes(state), {
  error: (issue) => `cannot pay on ${JSON.stringify(issue.input)}, which ends the order; use a progress state`,
});

function withPlaceholder(pattern: string): RegExp {
  return new RegExp(`^(${pattern}|${PLACEHOLDER_SOURCE})$`);
}

export const amountSchema = z.string().regex(withPlaceholder(String.raw`\d+(\.\d{1,2})?`), {
  error: 'must be a non-negative amount with at most two fraction digits, such as "30.00", or a "${parameter}"',
});

export const unitRateSchema = z.string().regex(withPlaceholder(String.raw`0(\.\d+)?|1(\.0+)?`), {
  error: 'must be a decimal string from 0 to 1, such as "0.05", or a "${parameter}"',
});

/** A non-negative decimal such as a target, a threshold or a multiplier: "40", "0.85", "1.25". */
export const decimalSchema = z.string().regex(withPlaceholder(String.raw`\d+(\.\d+)?`), {
  error: 'must be a non-negative decimal string, such as "40" or "1.25", or a "${parameter}"',
});

export const shareSchema = z
  .string()
  .regex(/^(0(\.\d+)?|1(\.0+)?)$/, { error: 'must be a decimal string greater than 0 and at most 1, such as "0.40"' })
  .refine((share) => /[1-9]/.test(share), { error: 'must be greater than 0; remove a payment share of 0' });

export const dateSchema = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, { error: 'must be a date as YYYY-MM-DD, e.g. 2026-12-01' })
  .refine((date) => new Date(`${date}T00:00:00.000Z`).toISOString().startsWith(date), {
    error: (issue) => `${JSON.stringify(issue.input)} is not a day of the calendar; check the day of the month`,
  });

export const formulaSchema = z
  .string()
  .trim()
  .min(1, { error: 'must not be empty' })
  .describe('A formula, for example "value * 0.05" or "activations >= 20"; see docs/plans.md.');

export const wholeNumberSchema = z
  .number()
  .int({ error: 'must be a whole number' })
  .min(0, { error: 'must not be negative' });
