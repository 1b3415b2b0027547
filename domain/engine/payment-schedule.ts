/**
 * Commission lines of rules that split their commission over payment shares (percentage of value,
 * fixed per order, fixed per unit): one line per share whose state the order reached in the period.
 * Each line is (full commission × share) rounded once to cents.
 */
import { formatAmount, parseAmount, parseDecimal, roundToCents, type Decimal } from '../money.js';
import type { OrderRecord } from '../model.js';
import type { FixedPerOrderRule, FixedPerUnitRule, PaymentShare, PercentageOfValueRule } from '../plan/definition.js';
import { describeAmount, describeOrderEvent, describeRate, describeShare, formatProduct } from './explain.js';
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

function buildShareLine(
  rule: ScheduledRule,
  reference: RuleReference,
  order: OrderRecord,
  commission: RuleCommission,
  payment: PaymentShare,
  at: number,
): LineDraft {
  const share = parseDecimal(payment.share, `rule ${rule.id} share`);
  const isSplit = !share.equals(1);
  const exact = commission.exact.times(share);
  const terms = isSplit ? [...commission.terms, payment.share] : commission.terms;
  const shareText = isSplit ? payment.share : undefined;
  const description = `${describeOrderEvent(order, payment.state, at)}: ${describeShare(commission.phrase, shareText, payment.state)}`;

  return createLineDraft(
    identifyRule(reference, rule),
    reference,
    order,
    { kind: 'commission', state: payment.state, at },
    roundToCents(exact),
    description,
    {
      baseAmount: formatAmount(commission.baseAmount),
      ...(shareText === undefined ? {} : { share: shareText }),
      ...(commission.rate === undefined ? {} : { rate: commission.rate }),
      formula: formatProduct(terms, exact),
      inputs: shareText === undefined ? commission.inputs : { ...commission.inputs, share: shareText },
    },
  );
}

/**
 * Returns one commission line per payment share whose state the order first reached within the
 * period. Call it only for orders in the rule's categories that no cancellation voids.
 */
export function buildScheduledCommissionLines(
  rule: ScheduledRule,
  reference: RuleReference,
  timeline: OrderTimeline,
  period: ParsedPeriod,
): LineDraft[] {
  const drafts: LineDraft[] = [];
  let commission: RuleCommission | undefined;
  for (const payment of rule.payment) {
    const at = timeline.reachedAt.get(payment.state);
    if (!isWithinPeriod(period, at)) {
      continue;
    }
    commission ??= computeRuleCommission(rule, timeline.order);
    drafts.push(buildShareLine(rule, reference, timeline.order, commission, payment, at));
  }
  return drafts;
}
