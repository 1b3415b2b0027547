/**
 * German VAT (Umsatzsteuer) on commission statements. Partners in Germany have no withholding and
 * no social contributions deducted by the principal.
 */
import { InvalidTaxProfileError } from '../errors.js';
import type { Decimal } from '../money.js';
import type { TaxItem, TaxProfile } from '../model.js';
import { buildTaxItem } from './tax-item.js';
import type { GermanTaxRates } from './types.js';

const VAT_LABEL = 'Umsatzsteuer';

/** Rejects withholding or ENASARCO settings, which exist only for Italian partners and would be ignored here. */
function rejectItalianSettings(profile: TaxProfile): void {
  if (profile.withholding !== undefined && profile.withholding !== 'none') {
    throw new InvalidTaxProfileError(
      'withholding',
      profile.withholding,
      'German partners have no withholding; remove it',
    );
  }
  if (profile.enasarco !== undefined && profile.enasarco !== 'none') {
    throw new InvalidTaxProfileError('enasarco', profile.enasarco, 'German partners have no ENASARCO; remove it');
  }
}

/**
 * Returns the VAT item of a German partner's statement: the standard rate, or a zero-rate item that
 * carries the legal note for reverse charge (§13b UStG) and small business (§19 UStG). Throws
 * InvalidTaxProfileError for a VAT regime that Germany does not have and for Italian-only settings.
 */
export function calculateGermanTaxItems(net: Decimal, profile: TaxProfile, rates: GermanTaxRates): TaxItem[] {
  rejectItalianSettings(profile);
  switch (profile.vatRegime) {
    case 'standard':
      return [buildTaxItem('vat', VAT_LABEL, net, rates.vat.standardRate)];
    case 'reverse_charge':
      return [buildTaxItem('vat', VAT_LABEL, net, '0', rates.notes.reverseCharge)];
    case 'small_business':
      return [buildTaxItem('vat', VAT_LABEL, net, '0', rates.notes.smallBusiness)];
    case 'forfettario':
      throw new InvalidTaxProfileError(
        'vatRegime',
        profile.vatRegime,
        'German partners use standard, reverse_charge or small_business',
      );
  }
}
