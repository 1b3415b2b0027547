/**
 * Entry point of the commission engine: one pay period in, statement drafts and warnings out. The
 * calculation is a pure function of its input: no clock, no I/O, no randomness, and every list is
 * sorted, so the same input always gives a deep-equal result.
 */
import { DuplicateOrderError, PlanValidationError } from '../errors.js';
import type { CalculationWarning, OrderRecord, Partner, StatementDraft } from '../model.js';
import { parsePlanDefinition, resolveParameterValues } from '../plan/definition.js';
import { compareOrderNumbers, compareText } from './lines.js';
import type { LineDraft } from './lines.js';
import { buildOrderTimeline, type OrderTimeline } from './order-timeline.js';
import { buildPartnerLines } from './partner-lines.js';
import type { AgentResult } from './period-lines.js';
import { parsePayPeriod, type ParsedPeriod } from './period.js';
import { groupPaymentsByOrder } from './previous-payments.js';
import { buildStatement } from './statement.js';
import type { CalculationInput, CalculationResult, PlanAssignmentInput } from './types.js';

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key) ?? [];
    group.push(item);
    groups.set(key, group);
  }
  return groups;
}

/** An assignment with its definition validated and completed, and its parameter values resolved. */
interface ValidAssignment extends PlanAssignmentInput {
  parameterValues: Record<string, string>;
}

/**
 * Validates each assignment's definition again, fills in its parameter values and defaults, and
 * resolves the parameter values that formulas read. Definitions are often read from stored JSON,
 * and a missing coolingOffDays would silently disable cooling-off.
 */
function validateAssignments(assignments: readonly PlanAssignmentInput[]): ValidAssignment[] {
  // Hundreds of partners share a few definitions and parameter sets, so each pair is parsed once.
  const parsed = new Map<string, Pick<ValidAssignment, 'definition' | 'parameterValues'>>();
  return assignments.map((assignment) => {
    try {
      const parameters = assignment.parameters ?? {};
      const key = JSON.stringify([assignment.definition, Object.entries(parameters).sort()]);
      let entry = parsed.get(key);
      if (entry === undefined) {
        const definition = parsePlanDefinition(assignment.definition, parameters);
        entry = { definition, parameterValues: resolveParameterValues(definition.parameters, parameters).values };
        parsed.set(key, entry);
      }
      return { ...assignment, ...entry };
    } catch (error) {
      if (error instanceof PlanValidationError) {
        throw new PlanValidationError(error.issues, assignment.planVersionId);
      }
      throw error;
    }
  });
}

function rejectDuplicateOrders(orders: readonly OrderRecord[]): void {
  const seen = new Set<string>();
  for (const order of orders) {
    if (seen.has(order.id)) {
      throw new DuplicateOrderError(order.id);
    }
    seen.add(order.id);
  }
}

/** Orders assignments by plan, version and start, so that the parts of a split month keep their order. */
function compareAssignments(left: PlanAssignmentInput, right: PlanAssignmentInput): number {
  return (
    compareText(left.planId, right.planId) ||
    compareText(left.planVersionId, right.planVersionId) ||
    compareText(left.activeFrom ?? '', right.activeFrom ?? '')
  );
}

function compareOrders(left: OrderRecord, right: OrderRecord): number {
  return compareOrderNumbers(left.orderNumber, right.orderNumber) || compareText(left.id, right.id);
}

function compareWarnings(left: CalculationWarning, right: CalculationWarning): number {
  return (
    compareText(left.code, right.code) ||
    compareText(left.partnerId ?? '', right.partnerId ?? '') ||
    compareText(left.ruleId ?? '', right.ruleId ?? '') ||
    compareText((left.orderIds ?? []).join(','), (right.orderIds ?? []).join(',')) ||
    compareText(left.message, right.message)
  );
}

function sortedOrderIds(orders: readonly OrderRecord[]): string[] {
  return [...orders].sort(compareOrders).map((order) => order.id);
}

interface PartnerRun {
  input: CalculationInput;
  period: ParsedPeriod;
  partner: Partner;
  assignments: ValidAssignment[];
  timelines: OrderTimeline[];
  agentTimelines: OrderTimeline[];
  agents: AgentResult[];
  paymentsByOrder: ReadonlyMap<string, CalculationInput['previousPayments']>;
}

function calculatePartnerLines(run: PartnerRun, warnings: CalculationWarning[]): LineDraft[] {
  return buildPartnerLines(
    {
      partner: run.partner,
      period: run.period,
      assignments: run.assignments,
      parameterValues: run.assignments.map((assignment) => assignment.parameterValues),
      timelines: run.timelines,
      agentTimelines: run.agentTimelines,
      agents: run.agents,
      paymentsByOrder: run.paymentsByOrder,
    },
    warnings,
  );
}

/** Number of agency levels above the partner, so that agents are calculated before their agency. */
function depthOf(partner: Partner, partnersById: ReadonlyMap<string, Partner>): number {
  let depth = 0;
  let parentId = partner.parentId;
  const seen = new Set([partner.id]);
  while (parentId !== undefined && !seen.has(parentId)) {
    seen.add(parentId);
    depth += 1;
    parentId = partnersById.get(parentId)?.parentId;
  }
  return depth;
}

/**
 * Calculates the statements of a pay period. Only state changes within [startsAt, endsAt) create
 * commission lines; cancellations in the period create reversal lines as the plan's cooling-off
 * and clawback terms require. Returns one statement per partner with at least one line, sorted by
 * partner id, and warnings (CalculationWarningCode) for problems it worked around, such as orders
 * of a partner without a plan.
 *
 * Throws InvalidDateTimeError, InvalidPeriodError, InvalidAmountError or InvalidDecimalError for
 * malformed input values. Throws PlanValidationError, naming the plan version, for an invalid
 * definition and DuplicateOrderError for an order listed twice. Throws InvalidTaxProfileError,
 * naming the partner, for a tax profile that cannot be applied, and TaxRatesNotFoundError when no
 * tax rates are effective.
 */
export function calculatePeriod(input: CalculationInput): CalculationResult {
  const period = parsePayPeriod(input.period);
  rejectDuplicateOrders(input.orders);
  const partnersById = new Map(input.partners.map((partner) => [partner.id, partner]));
  const assignmentsByPartner = groupBy(validateAssignments(input.assignments), (assignment) => assignment.partnerId);
  const timelinesByPartner = groupBy(
    [...input.orders].sort(compareOrders).map(buildOrderTimeline),
    (timeline) => timeline.order.partnerId,
  );
  const paymentsByOrder = groupPaymentsByOrder(input.previousPayments);

  // Agencies are calculated even without orders of their own, because their agents' orders feed
  // their roll-up metrics and overrides.
  const partnerIds = new Set(timelinesByPartner.keys());
  for (const partnerId of timelinesByPartner.keys()) {
    const walked = new Set([partnerId]);
    let parentId = partnersById.get(partnerId)?.parentId;
    while (parentId !== undefined && partnersById.has(parentId) && !walked.has(parentId)) {
      walked.add(parentId);
      partnerIds.add(parentId);
      parentId = partnersById.get(parentId)?.parentId;
    }
  }
  const agentsByParent = groupBy(
    input.partners.filter((partner) => partner.parentId !== undefined),
    (partner) => partner.parentId ?? '',
  );

  const warnings: CalculationWarning[] = [];
  const statements: StatementDraft[] = [];
  const linesByPartner = new Map<string, LineDraft[]>();
  const ordered = [...partnerIds].sort(
    (left, right) =>
      depthOf(partnersById.get(right) ?? ({ parentId: undefined } as Partner), partnersById) -
        depthOf(partnersById.get(left) ?? ({ parentId: undefined } as Partner), partnersById) ||
      compareText(left, right),
  );
  for (const partnerId of ordered) {
    const timelines = timelinesByPartner.get(partnerId) ?? [];
    const orderIds = sortedOrderIds(timelines.map((timeline) => timeline.order));
    const partner = partnersById.get(partnerId);
    if (partner === undefined) {
      warnings.push({
        code: 'unknown_partner',
        partnerId,
        orderIds,
        message: `${timelines.length} order(s) belong to partner ${partnerId}, who is not in the partner list; they were not calculated.`,
      });
      continue;
    }
    const assignments = [...(assignmentsByPartner.get(partnerId) ?? [])].sort(compareAssignments);
    if (assignments.length === 0) {
      if (timelines.length > 0) {
        warnings.push({
          code: 'partner_without_plan',
          partnerId,
          orderIds,
          message: `Partner ${partnerId} has ${timelines.length} order(s) in the period but no plan version assigned; assign a plan and recalculate.`,
        });
      }
      continue;
    }
    const agents = agentsByParent.get(partnerId) ?? [];
    const run: PartnerRun = {
      input,
      period,
      partner,
      assignments,
      timelines,
      agentTimelines: agents.flatMap((agent) => timelinesByPartner.get(agent.id) ?? []),
      agents: agents.map((agent) => ({
        partner: agent,
        lines: (linesByPartner.get(agent.id) ?? []).map((draft) => draft.line),
      })),
      paymentsByOrder,
    };
    const drafts = calculatePartnerLines(run, warnings);
    linesByPartner.set(partnerId, drafts);
    if (drafts.length === 0) continue;
    statements.push(
      buildStatement({
        period,
        partner,
        assignments,
        drafts,
        yearToDate: input.yearToDateCommissions[partnerId] ?? '0.00',
        taxRules: input.taxRules,
      }),
    );
  }
  statements.sort((left, right) => compareText(left.partnerId, right.partnerId));
  return { statements, warnings: warnings.sort(compareWarnings) };
}
