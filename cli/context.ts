import { readFile } from 'node:fs/promises';
import type { ActivityDependencies } from '../activities/dependencies.js';
import { loadCompanies } from '../config/companies.js';
import { ConfigError, type Config } from '../config/config.js';
import type { Logger } from '../config/logger.js';
import { parseTaxRuleSet } from '../domain/tax/rates.js';
import { createMailer } from '../integrations/mail/mailer.js';
import { LocalSupplierInvoiceGateway } from '../integrations/sap/local-gateway.js';
import type { Services } from './runtime.js';

/**
 * Builds the activities' dependencies: companies, tax rates, SAP gateway and mailer.
 * Throws ConfigError when the companies or tax-rate file is invalid.
 */
export async function createActivityDependencies(
  config: Config,
  services: Services,
  logger: Logger,
): Promise<ActivityDependencies> {
  const companies = await loadCompanies(config.companiesFile);
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
    companies,
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
