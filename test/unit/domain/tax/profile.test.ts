import { describe, expect, it } from 'vitest';

import { InvalidTaxProfileError } from '../../../../domain/errors.js';
import { parseTaxProfile, taxProfileSchema } from '../../../../domain/index.js';
import type { TaxProfile } from '../../../../domain/model.js';
import { calculateTaxes } from '../../../../domain/tax/calculate-taxes.js';
import { GERMAN_STANDARD_PROFILE, loadTaxRules } from '../builders.js';

const ITALIAN_AGENT: TaxProfile = {
  country: 'IT',
  vatRegime: 'standard',
  vatId: 'IT01234567890',
  withholding: 'standard',
  enasarco: 'none',
  address: { street: 'Via Roma 1', postalCode: '20121', city: 'Milano', country: 'IT' },
};

/** Returns the InvalidTaxProfileError that `action` throws. Rethrows any other error and fails when nothing is thrown. */
function catchProfileError(action: () => unknown): InvalidTaxProfileError {
  try {
    action();
  } catch (error) {
    if (error instanceof InvalidTaxProfileError) {
      return error;
    }
    throw error;
  }
  throw new Error('expected an InvalidTaxProfileError, but nothing was thrown');
}

describe('calculateTaxes countries', () => {
  it('rejects a country other than DE and IT', () => {
    // A French partner with an otherwise complete Italian profile must not be taxed as Italian.
    const profile = { ...ITALIAN_AGENT, country: 'FR' } as unknown as TaxProfile;
    const input = { net: '1000.00', profile, yearToDate: '0.00', periodEndsAt: '2026-12-01T00:00:00.000Z' };
    const error = catchProfileError(() => calculateTaxes({ ...input, rules: loadTaxRules() }));
    expect(error.field).toBe('country');
    expect(error.value).toBe('FR');
    expect(error.message).toBe(
      'invalid tax profile: country is "FR"; taxes are calculated only for DE and IT; use one of them',
    );
  });
});

describe('parseTaxProfile', () => {
  it('accepts German and Italian profiles', () => {
    expect(parseTaxProfile(GERMAN_STANDARD_PROFILE, 'P00001')).toEqual(GERMAN_STANDARD_PROFILE);
    expect(parseTaxProfile(ITALIAN_AGENT, 'P00002')).toEqual(ITALIAN_AGENT);
  });

  it('accepts JSON text', () => {
    expect(parseTaxProfile(JSON.stringify(ITALIAN_AGENT), 'P00002')).toEqual(ITALIAN_AGENT);
  });

  it('names the partner and an unknown country', () => {
    const error = catchProfileError(() => parseTaxProfile({ ...GERMAN_STANDARD_PROFILE, country: 'FR' }, 'P00001'));
    expect(error.partnerId).toBe('P00001');
    expect(error.field).toBe('country');
    expect(error.message).toBe('invalid tax profile of partner P00001: country is "FR"; must be one of DE, IT');
  });

  it('names a missing VAT regime', () => {
    const { vatRegime: _omitted, ...withoutRegime } = GERMAN_STANDARD_PROFILE;
    const error = catchProfileError(() => parseTaxProfile(withoutRegime, 'P00001'));
    expect(error.field).toBe('vatRegime');
    expect(error.value).toBeUndefined();
    expect(error.message).toBe(
      'invalid tax profile of partner P00001: vatRegime is undefined; ' +
        'set it to one of standard, reverse_charge, small_business, forfettario',
    );
  });

  it('names a missing address', () => {
    const { address: _omitted, ...withoutAddress } = GERMAN_STANDARD_PROFILE;
    const error = catchProfileError(() => parseTaxProfile(withoutAddress, 'P00001'));
    expect(error.field).toBe('address');
    expect(error.reason).toBe('it is required; add it');
  });

  it('names a nested address field', () => {
    const profile = { ...GERMAN_STANDARD_PROFILE, address: { ...GERMAN_STANDARD_PROFILE.address, city: ' ' } };
    const error = catchProfileError(() => parseTaxProfile(profile, 'P00001'));
    expect(error.field).toBe('address.city');
    expect(error.value).toBe(' ');
    expect(error.reason).toBe('must not be empty');
  });

  it('rejects a misspelt field', () => {
    const error = catchProfileError(() => parseTaxProfile({ ...ITALIAN_AGENT, withHolding: 'none' }, 'P00002'));
    expect(error.field).toBe('withHolding');
    expect(error.reason).toBe('unknown field; remove it or correct its spelling');
  });

  it('lists every further problem', () => {
    const profile = { ...ITALIAN_AGENT, withholding: 'always', enasarco: 'sometimes' };
    const error = catchProfileError(() => parseTaxProfile(profile, 'P00002'));
    expect(error.field).toBe('withholding');
    expect(error.reason).toBe(
      'must be one of standard, with_employees, none; ' +
        'also enasarco: must be one of individual_single_mandate, individual_multi_mandate, company, none',
    );
  });

  it('rejects a value that is not an object', () => {
    const error = catchProfileError(() => parseTaxProfile(null, 'P00001'));
    expect(error.field).toBe('taxProfile');
    expect(error.reason).toBe('must be an object, not null');
  });

  it('rejects text that is not JSON', () => {
    const error = catchProfileError(() => parseTaxProfile('{"country": "DE"', 'P00001'));
    expect(error.field).toBe('taxProfile');
    expect(error.reason).toMatch(/^is not valid JSON: /);
  });

  it('is the schema exported from the domain', () => {
    expect(taxProfileSchema.safeParse(ITALIAN_AGENT).success).toBe(true);
  });
});
