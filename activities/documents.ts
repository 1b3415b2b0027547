import { createHash, randomUUID } from 'node:crypto';
import { mkdir, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { renderStatementPdf } from '../integrations/documents/statement-pdf.js';
import { companyFor, toPrincipal } from '../config/companies.js';
import { loadStatementForInvoice } from '../store/statements.js';
import type { ActivityDependencies } from './dependencies.js';
import { forEachStatement } from './statement-steps.js';
import type { PayPeriodActivities, StatementStepResult } from './types.js';

/** Builds the activity that renders each statement's pro-forma invoice PDF once. */
export function createDocumentActivities(
  deps: ActivityDependencies,
): Pick<PayPeriodActivities, 'renderStatementDocuments'> {
  return {
    renderStatementDocuments: ({ statementIds }) =>
      forEachStatement(statementIds, (statementId) => renderOne(deps, statementId)),
  };
}

async function renderOne(deps: ActivityDependencies, statementId: string): Promise<StatementStepResult> {
  const recorded = await deps.prisma.statementDocument.findUnique({ where: { statementId } });
  if (recorded && (await fileExists(recorded.path))) {
    return { statementId, outcome: 'skipped', reference: recorded.path };
  }

  const statement = await loadStatementForInvoice(deps.prisma, statementId, (partner) =>
    toPrincipal(companyFor(deps.companies, partner)),
  );
  const pdf = await renderStatementPdf(statement);
  const fileName = `${statement.invoiceNumber ?? statement.id}.pdf`;
  const target = path.join(deps.documentsDir, statement.periodId, fileName);
  await mkdir(path.dirname(target), { recursive: true });
  // Write then rename, so a crash never leaves a truncated PDF under the final name.
  const temporary = `${target}.${randomUUID()}.tmp`;
  await writeFile(temporary, pdf);
  await rename(temporary, target);

  const sha256 = createHash('sha256').update(pdf).digest('hex');
  await deps.prisma.statementDocument.upsert({
    where: { statementId },
    create: { statementId, path: target, sha256, bytes: pdf.byteLength, renderedAt: deps.now() },
    update: { path: target, sha256, bytes: pdf.byteLength, renderedAt: deps.now() },
  });
  deps.logger.info({ statementId, path: target, bytes: pdf.byteLength }, 'statement document rendered');
  return { statementId, outcome: 'done', reference: target };
}

async function fileExists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}
