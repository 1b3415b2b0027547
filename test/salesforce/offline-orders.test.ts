import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { DEMO_FILES, generateDemoData, writeDemoData } from '../../demo/generate.js';
import { InvalidOrderEventError } from '../../domain/orders/order-event-schema.js';
import { SalesforceMappingError } from '../../integrations/salesforce/mapping.js';
import { buildOrdersFromRecords, selectPeriodOrders } from '../../integrations/salesforce/offline-orders.js';
import { readSalesforceRecordsFile, SalesforceRecordsFileError } from '../../integrations/salesforce/records-file.js';
import { DuplicateReferenceIdError, UnknownParentPartnerError } from '../../store/reference-data.js';
import { account, AGENCY_ID, handWrittenRecords, history, ORDER_IDS } from './offline-fixtures.js';

const MARCH_2030 = { startsAt: '2030-03-01T00:00:00.000Z', endsAt: '2030-04-01T00:00:00.000Z' };

describe('buildOrdersFromRecords', () => {
  const offline = buildOrdersFromRecords(handWrittenRecords());
  const orderById = new Map(offline.orders.map((order) => [order.id, order]));
  const rejectionsOf = (orderId: string) => offline.rejected.filter((event) => event.orderId === orderId);

  it('rejects a state change after cancellation', () => {
    const order = orderById.get(ORDER_IDS.cancelledThenValidated);

    expect(order?.history.map((change) => change.state)).toEqual(['signed', 'cancelled']);
    expect(rejectionsOf(ORDER_IDS.cancelledThenValidated)).toEqual([
      {
        sourceEventId: '0179Z0000000013AAA',
        orderId: ORDER_IDS.cancelledThenValidated,
        reason:
          `order ${ORDER_IDS.cancelledThenValidated} is cancelled since 2030-03-05T10:00:00.000Z; ` +
          'it accepts no later state change (received validated at 2030-03-08T11:00:00.000Z)',
      },
    ]);
  });

  it('rejects an installation state on a supply order', () => {
    const order = orderById.get(ORDER_IDS.mixedKinds);

    expect(order?.history.map((change) => change.state)).toEqual(['signed']);
    expect(rejectionsOf(ORDER_IDS.mixedKinds)).toEqual([
      {
        sourceEventId: '0179Z0000000022AAA',
        orderId: ORDER_IDS.mixedKinds,
        reason: `state installed belongs to installation orders, but order ${ORDER_IDS.mixedKinds} is a supply order (state signed)`,
      },
    ]);
  });

  it('rejects every event of an order of an unknown partner', () => {
    expect(orderById.has(ORDER_IDS.unknownPartner)).toBe(false);
    expect(rejectionsOf(ORDER_IDS.unknownPartner)).toEqual([
      {
        sourceEventId: '0179Z0000000031AAA',
        orderId: ORDER_IDS.unknownPartner,
        reason: 'unknown partner P99999; load the partner before its orders',
      },
      {
        sourceEventId: '0179Z0000000032AAA',
        orderId: ORDER_IDS.unknownPartner,
        reason:
          `order ${ORDER_IDS.unknownPartner} is unknown and the event has no order fields; ` +
          "send them with the order's first event",
      },
    ]);
  });

  it('builds an accepted order as the database stores it', () => {
    expect(orderById.get(ORDER_IDS.installation)).toEqual({
      id: ORDER_IDS.installation,
      orderNumber: '09000004',
      partnerId: 'P90001',
      productId: '01t9Z0000000002AAA',
      productName: 'Photovoltaikanlage Komplett',
      category: 'pv',
      territory: 'DE-NORTH',
      value: '14990.50',
      quantity: '6.4',
      unit: 'kWp',
      attributes: {
        Campaign_Code__c: 'FRUEHLING30-DE',
        Installed_Capacity_kWp__c: 6.4,
        Install_Completed_Within_SLA__c: true,
        Customer_Reference__c: null,
      },
      history: [
        { state: 'assigned', at: '2030-03-01T08:30:00.000Z', sourceEventId: '0179Z0000000041AAA' },
        { state: 'installed', at: '2030-03-10T14:00:00.000Z', sourceEventId: '0179Z0000000043AAA' },
        // The history row delivered twice is a duplicate, so it appears once.
        { state: 'commissioned', at: '2030-03-12T16:00:00.000Z', sourceEventId: '0179Z0000000042AAA' },
      ],
    });
  });

  it('sorts orders by order number and partners by id', () => {
    expect(offline.orders.map((order) => order.orderNumber)).toEqual(['09000001', '09000002', '09000004']);
    expect(offline.partners.map((partner) => partner.id)).toEqual(['P90001', 'P90002']);
    expect(offline.partners[1]?.parentId).toBe('P90001');
    expect(offline.partners[1]).not.toHaveProperty('salesforceId');
    expect(offline.products.map((product) => product.category)).toEqual(['electricity', 'pv']);
  });

  it('rejects a reused history id with other content', () => {
    const records = handWrittenRecords();
    records.orderHistories.push(
      history(
        '0179Z0000000043AAA',
        ORDER_IDS.installation,
        { from: 'Installed', to: 'Cancelled' },
        '2030-03-20T09:00:00.000+0000',
      ),
    );

    const result = buildOrdersFromRecords(records);

    const reused = result.rejected.filter((event) => event.sourceEventId === '0179Z0000000043AAA');
    expect(reused).toHaveLength(1);
    expect(reused[0]?.reason).toMatch(/^source event id 0179Z0000000043AAA was already used for a different event/);
    const order = result.orders.find((candidate) => candidate.id === ORDER_IDS.installation);
    expect(order?.history.map((change) => change.state)).toEqual(['assigned', 'installed', 'commissioned']);
  });

  it('lists rejected events in event time order', () => {
    expect(offline.rejected.map((event) => event.sourceEventId)).toEqual([
      '0179Z0000000031AAA',
      '0179Z0000000022AAA',
      '0179Z0000000032AAA',
      '0179Z0000000013AAA',
    ]);
  });

  it('throws for a partner whose agency is missing', () => {
    const records = handWrittenRecords();
    records.accounts = records.accounts.filter((record) => record.Id !== AGENCY_ID);

    expect(() => buildOrdersFromRecords(records)).toThrow(UnknownParentPartnerError);
  });

  it('throws for a duplicate partner number', () => {
    const records = handWrittenRecords();
    records.accounts.push(account({ Id: '0019Z0000000003AAA' }));

    expect(() => buildOrdersFromRecords(records)).toThrow(DuplicateReferenceIdError);
  });

  it('throws for an order without a partner', () => {
    const records = handWrittenRecords();
    records.orders[0] = { ...records.orders[0]!, Sales_Partner__r: null };

    expect(() => buildOrdersFromRecords(records)).toThrow(SalesforceMappingError);
  });

  it('throws for an event outside the event schema', () => {
    const records = handWrittenRecords();
    records.orders[0] = { ...records.orders[0]!, OrderNumber: 'N'.repeat(65) };

    expect(() => buildOrdersFromRecords(records)).toThrow(InvalidOrderEventError);
  });

  it('accepts records without orders', () => {
    const result = buildOrdersFromRecords({ ...handWrittenRecords(), orders: [], orderItems: [], orderHistories: [] });

    expect(result.orders).toEqual([]);
    expect(result.rejected).toEqual([]);
    expect(result.partners).toHaveLength(2);
  });
});

describe('selectPeriodOrders', () => {
  const offline = buildOrdersFromRecords(handWrittenRecords());

  it('selects orders with an accepted event in the period', () => {
    const selected = selectPeriodOrders(offline, MARCH_2030);

    expect(selected.orders.map((order) => order.orderNumber)).toEqual(['09000001', '09000002', '09000004']);
    expect(selected.partners.map((partner) => partner.id)).toEqual(['P90001', 'P90002']);
  });

  it('uses an inclusive start and an exclusive end', () => {
    // The installation's last accepted event is at 2030-03-12T16:00Z, and the other orders' events are earlier.
    const fromLastEvent = selectPeriodOrders(offline, {
      startsAt: '2030-03-12T16:00:00.000Z',
      endsAt: '2030-04-01T00:00:00.000Z',
    });
    const untilLastEvent = selectPeriodOrders(offline, {
      startsAt: '2030-03-10T14:00:00.001Z',
      endsAt: '2030-03-12T16:00:00.000Z',
    });

    expect(fromLastEvent.orders.map((order) => order.id)).toEqual([ORDER_IDS.installation]);
    expect(fromLastEvent.partners.map((partner) => partner.id)).toEqual(['P90001']);
    expect(untilLastEvent.orders).toEqual([]);
    expect(untilLastEvent.partners).toEqual([]);
  });

  it('adds the agency of an agent', () => {
    // Only the agent P90002 has orders with events in this window, and its agency is P90001.
    const selected = selectPeriodOrders(offline, {
      startsAt: '2030-03-02T00:00:00.000Z',
      endsAt: '2030-03-09T00:00:00.000Z',
    });

    expect(selected.orders.map((order) => order.partnerId)).toEqual(['P90002', 'P90002']);
    expect(selected.partners.map((partner) => partner.id)).toEqual(['P90001', 'P90002']);
  });

  it('ignores rejected events', () => {
    // Only the rejected validated event of the cancelled order falls into this window.
    const selected = selectPeriodOrders(offline, {
      startsAt: '2030-03-08T00:00:00.000Z',
      endsAt: '2030-03-09T00:00:00.000Z',
    });

    expect(selected.orders).toEqual([]);
  });

  it('throws for a bound that is not a date-time', () => {
    expect(() => selectPeriodOrders(offline, { startsAt: '2030-13', endsAt: MARCH_2030.endsAt })).toThrow(RangeError);
  });
});

describe('readSalesforceRecordsFile', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'incentra-records-'));
  });

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('reads one JSON file and ignores other members', async () => {
    const records = handWrittenRecords();
    const file = path.join(dir, 'records.json');
    await writeFile(file, JSON.stringify({ ...records, plans: [] }));

    expect(await readSalesforceRecordsFile(file)).toEqual(records);
  });

  it('reads a demo data directory without plans.json', async () => {
    const { plans: _plans, ...records } = generateDemoData({ seed: 3, partners: 40, orders: 100 });
    const demoDir = path.join(dir, 'demo');
    await writeDemoData(demoDir, { ...records, plans: [] });
    await rm(path.join(demoDir, DEMO_FILES.plans));

    expect(await readSalesforceRecordsFile(demoDir)).toEqual(records);
  });

  it('names the file and every missing member', async () => {
    const file = path.join(dir, 'partial.json');
    await writeFile(file, JSON.stringify({ accounts: [], products: [], orders: {} }));

    const error = await readSalesforceRecordsFile(file).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(SalesforceRecordsFileError);
    expect((error as SalesforceRecordsFileError).file).toBe(file);
    expect((error as Error).message).toContain(file);
    expect((error as Error).message).toContain('member orders must be a list of Order records, not an object');
    expect((error as Error).message).toContain('member orderItems is missing');
    expect((error as Error).message).toContain('member orderHistories is missing');
  });

  it('names a record that is not an object', async () => {
    const file = path.join(dir, 'bad-record.json');
    const records = handWrittenRecords();
    await writeFile(file, JSON.stringify({ ...records, orderItems: [...records.orderItems, 42] }));

    await expect(readSalesforceRecordsFile(file)).rejects.toThrow(
      'orderItems[4] must be a record object, not the number 42',
    );
  });

  it('names the missing file of a directory', async () => {
    const partialDir = path.join(dir, 'partial');
    await writeDemoData(partialDir, { ...handWrittenRecords(), plans: [] });
    await rm(path.join(partialDir, DEMO_FILES.orderItems));

    const error = await readSalesforceRecordsFile(partialDir).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(SalesforceRecordsFileError);
    expect((error as SalesforceRecordsFileError).file).toBe(path.join(partialDir, DEMO_FILES.orderItems));
  });

  it('rejects a file that is not JSON', async () => {
    const file = path.join(dir, 'broken.json');
    await writeFile(file, '{"accounts": [');

    await expect(readSalesforceRecordsFile(file)).rejects.toThrow(/broken\.json: not valid JSON/);
  });

  it('rejects a path that does not exist', async () => {
    await expect(readSalesforceRecordsFile(path.join(dir, 'missing.json'))).rejects.toThrow(SalesforceRecordsFileError);
  });
});
