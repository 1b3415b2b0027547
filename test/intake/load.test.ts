import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { generateDemoData, writeDemoData, type DemoData } from '../../demo/generate.js';
import { DemoDataFileError, loadDemoData, type LoadProgress, type LoadResult } from '../../demo/load.js';
import { startTestDatabase, type TestDatabase } from '../support/postgres.js';

let database: TestDatabase;
let dir: string;
let data: DemoData;
let first: LoadResult;
const progress: LoadProgress[] = [];

beforeAll(async () => {
  database = await startTestDatabase();
  dir = await mkdtemp(path.join(os.tmpdir(), 'incentra-demo-'));
  data = generateDemoData({ seed: 11, partners: 60, orders: 1_500 });
  await writeDemoData(dir, data);
  first = await loadDemoData(database.prisma, dir, { onProgress: (report) => progress.push(report) });
});

afterAll(async () => {
  await database?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('loadDemoData', () => {
  it('loads partners, products and plans', async () => {
    expect(first.partners).toBe(60);
    expect(first.products).toBe(data.products.length);
    expect(first.plans).toBe(5);
    expect(await database.prisma.partner.count()).toBe(60);
    expect(await database.prisma.planAssignment.count()).toBe(60);
  });

  it('accepts every event except the 10 broken ones', async () => {
    expect(first.events).toEqual({ accepted: data.orderHistories.length - 10, duplicate: 0, rejected: 10 });
    expect(await database.prisma.orderEvent.count({ where: { status: 'rejected' } })).toBe(10);
    expect(await database.prisma.order.count()).toBe(1_500 - 8);
  });

  it('returns the accepted event ids by period', async () => {
    const ids = Object.values(first.acceptedEventIdsByPeriod).flat();

    expect(Object.keys(first.acceptedEventIdsByPeriod).sort()).toEqual(['2026-08', '2026-09', '2026-10', '2026-11']);
    expect(ids).toHaveLength(first.events.accepted);
    const november = first.acceptedEventIdsByPeriod['2026-11'] ?? [];
    expect(await database.prisma.orderEvent.count({ where: { periodId: '2026-11', status: 'accepted' } })).toBe(
      november.length,
    );
  });

  it('stores the final state of each order', async () => {
    const order = data.orders.find((candidate) => candidate.Status === 'First Bill Paid')!;

    const stored = await database.prisma.order.findUniqueOrThrow({ where: { id: order.Id } });

    expect(stored.state).toBe('first_bill_paid');
    expect(stored.value.toFixed(2)).toBe(order.TotalAmount!.toFixed(2));
    expect(stored.attributes).toMatchObject({ Annual_Consumption_kWh__c: order.Annual_Consumption_kWh__c });
  });

  it('reports progress after each batch of 500', () => {
    const total = data.orderHistories.length;

    expect(progress.map((report) => report.done)).toEqual(
      Array.from({ length: Math.ceil(total / 500) }, (_, index) => Math.min((index + 1) * 500, total)),
    );
    expect(progress.every((report) => report.total === total)).toBe(true);
  });

  it('stores nothing new on a second load', async () => {
    const reasonsBefore = await rejectionReasons();

    const second = await loadDemoData(database.prisma, dir);

    // The 10 broken events are evaluated again and rejected again, with the same reasons.
    expect(second.events).toEqual({ accepted: 0, duplicate: data.orderHistories.length - 10, rejected: 10 });
    expect(await rejectionReasons()).toEqual(reasonsBefore);
    expect(second.acceptedEventIdsByPeriod).toEqual({});
    expect(await database.prisma.orderEvent.count()).toBe(data.orderHistories.length);
    expect(await database.prisma.planAssignment.count()).toBe(60);
  });

  it('raises for a missing file', async () => {
    const empty = await mkdtemp(path.join(os.tmpdir(), 'incentra-demo-empty-'));
    try {
      await expect(loadDemoData(database.prisma, empty)).rejects.toThrow(DemoDataFileError);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });

  it('raises for a file that is not a query response', async () => {
    const broken = await mkdtemp(path.join(os.tmpdir(), 'incentra-demo-broken-'));
    try {
      await writeDemoData(broken, data);
      await writeFile(path.join(broken, 'orders.json'), JSON.stringify({ records: [] }));
      await expect(loadDemoData(database.prisma, broken)).rejects.toThrow(/orders\.json.*query response/);
    } finally {
      await rm(broken, { recursive: true, force: true });
    }
  });
});

async function rejectionReasons(): Promise<{ id: string; rejectionReason: string | null }[]> {
  return database.prisma.orderEvent.findMany({
    where: { status: 'rejected' },
    select: { id: true, rejectionReason: true },
    orderBy: { id: 'asc' },
  });
}
