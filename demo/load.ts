/**
 * Loads the files written by `writeDemoData` into the database the way the Salesforce connector
 * will: records go through integrations/salesforce/mapping.ts, reference data is upserted, and
 * order events are ingested idempotently, so a second load stores nothing new.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';

import { mapAccountToPartner, mapOrderStateEvents, mapProduct } from '../integrations/salesforce/mapping.js';
import type {
  AccountRecord,
  OrderHistoryRecord,
  OrderItemRecord,
  OrderRecord,
  Product2Record,
} from '../integrations/salesforce/records.js';
import { ingestOrderEvents, type OrderEventInput } from '../store/order-events.js';
import type { PrismaClient } from '../store/prisma.js';
import { upsertPartners, upsertPlans, upsertProducts } from '../store/reference-data.js';
import { DEMO_FILES } from './generate.js';
import type { DemoPlan } from './plans.js';

/** Events per call of `ingestOrderEvents`. */
const BATCH_SIZE = 500;

/** Progress of the event ingestion, reported after each batch. */
export interface LoadProgress {
  /** Events ingested so far. */
  done: number;
  total: number;
  accepted: number;
  duplicate: number;
  rejected: number;
}

export interface LoadOptions {
  onProgress?: (progress: LoadProgress) => void;
}

export interface LoadResult {
  /** Number of partners, products and plans upserted. */
  partners: number;
  products: number;
  plans: number;
  events: { accepted: number; duplicate: number; rejected: number };
  /** Ids of the events accepted by this load, by pay period, for signalling the period workflows. */
  acceptedEventIdsByPeriod: Record<string, string[]>;
}

/** A demo data file is missing or not in the shape `writeDemoData` writes. */
export class DemoDataFileError extends Error {
  override readonly name = 'DemoDataFileError';

  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`cannot load demo data file ${file}: ${reason}; generate the data again with writeDemoData`);
  }
}

/**
 * Loads the demo data in `dir`: upserts partners, products and plans (with an assignment per
 * partner), then ingests every order's state events in batches of 500, oldest first, reporting
 * progress after each batch. Returns the counts and the ids of the newly accepted events by period.
 * Throws DemoDataFileError for a missing or malformed file, SalesforceMappingError for a record
 * that cannot be mapped, and the errors of the store functions. Events ingested before such an
 * error stay stored, so loading again continues where it stopped.
 */
export async function loadDemoData(prisma: PrismaClient, dir: string, options: LoadOptions = {}): Promise<LoadResult> {
  const accounts = await readRecords<AccountRecord>(dir, DEMO_FILES.accounts);
  const productRecords = await readRecords<Product2Record>(dir, DEMO_FILES.products);
  const orders = await readRecords<OrderRecord>(dir, DEMO_FILES.orders);
  const items = await readRecords<OrderItemRecord>(dir, DEMO_FILES.orderItems);
  const histories = await readRecords<OrderHistoryRecord>(dir, DEMO_FILES.orderHistories);
  const plans = await readPlans(dir);

  const partners = accounts.map(mapAccountToPartner);
  const products = productRecords.map(mapProduct);
  await upsertPartners(prisma, partners);
  await upsertProducts(prisma, products);
  await upsertPlans(prisma, plans);

  const events = orderEvents(orders, items, histories);
  const progress: LoadProgress = { done: 0, total: events.length, accepted: 0, duplicate: 0, rejected: 0 };
  const acceptedEventIdsByPeriod: Record<string, string[]> = {};
  for (let start = 0; start < events.length; start += BATCH_SIZE) {
    const results = await ingestOrderEvents(prisma, events.slice(start, start + BATCH_SIZE));
    for (const result of results) {
      progress[result.status] += 1;
      if (result.status === 'accepted') {
        (acceptedEventIdsByPeriod[result.periodId] ??= []).push(result.eventId);
      }
    }
    progress.done += results.length;
    options.onProgress?.({ ...progress });
  }

  return {
    partners: partners.length,
    products: products.length,
    plans: plans.length,
    events: { accepted: progress.accepted, duplicate: progress.duplicate, rejected: progress.rejected },
    acceptedEventIdsByPeriod,
  };
}

/** Maps every order to its events and orders all events by time, as a CRM change feed delivers them. */
function orderEvents(
  orders: OrderRecord[],
  items: OrderItemRecord[],
  histories: OrderHistoryRecord[],
): OrderEventInput[] {
  const itemsByOrder = groupBy(items, (item) => item.OrderId);
  const historiesByOrder = groupBy(histories, (history) => history.OrderId);
  const events = orders.flatMap((order) =>
    mapOrderStateEvents(order, itemsByOrder.get(order.Id) ?? [], historiesByOrder.get(order.Id) ?? []),
  );
  // The mapping writes occurredAt in UTC with a "Z", so text order is time order. The sort is stable,
  // which keeps an order's first event ahead of a change recorded in the same millisecond.
  return events.sort((left, right) => compareText(left.occurredAt, right.occurredAt));
}

function compareText(left: string, right: string): number {
  if (left < right) return -1;
  if (left > right) return 1;
  return 0;
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group) group.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
}

async function readJson(dir: string, fileName: string): Promise<unknown> {
  const file = path.join(dir, fileName);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new DemoDataFileError(file, error instanceof Error ? error.message : String(error));
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new DemoDataFileError(file, `not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
}

/** Reads a query response file. Only the envelope is checked here, because the mapping checks each record's fields. */
async function readRecords<RecordType>(dir: string, fileName: string): Promise<RecordType[]> {
  const content = await readJson(dir, fileName);
  if (
    content === null ||
    typeof content !== 'object' ||
    !('records' in content) ||
    !Array.isArray(content.records) ||
    !('done' in content) ||
    content.done !== true
  ) {
    throw new DemoDataFileError(
      path.join(dir, fileName),
      'expected a query response { totalSize, done: true, records }',
    );
  }
  return content.records as RecordType[];
}

/** Reads plans.json. Only the list is checked here, because upsertPlans validates each definition. */
async function readPlans(dir: string): Promise<DemoPlan[]> {
  const content = await readJson(dir, DEMO_FILES.plans);
  if (!Array.isArray(content)) {
    throw new DemoDataFileError(path.join(dir, DEMO_FILES.plans), 'expected a list of plans');
  }
  return content as DemoPlan[];
}
