/**
 * Commission lines of rules that split their commission over payment shares (percentage of value,
 * fixed per order, fixed per unit): one line per share whose state the order reached in the period.
 * Each share but the last is (full commission × share) rounded once to cents, and the last share
 * takes the rest of the rounded full commission (see computeShareAmount).
 */
import { formatAmount, parseAmount, parseDecimal, roundToCents, sumAmounts, type Decimal } from '../money.js';
import type { OrderRule, PaymentShare, ScheduledRule } from '../plan/definition.js';
import type { FormulaValue } from '../formula/formula.js';
import { isInRange, narrowToWindow, orderVariables, type AssignmentEvaluation, type TimeRange } from './evaluation.js';
import { formatIsoDate } from '../time.js';
import {
  describeAmount,
  describeRate,
  describeShare,
  describeStateEvent,
  formatProduct,
  STATE_PHRASES,
} from './explain.js';
import { createLineDraft, identifyRule, type LineDraft, type RuleReference } from './lines.js';
import type { OrderTimeline } from './order-timeline.js';
import { parseOrderQuantity, parseOrderValue } from './order-values.js';

/** Full commission of one rule for one order, before the payment share and unrounded. */
interface RuleCommission {
  /** Euro amount the formula starts from: order value, fixed amount or amount per unit. */
  baseAmount: Decimal;
  /** Factors of the formula, for example ["1200.00", "0.05"]. */
  terms: string[];
  exact: Decimal;
  /** Description of the full commission, for example "5% of order value EUR 1200.00". */
  phrase: string;
  rate?: string;
  inputs: Record<string, string>;
}

function computeFormulaCommission(
  rule: ScheduledRule & { kind: 'formula' },
  timeline: OrderTimeline,
  evaluation: AssignmentEvaluation,
): RuleCommission | undefined {
  const value = evaluation.evaluateForOrder(rule.amount, timeline, 'order', { ruleId: rule.id });
  if (value === undefined) return undefined;
  const exact = value as Decimal;
  const compiled = evaluation.formula(rule.amount, 'order');
  const inputs: Record<string, string> = { formula: rule.amount };
  const orderFields = orderVariables(timeline);
  for (const name of compiled.variables) {
    if (!Object.hasOwn(evaluation.definition.metrics, name)) {
      inputs[name] = formatFormulaValue(evaluation.parameters[name] ?? orderFields[name]);
      continue;
    }
    // A formula such as `validations > 0 ? revenue / validations : 0` may skip a metric that fails
    // on this period's values, so such a metric is left out of the inputs.
    const metric = evaluation.metricIfComputable(name);
    if (metric !== undefined) inputs[name] = formatFormulaValue(metric.value);
  }
  for (const name of compiled.attributes) {
    inputs[`attr.${name}`] = JSON.stringify(timeline.order.attributes[name] ?? null);
  }
  const values = Object.entries(inputs)
    .filter(([name]) => name !== 'formula')
    .map(([name, value]) => `${name} = ${value}`)
    .join(', ');
  return {
    baseAmount: roundToCents(exact),
    terms: [exact.toFixed()],
    exact,
    // The label states what the formula means, and the formula and its values follow as the evidence.
    phrase: `${rule.label}, ${describeAmount(roundToCents(exact))} (${rule.amount}${values === '' ? '' : ` with ${values}`})`,
    inputs,
  };
}

function formatFormulaValue(value: FormulaValue | undefined): string {
  if (value === undefined || typeof value === 'string' || typeof value === 'boolean') return String(value);
  return value.toFixed();
}

/** The parts of an order's full commission that its lineCap and lineFloor replace. */
interface LimitedCommission {
  terms: string[];
  exact: Decimal;
  phrase: string;
  inputs: Record<string, string>;
}

/** Bounds the full commission of an order by the rule's lineCap and lineFloor. Tiered rules use it too. */
export function applyLineLimits<T extends LimitedCommission>(rule: OrderRule, commission: T): T {
  const cap =
    rule.limits?.lineCap === undefined ? undefined : parseAmount(rule.limits.lineCap, `rule ${rule.id} lineCap`);
  const floor =
    rule.limits?.lineFloor === undefined ? undefined : parseAmount(rule.limits.lineFloor, `rule ${rule.id} lineFloor`);
  if (cap !== undefined && commission.exact.greaterThan(cap)) {
    return {
      ...commission,
      terms: [formatAmount(cap)],
      exact: cap,
      phrase: `${commission.phrase}, capped at ${describeAmount(cap)} per order`,
      inputs: { ...commission.inputs, uncapped: commission.exact.toFixed(), lineCap: formatAmount(cap) },
    };
  }
  if (floor !== undefined && commission.exact.lessThan(floor)) {
    return {
      ...commission,
      terms: [formatAmount(floor)],
      exact: floor,
      phrase: `${commission.phrase}, raised to the minimum of ${describeAmount(floor)} per order`,
      inputs: { ...commission.inputs, unfloored: commission.exact.toFixed(), lineFloor: formatAmount(floor) },
    };
  }
  return commission;
}

function computeRuleCommission(
  rule: ScheduledRule,
  timeline: OrderTimeline,
  evaluation: AssignmentEvaluation,
): RuleCommission | undefined {
  const order = timeline.order;
  switch (rule.kind) {
    case 'formula':
      return computeFormulaCommission(rule, timeline, evaluation);
    case 'percentage_of_value': {
      const value = parseOrderValue(order);
      const rate = parseDecimal(rule.rate, `rule ${rule.id} rate`);
      return {
        baseAmount: value,
        terms: [formatAmount(value), rule.rate],
        exact: value.times(rate),
        phrase: `${describeRate(rule.rate)} of order value ${describeAmount(value)}`,
        rate: rule.rate,
        inputs: { orderValue: formatAmount(value), rate: rule.rate },
      };
    }
    case 'fixed_per_order': {
      const amount = parseAmount(rule.amount, `rule ${rule.id} amount`);
      return {
        baseAmount: amount,
        terms: [formatAmount(amount)],
        exact: amount,
        phrase: describeAmount(amount),
        inputs: { amount: formatAmount(amount) },
      };
    }
    case 'fixed_per_unit': {
      const quantity = parseOrderQuantity(order);
      const amountPerUnit = parseAmount(rule.amountPerUnit, `rule ${rule.id} amountPerUnit`);
      return {
        baseAmount: amountPerUnit,
        terms: [quantity.toFixed(), formatAmount(amountPerUnit)],
        exact: quantity.times(amountPerUnit),
        phrase: `${quantity.toFixed()} ${order.unit} × ${describeAmount(amountPerUnit)}`,
        inputs: { quantity: quantity.toFixed(), unit: order.unit, amountPerUnit: formatAmount(amountPerUnit) },
      };
    }
  }
}

/** Amount of one payment share, rounded to cents, with the arithmetic its line shows. */
interface ShareAmount {
  amount: Decimal;
  formula: string;
  /** Inputs beyond those of the full commission, for the last share of a split rule. */
  inputs: Record<string, string>;
}

function computeSharePart(rule: ScheduledRule, commission: RuleCommission, payment: PaymentShare): Decimal {
  return commission.exact.times(parseDecimal(payment.share, `rule ${rule.id} share`));
}

/**
 * Computes the amount of the share at `index` of the rule's payment list. Each share but the last
 * is (full commission × share) rounded once to cents. The last share is the full commission
 * rounded once minus the rounded earlier shares, so the shares always sum to the rounded full
 * commission: EUR 10.01 at 50/50 pays 5.01 and 5.00, not 5.01 twice. The earlier shares are
 * recomputed from the same order value, rate or amount, so a share paid in an earlier period
 * needs no stored amount. For a full commission of a few cents the last share can be 0.00 or
 * negative, for example 0.05 at 30/30/30/10 pays 0.02 three times and then -0.01.
 */
function computeShareAmount(rule: ScheduledRule, commission: RuleCommission, index: number): ShareAmount {
  const payment = rule.payment[index] as PaymentShare;
  const terms = rule.payment.length === 1 ? commission.terms : [...commission.terms, payment.share];
  const isLast = index === rule.payment.length - 1;
  if (!isLast || rule.payment.length === 1) {
    const exact = computeSharePart(rule, commission, payment);
    return { amount: roundToCents(exact), formula: formatProduct(terms, exact), inputs: {} };
  }

  const fullCommission = roundToCents(commission.exact);
  const earlierShares = rule.payment
    .slice(0, index)
    .map((earlier) => roundToCents(computeSharePart(rule, commission, earlier)));
  const amount = fullCommission.minus(sumAmounts(earlierShares));
  const subtraction = [fullCommission, ...earlierShares].map(formatAmount).join(' − ');
  // A fixed amount per order is its own full commission, so only products get their own step.
  const fullStep = commission.terms.length > 1 ? `${formatProduct(commission.terms, commission.exact)}; ` : '';
  return {
    amount,
    formula: `${fullStep}${subtraction} = ${formatAmount(amount)}`,
    inputs: {
      fullCommission: formatAmount(fullCommission),
      earlierShares: earlierShares.map(formatAmount).join(', '),
    },
  };
}

function buildShareLine(
  rule: ScheduledRule,
  reference: RuleReference,
  timeline: OrderTimeline,
  commission: RuleCommission,
  index: number,
  at: number,
): LineDraft {
  const order = timeline.order;
  const payment = rule.payment[index] as PaymentShare;
  const shareText = rule.payment.length === 1 ? undefined : payment.share;
  const shareAmount = computeShareAmount(rule, commission, index);
  const impliedBy = timeline.impliedBy.get(payment.state);
  const reachedAt = timeline.reachedAt.get(payment.state) ?? at;
  const stateEvent = describeStateEvent(order, payment.state, reachedAt, impliedBy);
  const isHeld = rule.holdUntil !== undefined && at > reachedAt;
  const event = isHeld
    ? `${stateEvent}, paid once ${STATE_PHRASES[rule.holdUntil ?? payment.state]} on ${formatIsoDate(at)}`
    : stateEvent;
  const description = `${event}: ${describeShare(commission.phrase, shareText, payment.state)}`;

  return createLineDraft(
    identifyRule(reference, rule),
    reference,
    order,
    { kind: 'commission', state: payment.state, at },
    shareAmount.amount,
    description,
    {
      baseAmount: formatAmount(commission.baseAmount),
      ...(shareText === undefined ? {} : { share: shareText }),
      ...(commission.rate === undefined ? {} : { rate: commission.rate }),
      formula: shareAmount.formula,
      inputs: {
        ...commission.inputs,
        ...(shareText === undefined ? {} : { share: shareText }),
        ...shareAmount.inputs,
        ...(impliedBy === undefined ? {} : { impliedBy }),
      },
    },
  );
}

/**
 * Returns the time a payment share becomes due: when the order reached the share's state, or
 * later, when the rule defers payment until another state (`holdUntil`) and the order reached that
 * one later.
 */
function dueAt(rule: ScheduledRule, timeline: OrderTimeline, payment: PaymentShare): number | undefined {
  const reached = timeline.reachedAt.get(payment.state);
  if (reached === undefined || rule.holdUntil === undefined) {
    return reached;
  }
  const released = timeline.reachedAt.get(rule.holdUntil);
  return released === undefined ? undefined : Math.max(reached, released);
}

/** Returns whether the order reached the share's state on a day of the rule's window, if it has one. */
function isInRuleWindow(rule: ScheduledRule, timeline: OrderTimeline, payment: PaymentShare): boolean {
  const window = narrowToWindow({ startsAt: -Infinity, endsAt: Infinity }, rule.window);
  return isInRange(window, timeline.reachedAt.get(payment.state));
}

/**
 * Returns one commission line per payment share that became due within `range`, including states
 * implied by a later recorded state. `range` is the part of the period the assignment covers. The
 * rule's window applies to the day the order reached the share's state, not to the day a held
 * share is released. Call it only for orders that pass the rule's filter and that no cancellation
 * voids.
 *
 * NOTE: the last share is computed as the rounded full commission minus the earlier shares, which
 * are recomputed from this period's values, not read from the payments. An order whose value
 * changed, or a formula rule whose amount reads metrics, can therefore be paid shares that do not
 * add up to any single period's full commission.
 */
export function buildScheduledCommissionLines(
  rule: ScheduledRule,
  reference: RuleReference,
  timeline: OrderTimeline,
  range: TimeRange,
  evaluation: AssignmentEvaluation,
): LineDraft[] {
  const drafts: LineDraft[] = [];
  let commission: RuleCommission | undefined;
  for (const [index, payment] of rule.payment.entries()) {
    const at = dueAt(rule, timeline, payment);
    if (!isInRange(range, at) || !isInRuleWindow(rule, timeline, payment)) {
      continue;
    }
    if (commission === undefined) {
      const computed = computeRuleCommission(rule, timeline, evaluation);
      if (computed === undefined) return [];
      commission = applyLineLimits(rule, computed);
    }
    drafts.push(buildShareLine(rule, reference, timeline, commission, index, at));
  }
  return drafts;
}
