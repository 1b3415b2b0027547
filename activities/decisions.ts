import { invoiceSeriesFor } from '../config/companies.js';
import { recordDecision } from '../store/decisions.js';
import type { ActivityDependencies } from './dependencies.js';
import type { PayPeriodActivities } from './types.js';

/** Builds the activities that record approvals and list the approved statements. */
export function createDecisionActivities(
  deps: ActivityDependencies,
): Pick<PayPeriodActivities, 'recordDecision' | 'listStatementBatches'> {
  return {
    async recordDecision(input) {
      const record = await recordDecision(deps.prisma, input, deps.now(), (country) =>
        invoiceSeriesFor(deps.companies, country),
      );
      deps.logger.info(
        { periodId: input.periodId, runNumber: input.runNumber, decision: record.decision, actor: record.actor },
        'pay period decision recorded',
      );
      return record;
    },

    async listStatementBatches({ periodId, batchSize }) {
      const rows = await deps.prisma.statement.findMany({
        where: { periodId, status: { in: ['approved', 'posted', 'delivered'] }, NOT: { payableAmount: 0 } },
        select: { id: true },
        orderBy: { id: 'asc' },
      });
      const batches: string[][] = [];
      for (let start = 0; start < rows.length; start += batchSize) {
        batches.push(rows.slice(start, start + batchSize).map((row) => row.id));
      }
      return batches;
    },
  };
}
