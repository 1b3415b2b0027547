import type { DecisionRecord, RecordDecisionInput } from '../activities/types.js';
import type { PrismaClient } from './prisma.js';

/** Prefix of self-billing invoice numbers: GS for Gutschrift, then the year and a six-digit sequence. */
const INVOICE_PREFIX = 'GS';

/**
 * Records an approval or rejection of one calculation run. Idempotent: a second call for the same
 * period and run returns the stored record unchanged. On approval, in the same transaction, every
 * draft statement of the period with a non-zero payable amount gets the next self-billing invoice
 * number of the approval year (GS-2026-000001, gap-free because the counter row is locked), and all
 * draft statements become approved. Writes an audit entry.
 */
export async function recordDecision(
  prisma: PrismaClient,
  input: RecordDecisionInput,
  decidedAt: Date,
): Promise<DecisionRecord> {
  return prisma.$transaction(
    async (tx) => {
      const existing = await tx.approvalDecision.findUnique({
        where: { periodId_runNumber: { periodId: input.periodId, runNumber: input.runNumber } },
      });
      if (existing) return toRecord(existing);

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
        invoices = await approveStatements(tx as unknown as PrismaClient, input.periodId, decidedAt);
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

async function approveStatements(tx: PrismaClient, periodId: string, approvedAt: Date): Promise<number> {
  const payable = await tx.statement.findMany({
    where: { periodId, status: 'draft', NOT: { payableAmount: 0 } },
    select: { id: true },
    orderBy: { id: 'asc' },
  });

  const year = approvedAt.getUTCFullYear();
  const sequenceName = `self-billing-invoice-${year}`;
  await tx.$executeRaw`INSERT INTO number_sequence (name, value) VALUES (${sequenceName}, 0) ON CONFLICT (name) DO NOTHING`;
  const [counter] = await tx.$queryRaw<{ value: number }[]>`
    SELECT value FROM number_sequence WHERE name = ${sequenceName} FOR UPDATE`;
  let next = counter?.value ?? 0;

  for (const statement of payable) {
    next += 1;
    await tx.statement.update({
      where: { id: statement.id },
      data: { invoiceNumber: `${INVOICE_PREFIX}-${year}-${String(next).padStart(6, '0')}` },
    });
  }
  await tx.numberSequence.update({ where: { name: sequenceName }, data: { value: next } });
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
