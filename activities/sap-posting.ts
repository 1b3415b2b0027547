import { SapPostingError } from '../integrations/sap/gateway.js';
import { buildSupplierInvoice } from '../integrations/sap/supplier-invoice.js';
import { companyFor, toPrincipal } from '../config/companies.js';
import { loadStatementForInvoice } from '../store/statements.js';
import type { ActivityDependencies } from './dependencies.js';
import { forEachStatement } from './statement-steps.js';
import type { PayPeriodActivities, StatementStepResult } from './types.js';

/**
 * Builds the SAP posting activity. For each statement it looks for our own record of the posting
 * first, then looks the reference (the statement id) up in SAP, and posts only when neither has it. A retry
 * after a crash between SAP's commit and our record therefore does not post twice.
 */
export function createSapPostingActivities(
  deps: ActivityDependencies,
): Pick<PayPeriodActivities, 'postStatementsToSap'> {
  return {
    postStatementsToSap: ({ statementIds }) =>
      forEachStatement(statementIds, (statementId) => postOne(deps, statementId)),
  };
}

async function postOne(deps: ActivityDependencies, statementId: string): Promise<StatementStepResult> {
  const recorded = await deps.prisma.sapPosting.findUnique({ where: { statementId } });
  if (recorded) return { statementId, outcome: 'skipped', reference: recorded.documentNumber };

  const statement = await loadStatementForInvoice(deps.prisma, statementId, (partner) =>
    toPrincipal(companyFor(deps.companies, partner)),
  );
  const company = companyFor(deps.companies, statement.partner);
  const invoice = buildSupplierInvoice(statement, { expenseAccount: company.commissionExpenseAccount });
  const query = { companyCode: invoice.companyCode, supplier: invoice.supplier, reference: invoice.reference };

  let outcome: StatementStepResult['outcome'] = 'done';
  let posted = await deps.sapGateway.findByReference(query);
  if (posted) {
    outcome = 'skipped';
    deps.logger.warn(
      { statementId, documentNumber: posted.documentNumber },
      'SAP already had the invoice; recording it',
    );
  } else {
    try {
      posted = await deps.sapGateway.post(invoice);
    } catch (error) {
      if (error instanceof SapPostingError) {
        deps.logger.error({ statementId, err: error }, 'SAP rejected the supplier invoice');
      }
      throw error;
    }
  }

  await deps.prisma.$transaction([
    deps.prisma.sapPosting.create({
      data: {
        statementId,
        reference: posted.reference,
        documentNumber: posted.documentNumber,
        fiscalYear: posted.fiscalYear,
        postedAt: deps.now(),
      },
    }),
    deps.prisma.statement.update({ where: { id: statementId }, data: { status: 'posted' } }),
    deps.prisma.auditEntry.create({
      data: {
        actor: 'system',
        action: 'statement.posted_to_sap',
        entity: 'statement',
        entityId: statementId,
        data: { documentNumber: posted.documentNumber, fiscalYear: posted.fiscalYear, reference: posted.reference },
      },
    }),
  ]);
  deps.logger.info({ statementId, documentNumber: posted.documentNumber }, 'supplier invoice posted');
  return { statementId, outcome, reference: posted.documentNumber };
}
