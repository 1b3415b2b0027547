import { readFile, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { SalesforceRecords } from '../../demo/files.js';
import { generateDemoData, writeDemoData } from '../../demo/generate.js';
import { loadDemoData } from '../../demo/load.js';
import type { OrderRecord, Partner } from '../../domain/model.js';
import { parseTaxRuleSet } from '../../domain/tax/rates.js';
import type { TaxRuleSet } from '../../domain/tax/types.js';
import {
  buildOrdersFromRecords,
  selectPeriodOrders,
  type OfflineOrders,
} from '../../integrations/salesforce/offline-orders.js';
import { loadCalculationInput, type PeriodBounds } from '../../store/calculation-input.js';
import { startTestDatabase, type TestDatabase } from '../support/postgres.js';
import { handWrittenRecords } from './offline-fixtures.js';

const DEMO_PERIODS = ['2026-08', '2026-09', '2026-10', '2026-11'];

let database: TestDatabase;
let dir: string;
let taxRules: TaxRuleSet;
let demoRecords: SalesforceRecords;
let demoOffline: OfflineOrders;
let handOffline: OfflineOrders;

/** Writes the records with an empty plan list to a new folder under `dir` and loads them. */
async function loadIntoDatabase(name: string, records: SalesforceRecords): Promise<void> {
  const recordsDir = path.join(dir, name);
  await writeDemoData(recordsDir, { ...records, plans: [] });
  await loadDemoData(database.prisma, recordsDir);
}

function periodBounds(periodId: string): PeriodBounds {
  const [year, month] = periodId.split('-').map(Number) as [number, number];
  return {
    periodId,
    startsAt: new Date(Date.UTC(year, month - 1, 1)).toISOString(),
    endsAt: new Date(Date.UTC(year, month, 1)).toISOString(),
  };
}

async function databaseOrders(period: PeriodBounds): Promise<{ partners: Partner[]; orders: OrderRecord[] }> {
  const input = await loadCalculationInput(database.prisma, period, taxRules);
  return { partners: sortById(input.partners), orders: sortByOrderNumber(input.orders) };
}

function offlineOrders(offline: OfflineOrders, period: PeriodBounds): { partners: Partner[]; orders: OrderRecord[] } {
  const selected = selectPeriodOrders(offline, period);
  return { partners: sortById(selected.partners), orders: sortByOrderNumber(selected.orders) };
}

function compareText(left: string, right: string): number {
  if (left < right) return -1;
  if (left > right) return 1;
  return 0;
}

function sortById(partners: Partner[]): Partner[] {
  return [...partners].sort((left, right) => compareText(left.id, right.id));
}

function sortByOrderNumber(orders: OrderRecord[]): OrderRecord[] {
  return [...orders].sort((left, right) => compareText(left.orderNumber, right.orderNumber));
}

async function storedRejections(sourceEventIds: string[]) {
  const rows = await database.prisma.orderEvent.findMany({
    where: { status: 'rejected', sourceEventId: { in: sourceEventIds } },
    select: { sourceEventId: true, orderId: true, rejectionReason: true },
  });
  return bySourceEventId(
    rows.map((row) => ({ sourceEventId: row.sourceEventId, orderId: row.orderId, reason: row.rejectionReason })),
  );
}

function bySourceEventId<T extends { sourceEventId: string }>(events: T[]): T[] {
  return [...events].sort((left, right) => compareText(left.sourceEventId, right.sourceEventId));
}

beforeAll(async () => {
  database = await startTestDatabase();
  dir = await mkdtemp(path.join(os.tmpdir(), 'incentra-offline-'));
  taxRules = parseTaxRuleSet(await readFile(path.join(import.meta.dirname, '../../data/tax-rates.json'), 'utf8'));

  const { plans: _plans, ...records } = generateDemoData({ seed: 29, partners: 40, orders: 400 });
  demoRecords = records;
  demoOffline = buildOrdersFromRecords(demoRecords);
  await loadIntoDatabase('demo', demoRecords);

  handOffline = buildOrdersFromRecords(handWrittenRecords());
  await loadIntoDatabase('hand-written', handWrittenRecords());
});

afterAll(async () => {
  await database?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('offline orders against the database', () => {
  it.each(DEMO_PERIODS)('match loadCalculationInput for demo period %s', async (periodId) => {
    const fromDatabase = await databaseOrders(periodBounds(periodId));
    const offline = offlineOrders(demoOffline, periodBounds(periodId));

    expect(offline.orders.length).toBeGreaterThan(0);
    expect(offline.orders.map((order) => order.id)).toEqual(fromDatabase.orders.map((order) => order.id));
    expect(offline.orders).toEqual(fromDatabase.orders);
    expect(offline.partners).toEqual(fromDatabase.partners);
  });

  it('reject the same demo events as ingestion', async () => {
    const sourceEventIds = demoRecords.orderHistories.map((row) => row.Id);

    const stored = await storedRejections(sourceEventIds);

    expect(demoOffline.rejected.length).toBeGreaterThan(0);
    expect(bySourceEventId(demoOffline.rejected)).toEqual(stored);
  });

  it('count the stored orders and accepted events', async () => {
    const demoOrderIds = demoRecords.orders.map((order) => order.Id);
    const acceptedEvents = demoOffline.orders.reduce((sum, order) => sum + order.history.length, 0);

    expect(demoOffline.orders).toHaveLength(await database.prisma.order.count({ where: { id: { in: demoOrderIds } } }));
    expect(acceptedEvents).toBe(
      await database.prisma.orderEvent.count({ where: { status: 'accepted', orderId: { in: demoOrderIds } } }),
    );
  });

  it('match loadCalculationInput for the hand-written records', async () => {
    const fromDatabase = await databaseOrders(periodBounds('2030-03'));
    const offline = offlineOrders(handOffline, periodBounds('2030-03'));

    expect(offline.orders.map((order) => order.orderNumber)).toEqual(['09000001', '09000002', '09000004']);
    expect(offline.orders).toEqual(fromDatabase.orders);
    expect(offline.partners).toEqual(fromDatabase.partners);
  });

  it('match loadCalculationInput for an agent without its agency', async () => {
    // Only the agent P90002 has orders with events in this window, so its agency P90001 has none.
    const window = { periodId: '2030-03', startsAt: '2030-03-02T00:00:00.000Z', endsAt: '2030-03-09T00:00:00.000Z' };

    const fromDatabase = await databaseOrders(window);
    const offline = offlineOrders(handOffline, window);

    expect(offline.orders.map((order) => order.orderNumber)).toEqual(['09000001', '09000002']);
    expect(offline.orders).toEqual(fromDatabase.orders);
    expect(offline.partners).toEqual(fromDatabase.partners);
  });

  it('reject the same hand-written events as ingestion', async () => {
    const sourceEventIds = handWrittenRecords().orderHistories.map((row) => row.Id);

    expect(bySourceEventId(handOffline.rejected)).toEqual(await storedRejections(sourceEventIds));
  });
});
