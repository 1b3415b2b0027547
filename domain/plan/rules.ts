/**
 * Rule kinds of a plan. Order rules (percentage of value, fixed per order, fixed per unit, formula
 * and tiered) create one line per order and payment share. Period rules (bonus, accelerator and
 * override) create one line per partner and period, or per agent for an override.
 */
import { z } from 'zod';

import type { OrderState } from '../model.js';
import { checkBands, checkCapAboveFloor, checkPaymentShares, checkTiers, checkUniqueCategories } from './checks.js';
import { dateWindowSchema, orderFilterShape, type DateWindow, type OrderFilter } from './metrics.js';
import {
  amountSchema,
  decimalSchema,
  formulaSchema,
  idSchema,
  labelSchema,
  nameSchema,
  payableStateSchema,
  shareSchema,
  unitRateSchema,
  unknownValueMessage,
} from './values.js';

export const RULE_KINDS = [
  'percentage_of_value',
  'fixed_per_order',
  'fixed_per_unit',
  'formula',
  'tiered',
  'bonus',
  'accelerator',
  'override',
] as const;
export type RuleKind = (typeof RULE_KINDS)[number];

export const TIER_MODES = ['marginal', 'retroactive'] as const;
/**
 * Tier selection mode. `marginal`: the k-th order of the period is paid by the tier that contains
 * k. `retroactive`: every order is paid by the tier that contains the period's count.
 */
export type TierMode = (typeof TIER_MODES)[number];

/** Part of a rule's commission that becomes due when the order reaches `state`. */
export interface PaymentShare {
  state: OrderState;
  /** Decimal string in (0, 1], for example "0.40". The shares of a rule sum to exactly 1. */
  share: string;
}

/** A condition over metrics and parameters; a rule whose gate is false pays nothing in the period. */
export interface Gate {
  when: string;
  /** Wording for the partner, for example "cancellation rate at most 15%". */
  label?: string | undefined;
}

/**
 * Caps and floors of an order rule. `lineCap` and `lineFloor` bound the full commission of one
 * order, before it is split into payment shares. `ruleCap` and `ruleFloor` bound the sum of the
 * rule's commission lines in the period and add an adjustment line for the difference.
 */
export interface RuleLimits {
  lineCap?: string | undefined;
  lineFloor?: string | undefined;
  ruleCap?: string | undefined;
  ruleFloor?: string | undefined;
}

interface RuleBase {
  /** Identifier, unique within the plan and kept stable across plan versions, because clawbacks match on it. */
  id: string;
  label: string;
  gate?: Gate | undefined;
}

interface OrderRuleBase extends RuleBase, OrderFilter {
  /** Only order states reached on these days count, for a campaign of a few weeks. */
  window?: DateWindow | undefined;
  limits?: RuleLimits | undefined;
}

interface ScheduledRuleBase extends OrderRuleBase {
  payment: PaymentShare[];
  /** Shares become due only once the order has also reached this state, for example supply_active. */
  holdUntil?: OrderState | undefined;
}

/** Commission = order value × rate, split over the payment shares. */
export interface PercentageOfValueRule extends ScheduledRuleBase {
  kind: 'percentage_of_value';
  rate: string;
}

/** Commission = a fixed amount per order, split over the payment shares. */
export interface FixedPerOrderRule extends ScheduledRuleBase {
  kind: 'fixed_per_order';
  amount: string;
}

/** Commission = amount per unit × order quantity (per kWp, per job), split over the payment shares. */
export interface FixedPerUnitRule extends ScheduledRuleBase {
  kind: 'fixed_per_unit';
  amountPerUnit: string;
}

/** Commission = a formula over the order's fields and CRM attributes, metrics and parameters. */
export interface FormulaRule extends ScheduledRuleBase {
  kind: 'formula';
  amount: string;
}

/**
 * Row of a tier table: the period counts `from`..`to`, both inclusive. Only the last tier omits
 * `to`. Each tier has exactly one of `amount` (per order) and `rate` (share of the order value).
 */
export interface Tier {
  from: number;
  to?: number | undefined;
  amount?: string | undefined;
  rate?: string | undefined;
}

/**
 * Commission per order from a tier table. The period count is the number of the partner's orders
 * that pass the rule's filter and reached `countState` within the period, ranked by the time they
 * reached it. The whole commission is paid when the order reaches `countState`.
 */
export interface TieredRule extends OrderRuleBase {
  kind: 'tiered';
  countState: OrderState;
  mode: TierMode;
  tiers: Tier[];
}

/** A one-off amount for the period, for example a campaign bonus for a date range. */
export interface BonusRule extends RuleBase {
  kind: 'bonus';
  /** Formula over metrics and parameters; a plain amount such as "300.00" is a formula too. */
  amount: string;
  /** Pays only in pay periods that overlap these days. */
  window?: DateWindow | undefined;
}

/** Band of an accelerator: metric values from `from` (inclusive) to `to` (exclusive). */
export interface Band {
  from: string;
  to?: string | undefined;
  multiplier: string;
}

/**
 * Raises or lowers the period's commission of the rules in `appliesTo` by the multiplier of the
 * band that contains the metric's value: the line is their sum × (multiplier − 1).
 */
export interface AcceleratorRule extends RuleBase {
  kind: 'accelerator';
  metric: string;
  appliesTo: string[];
  bands: Band[];
}

/** An agency's share of its agents' commission in the period: one line per agent. */
export interface OverrideRule extends RuleBase {
  kind: 'override';
  rate: string;
  /** Rule ids of the agents' plans whose lines count; all rules when absent. */
  appliesTo?: string[] | undefined;
}

export type ScheduledRule = PercentageOfValueRule | FixedPerOrderRule | FixedPerUnitRule | FormulaRule;
export type OrderRule = ScheduledRule | TieredRule;
export type PeriodRule = BonusRule | AcceleratorRule | OverrideRule;
export type PlanRule = OrderRule | PeriodRule;

const ORDER_RULE_KINDS: readonly RuleKind[] = [
  'percentage_of_value',
  'fixed_per_order',
  'fixed_per_unit',
  'formula',
  'tiered',
];

/** Tells order rules, which pay per order, from period rules. */
export function isOrderRule(rule: PlanRule): rule is OrderRule {
  return ORDER_RULE_KINDS.includes(rule.kind);
}

const gateSchema = z.strictObject({ when: formulaSchema, label: labelSchema.optional() });

const limitsSchema = z
  .strictObject({
    lineCap: amountSchema.optional(),
    lineFloor: amountSchema.optional(),
    ruleCap: amountSchema.optional(),
    ruleFloor: amountSchema.optional(),
  })
  .superRefine((limits, context) =>
    checkCapAboveFloor(
      limits,
      [
        ['lineCap', 'lineFloor'],
        ['ruleCap', 'ruleFloor'],
      ],
      context,
    ),
  );

const paymentSchema = z
  .array(z.strictObject({ state: payableStateSchema, share: shareSchema }))
  .min(1, { error: 'must list at least one payment share, such as [{ "state": "validated", "share": "1" }]' })
  .superRefine(checkPaymentShares);

const ruleBaseShape = { id: idSchema, label: labelSchema, gate: gateSchema.optional() };

const orderRuleShape = {
  ...ruleBaseShape,
  ...orderFilterShape,
  categories: orderFilterShape.categories.unwrap().superRefine(checkUniqueCategories).optional(),
  window: dateWindowSchema.optional(),
  limits: limitsSchema.optional(),
};

const scheduledRuleShape = { ...orderRuleShape, payment: paymentSchema, holdUntil: payableStateSchema.optional() };

const tierSchema = z.strictObject({
  from: z.number().int({ error: 'must be a whole number' }).min(1, { error: 'must be at least 1' }),
  to: z.number().int({ error: 'must be a whole number' }).min(1, { error: 'must be at least 1' }).optional(),
  amount: amountSchema.optional(),
  rate: unitRateSchema.optional(),
});

const bandSchema = z.strictObject({
  from: decimalSchema,
  to: decimalSchema.optional(),
  multiplier: decimalSchema,
});

const ruleIdListSchema = z.array(idSchema).min(1, { error: 'must list at least one rule id' });

export const planRuleSchema = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ ...scheduledRuleShape, kind: z.literal('percentage_of_value'), rate: unitRateSchema }),
    z.strictObject({ ...scheduledRuleShape, kind: z.literal('fixed_per_order'), amount: amountSchema }),
    z.strictObject({ ...scheduledRuleShape, kind: z.literal('fixed_per_unit'), amountPerUnit: amountSchema }),
    z.strictObject({ ...scheduledRuleShape, kind: z.literal('formula'), amount: formulaSchema }),
    z.strictObject({
      ...orderRuleShape,
      kind: z.literal('tiered'),
      countState: payableStateSchema,
      mode: z.enum(TIER_MODES, { error: unknownValueMessage('tier mode', TIER_MODES) }),
      tiers: z.array(tierSchema).min(1, { error: 'must list at least one tier' }).superRefine(checkTiers),
    }),
    z.strictObject({
      ...ruleBaseShape,
      kind: z.literal('bonus'),
      amount: formulaSchema,
      window: dateWindowSchema.optional(),
    }),
    z.strictObject({
      ...ruleBaseShape,
      kind: z.literal('accelerator'),
      metric: nameSchema,
      appliesTo: ruleIdListSchema,
      bands: z.array(bandSchema).min(1, { error: 'must list at least one band' }).superRefine(checkBands),
    }),
    z.strictObject({
      ...ruleBaseShape,
      kind: z.literal('override'),
      rate: unitRateSchema,
      appliesTo: ruleIdListSchema.optional(),
    }),
  ],
  {
    error: (issue) => {
      if (issue.code !== 'invalid_union') return undefined;
      const input = issue.input as { kind?: unknown } | undefined;
      return unknownValueMessage('rule kind', RULE_KINDS)({ input: input?.kind });
    },
  },
);

const _ruleSchemaMatchesType: z.ZodType<PlanRule, z.input<typeof planRuleSchema>> = planRuleSchema;
