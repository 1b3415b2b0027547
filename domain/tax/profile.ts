/**
 * Schema of a partner's tax profile and `parseTaxProfile`, for profiles read from stored JSON. The
 * schema checks the shape only. Whether the settings fit the country, such as withholding for an
 * Italian agent, is checked by calculateTaxes.
 */
import { z } from 'zod';

import { InvalidTaxProfileError, type ValidationIssue } from '../errors.js';
import type { TaxProfile } from '../model.js';
import { parseJsonText, validateWithSchema } from '../validation.js';

export const TAX_COUNTRIES = ['DE', 'IT'] as const;
export const VAT_REGIMES = ['standard', 'reverse_charge', 'small_business', 'forfettario'] as const;
export const WITHHOLDING_SETTINGS = ['standard', 'with_employees', 'none'] as const;
export const ENASARCO_SETTINGS = ['individual_single_mandate', 'individual_multi_mandate', 'company', 'none'] as const;

function enumSchema<const T extends readonly [string, ...string[]]>(values: T) {
  const choices = values.join(', ');
  return z.enum(values, {
    error: (issue) => (issue.input === undefined ? `set it to one of ${choices}` : `must be one of ${choices}`),
  });
}

const textSchema = z.string().trim().min(1, { error: 'must not be empty' });

const postalAddressSchema = z.strictObject({
  street: textSchema,
  postalCode: textSchema,
  city: textSchema,
  country: textSchema,
});

/** Schema of a TaxProfile. Unknown fields are rejected, because a misspelt withholding would be ignored. */
export const taxProfileSchema = z.strictObject({
  country: enumSchema(TAX_COUNTRIES),
  vatRegime: enumSchema(VAT_REGIMES),
  vatId: textSchema.optional(),
  taxNumber: textSchema.optional(),
  withholding: enumSchema(WITHHOLDING_SETTINGS).optional(),
  enasarco: enumSchema(ENASARCO_SETTINGS).optional(),
  address: postalAddressSchema,
});

// Compile-time check that the schema produces exactly the documented TaxProfile shape.
const _schemaMatchesType: z.ZodType<TaxProfile> = taxProfileSchema;

/** Returns the value at a ValidationIssue path such as `address.city`, or undefined when it is absent. */
function readValueAtPath(input: unknown, issue: ValidationIssue): unknown {
  if (issue.path === '') {
    return input;
  }
  let value = input;
  for (const key of issue.path.split('.')) {
    value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  }
  return value;
}

/** Formats an issue as the reason that follows "`field` is `value`;" in an InvalidTaxProfileError message. */
function describeProblem(issue: ValidationIssue): string {
  return issue.message === 'is missing' ? 'it is required; add it' : issue.message;
}

function toProfileError(input: unknown, issues: readonly ValidationIssue[], partnerId: string): InvalidTaxProfileError {
  const [first, ...others] = issues as [ValidationIssue, ...ValidationIssue[]];
  const field = first.path === '' ? 'taxProfile' : first.path;
  const otherProblems = others.map((issue) => `${issue.path}: ${describeProblem(issue)}`);
  const firstProblem = describeProblem(first);
  const reason = others.length === 0 ? firstProblem : `${firstProblem}; also ${otherProblems.join('; ')}`;
  return new InvalidTaxProfileError(field, readValueAtPath(input, first), reason, partnerId);
}

/**
 * Validates a partner's tax profile, given as parsed JSON or as JSON text. Throws
 * InvalidTaxProfileError naming the partner and the first invalid field, with every further problem
 * in its reason, for example `invalid tax profile of partner P00001: vatRegime is "flat"; must be
 * one of standard, reverse_charge, small_business, forfettario`.
 */
export function parseTaxProfile(json: unknown, partnerId: string): TaxProfile {
  let input = json;
  if (typeof json === 'string') {
    const parsed = parseJsonText(json);
    if (!parsed.success) {
      throw new InvalidTaxProfileError('taxProfile', json, parsed.issue.message, partnerId);
    }
    input = parsed.data;
  }
  const result = validateWithSchema(taxProfileSchema, input);
  if (!result.success) {
    throw toProfileError(input, result.issues, partnerId);
  }
  return result.data;
}
