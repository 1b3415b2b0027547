import type { CalculationInput, PlanAssignmentInput } from '../domain/engine/types.js';
import type {
  OrderRecord,
  OrderState,
  Partner,
  PreviousPayment,
  ProductCategory,
  TaxProfile,
} from '../domain/model.js';
import { toPeriodAssignment } from '../domain/engine/period-assignments.js';
import { MILLISECONDS_PER_DAY } from '../domain/time.js';
import type { TaxRuleSet } from '../domain/tax/types.js';
import type { PrismaClient } from './prisma.js';

export interface PeriodBounds {
  periodId: string;
  startsAt: string;
  endsAt: string;
}

/** Statement statuses whose lines count as paid for later periods. */
export const SETTLED_STATEMENT_STATUSES = ['approved', 'posted', 'delivered'] as const;

/**
 * Loads everything the engine needs for one period: the orders with an accepted state change in
 * the period (with their whole accepted history), their partners and the agencies above them, the
 * plan versions assigned on any day of the period (each with the days it covers), earlier settled
 * payments for those orders, and year-to-date commissions.
 * Throws PlanValidationError when a stored plan definition is invalid, naming the field.
 */
export async function loadCalculationInput(
  prisma: PrismaClient,
  period: PeriodBounds,
  taxRules: TaxRuleSet,
): Promise<CalculationInput> {
  const startsAt = new Date(period.startsAt);
  const endsAt = new Date(period.endsAt);

  const orderIds = await prisma.orderEvent.findMany({
    where: { status: 'accepted', occurredAt: { gte: startsAt, lt: endsAt } },
    select: { orderId: true },
    distinct: ['orderId'],
  });
  const ids = orderIds.map((row) => row.orderId);

  const [orders, previousLines] = await Promise.all([
    loadOrders(prisma, ids),
    loadSettledLines(prisma, ids, period.periodId),
  ]);
  const orderPartnerIds = [...new Set(orders.map((order) => order.partnerId))].sort();
  const orderPartners = await loadPartners(prisma, orderPartnerIds);
  // Agencies are calculated with their agents, for roll-up metrics and overrides, even when they
  // have no orders of their own in the period, and so are the agencies above them.
  const agencies: Partner[] = [];
  const known = new Set(orderPartnerIds);
  let parentIds = orderPartners.flatMap((partner) => partner.parentId ?? []);
  while (parentIds.length > 0) {
    const missing = [...new Set(parentIds)].filter((id) => !known.has(id));
    const loaded = await loadPartners(prisma, missing);
    missing.forEach((id) => known.add(id));
    agencies.push(...loaded);
    parentIds = loaded.flatMap((partner) => partner.parentId ?? []);
  }
  const partnerIds = [...known].sort();

  const [assignments, yearToDateCommissions] = await Promise.all([
    loadAssignments(prisma, partnerIds, startsAt, endsAt),
    loadYearToDate(prisma, partnerIds, period.periodId),
  ]);
  const partners = [...orderPartners, ...agencies].sort((left, right) => compareText(left.id, right.id));

  return {
    period: { id: period.periodId, startsAt: period.startsAt, endsAt: period.endsAt },
    partners,
    orders,
    assignments,
    previousPayments: previousLines,
    taxRules,
    yearToDateCommissions,
  };
}

/**
 * PostgreSQL's wire protocol allows at most 65,535 bind parameters per statement, and Prisma sends
 * one per element of an `in` list, so lists of ids are queried in chunks of this size.
 */
const IDS_PER_QUERY = 10_000;

async function findInChunks<T>(ids: string[], query: (chunk: string[]) => Promise<T[]>): Promise<T[]> {
  const results: T[] = [];
  for (let start = 0; start < ids.length; start += IDS_PER_QUERY) {
    results.push(...(await query(ids.slice(start, start + IDS_PER_QUERY))));
  }
  return results;
}

async function loadOrders(prisma: PrismaClient, ids: string[]): Promise<OrderRecord[]> {
  const [rows, events] = await Promise.all([
    findInChunks(ids, (chunk) => prisma.order.findMany({ where: { id: { in: chunk } }, include: { product: true } })),
    findInChunks(ids, (chunk) =>
      prisma.orderEvent.findMany({
        where: { orderId: { in: chunk }, status: 'accepted' },
        select: { orderId: true, state: true, occurredAt: true, sourceEventId: true },
        orderBy: [{ occurredAt: 'asc' }, { sourceEventId: 'asc' }],
      }),
    ),
  ]);
  rows.sort((left, right) => compareText(left.orderNumber, right.orderNumber));
  const historyByOrder = new Map<string, typeof events>();
  for (const event of events) {
    const history = historyByOrder.get(event.orderId) ?? [];
    history.push(event);
    historyByOrder.set(event.orderId, history);
  }

  return rows.map((row) => ({
    id: row.id,
    orderNumber: row.orderNumber,
    partnerId: row.partnerId,
    productId: row.productId,
    productName: row.product.name,
    category: row.category as ProductCategory,
    territory: row.territory,
    value: row.value.toFixed(2),
    quantity: row.quantity.toString(),
    unit: row.product.unit,
    attributes: (row.attributes ?? {}) as Record<string, unknown>,
    history: (historyByOrder.get(row.id) ?? []).map((event) => ({
      state: event.state as OrderState,
      at: event.occurredAt.toISOString(),
      sourceEventId: event.sourceEventId,
    })),
  }));
}

async function loadPartners(prisma: PrismaClient, ids: string[]): Promise<Partner[]> {
  const rows = await prisma.partner.findMany({ where: { id: { in: ids } }, orderBy: { id: 'asc' } });
  return rows.map(toPartner);
}

/** Converts a partner row to the domain's Partner. */
export function toPartner(row: {
  id: string;
  name: string;
  kind: string;
  parentId: string | null;
  territory: string;
  email: string;
  sapVendorId: string;
  taxProfile: unknown;
}): Partner {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind as Partner['kind'],
    ...(row.parentId ? { parentId: row.parentId } : {}),
    territory: row.territory,
    email: row.email,
    sapVendorId: row.sapVendorId,
    taxProfile: row.taxProfile as TaxProfile,
  };
}

async function loadAssignments(
  prisma: PrismaClient,
  partnerIds: string[],
  startsAt: Date,
  endsAt: Date,
): Promise<PlanAssignmentInput[]> {
  const lastDay = new Date(endsAt.getTime() - MILLISECONDS_PER_DAY);
  const rows = await prisma.planAssignment.findMany({
    where: {
      partnerId: { in: partnerIds },
      effectiveFrom: { lte: lastDay },
      OR: [{ effectiveTo: null }, { effectiveTo: { gte: startsAt } }],
    },
    include: { planVersion: { include: { plan: true } } },
    orderBy: [{ partnerId: 'asc' }, { planVersionId: 'asc' }, { effectiveFrom: 'asc' }],
  });

  const period = { id: '', startsAt: startsAt.toISOString(), endsAt: endsAt.toISOString() };
  return rows.flatMap((row) => {
    const assignment = toPeriodAssignment(
      {
        partnerId: row.partnerId,
        planId: row.planVersion.planId,
        planVersionId: row.planVersionId,
        planName: row.planVersion.plan.name,
        definition: row.planVersion.definition,
        parameters: row.parameters as Record<string, string>,
        effectiveFrom: row.effectiveFrom.toISOString().slice(0, 10),
        effectiveTo: row.effectiveTo?.toISOString().slice(0, 10) ?? null,
      },
      period,
    );
    return assignment === undefined ? [] : [assignment];
  });
}

async function loadSettledLines(
  prisma: PrismaClient,
  orderIds: string[],
  periodId: string,
): Promise<PreviousPayment[]> {
  const rows = await findInChunks(orderIds, (chunk) =>
    prisma.commissionLine.findMany({
      where: {
        orderId: { in: chunk },
        statement: { periodId: { not: periodId }, status: { in: [...SETTLED_STATEMENT_STATUSES] } },
      },
      select: { orderId: true, ruleId: true, amount: true, explanation: true, planVersionId: true },
    }),
  );

  return rows.map((row) => {
    const explanation = row.explanation as { state?: OrderState; planId?: string };
    return {
      orderId: row.orderId ?? '',
      ruleId: row.ruleId,
      state: explanation.state ?? 'cancelled',
      amount: row.amount.toFixed(2),
      ...(explanation.planId ? { planId: explanation.planId } : {}),
      planVersionId: row.planVersionId,
    };
  });
}

async function loadYearToDate(
  prisma: PrismaClient,
  partnerIds: string[],
  periodId: string,
): Promise<Record<string, string>> {
  const year = periodId.slice(0, 4);
  const sums = await prisma.statement.groupBy({
    by: ['partnerId'],
    where: {
      partnerId: { in: partnerIds },
      periodId: { gte: `${year}-01`, lt: periodId },
      status: { in: [...SETTLED_STATEMENT_STATUSES] },
    },
    _sum: { netCommission: true },
  });
  return Object.fromEntries(sums.map((row) => [row.partnerId, (row._sum.netCommission ?? 0).toFixed(2)]));
}

/** Orders two strings by UTF-16 code units, the same on every machine (unlike localeCompare). */
function compareText(left: string, right: string): number {
  if (left < right) return -1;
  if (left > right) return 1;
  return 0;
}
