/**
 * Commission lines of tiered rules. The period count is the number of the partner's orders in the
 * rule's categories that reached `countState` within the period, ranked by the time they reached
 * it (ties by order number, then order id). A `countState` implied by a later recorded state counts
 * at that state's time.
 */
import { formatAmount, parseAmount, parseDecimal, roundToCents, type Decimal } from '../money.js';
import type { CommissionLineExplanation, OrderRecord } from '../model.js';
import type { Tier, TieredRule } from '../plan/definition.js';
import { describeAmount, describeRate, describeStateEvent, formatProduct } from './explain.js';
import {
  compareOrderNumbers,
  compareText,
  createLineDraft,
  identifyRule,
  type LineDraft,
  type RuleReference,
} from './lines.js';
import type { OrderTimeline } from './order-timeline.js';
import { applyLineLimits } from './payment-schedule.js';
import { parseOrderValue } from './order-values.js';
import { isInRange, type TimeRange } from './evaluation.js';

/**
 * Returns the index of the tier whose range contains `count`. Tiers from parsePlanDefinition cover
 * every count from 1 upwards, so this throws RangeError only for a count below 1 or an unparsed
 * tier table.
 */
export function findTierIndex(tiers: readonly Tier[], count: number): number {
  const index = tiers.findIndex((tier) => count >= tier.from && (tier.to === undefined || count <= tier.to));
  if (index < 0) {
    throw new RangeError(`no tier contains the count ${count}; parse the plan with parsePlanDefinition`);
  }
  return index;
}

interface RankedOrder {
  timeline: OrderTimeline;
  reachedAt: number;
}

function rankOrders(rule: TieredRule, timelines: readonly OrderTimeline[], range: TimeRange): RankedOrder[] {
  const ranked: RankedOrder[] = [];
  for (const timeline of timelines) {
    const reachedAt = timeline.reachedAt.get(rule.countState);
    if (isInRange(range, reachedAt)) {
      ranked.push({ timeline, reachedAt });
    }
  }
  return ranked.sort(
    (left, right) =>
      left.reachedAt - right.reachedAt ||
      compareOrderNumbers(left.timeline.order.orderNumber, right.timeline.order.orderNumber) ||
      compareText(left.timeline.order.id, right.timeline.order.id),
  );
}

function describeTierRange(tier: Tier): string {
  return tier.to === undefined ? `${tier.from}+` : `${tier.from}-${tier.to}`;
}

/** Commission of one tier for one order, unrounded, with the values its explanation shows. */
interface TierCommission {
  baseAmount: Decimal;
  exact: Decimal;
  phrase: string;
  terms: string[];
  rate?: string;
  inputs: Record<string, string>;
}

function computeTierCommission(rule: TieredRule, tierIndex: number, order: OrderRecord): TierCommission {
  const tier = rule.tiers[tierIndex] as Tier;
  if (tier.amount !== undefined) {
    const amount = parseAmount(tier.amount, `rule ${rule.id} tiers[${tierIndex}].amount`);
    return {
      baseAmount: amount,
      exact: amount,
      phrase: describeAmount(amount),
      terms: [formatAmount(amount)],
      inputs: { amount: formatAmount(amount) },
    };
  }
  const rate = tier.rate ?? '0';
  const value = parseOrderValue(order);
  return {
    baseAmount: value,
    exact: value.times(parseDecimal(rate, `rule ${rule.id} tiers[${tierIndex}].rate`)),
    phrase: `${describeRate(rate)} of order value ${describeAmount(value)}`,
    terms: [formatAmount(value), rate],
    rate,
    inputs: { orderValue: formatAmount(value), rate },
  };
}

function buildTierLine(
  rule: TieredRule,
  reference: RuleReference,
  ranked: RankedOrder,
  metric: { rank: number; periodCount: number },
): LineDraft {
  const order = ranked.timeline.order;
  const metricValue = rule.mode === 'marginal' ? metric.rank : metric.periodCount;
  const tierIndex = findTierIndex(rule.tiers, metricValue);
  const tier = rule.tiers[tierIndex] as Tier;
  const commission = applyLineLimits(rule, computeTierCommission(rule, tierIndex, order));

  const tierExplanation: CommissionLineExplanation['tier'] = { index: tierIndex, from: tier.from };
  if (tier.to !== undefined) {
    tierExplanation.to = tier.to;
  }
  const metricText =
    rule.mode === 'marginal' ? `order ${metric.rank} of the period` : `${metric.periodCount} orders in the period`;
  const impliedBy = ranked.timeline.impliedBy.get(rule.countState);
  const event = describeStateEvent(order, rule.countState, ranked.reachedAt, impliedBy);
  const description = `${event}: ${commission.phrase}, tier ${describeTierRange(tier)} (${metricText})`;
  const inputs = {
    mode: rule.mode,
    countState: rule.countState,
    rank: String(metric.rank),
    periodCount: String(metric.periodCount),
    ...commission.inputs,
    ...(impliedBy === undefined ? {} : { impliedBy }),
  };

  return createLineDraft(
    identifyRule(reference, rule),
    reference,
    order,
    { kind: 'commission', state: rule.countState, at: ranked.reachedAt },
    roundToCents(commission.exact),
    description,
    {
      baseAmount: formatAmount(commission.baseAmount),
      ...(commission.rate === undefined ? {} : { rate: commission.rate }),
      tier: tierExplanation,
      metricValue,
      formula: formatProduct(commission.terms, commission.exact),
      inputs,
    },
  );
}

/**
 * Returns one commission line per order counted by the rule. Marginal: the k-th order is paid by
 * the tier containing k. Retroactive: every order is paid by the tier containing the period count.
 * `timelines` are the partner's orders that pass the rule's filter, without those whose payments a
 * cancellation in the period reverses, and `range` is the part of the period the rule counts.
 */
export function buildTieredCommissionLines(
  rule: TieredRule,
  reference: RuleReference,
  timelines: readonly OrderTimeline[],
  range: TimeRange,
): LineDraft[] {
  const ranked = rankOrders(rule, timelines, range);
  const periodCount = ranked.length;
  return ranked.map((entry, index) => buildTierLine(rule, reference, entry, { rank: index + 1, periodCount }));
}
