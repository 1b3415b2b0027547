import { describe, expect, it } from 'vitest';

import { InvalidTaxProfileError } from '../../../../domain/errors.js';
import type { TaxProfile } from '../../../../domain/model.js';
import { calculateTaxes } from '../../../../domain/tax/calculate-taxes.js';
import { GERMAN_STANDARD_PROFILE, loadTaxRules } from '../builders.js';

const rules = loadTaxRules();

function germanTaxes(net: string, vatRegime: TaxProfile['vatRegime']) {
  const profile: TaxProfile = { ...GERMAN_STANDARD_PROFILE, vatRegime };
  return calculateTaxes({ net, profile, yearToDate: '0.00', periodEndsAt: '2026-12-01T00:00:00.000Z', rules });
}

describe('German standard VAT', () => {
  it('adds 19% rounded once', () => {
    // 1234.56 × 0.19 = 234.5664 -> 234.57; gross 1234.56 + 234.57 = 1469.13
    expect(germanTaxes('1234.56', 'standard')).toEqual({
      items: [{ kind: 'vat', label: 'Umsatzsteuer', base: '1234.56', rate: '0.19', amount: '234.57' }],
      vatAmount: '234.57',
      grossAmount: '1469.13',
      withholdingAmount: '0.00',
      contributionAgent: '0.00',
      contributionPrincipal: '0.00',
      payableAmount: '1469.13',
    });
  });

  it('gives a negative VAT on a credit note', () => {
    const result = germanTaxes('-100.05', 'standard');
    // -100.05 × 0.19 = -19.0095 -> -19.01 (ties and above round away from zero); gross -119.06
    expect(result.vatAmount).toBe('-19.01');
    expect(result.payableAmount).toBe('-119.06');
  });
});

describe('German reverse charge', () => {
  it('shows no VAT and the §13b note', () => {
    const result = germanTaxes('500.00', 'reverse_charge');
    expect(result.items).toEqual([
      {
        kind: 'vat',
        label: 'Umsatzsteuer',
        base: '500.00',
        rate: '0',
        amount: '0.00',
        note: 'Steuerschuldnerschaft des Leistungsempfängers',
      },
    ]);
    expect(result.payableAmount).toBe('500.00');
  });
});

describe('German small business', () => {
  it('shows no VAT and the §19 note', () => {
    const result = germanTaxes('500.00', 'small_business');
    expect(result.vatAmount).toBe('0.00');
    expect(result.items[0]?.note).toMatch(/§ 19 UStG/);
    expect(result.payableAmount).toBe('500.00');
  });
});

describe('German VAT regimes', () => {
  it('rejects forfettario', () => {
    expect(() => germanTaxes('500.00', 'forfettario')).toThrow(InvalidTaxProfileError);
  });
});

describe('German tax profile', () => {
  it('rejects an Italian withholding setting', () => {
    const profile: TaxProfile = { ...GERMAN_STANDARD_PROFILE, withholding: 'standard' };
    const input = { net: '10.00', profile, yearToDate: '0.00', periodEndsAt: '2026-12-01T00:00:00.000Z', rules };
    expect(() => calculateTaxes(input)).toThrow(/withholding is "standard"; German partners have no withholding/);
  });
});
