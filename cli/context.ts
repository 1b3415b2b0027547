import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { ActivityDependencies } from '../activities/dependencies.js';
import { ConfigError, type Config } from '../config/config.js';
import type { Logger } from '../config/logger.js';
import { parseTaxRuleSet } from '../domain/tax/rates.js';
import { createMailer } from '../integrations/mail/mailer.js';
import { LocalSupplierInvoiceGateway } from '../integrations/sap/local-gateway.js';
import type { Principal } from '../integrations/statement-view.js';
import type { Services } from './runtime.js';

const companySchema = z.object({
  name: z.string().min(1),
  address: z.object({
    street: z.string().min(1),
    postalCode: z.string().min(1),
    city: z.string().min(1),
    country: z.string().length(2),
  }),
  vatId: z.string().min(4),
  taxNumber: z.string().min(4),
  sapCompanyCode: z.string().regex(/^[A-Z0-9]{4}$/, 'must be a four-character SAP company code'),
  commissionExpenseAccount: z.string().regex(/^\d{1,10}$/, 'must be a G/L account number'),
});

/** The paying company as configured in INCENTRA_COMPANY_FILE (default data/company.json). */
export type Company = z.infer<typeof companySchema>;

/** Reads and validates the company file. Throws ConfigError naming the file and the invalid field. */
export async function loadCompany(file: string): Promise<Company> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new ConfigError('INCENTRA_COMPANY_FILE', `cannot read ${file} as JSON: ${(error as Error).message}`);
  }
  const parsed = companySchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError('INCENTRA_COMPANY_FILE', `${file}: ${issue.path.join('.')} ${issue.message}`);
  }
  return parsed.data;
}

/** Returns the company as the principal that issues the self-billing invoices. */
export function toPrincipal(company: Company): Principal {
  return {
    name: company.name,
    address: company.address,
    vatId: company.vatId,
    taxNumber: company.taxNumber,
    sapCompanyCode: company.sapCompanyCode,
  };
}

/**
 * Builds the activities' dependencies: company, tax rates, SAP gateway and mailer.
 * Throws ConfigError when the company or tax-rate file is invalid.
 */
export async function createActivityDependencies(
  config: Config,
  services: Services,
  logger: Logger,
): Promise<ActivityDependencies> {
  const company = await loadCompany(config.companyFile);
  let taxRules;
  try {
    taxRules = parseTaxRuleSet(await readFile(config.taxRatesFile, 'utf8'));
  } catch (error) {
    throw new ConfigError('INCENTRA_TAX_RATES_FILE', `${config.taxRatesFile}: ${(error as Error).message}`);
  }

  return {
    prisma: services.prisma,
    sapGateway: new LocalSupplierInvoiceGateway({ dir: config.sap.recordsDir, logger }),
    mailer: createMailer({ smtpUrl: services.smtpUrl, from: config.mail.from, ignoreTLS: services.embedded.smtp }),
    messageIdDomain: senderDomain(config.mail.from),
    documentsDir: config.documents.dir,
    principal: toPrincipal(company),
    expenseAccount: company.commissionExpenseAccount,
    taxRules,
    logger,
    now: () => new Date(),
  };
}

/** Domain part of the sender address ("Name <a@b.example>" gives b.example), or incentra.local. */
export function senderDomain(from: string): string {
  const match = /@([^\s<>@]+?)>?\s*$/.exec(from);
  return match?.[1] ?? 'incentra.local';
}
