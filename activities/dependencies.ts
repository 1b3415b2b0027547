import type { Logger } from '../config/logger.js';
import type { TaxRuleSet } from '../domain/tax/types.js';
import type { Mailer } from '../integrations/mail/mailer.js';
import type { SupplierInvoiceGateway } from '../integrations/sap/gateway.js';
import type { Companies } from '../config/companies.js';
import type { PrismaClient } from '../store/prisma.js';

/** Services and settings of the activities, created once per worker process. */
export interface ActivityDependencies {
  prisma: PrismaClient;
  sapGateway: SupplierInvoiceGateway;
  mailer: Mailer;
  /** Domain of the Message-IDs of statement emails, for example incentra.local. */
  messageIdDomain: string;
  /** Folder of rendered invoice PDFs; one subfolder per period. */
  documentsDir: string;
  /** Paying company per partner country: principal of the invoices, SAP company code and expense account. */
  companies: Companies;
  taxRules: TaxRuleSet;
  logger: Logger;
  /** Clock, replaceable in tests. */
  now: () => Date;
}
