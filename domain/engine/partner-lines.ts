/**
 * Commission and reversal lines of one partner for the period, over all plan versions assigned to
 * the partner.
 */
import type { CalculationWarning, PreviousPayment } from '../model.js';
import { classifyCancellation } from './cancellation.js';
import type { LineDraft } from './lines.js';
import type { OrderTimeline } from './order-timeline.js';
import { buildScheduledCommissionLines } from './payment-schedule.js';
import { isWithinPeriod, type ParsedPeriod } from './period.js';
import { dropAlreadyPaidLines } from './previous-payments.js';
import { buildReversalLines } from './reversals.js';
import { buildTieredCommissionLines } from './tiers.js';
import type { PlanAssignmentInput } from './types.js';

export interface PartnerContext {
  partnerId: string;
  period: ParsedPeriod;
  /** Sorted by plan id and plan version id; not empty. */
  assignments: readonly PlanAssignmentInput[];
  /** The partner's orders, sorted by order number. */
  timelines: readonly OrderTimeline[];
  paymentsByOrder: ReadonlyMap<string, readonly PreviousPayment[]>;
}

function buildPlanCommissionLines(
  context: PartnerContext,
  assignment: PlanAssignmentInput,
  planIndex: number,
): LineDraft[] {
  const outcomes = new Map(
    context.timelines.map((timeline) => [
      timeline,
      classifyCancellation(timeline, assignment.definition, context.period)?.outcome,
    ]),
  );
  // An order cancelled within the cooling-off period is void: it earns nothing in the period.
  const payable = context.timelines.filter((timeline) => outcomes.get(timeline) !== 'cooling_off');
  // Tiers skip orders whose payments a cancellation in the period reverses (cooling-off or
  // clawback), because a reversal takes back the order's own line but not the higher tier that its
  // count gave the other orders. A cancellation after the clawback window reverses nothing, so that
  // order still counts and is paid.
  const tierCounted = context.timelines.filter((timeline) => {
    const outcome = outcomes.get(timeline);
    return outcome !== 'cooling_off' && outcome !== 'clawback';
  });
  const drafts: LineDraft[] = [];
  assignment.definition.rules.forEach((rule, ruleIndex) => {
    const reference = { assignment, planIndex, ruleIndex };
    if (rule.kind === 'tiered') {
      drafts.push(...buildTieredCommissionLines(rule, reference, tierCounted, context.period));
      return;
    }
    for (const timeline of payable) {
      if (rule.categories.includes(timeline.order.category)) {
        drafts.push(...buildScheduledCommissionLines(rule, reference, timeline, context.period));
      }
    }
  });
  return drafts;
}

function buildPartnerReversalLines(
  context: PartnerContext,
  commissionDrafts: readonly LineDraft[],
  warnings: CalculationWarning[],
): LineDraft[] {
  const drafts: LineDraft[] = [];
  for (const timeline of context.timelines) {
    if (!isWithinPeriod(context.period, timeline.reachedAt.get('cancelled'))) {
      continue;
    }
    const orderDrafts = commissionDrafts.filter((draft) => draft.line.orderId === timeline.order.id);
    const payments = context.paymentsByOrder.get(timeline.order.id) ?? [];
    drafts.push(...buildReversalLines(timeline, orderDrafts, payments, context, warnings));
  }
  return drafts;
}

function warnAboutUncoveredOrders(context: PartnerContext, warnings: CalculationWarning[]): void {
  const covered = new Set(
    context.assignments.flatMap((assignment) => assignment.definition.rules.flatMap((rule) => rule.categories)),
  );
  const uncovered = context.timelines.filter((timeline) => !covered.has(timeline.order.category));
  if (uncovered.length === 0) {
    return;
  }
  const categories = [...new Set(uncovered.map((timeline) => timeline.order.category))].join(', ');
  warnings.push({
    code: 'order_not_covered',
    partnerId: context.partnerId,
    orderIds: uncovered.map((timeline) => timeline.order.id),
    message:
      `${uncovered.length} order(s) of partner ${context.partnerId} are in categories (${categories}) ` +
      'that no rule of the assigned plan versions pays; assign a plan that covers them if they should earn commission.',
  });
}

/**
 * Returns the unsorted line drafts of one partner: commission lines of every assigned plan version,
 * without states an earlier period already paid, followed by reversal lines for orders cancelled
 * in the period. Appends warnings for uncovered orders, already-paid states and reversals of rules
 * that are no longer assigned.
 */
export function buildPartnerLines(context: PartnerContext, warnings: CalculationWarning[]): LineDraft[] {
  const planDrafts = context.assignments.flatMap((assignment, planIndex) =>
    buildPlanCommissionLines(context, assignment, planIndex),
  );
  const commissionDrafts = dropAlreadyPaidLines(planDrafts, context.paymentsByOrder, context.partnerId, warnings);
  const reversalDrafts = buildPartnerReversalLines(context, commissionDrafts, warnings);
  warnAboutUncoveredOrders(context, warnings);
  return [...commissionDrafts, ...reversalDrafts];
}
