import type { DecisionRecord, RecordDecisionInput } from '../activities/types.js';
import type { PrismaClient } from './prisma.js';
import { lockPayPeriod } from './statements.js';

/** Raised when a run already has the opposite decision recorded, for example an approval of a rejected run. */
export class DecisionConflictError extends Error {
  override readonly name = 'DecisionConflictError';
  constructor(
    readonly periodId: string,
    readonly runNumber: number,
    readonly recorded: string,
    readonly requested: string,
  ) {
    super(
      `run ${runNumber} of period ${periodId} was already ${recorded}; it cannot also be ${requested}. ` +
        'Recalculate the period to decide on a new run.',
    );
  }
}

/** Raised when the period's draft statements do not come from the run being approved. */
export class RunMismatchError extends Error {
  override readonly name = 'RunMismatchError';
  constructor(
    readonly periodId: string,
    readonly runNumber: number,
    readonly draftRunNumbers: number[],
  ) {
    super(
      `period ${periodId}: approval of run ${runNumber}, but the draft statements come from run ` +
        `${draftRunNumbers.join(', ')}; recalculate the period before approving`,
    );
  }
}

/**
 * Returns the invoice series of the company that pays a partner of the given country, for example GS
 * (Gutschrift) for the German company. Each series has its own gap-free sequence per year.
 */
export type InvoiceSeriesResolver = (partnerCountry: string) => string;

/**
 * Records an approval or rejection of one calculation run and writes an audit entry.
 *
 * A second call with the same decision for the same period and run returns the stored record
 * unchanged, so the first actor and time stay. The opposite decision throws DecisionConflictError.
 * On approval, in the same transaction and under the period's lock, every draft statement with a
 * non-zero payable amount gets the next number of its series and the approval year, for example
 * GS-2026-000001. The numbers are gap-free because the counter row is locked. All draft statements
 * become approved, and drafts from another run throw RunMismatchError.
 */
export async function recordDecision(
  prisma: PrismaClient,
  input: RecordDecisionInput,
  decidedAt: Date,
  seriesFor: InvoiceSeriesResolver,
): Promise<DecisionRecord> {
  return prisma.$transaction(
    async (tx) => {
      await lockPayPeriod(tx, input.periodId);
      const existing = await tx.approvalDecision.findUnique({
        where: { periodId_runNumber: { periodId: input.periodId, runNumber: input.runNumber } },
      });
      if (existing) {
        if (existing.decision !== input.decision) {
          throw new DecisionConflictError(input.periodId, input.runNumber, existing.decision, input.decision);
        }
        return toRecord(existing);
      }

      const created = await tx.approvalDecision.create({
        data: {
          periodId: input.periodId,
          runNumber: input.runNumber,
          decision: input.decision,
          actor: input.actor,
          reason: input.reason ?? null,
          decidedAt,
        },
      });

      let invoices = 0;
      if (input.decision === 'approved') {
        invoices = await approveStatements(
          tx as unknown as PrismaClient,
          input.periodId,
          input.runNumber,
          decidedAt,
          seriesFor,
        );
      }

      await tx.auditEntry.create({
        data: {
          actor: input.actor,
          action: input.decision === 'approved' ? 'period.approved' : 'period.rejected',
          entity: 'pay_period',
          entityId: input.periodId,
          data: { runNumber: input.runNumber, reason: input.reason ?? null, invoicesNumbered: invoices },
        },
      });
      return toRecord(created);
    },
    { timeout: 60_000 },
  );
}

async function approveStatements(
  tx: PrismaClient,
  periodId: string,
  runNumber: number,
  approvedAt: Date,
  seriesFor: InvoiceSeriesResolver,
): Promise<number> {
  const otherRuns = await tx.statement.findMany({
    where: { periodId, status: 'draft', runNumber: { not: runNumber } },
    select: { runNumber: true },
    distinct: ['runNumber'],
  });
  if (otherRuns.length > 0) {
    throw new RunMismatchError(
      periodId,
      runNumber,
      otherRuns.map((row) => row.runNumber),
    );
  }

  const payable = await tx.statement.findMany({
    where: { periodId, status: 'draft', NOT: { payableAmount: 0 } },
    select: { id: true, partner: { select: { country: true } } },
    orderBy: { id: 'asc' },
  });

  const year = approvedAt.getUTCFullYear();
  const bySeries = new Map<string, string[]>();
  for (const statement of payable) {
    const series = seriesFor(statement.partner.country);
    bySeries.set(series, [...(bySeries.get(series) ?? []), statement.id]);
  }

  for (const [series, statementIds] of [...bySeries].sort(([left], [right]) => left.localeCompare(right))) {
    let next = await lockSequence(tx, `self-billing-invoice-${series}-${year}`);
    for (const id of statementIds) {
      next += 1;
      await tx.statement.update({
        where: { id },
        data: { invoiceNumber: `${series}-${year}-${String(next).padStart(6, '0')}` },
      });
    }
    await tx.numberSequence.update({
      where: { name: `self-billing-invoice-${series}-${year}` },
      data: { value: next },
    });
  }
  await tx.statement.updateMany({ where: { periodId, status: 'draft' }, data: { status: 'approved', approvedAt } });
  return payable.length;
}

function toRecord(row: {
  periodId: string;
  runNumber: number;
  decision: 'approved' | 'rejected';
  actor: string;
  reason: string | null;
  decidedAt: Date;
}): DecisionRecord {
  return {
    periodId: row.periodId,
    runNumber: row.runNumber,
    decision: row.decision,
    actor: row.actor,
    ...(row.reason ? { reason: row.reason } : {}),
    decidedAt: row.decidedAt.toISOString(),
  };
}

/** Creates the counter when missing, locks its row until the transaction ends, and returns its value. */
async function lockSequence(tx: PrismaClient, name: string): Promise<number> {
  await tx.$executeRaw`INSERT INTO number_sequence (name, value) VALUES (${name}, 0) ON CONFLICT (name) DO NOTHING`;
  const [counter] = await tx.$queryRaw<{ value: number }[]>`
    SELECT value FROM number_sequence WHERE name = ${name} FOR UPDATE`;
  return counter?.value ?? 0;
}
