/**
 * Plan definitions: the rules of one plan version as stored in `plan_version.definition`, their
 * zod schema and `parsePlanDefinition`, which reports every problem with its path.
 *
 * Amounts, rates and shares are decimal strings ("30.00", "0.05", "0.40") so that no value passes
 * through a binary float. New rule kinds are added as new members of `PlanRule` and of the
 * discriminated union in `planRuleSchema`.
 */
import { z } from 'zod';

import { PlanValidationError } from '../errors.js';
import {
  ORDER_STATES,
  PRODUCT_CATEGORIES,
  type AmountString,
  type OrderState,
  type ProductCategory,
} from '../model.js';
import { parseJsonText, validateWithSchema } from '../validation.js';
import { checkPaymentShares, checkTiers, checkUniqueCategories, checkUniqueRuleIds } from './checks.js';

export const RULE_KINDS = ['percentage_of_value', 'fixed_per_order', 'fixed_per_unit', 'tiered'] as const;
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

interface RuleBase {
  /** Identifier, unique within the plan and kept stable across plan versions, because clawbacks match on it. */
  id: string;
  label: string;
  categories: ProductCategory[];
}

/** Commission = order value × rate, split over the payment shares. */
export interface PercentageOfValueRule extends RuleBase {
  kind: 'percentage_of_value';
  /** Decimal string in [0, 1], for example "0.05". */
  rate: string;
  payment: PaymentShare[];
}

/** Commission = a fixed amount per order, split over the payment shares. */
export interface FixedPerOrderRule extends RuleBase {
  kind: 'fixed_per_order';
  amount: AmountString;
  payment: PaymentShare[];
}

/** Commission = amount per unit × order quantity (per kWp, per job), split over the payment shares. */
export interface FixedPerUnitRule extends RuleBase {
  kind: 'fixed_per_unit';
  amountPerUnit: AmountString;
  payment: PaymentShare[];
}

/**
 * Row of a tier table: the period counts `from`..`to`, both inclusive. Only the last tier omits
 * `to`. Each tier has exactly one of `amount` (per order) and `rate` (share of the order value).
 */
export interface Tier {
  from: number;
  to?: number;
  amount?: AmountString;
  rate?: string;
}

/**
 * Commission per order from a tier table. The period count is the number of the partner's orders in
 * `categories` that reached `countState` within the period, ranked by the time they reached it. The
 * whole commission is paid when the order reaches `countState`.
 */
export interface TieredRule extends RuleBase {
  kind: 'tiered';
  countState: OrderState;
  mode: TierMode;
  tiers: Tier[];
}

export type PlanRule = PercentageOfValueRule | FixedPerOrderRule | FixedPerUnitRule | TieredRule;

/** Rules of one plan version. */
export interface PlanDefinition {
  /**
   * Days after the order's signed (or assigned) state within which a cancellation voids the order:
   * no line in the period and a reversal of earlier payments. The period ends at the end of the
   * UTC calendar day `coolingOffDays` days after the signing day. Default 14.
   */
  coolingOffDays: number;
  /**
   * Months after supply_active (commissioned for installations, signed or assigned when the order
   * never got there) within which a cancellation reverses every payment for the order. Default 6.
   */
  clawbackMonths: number;
  rules: PlanRule[];
}

/** States that end an order; a rule cannot pay on them. */
const TERMINAL_STATES: readonly OrderState[] = ['cancelled', 'rejected'];

const idSchema = z
  .string()
  .trim()
  .min(1, { error: 'must not be empty' })
  .max(64, { error: 'must be at most 64 characters long' });

const labelSchema = z.string().trim().min(1, { error: 'must not be empty' });

/** Builds the message for a value outside an enumeration, for example an unknown product category. */
function unknownValueMessage(noun: string, values: readonly string[]) {
  return (issue: { input?: unknown }): string =>
    issue.input === undefined
      ? 'is missing'
      : `unknown ${noun} ${JSON.stringify(issue.input)}; use one of ${values.join(', ')}`;
}

const categorySchema = z.enum(PRODUCT_CATEGORIES, {
  error: unknownValueMessage('product category', PRODUCT_CATEGORIES),
});

const payableStateSchema = z
  .enum(ORDER_STATES, { error: unknownValueMessage('order state', ORDER_STATES) })
  .refine((state) => !TERMINAL_STATES.includes(state), {
    error: (issue) => `cannot pay on ${JSON.stringify(issue.input)}, which ends the order; use a progress state`,
  });

const amountSchema = z.string().regex(/^\d+(\.\d{1,2})?$/, {
  error: 'must be a non-negative amount with at most two fraction digits, such as "30.00"',
});

const unitRateSchema = z
  .string()
  .regex(/^(0(\.\d+)?|1(\.0+)?)$/, { error: 'must be a decimal string from 0 to 1, such as "0.05"' });

const shareSchema = z
  .string()
  .regex(/^(0(\.\d+)?|1(\.0+)?)$/, { error: 'must be a decimal string greater than 0 and at most 1, such as "0.40"' })
  .refine((share) => /[1-9]/.test(share), { error: 'must be greater than 0; remove a payment share of 0' });

const paymentSchema = z
  .array(z.strictObject({ state: payableStateSchema, share: shareSchema }))
  .min(1, { error: 'must list at least one payment share, such as [{ "state": "validated", "share": "1" }]' })
  .superRefine(checkPaymentShares);

const categoriesSchema = z
  .array(categorySchema)
  .min(1, { error: 'must list at least one product category' })
  .superRefine(checkUniqueCategories);

const ruleBaseShape = { id: idSchema, label: labelSchema, categories: categoriesSchema };

const tierSchema = z.strictObject({
  from: z.number().int({ error: 'must be a whole number' }).min(1, { error: 'must be at least 1' }),
  to: z.number().int({ error: 'must be a whole number' }).min(1, { error: 'must be at least 1' }).optional(),
  amount: amountSchema.optional(),
  rate: unitRateSchema.optional(),
});

const percentageOfValueRuleSchema = z.strictObject({
  ...ruleBaseShape,
  kind: z.literal('percentage_of_value'),
  rate: unitRateSchema,
  payment: paymentSchema,
});

const fixedPerOrderRuleSchema = z.strictObject({
  ...ruleBaseShape,
  kind: z.literal('fixed_per_order'),
  amount: amountSchema,
  payment: paymentSchema,
});

const fixedPerUnitRuleSchema = z.strictObject({
  ...ruleBaseShape,
  kind: z.literal('fixed_per_unit'),
  amountPerUnit: amountSchema,
  payment: paymentSchema,
});

const tieredRuleSchema = z.strictObject({
  ...ruleBaseShape,
  kind: z.literal('tiered'),
  countState: payableStateSchema,
  mode: z.enum(TIER_MODES, { error: unknownValueMessage('tier mode', TIER_MODES) }),
  tiers: z.array(tierSchema).min(1, { error: 'must list at least one tier' }).superRefine(checkTiers),
});

const planRuleSchema = z.discriminatedUnion(
  'kind',
  [percentageOfValueRuleSchema, fixedPerOrderRuleSchema, fixedPerUnitRuleSchema, tieredRuleSchema],
  {
    error: (issue) => (issue.code === 'invalid_union' ? unknownRuleKindMessage(issue.input) : undefined),
  },
);

function unknownRuleKindMessage(rule: unknown): string {
  const kind = rule !== null && typeof rule === 'object' && 'kind' in rule ? rule.kind : undefined;
  return unknownValueMessage('rule kind', RULE_KINDS)({ input: kind });
}

const dayCountSchema = z
  .number()
  .int({ error: 'must be a whole number of days' })
  .min(0, { error: 'must not be negative' });
const monthCountSchema = z
  .number()
  .int({ error: 'must be a whole number of months' })
  .min(0, { error: 'must not be negative' });

/** Schema of a plan definition. Parsing fills in the defaults of coolingOffDays and clawbackMonths. */
export const planDefinitionSchema = z.strictObject({
  coolingOffDays: dayCountSchema.default(14),
  clawbackMonths: monthCountSchema.default(6),
  rules: z.array(planRuleSchema).min(1, { error: 'must list at least one rule' }).superRefine(checkUniqueRuleIds),
});

// Compile-time check that the schema produces exactly the documented PlanDefinition shape.
const _schemaMatchesType: z.ZodType<PlanDefinition> = planDefinitionSchema;

/**
 * Validates a plan definition, given as parsed JSON or as JSON text, and returns it with defaults
 * filled in. Throws PlanValidationError listing every problem with its path, for example
 * `rules[2].tiers[1].from: tiers overlap with tier 0 (1-20); start this tier at 21, right after the
 * previous tier ends`.
 */
export function parsePlanDefinition(json: unknown): PlanDefinition {
  let input = json;
  if (typeof json === 'string') {
    const parsed = parseJsonText(json);
    if (!parsed.success) {
      throw new PlanValidationError([parsed.issue]);
    }
    input = parsed.data;
  }
  const result = validateWithSchema(planDefinitionSchema, input);
  if (!result.success) {
    throw new PlanValidationError(result.issues);
  }
  return result.data;
}
