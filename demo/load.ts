/**
 * Loads Salesforce records into the database, read either from the files written by
 * `writeDemoData` or through the jsforce connector. Both paths share one loader: records go
 * through integrations/salesforce/mapping.ts, reference data is upserted, and order events are
 * ingested idempotently, so a second load stores nothing new.
 */
import type { FetchProgress, SalesforceConnector } from '../integrations/salesforce/connector.js';
import { mapAccountToPartner, mapOrderRecordsToEvents, mapProduct } from '../integrations/salesforce/mapping.js';
import { ingestOrderEvents } from '../store/order-events.js';
import type { PrismaClient } from '../store/prisma.js';
import { upsertPlans } from '../store/plans.js';
import { upsertPartners, upsertProducts } from '../store/reference-data.js';
import { readDemoFiles, type SalesforceRecords } from './files.js';
import { DEMO_PLANS, type DemoPlan } from './plans.js';

export { DemoDataFileError, readDemoFiles } from './files.js';

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

export interface LoadResult {
  /** Number of partners, products and plans upserted. */
  partners: number;
  products: number;
  plans: number;
  events: { accepted: number; duplicate: number; rejected: number };
  /** Ids of the events accepted by this load, by pay period, for signalling the period workflows. */
  acceptedEventIdsByPeriod: Record<string, string[]>;
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

  const events = mapOrderRecordsToEvents(records.orders, records.orderItems, records.orderHistories);
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
