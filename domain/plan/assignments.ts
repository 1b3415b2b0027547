/**
 * Assignments of plan versions to partners. A plan file lists entries by partner id or by group
 * (partner kinds, optionally narrowed by territories), each with dates and parameter values. A
 * partner named by id in an entry of a plan is assigned only by such entries of that plan, not by
 * its group entries. Across all plans, a partner has at most one plan on any day.
 */
import { PlanValidationError, type ValidationIssue } from '../errors.js';
import type { PartnerKind } from '../model.js';
import { formatPath } from '../validation.js';
import { parsePlanDefinition } from './definition.js';

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
    const territories = left.territories ?? right.territories;
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
  const validVersions = plan.versions.filter((version) => {
    try {
      parsePlanDefinition(version.definition, defaultsOnlyValues(version.definition));
      return true;
    } catch {
      return false;
    }
  });
  const checked = { ...plan, versions: validVersions };
  plan.assignments.forEach((entry, index) => {
    issues.push(...checkEntryParameters(checked, entry, index));
    for (let earlier = 0; earlier < index; earlier += 1) {
      const other = plan.assignments[earlier] as Entry;
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

/** Parameter values that make a template with defaults for every parameter parse. */
function defaultsOnlyValues(definition: unknown): Record<string, string> {
  const parameters = (definition as { parameters?: Record<string, { default?: string }> } | null)?.parameters ?? {};
  const values: Record<string, string> = {};
  for (const [name, parameter] of Object.entries(parameters)) {
    // A parameter without default gets a value from every entry; "1" is valid for all numeric types.
    values[name] = parameter.default ?? '1';
  }
  return values;
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

/**
 * Resolves the entries of the plans into one row per partner, plan version and date range, the
 * intersection of the entry's and the version's dates. Returns the rows and a problem for every
 * partner assigned to two plans on one day. Entries naming unknown partner ids give no rows.
 */
export function resolveAssignments(
  plans: readonly AssignablePlan[],
  partners: readonly AssignablePartner[],
): { rows: ResolvedAssignment[]; issues: PlanSetIssue[] } {
  const rows: ResolvedAssignment[] = [];
  const issues: PlanSetIssue[] = [];
  for (const partner of partners) {
    const partnerRows: (ResolvedAssignment & { entryIndex: number })[] = [];
    for (const plan of plans) {
      const named = plan.assignments.some((entry) => entry.partners?.includes(partner.id) ?? false);
      plan.assignments.forEach((entry, entryIndex) => {
        if (!matches(entry, partner) || (named && entry.partners === undefined)) return;
        for (const version of plan.versions) {
          const days = overlap(entry, version);
          if (days === undefined) continue;
          partnerRows.push({
            partnerId: partner.id,
            planId: plan.id,
            planVersionId: version.id,
            effectiveFrom: days.from,
            effectiveTo: days.to,
            parameters: entry.parameters,
            entryIndex,
          });
        }
      });
    }
    partnerRows.forEach((row, index) => {
      const clash = partnerRows
        .slice(0, index)
        .find((earlier) => earlier.planId !== row.planId && overlap(earlier, row) !== undefined);
      if (clash === undefined) return;
      const days = overlap(clash, row) as { from: string; to: string | null };
      const pathSegments = ['assignments', row.entryIndex];
      issues.push({
        planId: row.planId,
        pathSegments,
        path: formatPath(pathSegments),
        message:
          `assigns partner ${partner.id} ${describeDays(days)}, but plan ${clash.planId} assigns that partner ` +
          'too; a partner can have only one plan on a day',
      });
    });
    rows.push(...partnerRows.map(({ entryIndex: _entryIndex, ...row }) => row));
  }
  return { rows, issues };
}
