/**
 * Italian taxes and contributions on commission statements: IVA, the ritenuta d'acconto withheld
 * from individual agents, and ENASARCO contributions split between the agent and the principal.
 */
import { InvalidTaxProfileError, TaxRatesNotFoundError } from '../errors.js';
import { formatAmount, formatDecimal, formatPercent, parseAmount, parseDecimal, type Decimal } from '../money.js';
import type { TaxItem, TaxProfile } from '../model.js';
import { buildTaxItem } from './tax-item.js';
import type { ItalianTaxRates } from './types.js';

/** ENASARCO and withholding inputs that depend on the calendar year of the statement. */
export interface ItalianYearContext {
  /** Calendar year of the pay period's last instant. */
  year: number;
  /** Commissions approved for the partner earlier in the same year. */
  yearToDate: Decimal;
}

/**
 * Returns the IVA, withholding and ENASARCO items of an Italian partner's statement, in that order.
 * Throws InvalidTaxProfileError when the profile lacks the withholding or ENASARCO setting or has a
 * VAT regime Italy does not have, and TaxRatesNotFoundError when the rates hold no ENASARCO limits
 * for the statement's year.
 */
export function calculateItalianTaxItems(
  net: Decimal,
  profile: TaxProfile,
  rates: ItalianTaxRates,
  context: ItalianYearContext,
): TaxItem[] {
  return [
    buildVatItem(net, profile, rates),
    ...buildWithholdingItems(net, profile, rates),
    ...buildEnasarcoItems(net, profile, rates, context),
  ];
}

function buildVatItem(net: Decimal, profile: TaxProfile, rates: ItalianTaxRates): TaxItem {
  switch (profile.vatRegime) {
    case 'standard':
      return buildTaxItem('vat', 'IVA', net, rates.vat.standardRate);
    case 'forfettario':
      return buildTaxItem('vat', 'IVA', net, '0', rates.notes.forfettario);
    case 'reverse_charge':
    case 'small_business':
      throw new InvalidTaxProfileError('vatRegime', profile.vatRegime, 'Italian partners use standard or forfettario');
  }
}

/**
 * Ritenuta d'acconto: `rate` on `taxableShare` of the commissions, shown as one item on the whole
 * net with the effective rate (23% on 50% is 11.5%), so the amount is rounded once. Partners in the
 * regime forfettario have no withholding.
 */
function buildWithholdingItems(net: Decimal, profile: TaxProfile, rates: ItalianTaxRates): TaxItem[] {
  if (profile.vatRegime === 'forfettario') {
    return [];
  }
  const setting = profile.withholding;
  if (setting === undefined) {
    throw new InvalidTaxProfileError('withholding', setting, 'set it to standard, with_employees or none');
  }
  if (setting === 'none') {
    return [];
  }
  const rate = parseDecimal(rates.withholding.rate, 'withholding.rate');
  const taxableShare = parseDecimal(rates.withholding.taxableShare[setting], `withholding.taxableShare.${setting}`);
  const label = `Ritenuta d'acconto (${formatPercent(rate)} sul ${formatPercent(taxableShare)} delle provvigioni)`;
  return [buildTaxItem('withholding', label, net, formatDecimal(rate.times(taxableShare)))];
}

function buildEnasarcoItems(
  net: Decimal,
  profile: TaxProfile,
  rates: ItalianTaxRates,
  context: ItalianYearContext,
): TaxItem[] {
  const setting = profile.enasarco;
  if (setting === undefined) {
    throw new InvalidTaxProfileError(
      'enasarco',
      setting,
      'set it to individual_single_mandate, individual_multi_mandate, company or none',
    );
  }
  if (setting === 'none') {
    return [];
  }
  const enasarco = rates.enasarco;
  if (enasarco.year !== context.year) {
    throw new TaxRatesNotFoundError(`IT (ENASARCO limits of ${context.year})`, `${context.year}`);
  }
  if (setting === 'company') {
    return buildCompanyContributionItems(net, enasarco.company);
  }
  const mandate = setting === 'individual_single_mandate' ? 'single_mandate' : 'multi_mandate';
  const ceiling = parseAmount(enasarco.individual.ceilings[mandate], `enasarco.individual.ceilings.${mandate}`);
  const base = contributionBaseBelowCeiling(net, context.yearToDate, ceiling);
  const note = base.equals(net)
    ? undefined
    : `Base limitata dal massimale annuo ${context.year} di EUR ${formatAmount(ceiling)} ` +
      `(provvigioni dell'anno già liquidate: EUR ${formatAmount(context.yearToDate)})`;
  return buildContributionItems(base, enasarco.individual, note);
}

/**
 * Agent companies (società di capitali) pay on all commissions without the yearly ceiling and
 * minimum of individual agents, at 4% split 3% principal and 1% agent (rates in the data file).
 * Source: "Enasarco: come si calcola il contributo assistenziale", uiltucsagenti.it.
 * NOTE: ENASARCO lowers the company rate in brackets for yearly commissions in the millions of
 * euros. These brackets are not modelled, so every commission is charged the first bracket's rate.
 */
function buildCompanyContributionItems(net: Decimal, company: ItalianTaxRates['enasarco']['company']): TaxItem[] {
  return buildContributionItems(net, company, undefined);
}

/**
 * Returns the part of this statement's commissions that is still below the yearly ceiling:
 * min(yearToDate + net, ceiling) − min(yearToDate, ceiling). For a non-negative net this is
 * min(net, max(0, ceiling − yearToDate)). For a net clawback it is negative and gives back the
 * contributions of the commissions that fall back below the ceiling.
 */
export function contributionBaseBelowCeiling(net: Decimal, yearToDate: Decimal, ceiling: Decimal): Decimal {
  const coveredAfter = minimum(yearToDate.plus(net), ceiling);
  const coveredBefore = minimum(yearToDate, ceiling);
  return coveredAfter.minus(coveredBefore);
}

function minimum(left: Decimal, right: Decimal): Decimal {
  return left.lessThan(right) ? left : right;
}

function buildContributionItems(
  base: Decimal,
  rates: { agentRate: string; principalRate: string },
  agentNote: string | undefined,
): TaxItem[] {
  return [
    buildTaxItem('contribution_agent', "Contributo ENASARCO a carico dell'agente", base, rates.agentRate, agentNote),
    buildTaxItem(
      'contribution_principal',
      'Contributo ENASARCO a carico della mandante',
      base,
      rates.principalRate,
      "Versato dalla mandante, non trattenuto all'agente",
    ),
  ];
}
