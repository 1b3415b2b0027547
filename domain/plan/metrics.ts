/**
 * The metric library: named figures of a partner for the pay period that rules, gates and
 * formulas read. Each metric is computed per partner over the pay period, narrowed by the
 * metric's own date window and by the days the partner's plan assignment covers. The definitions
 * with examples are in docs/plans.md.
 */
import { z } from 'zod';

import type { OrderState, ProductCategory } from '../model.js';
import {
  categorySchema,
  dateSchema,
  decimalSchema,
  formulaSchema,
  labelSchema,
  nameSchema,
  stateSchema,
  unknownValueMessage,
} from './values.js';

export const METRIC_KINDS = [
  'count',
  'sum',
  'conversion_rate',
  'cancellation_rate',
  'sla_compliance',
  'attainment',
  'formula',
] as const;
export type MetricKind = (typeof METRIC_KINDS)[number];

/**
 * Whose orders a metric reads: `own` the partner's, `agents` those of the agents whose parent is
 * the partner, `team` both. `agents` and `team` are the roll-ups of an agency.
 */
export const METRIC_SCOPES = ['own', 'agents', 'team'] as const;
export type MetricScope = (typeof METRIC_SCOPES)[number];

/** Days, both inclusive, as YYYY-MM-DD in UTC. */
export interface DateWindow {
  from: string;
  to: string;
}

/** Narrows the orders a metric or a rule reads. Every given condition must hold. */
export interface OrderFilter {
  categories?: ProductCategory[] | undefined;
  territories?: string[] | undefined;
  /** Boolean formula over the order's fields, CRM attributes and the plan's parameters. */
  where?: string | undefined;
}

interface OrderMetricBase extends OrderFilter {
  label?: string | undefined;
  scope?: MetricScope | undefined;
  window?: DateWindow | undefined;
}

/**
 * Number of orders that reached `state` within the period, without the orders whose payments a
 * cancellation in the period reverses (as for tiers).
 */
export interface CountMetric extends OrderMetricBase {
  kind: 'count';
  state: OrderState;
}

/**
 * Sum of the order value (euros) or quantity (kWh, kWp, units) of the orders that reached `state`,
 * without the orders whose payments a cancellation in the period reverses.
 */
export interface SumMetric extends OrderMetricBase {
  kind: 'sum';
  of: 'value' | 'quantity';
  state: OrderState;
  /** Only orders whose product has this unit, for volumes such as "kWp". */
  unit?: string | undefined;
}

/** Of the orders that reached `fromState` within the period, the share that reached `toState` by its end. */
export interface ConversionRateMetric extends OrderMetricBase {
  kind: 'conversion_rate';
  fromState: OrderState;
  toState: OrderState;
}

/** Of the orders that reached `fromState` within the period, the share cancelled or rejected by its end. */
export interface CancellationRateMetric extends OrderMetricBase {
  kind: 'cancellation_rate';
  fromState: OrderState;
}

/**
 * Of the orders that reached `toState` within the period, the share that got there within
 * `withinWorkingDays` working days (Monday to Friday, without `holidays`) after `fromState`.
 * Orders without a recorded `fromState` are not measured.
 */
export interface SlaComplianceMetric extends OrderMetricBase {
  kind: 'sla_compliance';
  fromState: OrderState;
  toState: OrderState;
  withinWorkingDays: number;
  holidays?: string[] | undefined;
}

/** A target by partner territory and product category, with a default for the rest. */
export interface TargetTable {
  default: string;
  byTerritory?: Record<string, string> | undefined;
}

/**
 * `metric` ÷ target. With `prorate` (the default) the target shrinks to the share of the period's
 * days that the partner's plan assignment covers, so a partner who joins on day 16 of 30 has half
 * the target.
 */
export interface AttainmentMetric {
  kind: 'attainment';
  label?: string | undefined;
  metric: string;
  target: string | TargetTable;
  prorate: boolean;
}

/** A number computed from other metrics and parameters. */
export interface FormulaMetric {
  kind: 'formula';
  label?: string | undefined;
  formula: string;
}

export type MetricDefinition =
  | CountMetric
  | SumMetric
  | ConversionRateMetric
  | CancellationRateMetric
  | SlaComplianceMetric
  | AttainmentMetric
  | FormulaMetric;

/** Metric kinds that read orders, and so take the order filter, scope and window. */
export type OrderMetric = Exclude<MetricDefinition, AttainmentMetric | FormulaMetric>;

export const dateWindowSchema = z
  .strictObject({ from: dateSchema, to: dateSchema })
  .refine((window) => window.to >= window.from, {
    error: (issue) => {
      const window = issue.input as DateWindow;
      return `ends on ${window.to}, before it starts on ${window.from}`;
    },
  });

export const orderFilterShape = {
  categories: z.array(categorySchema).min(1, { error: 'must list at least one product category' }).optional(),
  territories: z.array(labelSchema).min(1, { error: 'must list at least one territory' }).optional(),
  where: formulaSchema.optional(),
};

const orderMetricShape = {
  ...orderFilterShape,
  label: labelSchema.optional(),
  scope: z.enum(METRIC_SCOPES, { error: unknownValueMessage('scope', METRIC_SCOPES) }).optional(),
  window: dateWindowSchema.optional(),
};

const targetSchema = z.union(
  [
    decimalSchema,
    z.strictObject({ default: decimalSchema, byTerritory: z.record(z.string().min(1), decimalSchema).optional() }),
  ],
  { error: 'must be a decimal string such as "40" or { default: "40", byTerritory: { DE-NORTH: "50" } }' },
);

const metricSchema = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ ...orderMetricShape, kind: z.literal('count'), state: stateSchema }),
    z.strictObject({
      ...orderMetricShape,
      kind: z.literal('sum'),
      of: z.enum(['value', 'quantity'], { error: 'must be "value" (euros) or "quantity" (product units)' }),
      state: stateSchema,
      unit: labelSchema.optional(),
    }),
    z.strictObject({
      ...orderMetricShape,
      kind: z.literal('conversion_rate'),
      fromState: stateSchema,
      toState: stateSchema,
    }),
    z.strictObject({ ...orderMetricShape, kind: z.literal('cancellation_rate'), fromState: stateSchema }),
    z.strictObject({
      ...orderMetricShape,
      kind: z.literal('sla_compliance'),
      fromState: stateSchema,
      toState: stateSchema,
      withinWorkingDays: z.number().int({ error: 'must be a whole number of days' }).min(0),
      holidays: z.array(dateSchema).optional(),
    }),
    z.strictObject({
      kind: z.literal('attainment'),
      label: labelSchema.optional(),
      metric: nameSchema,
      target: targetSchema,
      prorate: z.boolean().default(true),
    }),
    z.strictObject({ kind: z.literal('formula'), label: labelSchema.optional(), formula: formulaSchema }),
  ],
  {
    error: (issue) => {
      if (issue.code !== 'invalid_union') return undefined;
      const input = issue.input as { kind?: unknown } | undefined;
      return unknownValueMessage('metric kind', METRIC_KINDS)({ input: input?.kind });
    },
  },
);

/** Named metrics of a plan version. Names are used in formulas, so they follow the formula name rules. */
export const metricsSchema = z.record(nameSchema, metricSchema);

const _metricSchemaMatchesType: z.ZodType<MetricDefinition, z.input<typeof metricSchema>> = metricSchema;
