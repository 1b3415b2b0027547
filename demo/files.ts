/**
 * Reads the demo data files that `writeDemoData` writes: one Salesforce query response per file,
 * and plans.json. Only the file envelopes are checked here, because the Salesforce mapping checks
 * each record's fields.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';

import type {
  AccountRecord,
  OrderHistoryRecord,
  OrderItemRecord,
  OrderRecord,
  Product2Record,
} from '../integrations/salesforce/records.js';
import { DEMO_FILES, type DemoData } from './generate.js';
import type { DemoPlan } from './plans.js';

/** The Salesforce records of one load, one list per query. */
export type SalesforceRecords = Omit<DemoData, 'plans'>;

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
 * Reads the files that `writeDemoData` wrote to `dir`. Throws DemoDataFileError for a missing or
 * malformed file; the records' fields are checked later by the mapping.
 */
export async function readDemoFiles(dir: string): Promise<DemoData> {
  return { ...(await readRecordFiles(dir)), plans: await readPlans(dir) };
}

/**
 * Reads the five Salesforce query files that `writeDemoData` wrote to `dir`, without plans.json.
 * Throws DemoDataFileError for a missing or malformed file.
 */
export async function readRecordFiles(dir: string): Promise<SalesforceRecords> {
  return {
    accounts: await readRecords<AccountRecord>(dir, DEMO_FILES.accounts),
    products: await readRecords<Product2Record>(dir, DEMO_FILES.products),
    orders: await readRecords<OrderRecord>(dir, DEMO_FILES.orders),
    orderItems: await readRecords<OrderItemRecord>(dir, DEMO_FILES.orderItems),
    orderHistories: await readRecords<OrderHistoryRecord>(dir, DEMO_FILES.orderHistories),
  };
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
