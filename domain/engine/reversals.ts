/**
 * Reversal lines for orders cancelled in the period. Within the cooling-off period or the clawback
 * window, one reversal line per plan rule takes back everything the rule paid for the order, in
 * earlier periods (previous payments) and earlier in this period (commission lines).
 */
import { formatAmount, parseAmount, ZERO, type Decimal } from '../money.js';
import type { CalculationWarning, OrderState, PreviousPayment } from '../model.js';
import type { PlanDefinition } from '../plan/definition.js';
import { formatIsoDate, formatIsoDateTime } from '../time.js';
import { classifyCancellation, type CancellationInPeriod } from './cancellation.js';
import { describeAmount, describeOrderEvent } from './explain.js';
import { createLineDraft, type LineDraft, type RuleIdentity } from './lines.js';
import type { OrderTimeline } from './order-timeline.js';
import type { ParsedPeriod } from './period.js';
import type { PlanAssignmentInput } from './types.js';

/** The plan rule that paid an amount, resolved against the partner's assigned plan versions. */
interface PaidRule {
  identity: RuleIdentity;
  positions: { planIndex: number; ruleIndex: number };
  label: string;
  /** Plan whose cooling-off and clawback terms decide the reversal. */
  definition: PlanDefinition;
  /** False when no assigned plan version contains the rule. */
  isAssigned: boolean;
}

function covers(assignment: PlanAssignmentInput, at: number | undefined): boolean {
  if (at === undefined) return false;
  const from = assignment.activeFrom === undefined ? -Infinity : Date.parse(assignment.activeFrom);
  const until = assignment.activeUntil === undefined ? Infinity : Date.parse(assignment.activeUntil);
  return at >= from && at < until;
}

/**
 * Finds the rule by id in the partner's plan versions, restricted to `planId` when given. Several
 * assignments can contain it, such as the two parts of a month split between versions or entries.
 * Then the part of the paying version that covers the cancellation wins, else the paying version,
 * else the part that covers the cancellation. A rule in none of them keeps the ids of the payment
 * and is judged by the terms of the first plan version.
 */
function resolvePaidRule(
  ruleId: string,
  plan: { planId?: string | undefined; planVersionId?: string | undefined },
  assignments: readonly PlanAssignmentInput[],
  cancelledAt: number | undefined,
): PaidRule {
  const candidates = [...assignments.entries()].filter(
    ([, assignment]) =>
      (plan.planId === undefined || assignment.planId === plan.planId) &&
      assignment.definition.rules.some((rule) => rule.id === ruleId),
  );
  const rank = ([, assignment]: [number, PlanAssignmentInput]): number =>
    (assignment.planVersionId === plan.planVersionId ? 2 : 0) + (covers(assignment, cancelledAt) ? 1 : 0);
  const best = [...candidates].sort((left, right) => rank(right) - rank(left) || left[0] - right[0])[0];
  if (best !== undefined) {
    const [planIndex, assignment] = best;
    const ruleIndex = assignment.definition.rules.findIndex((rule) => rule.id === ruleId);
    const rule = assignment.definition.rules[ruleIndex];
    if (rule !== undefined) {
      return {
        identity: { planId: assignment.planId, planVersionId: assignment.planVersionId, ruleId, ruleKind: rule.kind },
        positions: { planIndex, ruleIndex },
        label: rule.label,
        definition: assignment.definition,
        isAssigned: true,
      };
    }
  }
  const fallback = assignments[0] as PlanAssignmentInput;
  return {
    identity: { planId: plan.planId ?? '', planVersionId: plan.planVersionId ?? '', ruleId, ruleKind: 'unknown' },
    positions: { planIndex: assignments.length, ruleIndex: 0 },
    label: ruleId,
    definition: fallback.definition,
    isAssigned: false,
  };
}

interface PaidTotal {
  rule: PaidRule;
  earlierPeriods: Decimal;
  thisPeriod: Decimal;
}

function sumPaidByRule(
  payments: readonly PreviousPayment[],
  commissionDrafts: readonly LineDraft[],
  assignments: readonly PlanAssignmentInput[],
  orderNumber: string,
  cancelledAt: number | undefined,
): PaidTotal[] {
  const totals = new Map<string, PaidTotal>();
  const totalFor = (rule: PaidRule): PaidTotal => {
    const key = JSON.stringify([rule.identity.planId, rule.identity.planVersionId, rule.identity.ruleId]);
    const existing = totals.get(key);
    if (existing !== undefined) {
      return existing;
    }
    const created = { rule, earlierPeriods: ZERO, thisPeriod: ZERO };
    totals.set(key, created);
    return created;
  };

  for (const payment of payments) {
    const total = totalFor(resolvePaidRule(payment.ruleId, payment, assignments, cancelledAt));
    const amount = parseAmount(payment.amount, `previous payment of order ${orderNumber} rule ${payment.ruleId}`);
    total.earlierPeriods = total.earlierPeriods.plus(amount);
  }
  for (const draft of commissionDrafts) {
    const total = totalFor(resolvePaidRule(draft.line.ruleId, draft.line, assignments, cancelledAt));
    total.thisPeriod = total.thisPeriod.plus(parseAmount(draft.line.amount, `line of order ${orderNumber}`));
  }
  return [...totals.values()];
}

function describeReason(cancellation: CancellationInPeriod, definition: PlanDefinition): string {
  const windowEnd = formatIsoDate(cancellation.windowEndsAt);
  if (cancellation.outcome === 'cooling_off') {
    return `within the ${definition.coolingOffDays}-day cooling-off period after ${cancellation.anchorState}, until ${windowEnd}`;
  }
  return `within the ${definition.clawbackMonths}-month clawback window after ${cancellation.anchorState}, until ${windowEnd}`;
}

function buildReversalLine(timeline: OrderTimeline, total: PaidTotal, cancellation: CancellationInPeriod): LineDraft {
  const paid = total.earlierPeriods.plus(total.thisPeriod);
  const order = timeline.order;
  const state: OrderState = 'cancelled';
  const reason = describeReason(cancellation, total.rule.definition);
  const description =
    `${describeOrderEvent(order, state, cancellation.cancelledAt)}: reversal of ${describeAmount(paid)} ` +
    `paid for "${total.rule.label}" (${reason})`;
  const earlier = formatAmount(total.earlierPeriods);
  const current = formatAmount(total.thisPeriod);
  return createLineDraft(
    total.rule.identity,
    total.rule.positions,
    order,
    { kind: 'reversal', state, at: cancellation.cancelledAt },
    paid.negated(),
    description,
    {
      baseAmount: formatAmount(paid),
      formula: `-(${earlier} + ${current}) = ${formatAmount(paid.negated())}`,
      inputs: {
        paidInEarlierPeriods: earlier,
        paidInThisPeriod: current,
        outcome: cancellation.outcome,
        anchorState: cancellation.anchorState,
        windowEndsAt: formatIsoDateTime(cancellation.windowEndsAt),
      },
    },
  );
}

/**
 * Returns the reversal lines of one order cancelled in the period: for each rule that paid it,
 * −(earlier periods + this period) when the rule's plan classifies the cancellation as cooling-off
 * or clawback and that total is not zero. Adds a `reversal_rule_not_in_plan` warning for a rule
 * that no assigned plan version contains. `assignments` must not be empty.
 *
 * NOTE: only order lines are reversed. Adjustment lines of earlier periods that the order helped
 * earn (accelerators, bonuses, overrides) stay paid, because they belong to no order.
 */
export function buildReversalLines(
  timeline: OrderTimeline,
  commissionDrafts: readonly LineDraft[],
  payments: readonly PreviousPayment[],
  context: { assignments: readonly PlanAssignmentInput[]; period: ParsedPeriod; partnerId: string },
  warnings: CalculationWarning[],
): LineDraft[] {
  const drafts: LineDraft[] = [];
  const totals = sumPaidByRule(
    payments,
    commissionDrafts,
    context.assignments,
    timeline.order.orderNumber,
    timeline.reachedAt.get('cancelled'),
  );
  for (const total of totals) {
    const cancellation = classifyCancellation(timeline, total.rule.definition, context.period);
    const paid = total.earlierPeriods.plus(total.thisPeriod);
    if (cancellation === undefined || cancellation.outcome === 'after_clawback_window' || paid.isZero()) {
      continue;
    }
    drafts.push(buildReversalLine(timeline, total, cancellation));
    if (!total.rule.isAssigned) {
      warnings.push(unassignedRuleWarning(timeline, total, context));
    }
  }
  return drafts;
}

function unassignedRuleWarning(
  timeline: OrderTimeline,
  total: PaidTotal,
  context: { assignments: readonly PlanAssignmentInput[]; partnerId: string },
): CalculationWarning {
  const termsFrom = context.assignments[0]?.planVersionId ?? '';
  const cancelledOn = formatIsoDate(timeline.reachedAt.get('cancelled') ?? 0);
  return {
    code: 'reversal_rule_not_in_plan',
    partnerId: context.partnerId,
    orderIds: [timeline.order.id],
    ruleId: total.rule.identity.ruleId,
    message:
      `Order ${timeline.order.orderNumber} was cancelled on ${cancelledOn} and rule ${total.rule.identity.ruleId} ` +
      `paid it earlier, but no plan version assigned to partner ${context.partnerId} contains that rule. ` +
      `The reversal used the cooling-off and clawback terms of plan version ${termsFrom}; check them.`,
  };
}
