import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { Partner } from '../domain/model.js';
import type { Principal } from '../integrations/statement-view.js';
import { ConfigError } from './config.js';

const companySchema = z.strictObject({
  name: z.string().min(1),
  address: z.strictObject({
    street: z.string().min(1),
    postalCode: z.string().min(1),
    city: z.string().min(1),
    country: z.string().length(2),
  }),
  vatId: z.string().min(4),
  taxNumber: z.string().min(4),
  sapCompanyCode: z.string().regex(/^[A-Z0-9]{4}$/, 'must be a four-character SAP company code'),
  commissionExpenseAccount: z.string().regex(/^\d{1,10}$/, 'must be a G/L account number of 1 to 10 digits'),
  invoiceSeries: z.string().regex(/^[A-Z]{2,4}$/, 'must be 2 to 4 capital letters, for example GS'),
});

const companiesSchema = z.strictObject({ DE: companySchema, IT: companySchema });

/** A company of the group that pays partners and issues their self-billing invoices. */
export type Company = z.infer<typeof companySchema>;

/**
 * The paying company per partner country. Each national company pays the partners of its country,
 * so VAT, withholding and contributions are those of a domestic service.
 */
export type Companies = z.infer<typeof companiesSchema>;

/**
 * Reads and validates the companies file (INCENTRA_COMPANIES_FILE, default data/companies.json).
 * Throws ConfigError naming the file and the invalid field.
 */
export async function loadCompanies(file: string): Promise<Companies> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new ConfigError('INCENTRA_COMPANIES_FILE', `cannot read ${file} as JSON: ${(error as Error).message}`);
  }
  const parsed = companiesSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError('INCENTRA_COMPANIES_FILE', `${file}: ${issue.path.join('.')} ${issue.message}`);
  }
  return parsed.data;
}

/** Returns the company that pays the partner: the one of the partner's tax country. */
export function companyFor(companies: Companies, partner: Pick<Partner, 'taxProfile'>): Company {
  return companies[partner.taxProfile.country];
}

/** Returns the invoice series of the company that pays partners of `country`. Throws RangeError for another country. */
export function invoiceSeriesFor(companies: Companies, country: string): string {
  if (country !== 'DE' && country !== 'IT') {
    throw new RangeError(`no paying company is configured for partner country ${JSON.stringify(country)}`);
  }
  return companies[country].invoiceSeries;
}

/** Returns the company as the principal printed on the self-billing invoice. */
export function toPrincipal(company: Company): Principal {
  return {
    name: company.name,
    address: company.address,
    vatId: company.vatId,
    taxNumber: company.taxNumber,
    sapCompanyCode: company.sapCompanyCode,
  };
}
