import type { CalculationResult } from '../domain/engine/types.js';
import type { Partner } from '../domain/model.js';
import type { Principal, StatementForInvoice } from '../integrations/statement-view.js';
import { toPartner } from './calculation-input.js';
import type { Prisma, PrismaClient } from './prisma.js';

/** Raised when a period's statements can no longer be replaced because they were approved. */
export class StatementsAlreadyApprovedError extends Error {
  override readonly name = 'StatementsAlreadyApprovedError';
  constructor(readonly periodId: string) {
    super(`period ${periodId} has approved statements; an approved period is not recalculated`);
  }
}

/** Raised when a statement id does not exist. */
export class StatementNotFoundError extends Error {
  override readonly name = 'StatementNotFoundError';
  constructor(readonly statementId: string) {
    super(`statement ${statementId} not found`);
  }
}

/** Raised when a calculation run older than the period's stored statements tries to replace them. */
export class StaleCalculationError extends Error {
  override readonly name = 'StaleCalculationError';
  constructor(
    readonly periodId: string,
    readonly runNumber: number,
    readonly storedRunNumber: number,
  ) {
    super(`run ${runNumber} of period ${periodId} is older than the stored run ${storedRunNumber}; it is discarded`);
  }
}

/**
 * Takes the transaction-scoped advisory lock of a pay period, which serialises the replacement of its
 * statements with approvals, so neither can interleave with the other.
 */
export async function lockPayPeriod(tx: Prisma.TransactionClient, periodId: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`pay_period:${periodId}`}))`;
}

/** Statement id: `<period>-<partner>`, for example 2026-11-P00042. It is also the SAP reference number. */
export function statementId(periodId: string, partnerId: string): string {
  return `${periodId}-${partnerId}`;
}

// Nine columns a line: 2,000 lines stay well under PostgreSQL's 65,535 bind parameters per statement.
const LINE_BATCH = 2_000;

/**
 * Replaces the period's draft statements with the engine's result in one transaction, so readers see
 * either the previous run or the new one, and marks the plan versions used. Holds the period's lock.
 * Throws StatementsAlreadyApprovedError when any statement of the period is past draft, and
 * StaleCalculationError when the stored drafts come from a later run.
 */
export async function replaceDraftStatements(
  prisma: PrismaClient,
  periodId: string,
  runNumber: number,
  result: CalculationResult,
  usedAt: Date,
): Promise<void> {
  await prisma.$transaction(
    async (tx) => {
      await lockPayPeriod(tx, periodId);
      const settled = await tx.statement.count({ where: { periodId, status: { not: 'draft' } } });
      if (settled > 0) throw new StatementsAlreadyApprovedError(periodId);
      const newest = await tx.statement.aggregate({ where: { periodId }, _max: { runNumber: true } });
      const storedRunNumber = newest._max.runNumber ?? 0;
      if (storedRunNumber > runNumber) throw new StaleCalculationError(periodId, runNumber, storedRunNumber);

      await tx.statement.deleteMany({ where: { periodId, status: 'draft' } });
      await tx.statement.createMany({ data: result.statements.map((draft) => toStatementRow(draft, runNumber)) });

      const lines = result.statements.flatMap((draft) =>
        draft.lines.map((line): Prisma.CommissionLineCreateManyInput => ({
          statementId: statementId(draft.periodId, draft.partnerId),
          lineNumber: line.lineNumber,
          kind: line.kind,
          orderId: line.orderId,
          planVersionId: line.planVersionId,
          ruleId: line.ruleId,
          amount: line.amount,
          description: line.description,
          explanation: {
            ...line.explanation,
            planId: line.planId,
            ruleKind: line.ruleKind,
            orderNumber: line.orderNumber,
          },
        })),
      );
      for (let start = 0; start < lines.length; start += LINE_BATCH) {
        await tx.commissionLine.createMany({ data: lines.slice(start, start + LINE_BATCH) });
      }

      const versionIds = [...new Set(result.statements.flatMap((draft) => draft.planVersionIds))];
      await tx.planVersion.updateMany({ where: { id: { in: versionIds }, usedAt: null }, data: { usedAt } });
    },
    { timeout: 120_000, maxWait: 10_000 },
  );
}

function toStatementRow(
  draft: CalculationResult['statements'][number],
  runNumber: number,
): Prisma.StatementCreateManyInput {
  return {
    id: statementId(draft.periodId, draft.partnerId),
    periodId: draft.periodId,
    partnerId: draft.partnerId,
    runNumber,
    status: 'draft',
    currency: draft.currency,
    netCommission: draft.netCommission,
    vatAmount: draft.vatAmount,
    grossAmount: draft.grossAmount,
    withholdingAmount: draft.withholdingAmount,
    contributionAgent: draft.contributionAgent,
    contributionPrincipal: draft.contributionPrincipal,
    payableAmount: draft.payableAmount,
    taxes: draft.taxes as unknown as Prisma.InputJsonValue,
  };
}

/**
 * Loads a statement with its partner and lines in the shape the SAP, PDF and email integrations read.
 * `principalFor` returns the company that pays the partner.
 * The issue date is the approval date (UTC), or `fallbackIssueDate` for a statement not yet approved.
 * Throws StatementNotFoundError.
 */
export async function loadStatementForInvoice(
  prisma: PrismaClient,
  id: string,
  principalFor: (partner: Partner) => Principal,
  fallbackIssueDate: Date = new Date(),
): Promise<StatementForInvoice> {
  const row = await prisma.statement.findUnique({
    where: { id },
    include: { partner: true, period: true, lines: { orderBy: { lineNumber: 'asc' } } },
  });
  if (!row) throw new StatementNotFoundError(id);
  const partner = toPartner(row.partner);

  return {
    id: row.id,
    periodId: row.periodId,
    periodStartsAt: row.period.startsAt.toISOString(),
    periodEndsAt: row.period.endsAt.toISOString(),
    invoiceNumber: row.invoiceNumber,
    issueDate: (row.approvedAt ?? fallbackIssueDate).toISOString().slice(0, 10),
    partner,
    principal: principalFor(partner),
    currency: 'EUR',
    netCommission: row.netCommission.toFixed(2),
    vatAmount: row.vatAmount.toFixed(2),
    grossAmount: row.grossAmount.toFixed(2),
    withholdingAmount: row.withholdingAmount.toFixed(2),
    contributionAgent: row.contributionAgent.toFixed(2),
    contributionPrincipal: row.contributionPrincipal.toFixed(2),
    payableAmount: row.payableAmount.toFixed(2),
    taxes: row.taxes as unknown as StatementForInvoice['taxes'],
    lines: row.lines.map((line) => ({
      lineNumber: line.lineNumber,
      kind: line.kind as 'commission' | 'reversal',
      orderNumber: String((line.explanation as { orderNumber?: string }).orderNumber ?? line.orderId ?? ''),
      ruleId: line.ruleId,
      amount: line.amount.toFixed(2),
      description: line.description,
    })),
  };
}
