import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations } from '../../store/migrate.js';
import { startTestDatabase, type TestDatabase } from '../support/postgres.js';

describe('applyMigrations', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await startTestDatabase();
  });

  afterAll(async () => {
    await database?.stop();
  });

  it('records migrations and applies nothing twice', async () => {
    const second = await applyMigrations(database.url);
    expect(second).toEqual([]);

    const rows = await database.prisma.$queryRaw<{ migration_name: string }[]>`
      SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL`;
    expect(rows.map((row) => row.migration_name).some((name) => name.endsWith('_init'))).toBe(true);
  });

  it('stores and reads decimals exactly', async () => {
    await database.prisma.product.create({
      data: { id: '01t000000000001', code: 'ELEC-BASIC', name: 'Strom Basis', category: 'electricity', unit: 'kWh' },
    });
    await database.prisma.partner.create({
      data: {
        id: 'P00001',
        salesforceId: '001000000000001',
        name: 'Agentur Nord',
        kind: 'agency',
        territory: 'DE-NORTH',
        country: 'DE',
        email: 'agentur.nord@example.com',
        sapVendorId: '100001',
        taxProfile: {},
      },
    });
    await database.prisma.order.create({
      data: {
        id: '801000000000001',
        orderNumber: '00000001',
        partnerId: 'P00001',
        productId: '01t000000000001',
        category: 'electricity',
        territory: 'DE-NORTH',
        value: '1234567.89',
        quantity: '3500',
        state: 'signed',
        stateAt: new Date('2026-11-02T10:00:00Z'),
      },
    });
    const order = await database.prisma.order.findUniqueOrThrow({ where: { id: '801000000000001' } });
    expect(order.value.toFixed(2)).toBe('1234567.89');
  });
});
