/**
 * SAP tax codes (MWSKZ) and extended withholding tax keys for commission invoices. Tax codes are
 * customising of each SAP system, so these tables are the one place to adapt them, and callers of
 * buildSupplierInvoice can pass their own.
 *
 * TODO: the codes and keys below are examples, and the reverse-charge codes and withholding keys
 * are placeholders. Confirm each with the SAP FI team of the company codes before the first
 * posting to a real system.
 */
import { Decimal } from 'decimal.js';

import type { VatRegime } from '../../domain/model.js';

/** Maps a partner's country, VAT regime and VAT rate to the input tax code of the invoice items. */
export interface SapVatTaxCodeRule {
  country: 'DE' | 'IT';
  vatRegime: VatRegime;
  /** VAT rate as a decimal fraction, "0.19" for 19 %. */
  rate: string;
  taxCode: string;
}

export const SAP_VAT_TAX_CODES: readonly SapVatTaxCodeRule[] = [
  { country: 'DE', vatRegime: 'standard', rate: '0.19', taxCode: 'V1' },
  { country: 'DE', vatRegime: 'small_business', rate: '0', taxCode: 'V0' },
  // Reverse charge (§13b UStG): the principal owes the VAT, so the code must post input and
  // output tax although the invoice shows none.
  { country: 'DE', vatRegime: 'reverse_charge', rate: '0', taxCode: 'R1' },
  { country: 'IT', vatRegime: 'standard', rate: '0.22', taxCode: 'I2' },
  { country: 'IT', vatRegime: 'forfettario', rate: '0', taxCode: 'I0' },
  { country: 'IT', vatRegime: 'reverse_charge', rate: '0', taxCode: 'R2' },
];

/** Extended withholding tax type (WI_TAX_TYPE) and code (WI_TAX_CODE), two characters each. */
export interface SapWithholdingKey {
  type: string;
  code: string;
}

/** Withholding keys per statement tax kind. Only kinds deducted from the agent's payment appear here. */
export interface SapWithholdingKeys {
  /** Italian ritenuta d'acconto. */
  withholding: SapWithholdingKey;
  /** The agent's share of the ENASARCO contribution. */
  contribution_agent: SapWithholdingKey;
}

export const SAP_WITHHOLDING_KEYS: SapWithholdingKeys = {
  withholding: { type: 'RA', code: 'R1' },
  contribution_agent: { type: 'EN', code: 'E1' },
};

/** Raised when no tax code rule matches a partner's country, VAT regime and rate. */
export class SapTaxCodeNotFoundError extends Error {
  override readonly name = 'SapTaxCodeNotFoundError';
  constructor(
    readonly country: string,
    readonly vatRegime: string,
    readonly rate: string,
  ) {
    super(
      `No SAP tax code for country ${country}, VAT regime ${vatRegime} and rate ${rate}. Add a rule to SAP_VAT_TAX_CODES or pass vatTaxCodes`,
    );
  }
}

/**
 * Returns the tax code for the country, VAT regime and rate. Rates compare as decimals, so "0.190"
 * matches "0.19". Throws SapTaxCodeNotFoundError when no rule matches.
 */
export function findSapTaxCode(
  rules: readonly SapVatTaxCodeRule[],
  country: string,
  vatRegime: VatRegime,
  rate: string,
): string {
  const wanted = new Decimal(rate);
  const rule = rules.find(
    (candidate) => candidate.country === country && candidate.vatRegime === vatRegime && wanted.equals(candidate.rate),
  );
  if (!rule) throw new SapTaxCodeNotFoundError(country, vatRegime, rate);
  return rule.taxCode;
}
