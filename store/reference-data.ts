/**
 * Bulk upserts of the reference data that order events point to: partners and products (plans
 * are in plans.ts). Each function writes in one transaction, with one INSERT
 * for all new rows.
 */
import type { Partner, ProductCategory } from '../domain/model.js';
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

export const TRANSACTION_OPTIONS = { maxWait: 10_000, timeout: 60_000 };

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

export function indexById<T extends { id: string }>(
  entity: DuplicateReferenceIdError['entity'],
  items: T[],
): Map<string, T> {
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
