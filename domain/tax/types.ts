/**
 * Types of the tax calculation: the effective-dated rate tables (values in data/tax-rates.json) and
 * the input and result of `calculateTaxes`. Rates are decimal strings ("0.19"), amounts are
 * AmountString ("45717.00").
 */
import type { AmountString, IsoDateTime, TaxItem, TaxProfile } from '../model.js';

/** Legal notes printed on German self-billing invoices without VAT. */
export interface GermanTaxNotes {
  /** Reverse charge (§13b UStG), for example "Steuerschuldnerschaft des Leistungsempfängers". */
  reverseCharge: string;
  /** Small business (§19 UStG). */
  smallBusiness: string;
}

/** German rates effective from `effectiveFrom` until the next entry's `effectiveFrom`. */
export interface GermanTaxRates {
  /** Calendar date, YYYY-MM-DD. */
  effectiveFrom: string;
  vat: { standardRate: string };
  notes: GermanTaxNotes;
}

/** Per-mandate amounts of ENASARCO for individual agents, by mandate type. */
export interface EnasarcoMandateAmounts {
  single_mandate: AmountString;
  multi_mandate: AmountString;
}

/** ENASARCO contribution rates, split between the agent and the principal. */
export interface EnasarcoRates {
  /** Share of the commissions withheld from the agent, for example "0.085". */
  agentRate: string;
  /** Share of the commissions borne by the principal, for example "0.085". */
  principalRate: string;
}

/** ENASARCO rates and limits of one calendar year. */
export interface EnasarcoYear {
  /** Calendar year the ceilings and minimums belong to. */
  year: number;
  individual: EnasarcoRates & {
    /** Yearly commissions per mandate above which no contribution is due. */
    ceilings: EnasarcoMandateAmounts;
    /**
     * Yearly minimum contribution per mandate. Recorded for the yearly settlement and not applied
     * per statement, because the minimum is settled once per year.
     */
    minimums: EnasarcoMandateAmounts;
  };
  company: EnasarcoRates;
}

/** Italian rates effective from `effectiveFrom` until the next entry's `effectiveFrom`. */
export interface ItalianTaxRates {
  /** Calendar date, YYYY-MM-DD. */
  effectiveFrom: string;
  vat: { standardRate: string };
  /** Ritenuta d'acconto: `rate` applied to `taxableShare` of the commissions. */
  withholding: {
    rate: string;
    taxableShare: { standard: string; with_employees: string };
  };
  enasarco: EnasarcoYear;
  notes: {
    /** Note for partners in the regime forfettario: no VAT and no withholding. */
    forfettario: string;
  };
}

/** Effective-dated tax rates by country, as stored in data/tax-rates.json. */
export interface TaxRuleSet {
  DE: GermanTaxRates[];
  IT: ItalianTaxRates[];
}

/** The entry of each country effective on one date; undefined when a country has none. */
export interface SelectedTaxRates {
  DE: GermanTaxRates | undefined;
  IT: ItalianTaxRates | undefined;
}

export interface TaxCalculationInput {
  /** Net commission of the statement, already rounded to cents. Negative for a credit note. */
  net: AmountString;
  profile: TaxProfile;
  /** Commissions approved for the partner earlier in the same calendar year, for the ENASARCO ceiling. */
  yearToDate: AmountString;
  /** Exclusive end of the pay period. Rates are those effective on the period's last instant. */
  periodEndsAt: IsoDateTime;
  rules: TaxRuleSet;
}

export interface TaxCalculationResult {
  /** Items in the order vat, withholding, contribution_agent, contribution_principal; absent kinds are omitted. */
  items: TaxItem[];
  vatAmount: AmountString;
  /** net + VAT. */
  grossAmount: AmountString;
  withholdingAmount: AmountString;
  contributionAgent: AmountString;
  /** Shown on the statement but not deducted from the payable amount. */
  contributionPrincipal: AmountString;
  /** net + VAT − withholding − agent contribution. */
  payableAmount: AmountString;
}
