import { describe, expect, it } from 'vitest';

import { InvalidTaxProfileError, TaxRatesNotFoundError } from '../../../../domain/errors.js';
import { parseAmount } from '../../../../domain/money.js';
import type { TaxProfile } from '../../../../domain/model.js';
import { calculateTaxes } from '../../../../domain/tax/calculate-taxes.js';
import { contributionBaseBelowCeiling } from '../../../../domain/tax/italy.js';
import type { TaxRuleSet } from '../../../../domain/tax/types.js';
import { loadTaxRules } from '../builders.js';

const rules = loadTaxRules();
const END_OF_NOVEMBER_2026 = '2026-12-01T00:00:00.000Z';

const INDIVIDUAL_AGENT: TaxProfile = {
  country: 'IT',
  vatRegime: 'standard',
  vatId: 'IT01234567890',
  withholding: 'standard',
  enasarco: 'none',
  address: { street: 'Via Roma 1', postalCode: '20121', city: 'Milano', country: 'IT' },
};

function italianTaxes(
  net: string,
  profile: Partial<TaxProfile>,
  yearToDate = '0.00',
  periodEndsAt = END_OF_NOVEMBER_2026,
) {
  return calculateTaxes({ net, profile: { ...INDIVIDUAL_AGENT, ...profile }, yearToDate, periodEndsAt, rules });
}

function itemOf(result: ReturnType<typeof italianTaxes>, kind: string) {
  return result.items.find((item) => item.kind === kind);
}

describe('Italian withholding', () => {
  it('withholds 23% on 50% of the commissions', () => {
    const result = italianTaxes('1000.00', { withholding: 'standard' });
    // IVA 1000.00 × 0.22 = 220.00; withholding 1000.00 × 0.23 × 0.50 = 115.00
    // payable 1000.00 + 220.00 - 115.00 = 1105.00
    expect(itemOf(result, 'withholding')).toEqual({
      kind: 'withholding',
      label: "Ritenuta d'acconto (23% sul 50% delle provvigioni)",
      base: '1000.00',
      rate: '0.115',
      amount: '115.00',
    });
    expect(result.vatAmount).toBe('220.00');
    expect(result.payableAmount).toBe('1105.00');
  });

  it('withholds 23% on 20% with employees', () => {
    const result = italianTaxes('1000.00', { withholding: 'with_employees' });
    // 1000.00 × 0.23 × 0.20 = 46.00; payable 1000.00 + 220.00 - 46.00 = 1174.00
    expect(result.withholdingAmount).toBe('46.00');
    expect(itemOf(result, 'withholding')?.rate).toBe('0.046');
    expect(result.payableAmount).toBe('1174.00');
  });

  it('rounds the withholding once', () => {
    // 333.33 × 0.115 = 38.33295 -> 38.33
    expect(italianTaxes('333.33', {}).withholdingAmount).toBe('38.33');
  });

  it('has no withholding item when set to none', () => {
    expect(itemOf(italianTaxes('1000.00', { withholding: 'none' }), 'withholding')).toBeUndefined();
  });

  it('requires the withholding setting', () => {
    expect(() => italianTaxes('1000.00', { withholding: undefined })).toThrow(InvalidTaxProfileError);
  });
});

describe('Italian forfettario', () => {
  it('has no IVA and no withholding', () => {
    const result = italianTaxes('1000.00', { vatRegime: 'forfettario', withholding: 'standard' });
    expect(result.items).toEqual([
      {
        kind: 'vat',
        label: 'IVA',
        base: '1000.00',
        rate: '0',
        amount: '0.00',
        note: expect.stringMatching(/forfettario/),
      },
    ]);
    expect(result.payableAmount).toBe('1000.00');
  });

  it('still pays ENASARCO', () => {
    const result = italianTaxes('1000.00', { vatRegime: 'forfettario', enasarco: 'individual_single_mandate' });
    // 1000.00 × 0.085 = 85.00 each; payable 1000.00 - 85.00 = 915.00
    expect(result.contributionAgent).toBe('85.00');
    expect(result.contributionPrincipal).toBe('85.00');
    expect(result.payableAmount).toBe('915.00');
  });
});

describe('ENASARCO individual agent', () => {
  it('stops at the ceiling crossed in this period', () => {
    const result = italianTaxes('2000.00', { enasarco: 'individual_single_mandate' }, '45000.00');
    // 2026 single-mandate ceiling 45717.00: base min(2000.00, 45717.00 - 45000.00) = 717.00
    // agent and principal 717.00 × 0.085 = 60.945 -> 60.95 each
    // payable 2000.00 + IVA 440.00 - withholding 230.00 - agent 60.95 = 2149.05
    expect(itemOf(result, 'contribution_agent')).toMatchObject({ base: '717.00', rate: '0.085', amount: '60.95' });
    expect(itemOf(result, 'contribution_agent')?.note).toMatch(/massimale annuo 2026 di EUR 45717\.00/);
    expect(itemOf(result, 'contribution_principal')).toMatchObject({ base: '717.00', amount: '60.95' });
    expect(result.payableAmount).toBe('2149.05');
  });

  it('charges nothing above the ceiling', () => {
    const result = italianTaxes('2000.00', { enasarco: 'individual_single_mandate' }, '46000.00');
    expect(itemOf(result, 'contribution_agent')).toMatchObject({ base: '0.00', amount: '0.00' });
  });

  it('charges the whole net below the ceiling', () => {
    const result = italianTaxes('1000.00', { enasarco: 'individual_multi_mandate' }, '10000.00');
    // 10000.00 + 1000.00 stays below the multi-mandate ceiling 30478.00: 1000.00 × 0.085 = 85.00
    expect(itemOf(result, 'contribution_agent')).toMatchObject({ base: '1000.00', amount: '85.00' });
    expect(itemOf(result, 'contribution_agent')?.note).toBeUndefined();
  });

  it('uses the year of a December period', () => {
    // The December 2025 period ends at 2026-01-01T00:00Z; its last instant is in 2025, so the 2025
    // multi-mandate ceiling 30057.00 applies: base min(100.00, 30057.00 - 30000.00) = 57.00,
    // 57.00 × 0.085 = 4.845 -> 4.85
    const result = italianTaxes(
      '100.00',
      { enasarco: 'individual_multi_mandate' },
      '30000.00',
      '2026-01-01T00:00:00.000Z',
    );
    expect(itemOf(result, 'contribution_agent')).toMatchObject({ base: '57.00', amount: '4.85' });
  });

  it('gives back contributions on a net clawback', () => {
    const result = italianTaxes('-1000.00', { enasarco: 'individual_single_mandate' }, '46000.00');
    // min(46000.00 - 1000.00, 45717.00) - min(46000.00, 45717.00) = 45000.00 - 45717.00 = -717.00
    // -717.00 × 0.085 = -60.945 -> -60.95
    expect(itemOf(result, 'contribution_agent')).toMatchObject({ base: '-717.00', amount: '-60.95' });
    expect(result.vatAmount).toBe('-220.00');
  });

  it('requires the ENASARCO setting', () => {
    expect(() => italianTaxes('1000.00', { enasarco: undefined })).toThrow(/enasarco is undefined/);
  });

  it('rejects rates without limits for the year', () => {
    const only2025: TaxRuleSet = { ...rules, IT: rules.IT.filter((entry) => entry.enasarco.year === 2025) };
    const profile = { ...INDIVIDUAL_AGENT, enasarco: 'individual_single_mandate' as const };
    const input = { net: '100.00', profile, yearToDate: '0.00', periodEndsAt: END_OF_NOVEMBER_2026, rules: only2025 };
    expect(() => calculateTaxes(input)).toThrow(TaxRatesNotFoundError);
  });
});

describe('ENASARCO agent company', () => {
  it('charges 1% agent and 3% principal without a ceiling', () => {
    const result = italianTaxes('10000.00', { enasarco: 'company', withholding: 'none' }, '100000.00');
    // 10000.00 × 0.01 = 100.00 withheld; 10000.00 × 0.03 = 300.00 borne by the principal
    // payable 10000.00 + IVA 2200.00 - 100.00 = 12100.00
    expect(itemOf(result, 'contribution_agent')).toMatchObject({ base: '10000.00', rate: '0.01', amount: '100.00' });
    expect(itemOf(result, 'contribution_principal')).toMatchObject({
      base: '10000.00',
      rate: '0.03',
      amount: '300.00',
    });
    expect(result.payableAmount).toBe('12100.00');
  });
});

describe('contributionBaseBelowCeiling', () => {
  const ceiling = parseAmount('45717.00', 'ceiling');

  it.each([
    ['1000.00', '0.00', '1000.00'],
    ['1000.00', '45000.00', '717.00'],
    ['1000.00', '45717.00', '0.00'],
    ['-500.00', '45000.00', '-500.00'],
  ])('net %s after %s gives %s', (net, yearToDate, expected) => {
    const base = contributionBaseBelowCeiling(parseAmount(net, 'net'), parseAmount(yearToDate, 'ytd'), ceiling);
    expect(base.toFixed(2)).toBe(expected);
  });
});
