/**
 * Loads Salesforce records into the database, read either from the files written by
 * `writeDemoData` or through the jsforce connector. Both paths share one loader: records go
 * through integrations/salesforce/mapping.ts, reference data is upserted, and order events are
 * ingested idempotently, so a second load stores nothing new.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';

import type { FetchProgress, SalesforceConnector } from '../integrations/salesforce/connector.js';
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
import { DEMO_FILES, type DemoData } from './generate.js';
import { DEMO_PLANS, type DemoPlan } from './plans.js';

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

/** Options of `loadFromSalesforce`. */
export interface SalesforceLoadOptions extends LoadOptions {
  /** Plans to upsert, because plans are not Salesforce records. Default DEMO_PLANS. */
  plans?: readonly DemoPlan[];
  /** Loads only orders modified at or after this ISO 8601 date or date-time, as `fetchOrders` reads it. */
  since?: string;
  /** Receives the connector's progress after every page of records. */
  onFetchProgress?: (progress: FetchProgress) => void;
}

/** The connector methods a Salesforce load calls. */
export type SalesforceRecordSource = Pick<SalesforceConnector, 'fetchPartners' | 'fetchProducts' | 'fetchOrders'>;

/** The Salesforce records of one load, one list per query. */
type SalesforceRecords = Omit<DemoData, 'plans'>;

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
  const { plans, ...records } = await readDemoFiles(dir);
  return loadRecords(prisma, records, plans, options);
}

/**
 * Loads partners, products and orders (all, or those modified since `options.since`) through the
 * connector, and the plans from `options.plans`, exactly as `loadDemoData` loads the files.
 * Everything is fetched before anything is stored. Throws the connector's SalesforceQueryError,
 * and otherwise what `loadDemoData` throws except DemoDataFileError.
 */
export async function loadFromSalesforce(
  prisma: PrismaClient,
  connector: SalesforceRecordSource,
  options: SalesforceLoadOptions = {},
): Promise<LoadResult> {
  const fetchOptions = options.onFetchProgress ? { onProgress: options.onFetchProgress } : {};
  const accounts = await connector.fetchPartners(fetchOptions);
  const products = await connector.fetchProducts(fetchOptions);
  const orders = await connector.fetchOrders({
    ...fetchOptions,
    ...(options.since === undefined ? {} : { since: options.since }),
  });
  return loadRecords(prisma, { accounts, products, ...orders }, [...(options.plans ?? DEMO_PLANS)], options);
}

/**
 * Reads the files that `writeDemoData` wrote to `dir`. Throws DemoDataFileError for a missing or
 * malformed file; the records' fields are checked later by the mapping.
 */
export async function readDemoFiles(dir: string): Promise<DemoData> {
  return {
    accounts: await readRecords<AccountRecord>(dir, DEMO_FILES.accounts),
    products: await readRecords<Product2Record>(dir, DEMO_FILES.products),
    orders: await readRecords<OrderRecord>(dir, DEMO_FILES.orders),
    orderItems: await readRecords<OrderItemRecord>(dir, DEMO_FILES.orderItems),
    orderHistories: await readRecords<OrderHistoryRecord>(dir, DEMO_FILES.orderHistories),
    plans: await readPlans(dir),
  };
}

/** Maps the records, upserts the reference data and plans, and ingests the order events in batches. */
async function loadRecords(
  prisma: PrismaClient,
  records: SalesforceRecords,
  plans: DemoPlan[],
  options: LoadOptions,
): Promise<LoadResult> {
  const partners = records.accounts.map(mapAccountToPartner);
  const products = records.products.map(mapProduct);
  await upsertPartners(prisma, partners);
  await upsertProducts(prisma, products);
  await upsertPlans(prisma, plans);

  const events = orderEvents(records.orders, records.orderItems, records.orderHistories);
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
