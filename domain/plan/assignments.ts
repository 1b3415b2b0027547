/**
 * Assignments of plan versions to partners. A plan file lists entries by partner id or by group
 * (partner kinds, optionally narrowed by territories), each with dates and parameter values.
 * Within a plan, the most specific entry that covers a partner on a day applies on that day: an
 * entry naming the partner, then a group with territories, then a group by kinds alone. Across all
 * plans, a partner has at most one plan on any day.
 */
import { PlanValidationError, type ValidationIssue } from '../errors.js';
import type { PartnerKind } from '../model.js';
import { addDays } from '../time.js';
import { formatPath } from '../validation.js';
import { parsePlanDefinition, validatePlanTemplate } from './definition.js';

/** The members of a plan file that assignment checks read. */
export interface AssignablePlan {
  id: string;
  versions: readonly { id: string; effectiveFrom: string; effectiveTo: string | null; definition: unknown }[];
  assignments: readonly {
    partners?: string[] | undefined;
    kinds?: PartnerKind[] | undefined;
    territories?: string[] | undefined;
    effectiveFrom: string;
    effectiveTo: string | null;
    parameters: Record<string, string>;
  }[];
}

type Entry = AssignablePlan['assignments'][number];

/** A problem with its path as segments, for the line lookup of plan files. */
export interface AssignmentIssue extends ValidationIssue {
  pathSegments: (string | number)[];
}

/** A problem found across plan files, with the plan it was found in. */
export interface PlanSetIssue extends AssignmentIssue {
  planId: string;
}

/** One partner's assignment to one plan version, with its dates and parameter values. */
export interface ResolvedAssignment {
  partnerId: string;
  planId: string;
  planVersionId: string;
  effectiveFrom: string;
  effectiveTo: string | null;
  parameters: Record<string, string>;
}

function overlap(
  left: { effectiveFrom: string; effectiveTo: string | null },
  right: { effectiveFrom: string; effectiveTo: string | null },
): { from: string; to: string | null } | undefined {
  const from = left.effectiveFrom > right.effectiveFrom ? left.effectiveFrom : right.effectiveFrom;
  const ends = [left.effectiveTo, right.effectiveTo].filter((date): date is string => date !== null).sort();
  const to = ends[0] ?? null;
  return to !== null && to < from ? undefined : { from, to };
}

function describeDays(days: { from: string; to: string | null }): string {
  return days.to === null ? `from ${days.from} on` : `from ${days.from} to ${days.to}`;
}

/** Days from `from` to `to`, both inclusive; `to` null is an open end. */
export interface DayRange {
  from: string;
  to: string | null;
}

/** Returns the days of `range` that none of `covered` contains, as separate ranges in date order. */
export function subtractDays(range: DayRange, covered: readonly DayRange[]): DayRange[] {
  let remaining: DayRange[] = [range];
  for (const cut of covered) {
    remaining = remaining.flatMap((part) => {
      const common = overlap(
        { effectiveFrom: part.from, effectiveTo: part.to },
        { effectiveFrom: cut.from, effectiveTo: cut.to },
      );
      if (common === undefined) return [part];
      const pieces: DayRange[] = [];
      if (part.from < common.from) pieces.push({ from: part.from, to: addDays(common.from, -1) });
      if (common.to !== null && (part.to === null || common.to < part.to)) {
        pieces.push({ from: addDays(common.to, 1), to: part.to });
      }
      return pieces;
    });
  }
  return remaining;
}

/** 2 for an entry naming partners, 1 for a group with territories, 0 for a group by kinds alone. */
function specificity(entry: Entry): number {
  if (entry.partners !== undefined) return 2;
  return entry.territories === undefined ? 0 : 1;
}

function intersects(left: readonly string[] | undefined, right: readonly string[] | undefined): boolean {
  return left === undefined || right === undefined || left.some((item) => right.includes(item));
}

/** Describes what two entries could both assign, or undefined when they cannot share a partner. */
function sharedPartners(left: Entry, right: Entry): string | undefined {
  if (left.partners !== undefined && right.partners !== undefined) {
    const shared = left.partners.filter((id) => right.partners?.includes(id));
    return shared.length === 0 ? undefined : `partner ${shared.join(', ')}`;
  }
  if (left.kinds !== undefined && right.kinds !== undefined) {
    if (!intersects(left.kinds, right.kinds) || !intersects(left.territories, right.territories)) return undefined;
    const kinds = left.kinds.filter((kind) => right.kinds?.includes(kind));
    const territories =
      left.territories === undefined || right.territories === undefined
        ? (left.territories ?? right.territories)
        : left.territories.filter((territory) => right.territories?.includes(territory));
    return `every ${kinds.join(' and ')} partner${territories === undefined ? '' : ` in ${territories.join(', ')}`}`;
  }
  return undefined;
}

function checkEntryParameters(plan: AssignablePlan, entry: Entry, index: number): AssignmentIssue[] {
  const issues: AssignmentIssue[] = [];
  plan.versions.forEach((version, versionIndex) => {
    if (overlap(entry, version) === undefined) return;
    try {
      parsePlanDefinition(version.definition, entry.parameters);
    } catch (error) {
      if (!(error instanceof PlanValidationError)) throw error;
      for (const issue of error.issues) {
        // Problems of the template itself are reported at the version; only those that the values cause belong here.
        const parameter = /^parameters\.(.+)$/.exec(issue.path)?.[1];
        const pathSegments =
          parameter === undefined
            ? ['assignments', index, 'parameters']
            : ['assignments', index, 'parameters', parameter];
        const place = parameter === undefined ? `${issue.path}: ` : '';
        issues.push({
          pathSegments,
          path: formatPath(pathSegments),
          message: `with versions[${versionIndex}] (${version.id}): ${place}${issue.message}`,
        });
      }
    }
  });
  return issues;
}

/**
 * Checks the assignment entries of one plan: each entry's parameter values against every version
 * its dates overlap, and entries of the plan that would assign the same partner twice on a day.
 * Versions whose template is invalid are skipped, because their own checks report them.
 */
export function checkAssignmentEntries(plan: AssignablePlan): AssignmentIssue[] {
  const issues: AssignmentIssue[] = [];
  // Only the template is required to be valid here: a parameter value that does not fit its field
  // (such as a default of "120.005" for an amount) is found when each entry's values are filled in.
  const validVersions = plan.versions.filter((version) => validatePlanTemplate(version.definition).success);
  const checked = { ...plan, versions: validVersions };
  plan.assignments.forEach((entry, index) => {
    issues.push(...checkEntryParameters(checked, entry, index));
    for (let earlier = 0; earlier < index; earlier += 1) {
      const other = plan.assignments[earlier] as Entry;
      // A more specific entry takes precedence on the days both cover, so only equally specific
      // entries can assign a partner twice.
      if (specificity(other) !== specificity(entry)) continue;
      const days = overlap(entry, other);
      const shared = days === undefined ? undefined : sharedPartners(entry, other);
      if (days === undefined || shared === undefined) continue;
      const pathSegments = ['assignments', index];
      issues.push({
        pathSegments,
        path: formatPath(pathSegments),
        message:
          `assigns ${shared} a second time ${describeDays(days)}, as assignments[${earlier}] does; ` +
          'give the entries separate dates or separate partners',
      });
    }
  });
  return issues;
}

/**
 * Reports entries of different plans that would assign the same partner on the same day, as far
 * as the entries show: the same partner id, or groups with a common kind and territory. A partner
 * named by id in one plan and matched by a group in another is only found by resolveAssignments.
 */
export function checkPlansDoNotOverlap(plans: readonly AssignablePlan[]): PlanSetIssue[] {
  const issues: PlanSetIssue[] = [];
  plans.forEach((plan, planIndex) => {
    plan.assignments.forEach((entry, index) => {
      for (const other of plans.slice(0, planIndex)) {
        other.assignments.forEach((otherEntry, otherIndex) => {
          const days = overlap(entry, otherEntry);
          const shared = days === undefined ? undefined : sharedPartners(entry, otherEntry);
          if (days === undefined || shared === undefined) return;
          const pathSegments = ['assignments', index];
          issues.push({
            planId: plan.id,
            pathSegments,
            path: formatPath(pathSegments),
            message:
              `assigns ${shared} ${describeDays(days)}, but plan ${other.id} assigns them too ` +
              `(its assignments[${otherIndex}]); a partner can have only one plan on a day`,
          });
        });
      }
    });
  });
  return issues;
}

/** A partner as assignment resolution reads it. */
export interface AssignablePartner {
  id: string;
  kind: PartnerKind;
  territory: string;
}

function matches(entry: Entry, partner: AssignablePartner): boolean {
  if (entry.partners !== undefined) return entry.partners.includes(partner.id);
  return (
    (entry.kinds?.includes(partner.kind) ?? false) &&
    (entry.territories === undefined || entry.territories.includes(partner.territory))
  );
}

interface PartnerRow extends ResolvedAssignment {
  entryIndex: number;
}

/**
 * Returns the rows of one plan for one partner: each matching entry's days that no more specific
 * entry covers, intersected with each version's days.
 */
function resolvePlanForPartner(plan: AssignablePlan, partner: AssignablePartner): PartnerRow[] {
  const rows: PartnerRow[] = [];
  const covered: DayRange[] = [];
  const entries = plan.assignments
    .map((entry, entryIndex) => ({ entry, entryIndex }))
    .filter(({ entry }) => matches(entry, partner))
    .sort((left, right) => specificity(right.entry) - specificity(left.entry) || left.entryIndex - right.entryIndex);
  for (const { entry, entryIndex } of entries) {
    const own = { from: entry.effectiveFrom, to: entry.effectiveTo };
    const free = subtractDays(own, covered);
    covered.push(own);
    for (const days of free) {
      for (const version of plan.versions) {
        const common = overlap({ effectiveFrom: days.from, effectiveTo: days.to }, version);
        if (common === undefined) continue;
        rows.push({
          partnerId: partner.id,
          planId: plan.id,
          planVersionId: version.id,
          effectiveFrom: common.from,
          effectiveTo: common.to,
          parameters: entry.parameters,
          entryIndex,
        });
      }
    }
  }
  return rows;
}

/** Up to this many partner ids are listed in one clash report; the rest are counted. */
const LISTED_PARTNERS = 5;

/**
 * Resolves the entries of the plans into one row per partner, plan version and date range.
 * Returns the rows and one problem per pair of clashing entries, naming the partners that both
 * assign on a common day. Entries naming unknown partner ids give no rows. A clash is reported
 * at the entry of the later plan in `plans`.
 */
export function resolveAssignments(
  plans: readonly AssignablePlan[],
  partners: readonly AssignablePartner[],
): { rows: ResolvedAssignment[]; issues: PlanSetIssue[] } {
  const rows: ResolvedAssignment[] = [];
  const clashes = new Map<string, { row: PartnerRow; other: string; from: string; partners: string[] }>();
  for (const partner of partners) {
    const partnerRows = plans.flatMap((plan) => resolvePlanForPartner(plan, partner));
    partnerRows.forEach((row, index) => {
      const clash = partnerRows
        .slice(0, index)
        .find((earlier) => earlier.planId !== row.planId && overlap(earlier, row) !== undefined);
      if (clash === undefined) return;
      const days = overlap(clash, row) as { from: string; to: string | null };
      const key = JSON.stringify([row.planId, row.entryIndex, clash.planId]);
      const entry = clashes.get(key) ?? { row, other: clash.planId, from: days.from, partners: [] };
      if (!entry.partners.includes(partner.id)) entry.partners.push(partner.id);
      if (days.from < entry.from) entry.from = days.from;
      clashes.set(key, entry);
    });
    rows.push(...partnerRows.map(({ entryIndex: _entryIndex, ...row }) => row));
  }
  const issues = [...clashes.values()].map(({ row, other, from, partners: ids }): PlanSetIssue => {
    const pathSegments = ['assignments', row.entryIndex];
    const listed = ids.slice(0, LISTED_PARTNERS).join(', ');
    const more = ids.length > LISTED_PARTNERS ? ` and ${ids.length - LISTED_PARTNERS} more` : '';
    const subject = ids.length === 1 ? `partner ${listed}` : `${ids.length} partners (${listed}${more})`;
    return {
      planId: row.planId,
      pathSegments,
      path: formatPath(pathSegments),
      message:
        `assigns ${subject} on days from ${from} that plan ${other} assigns as well; a partner can have only ` +
        `one plan on a day, so end one of the two assignments first or add the change as a version of plan ${other}`,
    };
  });
  return { rows, issues };
}
