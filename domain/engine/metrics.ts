/**
 * Computes the metrics of the metric library for one partner and plan assignment. Order metrics
 * read the orders of the metric's scope that pass its filter, within the part of the period the
 * assignment covers, narrowed by the metric's own window. A rate over no orders is 0.
 */
import { parseDecimal, roundToCents, sumAmounts, ZERO, type Decimal } from '../money.js';
import type { MetricDefinition, OrderMetric, TargetTable } from '../plan/metrics.js';
import { formatIsoDate, MILLISECONDS_PER_DAY } from '../time.js';
import type { AssignmentEvaluation, TimeRange } from './evaluation.js';
import { describeAmount } from './explain.js';
import { isInRange, narrowToWindow } from './evaluation.js';
import type { OrderTimeline } from './order-timeline.js';

/** A metric's value with the words that explain it on a line, for example "41 activations". */
export interface MetricResult {
  value: Decimal;
  description: string;
}

/** Formats a figure for a description with at most two decimals: "21.33", "41". */
export function describeNumber(value: Decimal): string {
  return value.toDecimalPlaces(2).toFixed();
}

/** Formats a ratio as a percentage with at most one decimal: "102.5%", "33.3%". */
export function describeRatio(value: Decimal): string {
  return `${value.times(100).toDecimalPlaces(1).toFixed()}%`;
}

function toDecimal(count: number): Decimal {
  return parseDecimal(String(count), 'count');
}

function ratio(numerator: number, denominator: number): Decimal {
  return denominator === 0 ? ZERO : toDecimal(numerator).dividedBy(denominator);
}

function scopedTimelines(metric: OrderMetric, evaluation: AssignmentEvaluation): readonly OrderTimeline[] {
  switch (metric.scope ?? 'own') {
    case 'own':
      return evaluation.ownTimelines;
    case 'agents':
      return evaluation.agentTimelines;
    case 'team':
      return [...evaluation.ownTimelines, ...evaluation.agentTimelines];
  }
}

function filteredTimelines(metricName: string, metric: OrderMetric, evaluation: AssignmentEvaluation): OrderTimeline[] {
  return scopedTimelines(metric, evaluation).filter(
    (timeline) => evaluation.passesFilter(metric, timeline, 'metricWhere', { metric: metricName }) === true,
  );
}

function utcDay(at: number): number {
  return Math.floor(at / MILLISECONDS_PER_DAY);
}

/**
 * Counts working days (Monday to Friday, without holidays) after the day of `from` up to and
 * including the day of `to`: a job assigned on Friday and commissioned on Monday took 1 working day.
 */
export function countWorkingDays(from: number, to: number, holidays: ReadonlySet<string>): number {
  let count = 0;
  for (let day = utcDay(from) + 1; day <= utcDay(to); day += 1) {
    const weekday = new Date(day * MILLISECONDS_PER_DAY).getUTCDay();
    const isWeekend = weekday === 0 || weekday === 6;
    if (!isWeekend && !holidays.has(formatIsoDate(day * MILLISECONDS_PER_DAY))) {
      count += 1;
    }
  }
  return count;
}

function computeTarget(target: string | TargetTable, evaluation: AssignmentEvaluation): Decimal {
  if (typeof target === 'string') {
    return parseDecimal(target, 'target');
  }
  const byTerritory = target.byTerritory ?? {};
  const territory = evaluation.partner.territory;
  const value = Object.hasOwn(byTerritory, territory) ? (byTerritory[territory] as string) : target.default;
  return parseDecimal(value, 'target');
}

function name(metricName: string, metric: MetricDefinition): string {
  return metric.label ?? metricName;
}

function computeOrderMetric(metricName: string, metric: OrderMetric, evaluation: AssignmentEvaluation): MetricResult {
  const range: TimeRange = narrowToWindow(evaluation.range, metric.window);
  const timelines = filteredTimelines(metricName, metric, evaluation);
  const label = name(metricName, metric);
  switch (metric.kind) {
    case 'count': {
      const count = timelines.filter(
        (timeline) =>
          isInRange(range, timeline.reachedAt.get(metric.state)) && !evaluation.isReversedInPeriod(timeline),
      ).length;
      return { value: toDecimal(count), description: `${count} ${label}` };
    }
    case 'sum': {
      const reached = timelines.filter(
        (timeline) =>
          isInRange(range, timeline.reachedAt.get(metric.state)) &&
          !evaluation.isReversedInPeriod(timeline) &&
          (metric.unit === undefined || timeline.order.unit === metric.unit),
      );
      const values = reached.map((timeline) =>
        parseDecimal(metric.of === 'value' ? timeline.order.value : timeline.order.quantity, `order ${metric.of}`),
      );
      const total = sumAmounts(values);
      if (metric.of === 'value') {
        return { value: total, description: `${label} ${describeAmount(roundToCents(total))}` };
      }
      const suffix = metric.unit === undefined ? '' : ` ${metric.unit}`;
      return { value: total, description: `${label} ${describeNumber(total)}${suffix}` };
    }
    case 'conversion_rate':
    case 'cancellation_rate': {
      const cohort = timelines.filter((timeline) => isInRange(range, timeline.reachedAt.get(metric.fromState)));
      const converted = cohort.filter((timeline) => {
        const ends = (at: number | undefined): boolean => at !== undefined && at < range.endsAt;
        if (metric.kind === 'conversion_rate') return ends(timeline.reachedAt.get(metric.toState));
        return ends(timeline.reachedAt.get('cancelled')) || ends(timeline.reachedAt.get('rejected'));
      });
      const value = ratio(converted.length, cohort.length);
      return {
        value,
        description: `${label} ${describeRatio(value)} (${converted.length} of ${cohort.length} orders)`,
      };
    }
    case 'sla_compliance': {
      const holidays = new Set(metric.holidays ?? []);
      const completed = timelines.filter(
        (timeline) =>
          isInRange(range, timeline.reachedAt.get(metric.toState)) &&
          timeline.reachedAt.has(metric.fromState) &&
          // A start state implied by a later one has that state's time, so the job cannot be measured.
          !timeline.impliedBy.has(metric.fromState),
      );
      const onTime = completed.filter((timeline) => {
        const from = timeline.reachedAt.get(metric.fromState) as number;
        const to = timeline.reachedAt.get(metric.toState) as number;
        return countWorkingDays(from, to, holidays) <= metric.withinWorkingDays;
      });
      const value = ratio(onTime.length, completed.length);
      return {
        value,
        description:
          `${label} ${describeRatio(value)} (${onTime.length} of ${completed.length} jobs within ` +
          `${metric.withinWorkingDays} working days)`,
      };
    }
  }
}

/** Computes one metric. Attainment and formula metrics compute the metrics they read first. */
export function computeMetric(
  metricName: string,
  metric: MetricDefinition,
  evaluation: AssignmentEvaluation,
): MetricResult {
  const label = name(metricName, metric);
  if (metric.kind === 'attainment') {
    const base = evaluation.metric(metric.metric);
    const fullTarget = computeTarget(metric.target, evaluation);
    const target = metric.prorate ? fullTarget.times(evaluation.prorationFactor) : fullTarget;
    const value = target.isZero() ? ZERO : base.value.dividedBy(target);
    const prorated = metric.prorate && !evaluation.prorationFactor.equals(1);
    const targetText = prorated
      ? `target ${describeNumber(target)}, prorated from ${describeNumber(fullTarget)} for ${describeRatio(evaluation.prorationFactor)} of the period`
      : `target ${describeNumber(target)}`;
    return { value, description: `${label} ${describeRatio(value)} (${base.description}, ${targetText})` };
  }
  if (metric.kind === 'formula') {
    const value = evaluation.periodValue(metric.formula) as Decimal;
    return { value, description: `${label} ${describeNumber(value)}` };
  }
  return computeOrderMetric(metricName, metric, evaluation);
}
