/**
 * Bulk upserts of the reference data that order events point to: partners, products and plans
 * with their versions and assignments. Each function writes in one transaction, with one INSERT
 * for all new rows.
 */
import type { Partner, PartnerKind, ProductCategory } from '../domain/model.js';
import { parsePlanDefinition, type PlanDefinition } from '../domain/plan/definition.js';
import { parseTaxProfile } from '../domain/tax/profile.js';
import type { Prisma, PrismaClient } from './prisma.js';

/** A partner with the Id of its Salesforce Account. */
export type PartnerInput = Partner & { salesforceId: string };

/** A catalogue product. `id` is the Salesforce Product2 Id, `code` the product code. */
export interface ProductInput {
  id: string;
  code: string;
  name: string;
  category: ProductCategory;
  /** Unit of the order quantity, for example kWh, kWp, Each, Job. */
  unit: string;
}

/** One version of a plan. Dates are `YYYY-MM-DD`, and `effectiveTo` is inclusive or null for an open end. */
export interface PlanVersionInput {
  id: string;
  version: number;
  effectiveFrom: string;
  effectiveTo: string | null;
  definition: PlanDefinition;
}

/** A plan, its versions, and the partner kinds every version is assigned to. */
export interface PlanInput {
  id: string;
  name: string;
  versions: PlanVersionInput[];
  assignTo: PartnerKind[];
}

/** Raised when the same id appears twice in one upsert. */
export class DuplicateReferenceIdError extends Error {
  override readonly name = 'DuplicateReferenceIdError';

  constructor(
    readonly entity: 'partner' | 'product' | 'plan' | 'plan version',
    readonly id: string,
  ) {
    super(`${entity} ${id} appears more than once in the input; merge the entries`);
  }
}

/** Raised when a partner names a parent that is neither in the input nor stored. */
export class UnknownParentPartnerError extends Error {
  override readonly name = 'UnknownParentPartnerError';

  constructor(
    readonly partnerId: string,
    readonly parentId: string,
  ) {
    super(`partner ${partnerId} names parent ${parentId}, which is not a known partner; load the agency first`);
  }
}

/**
 * Raised when an upsert would change a plan version that a calculation has used. Nothing of the call is stored.
 * NOTE: a used version without effectiveTo cannot be given one, so upserting a later version of its plan
 * raises OverlappingPlanVersionsError, although this error's message suggests adding one.
 */
export class PlanVersionInUseError extends Error {
  override readonly name = 'PlanVersionInUseError';

  constructor(
    readonly planId: string,
    readonly versionId: string,
    readonly usedAt: string,
  ) {
    super(
      `plan version ${versionId} of plan ${planId} was used by a calculation at ${usedAt} and cannot change; ` +
        'add a new version with a later effectiveFrom instead',
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
        ? `set effectiveTo of ${earlier.id} to ${dayBefore(later.effectiveFrom)} or earlier`
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

function dayBefore(day: string): string {
  const date = new Date(`${day}T00:00:00.000Z`);
  date.setUTCDate(date.getUTCDate() - 1);
  return date.toISOString().slice(0, 10);
}

const TRANSACTION_OPTIONS = { maxWait: 10_000, timeout: 60_000 };

/**
 * Creates new partners and updates known ones (matched by partner id), agencies before their
 * agents. Returns the number of each.
 * Throws DuplicateReferenceIdError, UnknownParentPartnerError or InvalidTaxProfileError (naming the
 * partner and the field) before writing anything.
 */
export async function upsertPartners(
  prisma: PrismaClient,
  partners: PartnerInput[],
): Promise<{ created: number; updated: number }> {
  const byId = indexById('partner', partners);
  // A profile the tax calculation cannot read would fail the period's calculation later; reject it now.
  for (const partner of partners) parseTaxProfile(partner.taxProfile, partner.id);

  return prisma.$transaction(async (tx) => {
    const existing = await existingIds(tx.partner, [...byId.keys()]);
    const externalParents = partners.flatMap((partner) =>
      partner.parentId !== undefined && !byId.has(partner.parentId) && !existing.has(partner.parentId) ? [partner] : [],
    );
    const storedParents = await existingIds(
      tx.partner,
      externalParents.map((partner) => partner.parentId!),
    );
    const orphan = externalParents.find((partner) => !storedParents.has(partner.parentId!));
    if (orphan) throw new UnknownParentPartnerError(orphan.id, orphan.parentId!);

    const rows = sortParentsFirst(partners).map(toPartnerRow);
    const created = rows.filter((row) => !existing.has(row.id));
    if (created.length > 0) {
      await tx.partner.createMany({ data: created });
    }
    const updated = rows.filter((row) => existing.has(row.id));
    for (const row of updated) {
      await tx.partner.update({ where: { id: row.id }, data: row });
    }
    return { created: created.length, updated: updated.length };
  }, TRANSACTION_OPTIONS);
}

/**
 * Creates new products and updates known ones (matched by id). Returns the number of each.
 * Throws DuplicateReferenceIdError before writing anything.
 */
export async function upsertProducts(
  prisma: PrismaClient,
  products: ProductInput[],
): Promise<{ created: number; updated: number }> {
  const byId = indexById('product', products);

  return prisma.$transaction(async (tx) => {
    const existing = await existingIds(tx.product, [...byId.keys()]);
    const created = products.filter((product) => !existing.has(product.id));
    if (created.length > 0) {
      await tx.product.createMany({ data: created });
    }
    const updated = products.filter((product) => existing.has(product.id));
    for (const product of updated) {
      await tx.product.update({ where: { id: product.id }, data: product });
    }
    return { created: created.length, updated: updated.length };
  }, TRANSACTION_OPTIONS);
}

/**
 * Creates or updates plans and their versions, and assigns every version to each stored partner
 * of the plan's `assignTo` kinds for the version's date range. Partners loaded later get an
 * assignment on the next call; assignments are never removed. Definitions are validated and
 * stored with their defaults filled in. A version whose content is unchanged is left alone.
 * Returns the number of plans, versions and new assignments.
 * Throws, and stores nothing, when
 *  - a definition is invalid (PlanValidationError),
 *  - an id appears twice (DuplicateReferenceIdError),
 *  - a date is invalid or a version ends before it starts (RangeError),
 *  - two versions of one plan, given or stored, share a day (OverlappingPlanVersionsError),
 *  - a version with `usedAt` set would change (PlanVersionInUseError).
 */
export async function upsertPlans(
  prisma: PrismaClient,
  plans: PlanInput[],
): Promise<{ plans: number; versions: number; assignmentsCreated: number }> {
  indexById('plan', plans);
  indexById(
    'plan version',
    plans.flatMap((plan) => plan.versions),
  );
  const versions = plans.flatMap((plan) =>
    plan.versions.map((version) => ({
      planId: plan.id,
      assignTo: plan.assignTo,
      row: {
        id: version.id,
        planId: plan.id,
        version: version.version,
        ...toDateRange(version),
        definition: parsePlanDefinition(version.definition) as unknown as Prisma.InputJsonObject,
      },
    })),
  );

  return prisma.$transaction(async (tx) => {
    // The upserts lock the plan rows, so a concurrent call for the same plan waits here until this
    // transaction ends and then checks its versions against the ones stored here.
    for (const plan of plans) {
      await tx.plan.upsert({
        where: { id: plan.id },
        create: { id: plan.id, name: plan.name },
        update: { name: plan.name },
      });
    }
    await checkVersionsDoNotOverlap(
      tx,
      versions.map((version) => version.row),
    );

    const stored = await tx.planVersion.findMany({ where: { id: { in: versions.map((version) => version.row.id) } } });
    const storedById = new Map(stored.map((version) => [version.id, version]));
    for (const { planId, row } of versions) {
      const current = storedById.get(row.id);
      if (!current) {
        await tx.planVersion.create({ data: row });
        continue;
      }
      if (sameVersionContent(current, row)) continue;
      if (current.usedAt !== null) {
        throw new PlanVersionInUseError(planId, row.id, current.usedAt.toISOString());
      }
      await tx.planVersion.update({ where: { id: row.id }, data: row });
      await tx.planAssignment.updateMany({
        where: { planVersionId: row.id },
        data: { effectiveFrom: row.effectiveFrom, effectiveTo: row.effectiveTo },
      });
    }

    let assignmentsCreated = 0;
    for (const { assignTo, row } of versions) {
      assignmentsCreated += await assignVersion(tx, row, assignTo);
    }
    return { plans: plans.length, versions: versions.length, assignmentsCreated };
  }, TRANSACTION_OPTIONS);
}

async function assignVersion(
  tx: Prisma.TransactionClient,
  version: { id: string; effectiveFrom: Date; effectiveTo: Date | null },
  kinds: PartnerKind[],
): Promise<number> {
  const partners = await tx.partner.findMany({ where: { kind: { in: kinds } }, select: { id: true } });
  const assigned = await tx.planAssignment.findMany({
    where: { planVersionId: version.id },
    select: { partnerId: true },
  });
  const assignedIds = new Set(assigned.map((assignment) => assignment.partnerId));
  const missing = partners.filter((partner) => !assignedIds.has(partner.id));
  if (missing.length === 0) return 0;

  const result = await tx.planAssignment.createMany({
    data: missing.map((partner) => ({
      planVersionId: version.id,
      partnerId: partner.id,
      effectiveFrom: version.effectiveFrom,
      effectiveTo: version.effectiveTo,
    })),
  });
  return result.count;
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

/** Parses a version's dates. Throws RangeError for an invalid date or a range that ends before it starts. */
function toDateRange(version: PlanVersionInput): { effectiveFrom: Date; effectiveTo: Date | null } {
  const effectiveFrom = toDate(version.effectiveFrom);
  const effectiveTo = version.effectiveTo === null ? null : toDate(version.effectiveTo);
  if (effectiveTo !== null && effectiveTo < effectiveFrom) {
    throw new RangeError(
      `plan version ${version.id} ends on ${version.effectiveTo} before it starts on ${version.effectiveFrom}; ` +
        'set effectiveTo to effectiveFrom or later',
    );
  }
  return { effectiveFrom, effectiveTo };
}

function toDate(day: string): Date {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(Date.parse(`${day}T00:00:00Z`))) {
    throw new RangeError(`invalid date ${JSON.stringify(day)}; write it as YYYY-MM-DD`);
  }
  return new Date(`${day}T00:00:00.000Z`);
}

function toPartnerRow(partner: PartnerInput): Prisma.PartnerCreateManyInput {
  return {
    id: partner.id,
    salesforceId: partner.salesforceId,
    name: partner.name,
    kind: partner.kind,
    parentId: partner.parentId ?? null,
    territory: partner.territory,
    country: partner.taxProfile.country,
    email: partner.email,
    sapVendorId: partner.sapVendorId,
    taxProfile: partner.taxProfile as unknown as Prisma.InputJsonObject,
  };
}

/** Orders partners so that every parent in the list comes before its agents. */
function sortParentsFirst(partners: PartnerInput[]): PartnerInput[] {
  const byId = new Map(partners.map((partner) => [partner.id, partner]));
  const depth = (partner: PartnerInput): number => {
    let levels = 0;
    let parentId = partner.parentId;
    while (parentId !== undefined && byId.has(parentId) && levels <= byId.size) {
      levels += 1;
      parentId = byId.get(parentId)!.parentId;
    }
    return levels;
  };
  return partners
    .map((partner) => ({ partner, depth: depth(partner) }))
    .sort((left, right) => left.depth - right.depth)
    .map((entry) => entry.partner);
}

function indexById<T extends { id: string }>(entity: DuplicateReferenceIdError['entity'], items: T[]): Map<string, T> {
  const byId = new Map<string, T>();
  for (const item of items) {
    if (byId.has(item.id)) throw new DuplicateReferenceIdError(entity, item.id);
    byId.set(item.id, item);
  }
  return byId;
}

async function existingIds(
  delegate: { findMany(args: { where: { id: { in: string[] } }; select: { id: true } }): Promise<{ id: string }[]> },
  ids: string[],
): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await delegate.findMany({ where: { id: { in: ids } }, select: { id: true } });
  return new Set(rows.map((row) => row.id));
}
