import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import {
  ingestOrderEvents,
  InvalidOrderEventError,
  listOrderEvents,
  periodOf,
  validateOrderEventBatch,
  type OrderEventInput,
} from '../../store/order-events.js';
import { startTestDatabase, type TestDatabase } from '../support/postgres.js';

let database: TestDatabase;

beforeAll(async () => {
  database = await startTestDatabase();
  await database.prisma.partner.create({
    data: {
      id: 'P00001',
      salesforceId: '001000000000001AAA',
      name: 'Vertriebsagentur Nordlicht GmbH',
      kind: 'agency',
      territory: 'DE-NORTH',
      country: 'DE',
      email: 'info@nordlicht.example',
      sapVendorId: '100001',
      taxProfile: {},
    },
  });
  await database.prisma.partner.create({
    data: {
      id: 'P00002',
      salesforceId: '001000000000002AAA',
      name: 'Energieberatung Süd GmbH',
      kind: 'agency',
      territory: 'DE-SOUTH',
      country: 'DE',
      email: 'info@sued.example',
      sapVendorId: '100002',
      taxProfile: {},
    },
  });
  await database.prisma.product.create({
    data: { id: '01t000000000001AAA', code: 'ELEC-HOME', name: 'Strom Zuhause', category: 'electricity', unit: 'kWh' },
  });
});

afterAll(async () => {
  await database?.stop();
});

beforeEach(async () => {
  await database.prisma.orderEvent.deleteMany();
  await database.prisma.order.deleteMany();
});

let sequence = 0;

/** Returns a signed event that creates order `orderId` for P00001 with the electricity product. */
function firstEvent(orderId: string, overrides: Partial<OrderEventInput> = {}): OrderEventInput {
  sequence += 1;
  return {
    sourceEventId: `evt-${sequence}`,
    source: 'salesforce',
    orderId,
    state: 'signed',
    occurredAt: '2026-11-02T09:00:00Z',
    order: {
      orderNumber: `N-${orderId}`,
      partnerId: 'P00001',
      productId: '01t000000000001AAA',
      value: '1120.50',
      quantity: '3500',
      attributes: { Campaign_Code__c: 'WINTER26-DE', Annual_Consumption_kWh__c: 3500, Customer_Is_Business__c: false },
    },
    ...overrides,
  };
}

function laterEvent(orderId: string, state: OrderEventInput['state'], occurredAt: string): OrderEventInput {
  sequence += 1;
  return { sourceEventId: `evt-${sequence}`, source: 'salesforce', orderId, state, occurredAt };
}

describe('ingestOrderEvents', () => {
  it('accepts a first event and creates the order', async () => {
    const [result] = await ingestOrderEvents(database.prisma, [firstEvent('801A')]);

    expect(result?.status).toBe('accepted');
    expect(result?.periodId).toBe('2026-11');
    const order = await database.prisma.order.findUniqueOrThrow({ where: { id: '801A' } });
    expect(order.state).toBe('signed');
    expect(order.signedAt?.toISOString()).toBe('2026-11-02T09:00:00.000Z');
    expect(order.category).toBe('electricity');
    expect(order.territory).toBe('DE-NORTH');
    expect(order.value.toFixed(2)).toBe('1120.50');
    expect(order.attributes).toEqual({
      Campaign_Code__c: 'WINTER26-DE',
      Annual_Consumption_kWh__c: 3500,
      Customer_Is_Business__c: false,
    });
    const stored = await database.prisma.orderEvent.findUniqueOrThrow({ where: { id: result!.eventId } });
    expect(stored.status).toBe('accepted');
    expect(stored.payload).toMatchObject({ sourceEventId: result!.sourceEventId, state: 'signed' });
  });

  it('moves the order to its newest state only', async () => {
    await ingestOrderEvents(database.prisma, [
      firstEvent('801B'),
      laterEvent('801B', 'supply_active', '2026-11-25T08:00:00Z'),
      laterEvent('801B', 'validated', '2026-11-06T10:00:00Z'),
    ]);

    const order = await database.prisma.order.findUniqueOrThrow({ where: { id: '801B' } });
    expect(order.state).toBe('supply_active');
    expect(order.stateAt.toISOString()).toBe('2026-11-25T08:00:00.000Z');
    expect(await database.prisma.orderEvent.count({ where: { orderId: '801B', status: 'accepted' } })).toBe(3);
  });

  it('keeps the earliest signed time as signedAt', async () => {
    const signed = firstEvent('801C', { state: 'validated', occurredAt: '2026-11-05T10:00:00Z' });
    await ingestOrderEvents(database.prisma, [signed]);
    await ingestOrderEvents(database.prisma, [laterEvent('801C', 'signed', '2026-11-01T12:00:00Z')]);

    const order = await database.prisma.order.findUniqueOrThrow({ where: { id: '801C' } });
    expect(order.state).toBe('validated');
    expect(order.signedAt?.toISOString()).toBe('2026-11-01T12:00:00.000Z');
  });

  it('reports a repeated sourceEventId as duplicate', async () => {
    const event = firstEvent('801D');
    const [first] = await ingestOrderEvents(database.prisma, [event]);
    const [second] = await ingestOrderEvents(database.prisma, [event]);

    expect(second).toEqual({
      sourceEventId: event.sourceEventId,
      status: 'duplicate',
      eventId: first!.eventId,
      periodId: '2026-11',
      storedStatus: 'accepted',
    });
    expect(await database.prisma.orderEvent.count()).toBe(1);
  });

  it('reports a repeat within one batch as duplicate', async () => {
    const event = firstEvent('801E');
    const results = await ingestOrderEvents(database.prisma, [event, structuredClone(event)]);

    expect(results.map((result) => result.status)).toEqual(['accepted', 'duplicate']);
    expect(results[1]?.eventId).toBe(results[0]?.eventId);
    expect(await database.prisma.orderEvent.count()).toBe(1);
    const order = await database.prisma.order.findUniqueOrThrow({ where: { id: '801E' } });
    expect(order.state).toBe('signed');
  });

  it('stores each event once when calls race', async () => {
    const events = Array.from({ length: 200 }, (_, index) => firstEvent(`801F${index}`));

    const calls = await Promise.all([1, 2, 3].map(() => ingestOrderEvents(database.prisma, events)));

    for (const [index, event] of events.entries()) {
      const statuses = calls.map((results) => results[index]?.status).sort();
      expect(statuses, event.sourceEventId).toEqual(['accepted', 'duplicate', 'duplicate']);
      const eventIds = new Set(calls.map((results) => results[index]?.eventId));
      expect(eventIds.size, event.sourceEventId).toBe(1);
    }
    expect(await database.prisma.orderEvent.count()).toBe(200);
    expect(await database.prisma.order.count()).toBe(200);
  });

  it('rejects an unknown partner and stores the reason', async () => {
    const event = firstEvent('801G');
    event.order!.partnerId = 'P09999';
    const [result] = await ingestOrderEvents(database.prisma, [event]);

    expect(result?.status).toBe('rejected');
    expect(result?.reason).toContain('unknown partner P09999');
    const stored = await database.prisma.orderEvent.findUniqueOrThrow({ where: { id: result!.eventId } });
    expect(stored.status).toBe('rejected');
    expect(stored.rejectionReason).toBe(result?.reason);
    expect(await database.prisma.order.count()).toBe(0);
  });

  it('rejects an unknown product', async () => {
    const event = firstEvent('801H');
    event.order!.productId = '01t00000000OLD1AAA';
    const [result] = await ingestOrderEvents(database.prisma, [event]);

    expect(result?.status).toBe('rejected');
    expect(result?.reason).toContain('unknown product 01t00000000OLD1AAA');
  });

  it('rejects an unknown order without order fields', async () => {
    const [result] = await ingestOrderEvents(database.prisma, [
      laterEvent('801I', 'validated', '2026-11-03T09:00:00Z'),
    ]);

    expect(result?.status).toBe('rejected');
    expect(result?.reason).toContain('order 801I is unknown');
  });

  it('rejects a rejected event sent again unchanged', async () => {
    const event = laterEvent('801J', 'validated', '2026-11-03T09:00:00Z');
    const [first] = await ingestOrderEvents(database.prisma, [event]);
    const [second] = await ingestOrderEvents(database.prisma, [event]);

    expect(second?.status).toBe('rejected');
    expect(second?.eventId).toBe(first?.eventId);
    expect(second?.reason).toBe(first?.reason);
    expect(await database.prisma.orderEvent.count()).toBe(1);
  });

  it('rejects a state after cancellation', async () => {
    const results = await ingestOrderEvents(database.prisma, [
      firstEvent('801K'),
      laterEvent('801K', 'cancelled', '2026-11-05T09:00:00Z'),
      laterEvent('801K', 'validated', '2026-11-06T09:00:00Z'),
      laterEvent('801K', 'validated', '2026-11-04T09:00:00Z'),
    ]);

    expect(results.map((result) => result.status)).toEqual(['accepted', 'accepted', 'rejected', 'accepted']);
    expect(results[2]?.reason).toContain('order 801K is cancelled since 2026-11-05T09:00:00.000Z');
    const order = await database.prisma.order.findUniqueOrThrow({ where: { id: '801K' } });
    expect(order.state).toBe('cancelled');
  });

  it('rejects an installation state on a supply order', async () => {
    const results = await ingestOrderEvents(database.prisma, [
      firstEvent('801L'),
      laterEvent('801L', 'installed', '2026-11-05T09:00:00Z'),
    ]);

    expect(results[1]?.status).toBe('rejected');
    expect(results[1]?.reason).toContain('state installed belongs to installation orders');
  });

  it('rejects an order number used by another order', async () => {
    const first = firstEvent('801M');
    const second = firstEvent('801N');
    second.order!.orderNumber = first.order!.orderNumber;
    const results = await ingestOrderEvents(database.prisma, [first, second]);

    expect(results[1]?.status).toBe('rejected');
    expect(results[1]?.reason).toBe('order number N-801M already belongs to order 801M');
  });

  it('updates order fields from the newest event', async () => {
    await ingestOrderEvents(database.prisma, [firstEvent('801O')]);
    const correction = firstEvent('801O', { state: 'validated', occurredAt: '2026-11-04T09:00:00Z' });
    correction.order!.value = '990.00';
    correction.order!.territory = 'DE-WEST';
    await ingestOrderEvents(database.prisma, [correction]);

    const order = await database.prisma.order.findUniqueOrThrow({ where: { id: '801O' } });
    expect(order.value.toFixed(2)).toBe('990.00');
    expect(order.territory).toBe('DE-WEST');
    expect(order.state).toBe('validated');
  });

  it('assigns the period by the UTC month', async () => {
    const results = await ingestOrderEvents(database.prisma, [
      // 23:30 at UTC-01:00 is 00:30 UTC on 1 December.
      firstEvent('801P', { occurredAt: '2026-11-30T23:30:00-01:00' }),
      // 00:30 at UTC+01:00 is 23:30 UTC on 30 November.
      firstEvent('801Q', { occurredAt: '2026-12-01T00:30:00+01:00' }),
    ]);

    expect(results.map((result) => result.periodId)).toEqual(['2026-12', '2026-11']);
    const stored = await database.prisma.orderEvent.findUniqueOrThrow({ where: { id: results[0]!.eventId } });
    expect(stored.periodId).toBe('2026-12');
    expect(stored.occurredAt.toISOString()).toBe('2026-12-01T00:30:00.000Z');
  });

  it('writes nothing when the transaction fails', async () => {
    // A trigger makes the database fail the insert of one event after the order rows were written.
    await database.prisma.$executeRawUnsafe(`
      CREATE FUNCTION fail_event_insert() RETURNS trigger AS $$
      BEGIN
        IF NEW.source_event_id = 'evt-fails' THEN RAISE EXCEPTION 'insert of evt-fails failed'; END IF;
        RETURN NEW;
      END $$ LANGUAGE plpgsql`);
    await database.prisma.$executeRawUnsafe(
      'CREATE TRIGGER fail_event_insert BEFORE INSERT ON order_event FOR EACH ROW EXECUTE FUNCTION fail_event_insert()',
    );
    try {
      const events = [firstEvent('801R'), firstEvent('801S', { sourceEventId: 'evt-fails' })];
      await expect(ingestOrderEvents(database.prisma, events)).rejects.toThrow(/evt-fails/);
    } finally {
      await database.prisma.$executeRawUnsafe('DROP TRIGGER fail_event_insert ON order_event');
      await database.prisma.$executeRawUnsafe('DROP FUNCTION fail_event_insert()');
    }

    expect(await database.prisma.order.count()).toBe(0);
    expect(await database.prisma.orderEvent.count()).toBe(0);
  });

  it('throws for an invalid event before storing anything', async () => {
    const invalid = { ...firstEvent('801T'), occurredAt: '2026-11-02 09:00' };

    const error = await ingestOrderEvents(database.prisma, [firstEvent('801U'), invalid]).catch((caught) => caught);
    expect(error).toBeInstanceOf(InvalidOrderEventError);
    expect((error as InvalidOrderEventError).issues[0]?.path).toBe('events[1].occurredAt');
    expect(await database.prisma.orderEvent.count()).toBe(0);
  });
});

describe('ingestOrderEvents ending orders', () => {
  it('ends the order at a back-dated cancellation', async () => {
    await ingestOrderEvents(database.prisma, [
      firstEvent('802A'),
      laterEvent('802A', 'supply_active', '2026-11-25T08:00:00Z'),
    ]);

    const [cancelled] = await ingestOrderEvents(database.prisma, [
      laterEvent('802A', 'cancelled', '2026-11-10T09:00:00Z'),
    ]);

    expect(cancelled?.status).toBe('accepted');
    const order = await database.prisma.order.findUniqueOrThrow({ where: { id: '802A' } });
    expect(order.state).toBe('cancelled');
    expect(order.stateAt.toISOString()).toBe('2026-11-10T09:00:00.000Z');
  });

  it('rejects events after back-dated cancellation', async () => {
    await ingestOrderEvents(database.prisma, [
      firstEvent('802B'),
      laterEvent('802B', 'supply_active', '2026-11-25T08:00:00Z'),
      laterEvent('802B', 'cancelled', '2026-11-10T09:00:00Z'),
    ]);

    const [after, before] = await ingestOrderEvents(database.prisma, [
      laterEvent('802B', 'first_bill_paid', '2026-11-28T09:00:00Z'),
      laterEvent('802B', 'validated', '2026-11-06T09:00:00Z'),
    ]);

    expect(after?.status).toBe('rejected');
    expect(after?.reason).toContain('order 802B is cancelled since 2026-11-10T09:00:00.000Z');
    expect(before?.status).toBe('accepted');
    const order = await database.prisma.order.findUniqueOrThrow({ where: { id: '802B' } });
    expect(order.state).toBe('cancelled');
    expect(order.stateAt.toISOString()).toBe('2026-11-10T09:00:00.000Z');
  });

  it('ends order at back-dated rejection in batch', async () => {
    const results = await ingestOrderEvents(database.prisma, [
      firstEvent('802C'),
      laterEvent('802C', 'supply_active', '2026-11-25T08:00:00Z'),
      laterEvent('802C', 'rejected', '2026-11-04T09:00:00Z'),
      laterEvent('802C', 'first_bill_paid', '2026-11-30T09:00:00Z'),
    ]);

    expect(results.map((result) => result.status)).toEqual(['accepted', 'accepted', 'accepted', 'rejected']);
    expect(results[3]?.reason).toContain('order 802C is rejected since 2026-11-04T09:00:00.000Z');
    const order = await database.prisma.order.findUniqueOrThrow({ where: { id: '802C' } });
    expect(order.state).toBe('rejected');
    expect(order.stateAt.toISOString()).toBe('2026-11-04T09:00:00.000Z');
  });

  it('moves the end to an earlier cancellation', async () => {
    await ingestOrderEvents(database.prisma, [
      firstEvent('802D'),
      laterEvent('802D', 'cancelled', '2026-11-20T09:00:00Z'),
    ]);

    const [earlier, later] = await ingestOrderEvents(database.prisma, [
      laterEvent('802D', 'cancelled', '2026-11-15T09:00:00Z'),
      laterEvent('802D', 'cancelled', '2026-11-18T09:00:00Z'),
    ]);

    expect(earlier?.status).toBe('accepted');
    expect(later?.status).toBe('rejected');
    const order = await database.prisma.order.findUniqueOrThrow({ where: { id: '802D' } });
    expect(order.stateAt.toISOString()).toBe('2026-11-15T09:00:00.000Z');
  });
});

describe('ingestOrderEvents partner changes', () => {
  it('rejects an order block naming another partner', async () => {
    await ingestOrderEvents(database.prisma, [firstEvent('803A')]);
    const moved = firstEvent('803A', { state: 'validated', occurredAt: '2026-11-04T09:00:00Z' });
    moved.order!.partnerId = 'P00002';

    const [result] = await ingestOrderEvents(database.prisma, [moved]);

    expect(result?.status).toBe('rejected');
    expect(result?.reason).toBe(
      'order 803A belongs to partner P00001, but the event names partner P00002; an order cannot move to ' +
        'another partner, so cancel order 803A and create a new order for partner P00002',
    );
    const stored = await database.prisma.orderEvent.findUniqueOrThrow({ where: { id: result!.eventId } });
    expect(stored.status).toBe('rejected');
    const order = await database.prisma.order.findUniqueOrThrow({ where: { id: '803A' } });
    expect(order.partnerId).toBe('P00001');
    expect(order.state).toBe('signed');
  });

  it('rejects a partner change within one batch', async () => {
    const moved = firstEvent('803B', { state: 'validated', occurredAt: '2026-11-04T09:00:00Z' });
    moved.order!.partnerId = 'P00002';

    const results = await ingestOrderEvents(database.prisma, [firstEvent('803B'), moved]);

    expect(results.map((result) => result.status)).toEqual(['accepted', 'rejected']);
    const order = await database.prisma.order.findUniqueOrThrow({ where: { id: '803B' } });
    expect(order.partnerId).toBe('P00001');
  });
});

describe('ingestOrderEvents resubmissions', () => {
  it('accepts rejected event after partner load', async () => {
    const event = firstEvent('804A');
    event.order!.partnerId = 'P00003';
    const [first] = await ingestOrderEvents(database.prisma, [event]);
    await database.prisma.partner.create({
      data: {
        id: 'P00003',
        salesforceId: '001000000000003AAA',
        name: 'Solarteam West GmbH',
        kind: 'installer',
        territory: 'DE-WEST',
        country: 'DE',
        email: 'info@solarteam.example',
        sapVendorId: '100003',
        taxProfile: {},
      },
    });

    const [second] = await ingestOrderEvents(database.prisma, [event]);

    expect(first?.status).toBe('rejected');
    expect(second).toEqual({
      sourceEventId: event.sourceEventId,
      status: 'accepted',
      eventId: first!.eventId,
      periodId: '2026-11',
    });
    const stored = await database.prisma.orderEvent.findUniqueOrThrow({ where: { id: first!.eventId } });
    expect(stored.status).toBe('accepted');
    expect(stored.rejectionReason).toBeNull();
    expect(await database.prisma.orderEvent.count()).toBe(1);
    const order = await database.prisma.order.findUniqueOrThrow({ where: { id: '804A' } });
    expect(order.partnerId).toBe('P00003');
    expect(order.territory).toBe('DE-WEST');
  });

  it('accepts rejected event resent with fields', async () => {
    const bare = laterEvent('804B', 'signed', '2026-11-02T09:00:00Z');
    const [first] = await ingestOrderEvents(database.prisma, [bare]);
    const withFields = firstEvent('804B', { sourceEventId: bare.sourceEventId });

    const [second] = await ingestOrderEvents(database.prisma, [withFields]);

    expect(first?.status).toBe('rejected');
    expect(second?.status).toBe('accepted');
    expect(second?.eventId).toBe(first?.eventId);
    const stored = await database.prisma.orderEvent.findUniqueOrThrow({ where: { id: first!.eventId } });
    expect(stored.status).toBe('accepted');
    expect(stored.payload).toMatchObject({ order: { orderNumber: 'N-804B' } });
    const order = await database.prisma.order.findUniqueOrThrow({ where: { id: '804B' } });
    expect(order.state).toBe('signed');
  });

  it('updates the reason of an event rejected again', async () => {
    const bare = laterEvent('804C', 'signed', '2026-11-02T09:00:00Z');
    await ingestOrderEvents(database.prisma, [bare]);
    const withUnknownProduct = firstEvent('804C', { sourceEventId: bare.sourceEventId });
    withUnknownProduct.order!.productId = '01t00000000OLD1AAA';

    const [second] = await ingestOrderEvents(database.prisma, [withUnknownProduct]);

    expect(second?.status).toBe('rejected');
    expect(second?.reason).toContain('unknown product 01t00000000OLD1AAA');
    const stored = await database.prisma.orderEvent.findUniqueOrThrow({ where: { id: second!.eventId } });
    expect(stored.status).toBe('rejected');
    expect(stored.rejectionReason).toBe(second?.reason);
  });

  it('accepts rejected event repeated in batch', async () => {
    const early = laterEvent('804D', 'validated', '2026-11-04T09:00:00Z');

    const results = await ingestOrderEvents(database.prisma, [early, firstEvent('804D'), structuredClone(early)]);

    expect(results.map((result) => result.status)).toEqual(['rejected', 'accepted', 'accepted']);
    expect(results[2]?.eventId).toBe(results[0]?.eventId);
    const stored = await database.prisma.orderEvent.findUniqueOrThrow({ where: { id: results[0]!.eventId } });
    expect(stored.status).toBe('accepted');
    expect(await database.prisma.orderEvent.count()).toBe(2);
    const order = await database.prisma.order.findUniqueOrThrow({ where: { id: '804D' } });
    expect(order.state).toBe('validated');
  });

  it('accepts a resubmission once when calls race', async () => {
    await ingestOrderEvents(database.prisma, [firstEvent('804E')]);
    const correction = firstEvent('804E', { state: 'validated', occurredAt: '2026-11-04T09:00:00Z' });
    correction.order!.productId = '01t000000000002AAA';
    const [rejected] = await ingestOrderEvents(database.prisma, [correction]);
    await database.prisma.product.upsert({
      where: { id: '01t000000000002AAA' },
      create: { id: '01t000000000002AAA', code: 'ELEC-ECO', name: 'Ökostrom', category: 'electricity', unit: 'kWh' },
      update: {},
    });

    const calls = await Promise.all([1, 2, 3].map(() => ingestOrderEvents(database.prisma, [correction])));

    expect(rejected?.status).toBe('rejected');
    expect(calls.map(([result]) => result?.status).sort()).toEqual(['accepted', 'duplicate', 'duplicate']);
    const order = await database.prisma.order.findUniqueOrThrow({ where: { id: '804E' } });
    expect(order.productId).toBe('01t000000000002AAA');
    expect(order.state).toBe('validated');
  });
});

describe('ingestOrderEvents reused source event ids', () => {
  it('rejects other content and keeps the stored event', async () => {
    const event = firstEvent('805A');
    const [first] = await ingestOrderEvents(database.prisma, [event]);

    const [second] = await ingestOrderEvents(database.prisma, [{ ...event, state: 'validated' }]);

    expect(second).toEqual({
      sourceEventId: event.sourceEventId,
      status: 'rejected',
      eventId: first!.eventId,
      periodId: '2026-11',
      reason:
        `source event id ${event.sourceEventId} was already used for a different event ` +
        '(state: stored signed, received validated); send a new event with a new source event id',
    });
    const stored = await database.prisma.orderEvent.findUniqueOrThrow({ where: { id: first!.eventId } });
    expect(stored.status).toBe('accepted');
    expect(stored.state).toBe('signed');
    expect(stored.rejectionReason).toBeNull();
    expect(stored.payload).toMatchObject({ state: 'signed' });
    const order = await database.prisma.order.findUniqueOrThrow({ where: { id: '805A' } });
    expect(order.state).toBe('signed');
  });

  it('keeps a stored rejected event unchanged', async () => {
    const event = laterEvent('805B', 'validated', '2026-11-03T09:00:00Z');
    const [first] = await ingestOrderEvents(database.prisma, [event]);

    const [second] = await ingestOrderEvents(database.prisma, [{ ...event, occurredAt: '2026-11-04T09:00:00Z' }]);

    expect(second?.status).toBe('rejected');
    expect(second?.reason).toContain(
      '(occurredAt: stored 2026-11-03T09:00:00.000Z, received 2026-11-04T09:00:00.000Z)',
    );
    const stored = await database.prisma.orderEvent.findUniqueOrThrow({ where: { id: first!.eventId } });
    expect(stored.rejectionReason).toBe(first?.reason);
    expect(stored.occurredAt.toISOString()).toBe('2026-11-03T09:00:00.000Z');
  });

  it('lists each differing field', async () => {
    const event = firstEvent('805C');
    await ingestOrderEvents(database.prisma, [event]);
    const changed = firstEvent('805D', { sourceEventId: event.sourceEventId });
    changed.order!.orderNumber = 'N-805C';
    changed.order!.value = '99.00';
    changed.order!.territory = 'DE-WEST';
    changed.order!.attributes = { ...event.order!.attributes, Campaign_Code__c: 'SPRING27-DE', Extra__c: true };

    const [result] = await ingestOrderEvents(database.prisma, [changed]);

    expect(result?.status).toBe('rejected');
    expect(result?.reason).toContain('orderId: stored 805C, received 805D');
    expect(result?.reason).toContain('order.value: stored 1120.5, received 99');
    expect(result?.reason).toContain('order.territory: stored not set, received DE-WEST');
    expect(result?.reason).toContain('order.attributes differ in Campaign_Code__c, Extra__c');
    expect(result?.reason).not.toContain('order.orderNumber');
  });

  it('rejects other content within one batch', async () => {
    const event = firstEvent('805E');

    const results = await ingestOrderEvents(database.prisma, [event, { ...event, state: 'validated' }]);

    expect(results.map((result) => result.status)).toEqual(['accepted', 'rejected']);
    expect(results[1]?.reason).toContain('was already used for a different event');
    expect(await database.prisma.orderEvent.count()).toBe(1);
    const order = await database.prisma.order.findUniqueOrThrow({ where: { id: '805E' } });
    expect(order.state).toBe('signed');
  });

  it.each([
    ['another offset for the same instant', { occurredAt: '2026-11-02T10:00:00+01:00' }],
    ['an equal value with other zeros', { value: '01120.5', quantity: '3500.000' }],
    ['reordered attributes', { reorderAttributes: true }],
    ['no order block', { dropOrder: true }],
  ])('reports %s as duplicate', async (_case, change) => {
    const event = firstEvent('805F');
    await ingestOrderEvents(database.prisma, [event]);
    const repeat = structuredClone(event);
    if ('occurredAt' in change) repeat.occurredAt = change.occurredAt;
    if ('value' in change) Object.assign(repeat.order!, change);
    if ('reorderAttributes' in change) {
      repeat.order!.attributes = Object.fromEntries(Object.entries(repeat.order!.attributes!).reverse());
    }
    if ('dropOrder' in change) delete repeat.order;

    const [result] = await ingestOrderEvents(database.prisma, [repeat]);

    expect(result?.status).toBe('duplicate');
  });
});

describe('validateOrderEventBatch', () => {
  it('returns the events of a valid batch', () => {
    const result = validateOrderEventBatch({ events: [firstEvent('801V')] });

    expect(result.ok).toBe(true);
  });

  it('names the invalid field with its index', () => {
    const events = [
      firstEvent('1'),
      firstEvent('2'),
      firstEvent('3'),
      { ...firstEvent('4'), occurredAt: '12.11.2026' },
    ];

    const result = validateOrderEventBatch({ events });

    expect(result).toEqual({
      ok: false,
      errors: [
        {
          path: 'events[3].occurredAt',
          message: 'must be an ISO 8601 date-time with offset, for example 2026-11-12T09:30:00Z',
        },
      ],
    });
  });

  it('rejects a date-time without offset', () => {
    const result = validateOrderEventBatch({ events: [firstEvent('1', { occurredAt: '2026-11-12T09:30:00' })] });

    expect(result.ok).toBe(false);
  });

  it('lists every problem of the order fields', () => {
    const event = firstEvent('1', { state: 'shipped' as OrderEventInput['state'] });
    event.order!.value = '12.345';
    event.order!.quantity = '-1';

    const result = validateOrderEventBatch({ events: [event] });

    expect(result.ok).toBe(false);
    const paths = result.ok ? [] : result.errors.map((error) => error.path);
    expect(paths).toEqual(['events[0].state', 'events[0].order.value', 'events[0].order.quantity']);
  });

  it('rejects a missing field and an unknown field', () => {
    const { sourceEventId: _omitted, ...event } = firstEvent('1');

    const result = validateOrderEventBatch({ events: [{ ...event, colour: 'red' }] });

    expect(result.ok).toBe(false);
    const errors = result.ok ? [] : result.errors;
    expect(errors).toContainEqual({ path: 'events[0].sourceEventId', message: 'is missing' });
    expect(errors).toContainEqual({
      path: 'events[0].colour',
      message: 'unknown field; remove it or correct its spelling',
    });
  });

  it('rejects an empty batch and one of more than 1,000 events', () => {
    const empty = validateOrderEventBatch({ events: [] });
    const tooMany = validateOrderEventBatch({
      events: Array.from({ length: 1_001 }, (_, index) => firstEvent(`${index}`)),
    });

    expect(empty.ok ? [] : empty.errors.map((error) => error.path)).toEqual(['events']);
    expect(tooMany.ok ? [] : tooMany.errors.map((error) => error.message)).toEqual([
      'must contain at most 1000 events; split the batch',
    ]);
  });

  it('rejects a body that is not an object', () => {
    const result = validateOrderEventBatch('events');

    expect(result.ok ? [] : result.errors.map((error) => error.path)).toEqual(['body']);
  });

  it('rejects a source event id longer than 200 characters', () => {
    const result = validateOrderEventBatch({ events: [firstEvent('1', { sourceEventId: 'x'.repeat(201) })] });

    expect(result.ok ? [] : result.errors.map((error) => error.path)).toEqual(['events[0].sourceEventId']);
  });
});

describe('periodOf', () => {
  it('uses the UTC month', () => {
    expect(periodOf('2026-12-01T00:59:59+01:00')).toBe('2026-11');
    expect(periodOf('2026-12-01T01:00:00+01:00')).toBe('2026-12');
  });
});

describe('listOrderEvents', () => {
  it('pages through rejected events of a period', async () => {
    const events = ['801W', '801X', '801Y'].map((orderId, index) =>
      laterEvent(orderId, 'validated', `2026-11-0${index + 3}T09:00:00Z`),
    );
    await ingestOrderEvents(database.prisma, [firstEvent('801Z'), ...events]);

    const first = await listOrderEvents(database.prisma, { periodId: '2026-11', status: 'rejected', limit: 2 });
    const second = await listOrderEvents(database.prisma, {
      periodId: '2026-11',
      status: 'rejected',
      limit: 2,
      cursor: first.nextCursor!,
    });

    expect(first.events.map((event) => event.orderId)).toEqual(['801W', '801X']);
    expect(second.events.map((event) => event.orderId)).toEqual(['801Y']);
    expect(second.nextCursor).toBeNull();
    expect(first.events[0]?.rejectionReason).toContain('order 801W is unknown');
  });

  it('throws for a limit out of range', async () => {
    await expect(listOrderEvents(database.prisma, { limit: 0 })).rejects.toThrow(RangeError);
  });
});
