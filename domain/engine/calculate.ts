/**
 * Entry point of the commission engine: one pay period in, statement drafts and warnings out. The
 * calculation is a pure function of its input: no clock, no I/O, no randomness, and every list is
 * sorted, so the same input always gives a deep-equal result.
 */
import { DuplicateOrderError, PlanValidationError } from '../errors.js';
import type { CalculationWarning, OrderRecord, Partner, StatementDraft } from '../model.js';
import { parsePlanDefinition } from '../plan/definition.js';
import { compareOrderNumbers, compareText } from './lines.js';
import { buildOrderTimeline } from './order-timeline.js';
import { buildPartnerLines } from './partner-lines.js';
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

/**
 * Validates each assignment's definition again and fills in its defaults, because definitions are
 * often read from stored JSON and a missing coolingOffDays would silently disable cooling-off.
 */
function validateAssignments(assignments: readonly PlanAssignmentInput[]): PlanAssignmentInput[] {
  return assignments.map((assignment) => {
    try {
      return { ...assignment, definition: parsePlanDefinition(assignment.definition) };
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

function compareAssignments(left: PlanAssignmentInput, right: PlanAssignmentInput): number {
  return compareText(left.planId, right.planId) || compareText(left.planVersionId, right.planVersionId);
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
  assignments: PlanAssignmentInput[];
  orders: OrderRecord[];
  paymentsByOrder: ReadonlyMap<string, CalculationInput['previousPayments']>;
}

function calculatePartnerStatement(run: PartnerRun, warnings: CalculationWarning[]): StatementDraft | undefined {
  const timelines = [...run.orders].sort(compareOrders).map(buildOrderTimeline);
  const context = {
    partnerId: run.partner.id,
    period: run.period,
    assignments: run.assignments,
    timelines,
    paymentsByOrder: run.paymentsByOrder,
  };
  const drafts = buildPartnerLines(context, warnings);
  if (drafts.length === 0) {
    return undefined;
  }
  return buildStatement({
    period: run.period,
    partner: run.partner,
    assignments: run.assignments,
    drafts,
    yearToDate: run.input.yearToDateCommissions[run.partner.id] ?? '0.00',
    taxRules: run.input.taxRules,
  });
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
  const ordersByPartner = groupBy(input.orders, (order) => order.partnerId);
  const paymentsByOrder = groupPaymentsByOrder(input.previousPayments);

  const warnings: CalculationWarning[] = [];
  const statements: StatementDraft[] = [];
  for (const partnerId of [...ordersByPartner.keys()].sort(compareText)) {
    const orders = ordersByPartner.get(partnerId) ?? [];
    const partner = partnersById.get(partnerId);
    if (partner === undefined) {
      warnings.push({
        code: 'unknown_partner',
        partnerId,
        orderIds: sortedOrderIds(orders),
        message: `${orders.length} order(s) belong to partner ${partnerId}, who is not in the partner list; they were not calculated.`,
      });
      continue;
    }
    const assignments = [...(assignmentsByPartner.get(partnerId) ?? [])].sort(compareAssignments);
    if (assignments.length === 0) {
      warnings.push({
        code: 'partner_without_plan',
        partnerId,
        orderIds: sortedOrderIds(orders),
        message: `Partner ${partnerId} has ${orders.length} order(s) in the period but no plan version assigned; assign a plan and recalculate.`,
      });
      continue;
    }
    const run = { input, period, partner, assignments, orders, paymentsByOrder };
    const statement = calculatePartnerStatement(run, warnings);
    if (statement !== undefined) {
      statements.push(statement);
    }
  }
  return { statements, warnings: warnings.sort(compareWarnings) };
}
