/**
 * Storage of plans: their versions and their assignment entries, and the per-partner assignment
 * rows resolved from those entries. Everything is validated before the first write, in one
 * transaction, so a plan that fails a check leaves the stored plans exactly as they were.
 */
import { PlanValidationError, type ValidationIssue } from '../domain/errors.js';
import { resolveAssignments, checkPlansDoNotOverlap, type PlanSetIssue } from '../domain/plan/assignments.js';
import { planFileSchema, type PlanFile, type PlanFileInput } from '../domain/plan/plan-file.js';
import { addDays } from '../domain/time.js';
import { validateWithSchema } from '../domain/validation.js';
import type { Prisma, PrismaClient } from './prisma.js';
import { indexById, TRANSACTION_OPTIONS } from './reference-data.js';

/** A plan as a plan file writes it. */
export type PlanInput = PlanFileInput;

/**
 * Raised when an upsert would change the definition of a plan version that a calculation has used,
 * or end it before the last day of a pay period that paid by it. Nothing of the call is stored.
 */
export class PlanVersionInUseError extends Error {
  override readonly name = 'PlanVersionInUseError';

  constructor(
    readonly planId: string,
    readonly versionId: string,
    readonly usedAt: string,
    readonly detail = 'its definition and start cannot change',
  ) {
    super(
      `plan version ${versionId} of plan ${planId} was used by a calculation at ${usedAt}, so ${detail}; ` +
        'end it with effectiveTo and add a new version with a later effectiveFrom instead',
    );
  }
}

/** Raised when the plans would give a partner two plans on one day. `issues` names each place. */
export class DoubleAssignmentError extends Error {
  override readonly name = 'DoubleAssignmentError';

  constructor(readonly issues: readonly PlanSetIssue[]) {
    super(
      `plans assign a partner twice on the same days:\n${issues
        .map((issue) => `plan ${issue.planId} ${issue.path}: ${issue.message}`)
        .join('\n')}`,
    );
  }
}

/** The date range of one plan version, as `OverlappingPlanVersionsError` reports it. Dates are `YYYY-MM-DD`. */
export interface PlanVersionRange {
  id: string;
  version: number;
  effectiveFrom: string;
  /** Inclusive, or null for an open end. */
  effectiveTo: string | null;
}

/**
 * Raised when two versions of one plan are effective on a common day, because every partner
 * assigned to the plan would then be paid by both. Nothing of the call is stored.
 */
export class OverlappingPlanVersionsError extends Error {
  override readonly name = 'OverlappingPlanVersionsError';

  /** `earlier` starts no later than `later`. */
  constructor(
    readonly planId: string,
    readonly earlier: PlanVersionRange,
    readonly later: PlanVersionRange,
  ) {
    const fix =
      earlier.effectiveFrom < later.effectiveFrom
        ? `set effectiveTo of ${earlier.id} to ${addDays(later.effectiveFrom, -1)} or earlier`
        : 'give the versions date ranges without a common day';
    super(
      `versions ${describeRange(earlier)} and ${describeRange(later)} of plan ${planId} overlap, ` +
        `so both would pay on the same days; ${fix}`,
    );
  }
}

function describeRange(range: PlanVersionRange): string {
  return `${range.id} (version ${range.version}, ${range.effectiveFrom} to ${range.effectiveTo ?? 'open end'})`;
}

/**
 * Parses plan files as written. Throws PlanValidationError listing every problem, with paths that
 * start at the plan (for example `versions[0].definition.rules[1].rate`).
 */
export function parsePlanInputs(plans: readonly PlanInput[]): PlanFile[] {
  const issues: ValidationIssue[] = [];
  const parsed: PlanFile[] = [];
  plans.forEach((plan, index) => {
    const result = validateWithSchema(planFileSchema, plan);
    if (result.success) {
      parsed.push(result.data);
      return;
    }
    const name = typeof plan.id === 'string' ? `plan ${plan.id}` : `plans[${index}]`;
    issues.push(...result.issues.map((issue) => ({ ...issue, message: `${name}: ${issue.message}` })));
  });
  if (issues.length > 0) throw new PlanValidationError(issues);
  return parsed;
}

interface VersionRow {
  id: string;
  planId: string;
  version: number;
  effectiveFrom: Date;
  effectiveTo: Date | null;
  definition: Prisma.InputJsonObject;
}

function toVersionRow(plan: PlanFile, version: PlanFile['versions'][number]): VersionRow {
  return {
    id: version.id,
    planId: plan.id,
    version: version.version,
    effectiveFrom: toDate(version.effectiveFrom),
    effectiveTo: version.effectiveTo === null ? null : toDate(version.effectiveTo),
    definition: version.definition as unknown as Prisma.InputJsonObject,
  };
}

/** Last day of the latest pay period (YYYY-MM) whose statements have a line of the version. */
async function lastPaidDay(tx: Prisma.TransactionClient, versionId: string): Promise<string | undefined> {
  const latest = await tx.commissionLine.findFirst({
    where: { planVersionId: versionId },
    orderBy: { statement: { periodId: 'desc' } },
    select: { statement: { select: { periodId: true } } },
  });
  if (latest === null) return undefined;
  const [year, month] = latest.statement.periodId.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10);
}

/**
 * Checks a change of a used version: only its end may change, and not to a day before the end of
 * a pay period that paid by it, because that period's statements must stay reproducible.
 */
async function checkUsedVersionChange(
  tx: Prisma.TransactionClient,
  stored: { planId: string; version: number; effectiveFrom: Date; definition: unknown; usedAt: Date },
  row: VersionRow,
): Promise<void> {
  const usedAt = stored.usedAt.toISOString();
  if (
    stored.version !== row.version ||
    stored.effectiveFrom.getTime() !== row.effectiveFrom.getTime() ||
    canonicalJson(stored.definition) !== canonicalJson(row.definition)
  ) {
    throw new PlanVersionInUseError(stored.planId, row.id, usedAt);
  }
  const paidUntil = await lastPaidDay(tx, row.id);
  if (row.effectiveTo !== null && paidUntil !== undefined && toDay(row.effectiveTo) < paidUntil) {
    throw new PlanVersionInUseError(
      stored.planId,
      row.id,
      usedAt,
      `it cannot end before ${paidUntil}, the last day of a pay period it paid`,
    );
  }
}

// NOTE: a used version's definition is protected, but the assignment entries (parameter values and
// dates) that point to it are replaced by each upload, so an old period recomputed later can differ.
async function writeVersions(tx: Prisma.TransactionClient, rows: readonly VersionRow[]): Promise<void> {
  const stored = await tx.planVersion.findMany({ where: { id: { in: rows.map((row) => row.id) } } });
  const storedById = new Map(stored.map((version) => [version.id, version]));
  for (const row of rows) {
    const current = storedById.get(row.id);
    if (!current) {
      await tx.planVersion.create({ data: row });
      continue;
    }
    if (sameVersionContent(current, row)) continue;
    if (current.usedAt !== null) {
      await checkUsedVersionChange(tx, { ...current, usedAt: current.usedAt }, row);
    }
    await tx.planVersion.update({ where: { id: row.id }, data: row });
  }
}

/**
 * Reads every stored plan in the shape of a plan file: its name, its versions ordered by number with
 * dates as `YYYY-MM-DD`, and its assignment entries. Plans are ordered by id. The definitions and
 * entries are returned as stored, because upsertPlans validated them and filled in their defaults.
 * NOTE: a plan stored before assignment entries existed has none, so it assigns no partner here.
 */
export async function loadStoredPlanFiles(db: Prisma.TransactionClient): Promise<PlanFile[]> {
  const rows = await db.plan.findMany({
    include: { versions: { orderBy: { version: 'asc' } } },
    orderBy: { id: 'asc' },
  });
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    versions: row.versions.map((version) => ({
      id: version.id,
      version: version.version,
      effectiveFrom: toDay(version.effectiveFrom),
      effectiveTo: version.effectiveTo === null ? null : toDay(version.effectiveTo),
      definition: version.definition as unknown as PlanFile['versions'][number]['definition'],
    })),
    assignments: row.assignments as unknown as PlanFile['assignments'],
  }));
}

/**
 * Resolves the assignment entries of every stored plan against every stored partner and replaces
 * the assignment rows. Throws DoubleAssignmentError when a partner would have two plans on a day,
 * naming the entry of a plan in `changedPlanIds` where it can.
 * Returns the number of rows.
 */
export async function syncPlanAssignments(
  tx: Prisma.TransactionClient,
  changedPlanIds: readonly string[] = [],
): Promise<number> {
  // A clash is reported at the later of the two plans, so the plans just changed go last.
  const plans = (await loadStoredPlanFiles(tx)).sort(
    (left, right) => Number(changedPlanIds.includes(left.id)) - Number(changedPlanIds.includes(right.id)),
  );
  const partners = await tx.partner.findMany({ select: { id: true, kind: true, territory: true } });
  const { rows, issues } = resolveAssignments(plans, partners);
  if (issues.length > 0) throw new DoubleAssignmentError(issues);
  await tx.planAssignment.deleteMany({});
  if (rows.length > 0) {
    await tx.planAssignment.createMany({
      data: rows.map((row) => ({
        planVersionId: row.planVersionId,
        partnerId: row.partnerId,
        effectiveFrom: toDate(row.effectiveFrom),
        effectiveTo: row.effectiveTo === null ? null : toDate(row.effectiveTo),
        parameters: row.parameters,
      })),
    });
  }
  return rows.length;
}

/**
 * Creates or updates plans as plan files write them: the plans, their versions and their
 * assignment entries, and then the assignment rows of every stored plan for every stored partner.
 * Definitions are stored as validated templates with their defaults filled in. A version whose
 * content is unchanged is left alone. Partners loaded later are assigned by the next call of
 * upsertPlans or syncPlanAssignments.
 * Throws, and stores nothing, when
 *  - a plan file is invalid (PlanValidationError, listing every problem with its path),
 *  - an id appears twice (DuplicateReferenceIdError),
 *  - two versions of one plan, given or stored, share a day (OverlappingPlanVersionsError),
 *  - a used version would change other than by a later end (PlanVersionInUseError),
 *  - a partner would get two plans on one day (DoubleAssignmentError).
 */
export async function upsertPlans(
  prisma: PrismaClient,
  plans: readonly PlanInput[],
): Promise<{ plans: number; versions: number; assignments: number }> {
  const parsed = parsePlanInputs(plans);
  indexById('plan', parsed);
  const versions = parsed.flatMap((plan) => plan.versions.map((version) => toVersionRow(plan, version)));
  indexById('plan version', versions);
  const overlaps = checkPlansDoNotOverlap(parsed);
  if (overlaps.length > 0) throw new DoubleAssignmentError(overlaps);

  return prisma.$transaction(async (tx) => {
    // Uploads run one at a time: each resolves the assignments of every stored plan, and two
    // uploads that ran side by side would not see each other's plans and could both store a plan
    // for the same partner.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('plans'))`;
    for (const plan of parsed) {
      const assignments = plan.assignments as unknown as Prisma.InputJsonArray;
      await tx.plan.upsert({
        where: { id: plan.id },
        create: { id: plan.id, name: plan.name, assignments },
        update: { name: plan.name, assignments },
      });
    }
    await checkVersionsDoNotOverlap(tx, versions);
    await writeVersions(tx, versions);
    const assignments = await syncPlanAssignments(
      tx,
      parsed.map((plan) => plan.id),
    );
    return { plans: parsed.length, versions: versions.length, assignments };
  }, TRANSACTION_OPTIONS);
}

/**
 * Throws OverlappingPlanVersionsError when two versions of one plan share a day. Checks the given
 * versions together with the stored versions of their plans, and a given version replaces the
 * stored version with its id.
 */
async function checkVersionsDoNotOverlap(
  tx: Prisma.TransactionClient,
  versions: { id: string; planId: string; version: number; effectiveFrom: Date; effectiveTo: Date | null }[],
): Promise<void> {
  const givenIds = new Set(versions.map((version) => version.id));
  const stored = await tx.planVersion.findMany({
    where: { planId: { in: [...new Set(versions.map((version) => version.planId))] } },
    select: { id: true, planId: true, version: true, effectiveFrom: true, effectiveTo: true },
  });
  const versionsByPlan = new Map<string, typeof versions>();
  for (const version of [...stored.filter((row) => !givenIds.has(row.id)), ...versions]) {
    const planVersions = versionsByPlan.get(version.planId) ?? [];
    planVersions.push(version);
    versionsByPlan.set(version.planId, planVersions);
  }

  for (const [planId, planVersions] of versionsByPlan) {
    const sorted = [...planVersions].sort(
      (left, right) => left.effectiveFrom.getTime() - right.effectiveFrom.getTime() || left.version - right.version,
    );
    // Sorted by start, versions without overlap so far also end in that order, so comparing each
    // version with the one before finds the first overlap.
    for (let index = 1; index < sorted.length; index += 1) {
      const earlier = sorted[index - 1]!;
      const later = sorted[index]!;
      if (earlier.effectiveTo === null || later.effectiveFrom.getTime() <= earlier.effectiveTo.getTime()) {
        throw new OverlappingPlanVersionsError(planId, toRange(earlier), toRange(later));
      }
    }
  }
}

function toRange(version: {
  id: string;
  version: number;
  effectiveFrom: Date;
  effectiveTo: Date | null;
}): PlanVersionRange {
  return {
    id: version.id,
    version: version.version,
    effectiveFrom: toDay(version.effectiveFrom),
    effectiveTo: version.effectiveTo === null ? null : toDay(version.effectiveTo),
  };
}

function toDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function sameVersionContent(
  stored: { planId: string; version: number; effectiveFrom: Date; effectiveTo: Date | null; definition: unknown },
  next: { planId: string; version: number; effectiveFrom: Date; effectiveTo: Date | null; definition: unknown },
): boolean {
  return (
    stored.planId === next.planId &&
    stored.version === next.version &&
    stored.effectiveFrom.getTime() === next.effectiveFrom.getTime() &&
    (stored.effectiveTo?.getTime() ?? null) === (next.effectiveTo?.getTime() ?? null) &&
    canonicalJson(stored.definition) === canonicalJson(next.definition)
  );
}

/** JSON text with object keys sorted, because jsonb does not keep the key order of the input. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, member]) => member !== undefined)
      .sort(([left], [right]) => compareText(left, right));
    return `{${entries.map(([key, member]) => `${JSON.stringify(key)}:${canonicalJson(member)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function compareText(left: string, right: string): number {
  if (left < right) return -1;
  if (left > right) return 1;
  return 0;
}

function toDate(day: string): Date {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(Date.parse(`${day}T00:00:00Z`))) {
    throw new RangeError(`invalid date ${JSON.stringify(day)}; write it as YYYY-MM-DD`);
  }
  return new Date(`${day}T00:00:00.000Z`);
}
