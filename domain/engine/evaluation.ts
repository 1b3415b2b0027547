/**
 * Evaluation context of one plan assignment while a partner's period is calculated: the days the
 * assignment covers, its parameter values, its compiled formulas, the order filter and the
 * partner's metrics, each computed once.
 */
import { compileFormula, FormulaEvaluationError, type CompiledFormula, type FormulaValue } from '../formula/formula.js';
import { parseDecimal, type Decimal } from '../money.js';
import type { CalculationWarning, OrderRecord, Partner } from '../model.js';
import type { PlanDefinition } from '../plan/definition.js';
import type { DateWindow, OrderFilter } from '../plan/metrics.js';
import { formulaEnvironment, type FormulaContext } from '../plan/references.js';
import { MILLISECONDS_PER_DAY, parseIsoDateTime } from '../time.js';
import { classifyCancellation, type CancellationOutcome } from './cancellation.js';
import { computeMetric, type MetricResult } from './metrics.js';
import type { OrderTimeline } from './order-timeline.js';
import type { ParsedPeriod } from './period.js';
import type { PlanAssignmentInput } from './types.js';

/** A half-open time range [startsAt, endsAt) in epoch milliseconds. */
export interface TimeRange {
  startsAt: number;
  endsAt: number;
}

/** Returns whether `at` lies in the range. */
export function isInRange(range: TimeRange, at: number | undefined): at is number {
  return at !== undefined && at >= range.startsAt && at < range.endsAt;
}

/** Narrows a range to a window of whole UTC days, both inclusive. */
export function narrowToWindow(range: TimeRange, window: DateWindow | undefined): TimeRange {
  if (window === undefined) return range;
  const windowStart = parseIsoDateTime(`${window.from}T00:00:00.000Z`, 'window.from');
  const windowEnd = parseIsoDateTime(`${window.to}T00:00:00.000Z`, 'window.to') + MILLISECONDS_PER_DAY;
  return { startsAt: Math.max(range.startsAt, windowStart), endsAt: Math.min(range.endsAt, windowEnd) };
}

/** The rule or metric whose formula is evaluated, which a formula_failed warning names. */
export type FormulaOwner = { ruleId: string } | { metric: string };

/** Everything the engine needs to evaluate one assignment's rules for one partner. */
export interface AssignmentEvaluation {
  assignment: PlanAssignmentInput;
  definition: PlanDefinition;
  partner: Partner;
  period: ParsedPeriod;
  /** The part of the period the assignment covers. */
  range: TimeRange;
  /** Covered share of the period, from 0 to 1, that prorated targets are multiplied by. */
  prorationFactor: Decimal;
  /** Parameter values as formulas see them: decimals for numeric types, strings for text. */
  parameters: Readonly<Record<string, FormulaValue>>;
  ownTimelines: readonly OrderTimeline[];
  agentTimelines: readonly OrderTimeline[];
  /**
   * Returns whether a cancellation in the period reverses the order's payments under this plan's
   * cooling-off and clawback terms. Count and sum metrics leave such orders out, as tiers do.
   */
  isReversedInPeriod(timeline: OrderTimeline): boolean;
  /** Returns whether the order was cancelled within its cooling-off period in this period, which voids it. */
  isVoidInPeriod(timeline: OrderTimeline): boolean;
  /** Returns the metric's value, computing it on first use. Throws FormulaEvaluationError when a formula metric fails. */
  metric(name: string): MetricResult;
  /** Returns the metric's value like `metric`, or undefined when a formula metric fails on this period's values. */
  metricIfComputable(name: string): MetricResult | undefined;
  /** Returns the compiled formula. Throws when it does not compile, which parsePlanDefinition rules out. */
  formula(source: string, context: FormulaContext): CompiledFormula;
  /** Returns whether the order passes the filter, or undefined (with a warning) when its formula failed. */
  passesFilter(
    filter: OrderFilter,
    timeline: OrderTimeline,
    context: FormulaContext,
    owner: FormulaOwner,
  ): boolean | undefined;
  /** Returns the formula's value for an order, or undefined (with a warning) when it failed. */
  evaluateForOrder(
    source: string,
    timeline: OrderTimeline,
    context: FormulaContext,
    owner: FormulaOwner,
  ): FormulaValue | undefined;
  /** Returns the formula's value over metrics and parameters; throws FormulaEvaluationError when it fails. */
  periodValue(source: string): FormulaValue;
  /** Returns the formula's value over metrics and parameters, or undefined (with a warning) when it failed. */
  evaluateForPeriod(source: string, ruleId: string): FormulaValue | undefined;
  warnings: CalculationWarning[];
}

export interface EvaluationInput {
  assignment: PlanAssignmentInput;
  parameterValues: Readonly<Record<string, string>>;
  partner: Partner;
  period: ParsedPeriod;
  ownTimelines: readonly OrderTimeline[];
  agentTimelines: readonly OrderTimeline[];
  warnings: CalculationWarning[];
}

function assignmentRange(assignment: PlanAssignmentInput, period: ParsedPeriod): TimeRange {
  const startsAt =
    assignment.activeFrom === undefined
      ? period.startsAt
      : Math.max(period.startsAt, parseIsoDateTime(assignment.activeFrom, 'assignment.activeFrom'));
  const endsAt =
    assignment.activeUntil === undefined
      ? period.endsAt
      : Math.min(period.endsAt, parseIsoDateTime(assignment.activeUntil, 'assignment.activeUntil'));
  return { startsAt, endsAt: Math.max(startsAt, endsAt) };
}

function parameterFormulaValues(
  definition: PlanDefinition,
  values: Readonly<Record<string, string>>,
): Record<string, FormulaValue> {
  const result: Record<string, FormulaValue> = {};
  for (const [name, declaration] of Object.entries(definition.parameters)) {
    const value = values[name] ?? declaration.default ?? '';
    result[name] = declaration.type === 'text' ? value : parseDecimal(value, `parameter ${name}`);
  }
  return result;
}

/** Returns the order fields as formula values. */
export function orderVariables(timeline: OrderTimeline): Record<string, FormulaValue> {
  const order = timeline.order;
  return {
    value: parseDecimal(order.value, `order ${order.id} value`),
    quantity: parseDecimal(order.quantity, `order ${order.id} quantity`),
    category: order.category,
    territory: order.territory,
    unit: order.unit,
    productId: order.productId,
    orderNumber: order.orderNumber,
  };
}

function daysBetween(startsAt: number, endsAt: number): number {
  return Math.round((endsAt - startsAt) / MILLISECONDS_PER_DAY);
}

/** Creates the evaluation of one assignment. Metrics and formulas are computed lazily. */
export function createAssignmentEvaluation(input: EvaluationInput): AssignmentEvaluation {
  const { assignment, partner, period, warnings } = input;
  const definition = assignment.definition;
  const range = assignmentRange(assignment, period);
  const periodDays = daysBetween(period.startsAt, period.endsAt);
  const coveredDays = daysBetween(range.startsAt, range.endsAt);
  const prorationFactor = parseDecimal(String(coveredDays), 'covered days').dividedBy(periodDays);
  const parameters = parameterFormulaValues(definition, input.parameterValues);
  const compiled = new Map<string, CompiledFormula>();
  const metrics = new Map<string, MetricResult>();
  const outcomes = new Map<OrderTimeline, CancellationOutcome | undefined>();
  const cancellationOutcome = (timeline: OrderTimeline): CancellationOutcome | undefined => {
    if (!outcomes.has(timeline)) {
      outcomes.set(timeline, classifyCancellation(timeline, definition, period)?.outcome);
    }
    return outcomes.get(timeline);
  };

  const formula = (source: string, context: FormulaContext): CompiledFormula => {
    const key = `${context}\u0000${source}`;
    let entry = compiled.get(key);
    if (entry === undefined) {
      const result = compileFormula(source, formulaEnvironment(definition, context));
      if (!result.ok) {
        throw new Error(`formula "${source}" does not compile: ${result.issues.map((i) => i.message).join('; ')}`);
      }
      entry = result.formula;
      compiled.set(key, entry);
    }
    return entry;
  };

  const warnFormula = (error: FormulaEvaluationError, owner: FormulaOwner, order?: OrderRecord): void => {
    const orderId = order?.id;
    let outcome: string;
    if (order === undefined) {
      outcome = 'the rule was skipped for the period';
    } else if ('ruleId' in owner) {
      outcome = `order ${order.orderNumber} was skipped for rule ${owner.ruleId}`;
    } else {
      outcome = `order ${order.orderNumber} was left out of metric ${owner.metric}`;
    }
    warnings.push({
      code: 'formula_failed',
      partnerId: partner.id,
      ...('ruleId' in owner ? { ruleId: owner.ruleId } : {}),
      ...(orderId === undefined ? {} : { orderIds: [orderId] }),
      message: `${error.message}; ${outcome}`,
    });
  };

  // Metrics are added as getters, so that a formula computes only the metrics it reads. Spreading
  // the result would call every getter, and a formula metric would then compute itself without end.
  const withMetricValues = (base: Readonly<Record<string, FormulaValue>>): Record<string, FormulaValue> => {
    const values: Record<string, FormulaValue> = { ...base };
    for (const name of Object.keys(definition.metrics)) {
      Object.defineProperty(values, name, { enumerable: true, get: () => evaluation.metric(name).value });
    }
    return values;
  };

  const evaluation: AssignmentEvaluation = {
    assignment,
    definition,
    partner,
    period,
    range,
    prorationFactor,
    parameters,
    ownTimelines: input.ownTimelines,
    agentTimelines: input.agentTimelines,
    warnings,
    isReversedInPeriod(timeline) {
      const outcome = cancellationOutcome(timeline);
      return outcome === 'cooling_off' || outcome === 'clawback';
    },
    isVoidInPeriod(timeline) {
      return cancellationOutcome(timeline) === 'cooling_off';
    },
    metric(name) {
      let result = metrics.get(name);
      if (result === undefined) {
        const metric = definition.metrics[name];
        if (metric === undefined) throw new Error(`unknown metric ${name}; the plan was not validated`);
        result = computeMetric(name, metric, evaluation);
        metrics.set(name, result);
      }
      return result;
    },
    metricIfComputable(name) {
      try {
        return evaluation.metric(name);
      } catch (error) {
        if (!(error instanceof FormulaEvaluationError)) throw error;
        return undefined;
      }
    },
    formula,
    evaluateForOrder(source, timeline, context, owner) {
      const fields = { ...orderVariables(timeline), ...parameters };
      const variables = context === 'order' ? withMetricValues(fields) : fields;
      try {
        return formula(source, context).evaluate({ variables, attributes: timeline.order.attributes });
      } catch (error) {
        if (!(error instanceof FormulaEvaluationError)) throw error;
        warnFormula(error, owner, timeline.order);
        return undefined;
      }
    },
    passesFilter(filter, timeline, context, owner) {
      const order = timeline.order;
      if (filter.categories !== undefined && !filter.categories.includes(order.category)) return false;
      if (filter.territories !== undefined && !filter.territories.includes(order.territory)) return false;
      if (filter.where === undefined) return true;
      const value = evaluation.evaluateForOrder(filter.where, timeline, context, owner);
      return value === undefined ? undefined : value === true;
    },
    periodValue(source) {
      return formula(source, 'period').evaluate({ variables: withMetricValues(parameters), attributes: {} });
    },
    evaluateForPeriod(source, ruleId) {
      try {
        return evaluation.periodValue(source);
      } catch (error) {
        if (!(error instanceof FormulaEvaluationError)) throw error;
        warnFormula(error, { ruleId });
        return undefined;
      }
    },
  };
  return evaluation;
}
