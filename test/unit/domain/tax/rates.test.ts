import { describe, expect, it } from 'vitest';

import { TaxRatesNotFoundError, TaxRuleSetValidationError } from '../../../../domain/errors.js';
import { calculateTaxes } from '../../../../domain/tax/calculate-taxes.js';
import { parseTaxRuleSet, selectRates } from '../../../../domain/tax/rates.js';
import { GERMAN_STANDARD_PROFILE, loadTaxRules } from '../builders.js';

const rules = loadTaxRules();

describe('data/tax-rates.json', () => {
  it('holds the ENASARCO limits of 2025 and 2026', () => {
    const limits = rules.IT.map((entry) => [
      entry.enasarco.year,
      entry.enasarco.individual.ceilings,
      entry.enasarco.individual.minimums,
    ]);
    expect(limits).toEqual([
      [
        2025,
        { single_mandate: '45085.00', multi_mandate: '30057.00' },
        { single_mandate: '1011.00', multi_mandate: '507.00' },
      ],
      [
        2026,
        { single_mandate: '45717.00', multi_mandate: '30478.00' },
        { single_mandate: '1026.00', multi_mandate: '515.00' },
      ],
    ]);
  });
});

describe('selectRates', () => {
  it('picks the latest entry on or before the date', () => {
    expect(selectRates(rules, '2025-12-31T23:59:59.999Z').IT?.enasarco.year).toBe(2025);
    expect(selectRates(rules, '2026-01-01T00:00:00.000Z').IT?.enasarco.year).toBe(2026);
    expect(selectRates(rules, '2026-06-15T12:00:00.000Z').DE?.vat.standardRate).toBe('0.19');
  });

  it('returns undefined before the first entry', () => {
    expect(selectRates(rules, '2020-06-01T00:00:00.000Z')).toEqual({ DE: undefined, IT: undefined });
  });

  it('makes calculateTaxes reject a period without rates', () => {
    const input = {
      net: '10.00',
      profile: GERMAN_STANDARD_PROFILE,
      yearToDate: '0.00',
      periodEndsAt: '2020-07-01T00:00:00.000Z',
      rules,
    };
    expect(() => calculateTaxes(input)).toThrow(TaxRatesNotFoundError);
  });
});

describe('parseTaxRuleSet', () => {
  it('lists every problem with its path', () => {
    const broken = structuredClone(rules) as unknown as {
      DE: { vat: { standardRate: unknown } }[];
      IT: { effectiveFrom: string }[];
    };
    (broken.DE[0] as { vat: { standardRate: unknown } }).vat.standardRate = 0.19;
    (broken.IT[1] as { effectiveFrom: string }).effectiveFrom = (
      broken.IT[0] as { effectiveFrom: string }
    ).effectiveFrom;
    try {
      parseTaxRuleSet(broken);
      expect.unreachable('the rule set should be rejected');
    } catch (error) {
      expect(error).toBeInstanceOf(TaxRuleSetValidationError);
      expect((error as TaxRuleSetValidationError).issues.map((issue) => issue.path)).toEqual([
        'DE[0].vat.standardRate',
        'IT[1].effectiveFrom',
      ]);
    }
  });
});
