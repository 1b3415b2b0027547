/**
 * Commission lines of rules that split their commission over payment shares (percentage of value,
 * fixed per order, fixed per unit): one line per share whose state the order reached in the period.
 * Each share but the last is (full commission × share) rounded once to cents, and the last share
 * takes the rest of the rounded full commission (see computeShareAmount).
 */
import { formatAmount, parseAmount, parseDecimal, roundToCents, sumAmounts, type Decimal } from '../money.js';
import type { OrderRecord } from '../model.js';
import type { FixedPerOrderRule, FixedPerUnitRule, PaymentShare, PercentageOfValueRule } from '../plan/definition.js';
import { describeAmount, describeRate, describeShare, describeStateEvent, formatProduct } from './explain.js';
import { createLineDraft, identifyRule, type LineDraft, type RuleReference } from './lines.js';
import type { OrderTimeline } from './order-timeline.js';
import { parseOrderQuantity, parseOrderValue } from './order-values.js';
import { isWithinPeriod, type ParsedPeriod } from './period.js';

export type ScheduledRule = PercentageOfValueRule | FixedPerOrderRule | FixedPerUnitRule;

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

function computeRuleCommission(rule: ScheduledRule, order: OrderRecord): RuleCommission {
  switch (rule.kind) {
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
  const event = describeStateEvent(order, payment.state, at, impliedBy);
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
 * Returns one commission line per payment share whose state the order first reached within the
 * period, including states implied by a later recorded state. Call it only for orders in the
 * rule's categories that no cancellation voids.
 */
export function buildScheduledCommissionLines(
  rule: ScheduledRule,
  reference: RuleReference,
  timeline: OrderTimeline,
  period: ParsedPeriod,
): LineDraft[] {
  const drafts: LineDraft[] = [];
  let commission: RuleCommission | undefined;
  rule.payment.forEach((payment, index) => {
    const at = timeline.reachedAt.get(payment.state);
    if (!isWithinPeriod(period, at)) {
      return;
    }
    commission ??= computeRuleCommission(rule, timeline.order);
    drafts.push(buildShareLine(rule, reference, timeline, commission, index, at));
  });
  return drafts;
}
