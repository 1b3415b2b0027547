/**
 * Taxes and contributions of one statement. Every item is computed on the net commission, which is
 * already rounded to cents, and rounded once to cents. A negative net (a credit note after a net
 * clawback) gives negative items with the same rounding mirrored.
 */
import { InvalidTaxProfileError, TaxRatesNotFoundError } from '../errors.js';
import { formatAmount, parseAmount, sumAmounts, type Decimal } from '../money.js';
import type { TaxItem, TaxItemKind } from '../model.js';
import { formatIsoDate, formatIsoDateTime, parseIsoDateTime } from '../time.js';
import { calculateGermanTaxItems } from './germany.js';
import { calculateItalianTaxItems } from './italy.js';
import { selectRates } from './rates.js';
import type { TaxCalculationInput, TaxCalculationResult } from './types.js';

/**
 * Calculates VAT, withholding and contributions of a statement with the rates effective on the pay
 * period's last instant (one millisecond before `periodEndsAt`, so a December period uses that
 * year's ENASARCO ceiling). payable = net + VAT − withholding − agent contribution.
 *
 * Throws InvalidAmountError for a malformed net or yearToDate, InvalidDateTimeError for a malformed
 * periodEndsAt, TaxRatesNotFoundError when no rates are effective for the partner's country, and
 * InvalidTaxProfileError when the profile cannot be applied, including a country other than DE or IT.
 */
export function calculateTaxes(input: TaxCalculationInput): TaxCalculationResult {
  const net = parseAmount(input.net, 'net');
  const yearToDate = parseAmount(input.yearToDate, 'yearToDate');
  const lastInstant = parseIsoDateTime(input.periodEndsAt, 'periodEndsAt') - 1;
  const selected = selectRates(input.rules, formatIsoDateTime(lastInstant));

  let items: TaxItem[];
  switch (input.profile.country) {
    case 'DE': {
      const rates = selected.DE ?? rejectMissingRates('DE', lastInstant);
      items = calculateGermanTaxItems(net, input.profile, rates);
      break;
    }
    case 'IT': {
      const rates = selected.IT ?? rejectMissingRates('IT', lastInstant);
      const year = new Date(lastInstant).getUTCFullYear();
      items = calculateItalianTaxItems(net, input.profile, rates, { year, yearToDate });
      break;
    }
    default:
      // A profile read from JSON can contain any country, because its TaxProfile type is not checked at run time.
      return rejectUnknownCountry(input.profile.country);
  }
  return summarizeTaxItems(net, items);
}

function rejectUnknownCountry(country: unknown): never {
  throw new InvalidTaxProfileError('country', country, 'taxes are calculated only for DE and IT; use one of them');
}

function rejectMissingRates(country: string, instant: number): never {
  throw new TaxRatesNotFoundError(country, formatIsoDate(instant));
}

function sumKind(items: readonly TaxItem[], kind: TaxItemKind): Decimal {
  const amounts = items
    .filter((item) => item.kind === kind)
    .map((item, index) => parseAmount(item.amount, `${kind}[${index}]`));
  return sumAmounts(amounts);
}

function summarizeTaxItems(net: Decimal, items: TaxItem[]): TaxCalculationResult {
  const vat = sumKind(items, 'vat');
  const withholding = sumKind(items, 'withholding');
  const contributionAgent = sumKind(items, 'contribution_agent');
  const contributionPrincipal = sumKind(items, 'contribution_principal');
  const gross = net.plus(vat);
  return {
    items,
    vatAmount: formatAmount(vat),
    grossAmount: formatAmount(gross),
    withholdingAmount: formatAmount(withholding),
    contributionAgent: formatAmount(contributionAgent),
    contributionPrincipal: formatAmount(contributionPrincipal),
    payableAmount: formatAmount(gross.minus(withholding).minus(contributionAgent)),
  };
}
