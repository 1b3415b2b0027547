/**
 * Turns a partner's assignment rows, with whole-day dates, into the assignments of one pay period.
 * The store and the what-if simulation both use it, so a simulated period gets exactly the
 * assignments a calculated one would.
 */
import { MILLISECONDS_PER_DAY, parseIsoDateTime } from '../time.js';
import type { PayPeriodWindow, PlanAssignmentInput } from './types.js';

/** An assignment of a plan version to a partner for whole UTC days, as stored. */
export interface DatedAssignment {
  partnerId: string;
  planId: string;
  planVersionId: string;
  planName: string;
  definition: unknown;
  parameters: Record<string, string>;
  /** First day, YYYY-MM-DD. */
  effectiveFrom: string;
  /** Last day (inclusive), YYYY-MM-DD, or null for an open end. */
  effectiveTo: string | null;
}

/**
 * Returns the assignment for the period, with `activeFrom` and `activeUntil` when it starts or
 * ends inside the period, or undefined when it does not cover any day of the period.
 */
export function toPeriodAssignment(row: DatedAssignment, period: PayPeriodWindow): PlanAssignmentInput | undefined {
  const periodStart = parseIsoDateTime(period.startsAt, 'period.startsAt');
  const periodEnd = parseIsoDateTime(period.endsAt, 'period.endsAt');
  const from = parseIsoDateTime(`${row.effectiveFrom}T00:00:00.000Z`, 'effectiveFrom');
  const until =
    row.effectiveTo === null
      ? undefined
      : parseIsoDateTime(`${row.effectiveTo}T00:00:00.000Z`, 'effectiveTo') + MILLISECONDS_PER_DAY;
  if (from >= periodEnd || (until !== undefined && until <= periodStart)) {
    return undefined;
  }
  return {
    partnerId: row.partnerId,
    planId: row.planId,
    planVersionId: row.planVersionId,
    planName: row.planName,
    definition: row.definition as PlanAssignmentInput['definition'],
    parameters: row.parameters,
    ...(from > periodStart ? { activeFrom: new Date(from).toISOString() } : {}),
    ...(until !== undefined && until < periodEnd ? { activeUntil: new Date(until).toISOString() } : {}),
  };
}
