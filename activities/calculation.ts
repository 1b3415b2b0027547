import { ApplicationFailure } from '@temporalio/activity';
import { calculatePeriod } from '../domain/engine/calculate.js';
import { PlanValidationError } from '../domain/errors.js';
import { loadCalculationInput } from '../store/calculation-input.js';
import { replaceDraftStatements, StaleCalculationError, StatementsAlreadyApprovedError } from '../store/statements.js';
import { sumAmounts, parseAmount, formatAmount } from '../domain/money.js';
import type { Partner, StatementDraft } from '../domain/model.js';
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

    async calculatePeriod({ period, runNumber: requestedRunNumber }): Promise<CalculationSummary> {
      await requireEarlierPeriodsApproved(deps, period.periodId);
      const runNumber = await effectiveRunNumber(deps, period.periodId, requestedRunNumber);
      const log = deps.logger.child({ periodId: period.periodId, runNumber });
      if (runNumber !== requestedRunNumber) {
        log.warn(
          { requestedRunNumber },
          'earlier runs of this period are recorded; the calculation continues their count',
        );
      }
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
        if (error instanceof StatementsAlreadyApprovedError || error instanceof StaleCalculationError) {
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
        warnings: summarizeWarnings([
          ...invoiceDataWarnings(input.partners, result.statements),
          ...result.warnings.map((warning) => warning.message),
        ]),
      };
      await deps.prisma.auditEntry.create({
        data: {
          actor: 'system',
          action: 'period.calculated',
          entity: 'pay_period',
          entityId: period.periodId,
          data: { ...summary, warnings: result.warnings.map((warning) => warning.message) },
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

/**
 * Maximum number of warnings returned to the workflow. Warnings travel in the activity result, the
 * workflow state and its status query, and Temporal limits the size of those payloads. The audit
 * entry of the calculation keeps all of them.
 */
export const MAX_RETURNED_WARNINGS = 20;

function summarizeWarnings(messages: string[]): string[] {
  if (messages.length <= MAX_RETURNED_WARNINGS) return messages;
  const shown = messages.slice(0, MAX_RETURNED_WARNINGS);
  shown.push(`${messages.length - MAX_RETURNED_WARNINGS} more warnings are in the audit entry of this calculation`);
  return shown;
}

/**
 * Returns a warning for each statement whose partner lacks data that the self-billing invoice or the
 * SAP posting needs. The approver reads them before approving, because after approval the rendering
 * or posting step would fail on the gap.
 */
function invoiceDataWarnings(partners: Partner[], statements: StatementDraft[]): string[] {
  const byId = new Map(partners.map((partner) => [partner.id, partner]));
  const warnings: string[] = [];
  for (const statement of statements) {
    const partner = byId.get(statement.partnerId);
    if (!partner) continue;
    const profile = partner.taxProfile;
    if (!profile.taxNumber && !profile.vatId) {
      warnings.push(
        `partner ${partner.id} has neither a tax number nor a VAT id; its self-billing invoice cannot be issued`,
      );
    }
    if (!partner.sapVendorId) {
      warnings.push(`partner ${partner.id} has no SAP vendor id; its supplier invoice cannot be posted`);
    }
  }
  return warnings;
}

/**
 * Returns the run number a calculation stores its statements under. This is the requested number, unless
 * the database already contains decisions or statements of that number or later. That happens when an
 * earlier workflow of the period failed and a new one was started, counting from 1 again. The number is
 * then the next one after the last decided run, or the run of the stored drafts, so a new run never
 * collides with a recorded decision.
 */
async function effectiveRunNumber(deps: ActivityDependencies, periodId: string, requested: number): Promise<number> {
  const [decided, drafted] = await Promise.all([
    deps.prisma.approvalDecision.aggregate({ where: { periodId }, _max: { runNumber: true } }),
    deps.prisma.statement.aggregate({ where: { periodId }, _max: { runNumber: true } }),
  ]);
  const lastDecided = decided._max.runNumber ?? 0;
  const lastDrafted = drafted._max.runNumber ?? 0;
  return Math.max(requested, lastDecided + 1, lastDrafted);
}

/** Stages of a pay period before its approval. */
const UNAPPROVED_STAGES = ['collecting', 'calculating', 'awaiting_approval', 'rejected'];

/**
 * Raised while an earlier pay period is not approved. The calculation reads the earlier periods'
 * approved payments (for clawbacks and the ENASARCO year to date), so it waits for them: Temporal
 * retries the activity with backoff until the earlier period is approved.
 */
export class EarlierPeriodOpenError extends Error {
  override readonly name = 'EarlierPeriodOpenError';
  constructor(
    readonly periodId: string,
    readonly openPeriods: Array<{ id: string; stage: string }>,
  ) {
    super(
      `pay period ${periodId} is calculated after ${openPeriods.map((open) => `${open.id} (${open.stage})`).join(', ')} ` +
        'is approved; approve the earlier period first, and this calculation retries by itself',
    );
  }
}

async function requireEarlierPeriodsApproved(deps: ActivityDependencies, periodId: string): Promise<void> {
  const open = await deps.prisma.payPeriod.findMany({
    where: { id: { lt: periodId }, stage: { in: UNAPPROVED_STAGES } },
    select: { id: true, stage: true },
    orderBy: { id: 'asc' },
  });
  if (open.length === 0) return;

  const error = new EarlierPeriodOpenError(periodId, open);
  deps.logger.warn({ periodId, openPeriods: open.map((row) => row.id) }, error.message);
  throw error;
}
