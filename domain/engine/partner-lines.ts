/**
 * Commission, reversal and adjustment lines of one partner for the period, over all plan versions
 * assigned to the partner.
 */
import type { CalculationWarning, Partner, PreviousPayment } from '../model.js';
import { isOrderRule, type OrderRule } from '../plan/definition.js';
import { createAssignmentEvaluation, narrowToWindow, type AssignmentEvaluation } from './evaluation.js';
import type { LineDraft } from './lines.js';
import type { OrderTimeline } from './order-timeline.js';
import { buildScheduledCommissionLines } from './payment-schedule.js';
import { isWithinPeriod, type ParsedPeriod } from './period.js';
import { applyOrderRuleGates, buildAdjustmentLines, type AgentResult } from './period-lines.js';
import { dropAlreadyPaidLines } from './previous-payments.js';
import { buildReversalLines } from './reversals.js';
import { buildTieredCommissionLines } from './tiers.js';
import type { PlanAssignmentInput } from './types.js';

export interface PartnerContext {
  partner: Partner;
  period: ParsedPeriod;
  /** Sorted by plan id and plan version id; not empty. */
  assignments: readonly PlanAssignmentInput[];
  /** Parameter values of each assignment, by its position in `assignments`. */
  parameterValues: readonly Readonly<Record<string, string>>[];
  /** The partner's orders, sorted by order number. */
  timelines: readonly OrderTimeline[];
  /** Orders of the partner's agents, for agency roll-up metrics. */
  agentTimelines: readonly OrderTimeline[];
  /** Lines of the partner's agents, for agency overrides. */
  agents: readonly AgentResult[];
  paymentsByOrder: ReadonlyMap<string, readonly PreviousPayment[]>;
}

function buildRuleLines(
  evaluation: AssignmentEvaluation,
  rule: OrderRule,
  ruleIndex: number,
  planIndex: number,
  candidates: { payable: readonly OrderTimeline[]; tierCounted: readonly OrderTimeline[] },
): LineDraft[] {
  const reference = { assignment: evaluation.assignment, planIndex, ruleIndex };
  const range = narrowToWindow(evaluation.range, rule.window);
  // A share held until a later state is paid when that state is reached, which can be after the
  // rule's window has ended, so only rules without holdUntil stop here.
  const holdsShares = rule.kind !== 'tiered' && rule.holdUntil !== undefined;
  if (range.endsAt <= range.startsAt && !holdsShares) return [];
  const passes = (timeline: OrderTimeline): boolean =>
    evaluation.passesFilter(rule, timeline, 'order', { ruleId: rule.id }) === true;
  if (rule.kind === 'tiered') {
    return buildTieredCommissionLines(rule, reference, candidates.tierCounted.filter(passes), range);
  }
  return candidates.payable
    .filter(passes)
    .flatMap((timeline) => buildScheduledCommissionLines(rule, reference, timeline, evaluation.range, evaluation));
}

function buildPlanCommissionLines(evaluation: AssignmentEvaluation, planIndex: number): LineDraft[] {
  const timelines = evaluation.ownTimelines;
  // An order cancelled within the cooling-off period is void: it earns nothing in the period.
  const payable = timelines.filter((timeline) => !evaluation.isVoidInPeriod(timeline));
  // Tiers skip orders whose payments a cancellation in the period reverses (cooling-off or
  // clawback), because a reversal takes back the order's own line but not the higher tier that its
  // count gave the other orders. A cancellation after the clawback window reverses nothing, so that
  // order still counts and is paid.
  const tierCounted = timelines.filter((timeline) => !evaluation.isReversedInPeriod(timeline));
  return evaluation.definition.rules.flatMap((rule, ruleIndex) =>
    isOrderRule(rule) ? buildRuleLines(evaluation, rule, ruleIndex, planIndex, { payable, tierCounted }) : [],
  );
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
    drafts.push(
      ...buildReversalLines(
        timeline,
        orderDrafts,
        payments,
        { partnerId: context.partner.id, period: context.period, assignments: context.assignments },
        warnings,
      ),
    );
  }
  return drafts;
}

function warnAboutUncoveredOrders(context: PartnerContext, warnings: CalculationWarning[]): void {
  const orderRules = context.assignments.flatMap((assignment) => assignment.definition.rules.filter(isOrderRule));
  if (orderRules.some((rule) => rule.categories === undefined)) {
    return;
  }
  const covered = new Set(orderRules.flatMap((rule) => rule.categories ?? []));
  const uncovered = context.timelines.filter((timeline) => !covered.has(timeline.order.category));
  if (uncovered.length === 0) {
    return;
  }
  const categories = [...new Set(uncovered.map((timeline) => timeline.order.category))].join(', ');
  warnings.push({
    code: 'order_not_covered',
    partnerId: context.partner.id,
    orderIds: uncovered.map((timeline) => timeline.order.id),
    message:
      `${uncovered.length} order(s) of partner ${context.partner.id} are in categories (${categories}) ` +
      'that no rule of the assigned plan versions pays; assign a plan that covers them if they should earn commission.',
  });
}

/**
 * Returns the unsorted line drafts of one partner. These are the commission lines of every assigned
 * plan version, without states an earlier period already paid and without rules whose gate fails.
 * Then come the reversal lines for orders cancelled in the period and each version's adjustment lines. Appends
 * warnings for uncovered orders, already-paid states, failed formulas and reversals of rules that
 * are no longer assigned.
 */
export function buildPartnerLines(context: PartnerContext, warnings: CalculationWarning[]): LineDraft[] {
  const evaluations = context.assignments.map((assignment, planIndex) =>
    createAssignmentEvaluation({
      assignment,
      parameterValues: context.parameterValues[planIndex] ?? {},
      partner: context.partner,
      period: context.period,
      ownTimelines: context.timelines,
      agentTimelines: context.agentTimelines,
      warnings,
    }),
  );
  const planDrafts = evaluations.flatMap((evaluation, planIndex) => buildPlanCommissionLines(evaluation, planIndex));
  const unpaidDrafts = dropAlreadyPaidLines(planDrafts, context.paymentsByOrder, context.partner.id, warnings);
  const gatedDrafts = evaluations.flatMap((evaluation, planIndex) =>
    applyOrderRuleGates(
      evaluation,
      planIndex,
      unpaidDrafts.filter((draft) => draft.planIndex === planIndex),
    ),
  );
  const commissionDrafts = gatedDrafts.filter((draft) => draft.line.kind === 'commission');
  const reversalDrafts = buildPartnerReversalLines(context, commissionDrafts, warnings);
  const orderDrafts = [...gatedDrafts, ...reversalDrafts];
  const reversedOrderIds = new Set(reversalDrafts.flatMap((draft) => draft.line.orderId ?? []));
  // The agents' period lines (bonuses, caps, their own overrides) go to the assignment that ends last.
  const lastEnd = Math.max(...evaluations.map((evaluation) => evaluation.range.endsAt));
  const adjustmentDrafts = evaluations.flatMap((evaluation, planIndex) =>
    buildAdjustmentLines(
      evaluation,
      planIndex,
      orderDrafts.filter((draft) => draft.planIndex === planIndex),
      context.agents,
      { reversedOrderIds, ownsPeriodLines: evaluation.range.endsAt === lastEnd },
    ),
  );
  warnAboutUncoveredOrders(context, warnings);
  return [...orderDrafts, ...adjustmentDrafts];
}
