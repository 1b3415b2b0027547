/**
 * Schema of the effective-dated tax rule set (data/tax-rates.json) and selection of the entry that
 * is effective on a date. The domain does no I/O: callers read the file and pass the parsed JSON to
 * `parseTaxRuleSet`.
 */
import { z } from 'zod';

import { TaxRuleSetValidationError } from '../errors.js';
import type { IsoDateTime } from '../model.js';
import { parseJsonText, validateWithSchema } from '../validation.js';
import type { SelectedTaxRates, TaxRuleSet } from './types.js';
import { parseIsoDateTime } from '../time.js';

const dateSchema = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, { error: 'must be a calendar date such as "2026-01-01"' });

const rateSchema = z
  .string()
  .regex(/^(0(\.\d+)?|1(\.0+)?)$/, { error: 'must be a decimal string from 0 to 1, such as "0.19"' });

const amountSchema = z
  .string()
  .regex(/^\d+\.\d{2}$/, { error: 'must be an amount with two fraction digits, such as "45717.00"' });

const noteSchema = z.string().trim().min(1, { error: 'must not be empty' });

const mandateAmountsSchema = z.strictObject({ single_mandate: amountSchema, multi_mandate: amountSchema });

const germanTaxRatesSchema = z.strictObject({
  effectiveFrom: dateSchema,
  vat: z.strictObject({ standardRate: rateSchema }),
  notes: z.strictObject({ reverseCharge: noteSchema, smallBusiness: noteSchema }),
});

const italianTaxRatesSchema = z.strictObject({
  effectiveFrom: dateSchema,
  vat: z.strictObject({ standardRate: rateSchema }),
  withholding: z.strictObject({
    rate: rateSchema,
    taxableShare: z.strictObject({ standard: rateSchema, with_employees: rateSchema }),
  }),
  enasarco: z.strictObject({
    year: z.number().int({ error: 'must be a calendar year such as 2026' }).min(2000).max(2100),
    individual: z.strictObject({
      agentRate: rateSchema,
      principalRate: rateSchema,
      ceilings: mandateAmountsSchema,
      minimums: mandateAmountsSchema,
    }),
    company: z.strictObject({ agentRate: rateSchema, principalRate: rateSchema }),
  }),
  notes: z.strictObject({ forfettario: noteSchema }),
});

function checkUniqueEffectiveDates(entries: readonly { effectiveFrom: string }[], context: z.RefinementCtx): void {
  entries.forEach((entry, index) => {
    const firstIndex = entries.findIndex((other) => other.effectiveFrom === entry.effectiveFrom);
    if (firstIndex !== index) {
      context.addIssue({
        code: 'custom',
        path: [index, 'effectiveFrom'],
        message: `duplicate effectiveFrom ${entry.effectiveFrom}, also at [${firstIndex}]; give each entry its own date`,
      });
    }
  });
}

/** Schema of a tax rule set: for each country, a list of entries with distinct effectiveFrom dates. */
export const taxRuleSetSchema = z.strictObject({
  DE: z.array(germanTaxRatesSchema).superRefine(checkUniqueEffectiveDates),
  IT: z.array(italianTaxRatesSchema).superRefine(checkUniqueEffectiveDates),
});

// Compile-time check that the schema produces exactly the documented TaxRuleSet shape.
const _schemaMatchesType: z.ZodType<TaxRuleSet> = taxRuleSetSchema;

/**
 * Validates a tax rule set, given as parsed JSON or as JSON text. Throws TaxRuleSetValidationError
 * listing every problem with its path, for example `IT[1].enasarco.year: is missing`.
 */
export function parseTaxRuleSet(json: unknown): TaxRuleSet {
  let input = json;
  if (typeof json === 'string') {
    const parsed = parseJsonText(json);
    if (!parsed.success) {
      throw new TaxRuleSetValidationError([parsed.issue]);
    }
    input = parsed.data;
  }
  const result = validateWithSchema(taxRuleSetSchema, input);
  if (!result.success) {
    throw new TaxRuleSetValidationError(result.issues);
  }
  return result.data;
}

function selectEntry<T extends { effectiveFrom: string }>(entries: readonly T[], day: string): T | undefined {
  let selected: T | undefined;
  for (const entry of entries) {
    if (entry.effectiveFrom <= day && (selected === undefined || entry.effectiveFrom > selected.effectiveFrom)) {
      selected = entry;
    }
  }
  return selected;
}

/**
 * Returns, for each country, the entry with the latest effectiveFrom on or before the UTC calendar
 * date of `date`, or undefined when no entry is effective yet. Throws InvalidDateTimeError when
 * `date` is not an ISO 8601 date-time.
 */
export function selectRates(rules: TaxRuleSet, date: IsoDateTime): SelectedTaxRates {
  const day = new Date(parseIsoDateTime(date, 'date')).toISOString().slice(0, 10);
  return { DE: selectEntry(rules.DE, day), IT: selectEntry(rules.IT, day) };
}
