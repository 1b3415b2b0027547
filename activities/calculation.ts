import { ApplicationFailure } from '@temporalio/activity';
import { calculatePeriod } from '../domain/engine/calculate.js';
import { PlanValidationError } from '../domain/errors.js';
import { loadCalculationInput } from '../store/calculation-input.js';
import { replaceDraftStatements, StatementsAlreadyApprovedError } from '../store/statements.js';
import { sumAmounts, parseAmount, formatAmount } from '../domain/money.js';
import type { ActivityDependencies } from './dependencies.js';
import type { CalculationSummary, PayPeriodActivities } from './types.js';

/** Builds the calculation activities: stage bookkeeping and the period calculation. */
export function createCalculationActivities(
  deps: ActivityDependencies,
): Pick<PayPeriodActivities, 'recordStage' | 'calculatePeriod'> {
  return {
    async recordStage({ period, workflowId, stage, runNumber }) {
      const closedAt = stage === 'closed' ? deps.now() : null;
      await deps.prisma.payPeriod.upsert({
        where: { id: period.periodId },
        create: {
          id: period.periodId,
          startsAt: new Date(period.startsAt),
          endsAt: new Date(period.endsAt),
          stage,
          runNumber,
          workflowId,
          closedAt,
        },
        update: { stage, runNumber, workflowId, ...(closedAt ? { closedAt } : {}) },
      });
      deps.logger.info({ periodId: period.periodId, workflowId, stage, runNumber }, 'pay period stage');
    },

    async calculatePeriod({ period, runNumber }): Promise<CalculationSummary> {
      const log = deps.logger.child({ periodId: period.periodId, runNumber });
      log.info('calculation started');

      const input = await loadCalculationInput(deps.prisma, period, deps.taxRules);
      let result;
      try {
        result = calculatePeriod(input);
      } catch (error) {
        if (error instanceof PlanValidationError) {
          // A stored plan that does not validate cannot be fixed by retrying.
          throw ApplicationFailure.nonRetryable(error.message, 'PlanValidationError');
        }
        throw error;
      }

      try {
        await replaceDraftStatements(deps.prisma, period.periodId, runNumber, result, deps.now());
      } catch (error) {
        if (error instanceof StatementsAlreadyApprovedError) {
          throw ApplicationFailure.nonRetryable(error.message, error.name);
        }
        throw error;
      }

      const [accepted, rejected] = await Promise.all([
        deps.prisma.orderEvent.count({ where: { periodId: period.periodId, status: 'accepted' } }),
        deps.prisma.orderEvent.count({ where: { periodId: period.periodId, status: 'rejected' } }),
      ]);
      const total = (field: 'netCommission' | 'vatAmount' | 'withholdingAmount' | 'payableAmount') =>
        formatAmount(sumAmounts(result.statements.map((statement) => parseAmount(statement[field], field))));

      const summary: CalculationSummary = {
        periodId: period.periodId,
        runNumber,
        eventsAccepted: accepted,
        eventsRejected: rejected,
        orders: input.orders.length,
        partners: new Set(input.orders.map((order) => order.partnerId)).size,
        statements: result.statements.length,
        lines: result.statements.reduce((count, statement) => count + statement.lines.length, 0),
        netCommission: total('netCommission'),
        vatAmount: total('vatAmount'),
        withholdingAmount: total('withholdingAmount'),
        payableAmount: total('payableAmount'),
        warnings: result.warnings.map((warning) => warning.message),
      };
      await deps.prisma.auditEntry.create({
        data: {
          actor: 'system',
          action: 'period.calculated',
          entity: 'pay_period',
          entityId: period.periodId,
          data: { ...summary, warnings: summary.warnings.length },
        },
      });
      log.info(
        { statements: summary.statements, lines: summary.lines, netCommission: summary.netCommission },
        'calculation finished',
      );
      return summary;
    },
  };
}
