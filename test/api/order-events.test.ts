import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AcceptedEventGroup } from '../../api/ports.js';
import { ADMIN_KEY, insertPartners, startApiTestContext, type ApiTestContext } from './support.js';

/** An order's first event, with the order fields that create it. */
function firstEvent(sourceEventId: string, orderId: string, partnerId = 'P00001', occurredAt = '2026-11-12T09:30:00Z') {
  return {
    sourceEventId,
    source: 'salesforce',
    orderId,
    state: 'signed',
    occurredAt,
    order: {
      orderNumber: `N-${orderId}`,
      partnerId,
      productId: '01t000000000001',
      value: '1200.00',
      quantity: '3500',
    },
  };
}

describe('order events API', () => {
  let context: ApiTestContext;
  const notified: AcceptedEventGroup[][] = [];

  beforeAll(async () => {
    context = await startApiTestContext({
      onEventsAccepted: (groups) => {
        notified.push(groups);
      },
    });
    await insertPartners(context.prisma);
  });

  afterEach(() => {
    context.payPeriods.signalFailure = undefined;
  });

  afterAll(async () => {
    await context?.stop();
  });

  const post = (body: unknown) =>
    request(context.app)
      .post('/api/v1/order-events')
      .set('X-API-Key', ADMIN_KEY)
      .send(body as object);

  it('malformed event gives 400 and stores nothing', async () => {
    const valid = firstEvent('evt-malformed-0', 'ord-malformed-0');
    const response = await post({ events: [{ ...valid, occurredAt: '12.11.2026' }, firstEvent('evt-ok', 'ord-ok')] });

    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('invalid_request');
    expect(response.body.error.details).toHaveLength(1);
    expect(response.body.error.details[0].path).toBe('events[0].occurredAt');
    expect(response.body.error.details[0].message).toContain('ISO 8601');
    expect(await context.prisma.orderEvent.count()).toBe(0);
    expect(await context.prisma.order.count()).toBe(0);
    expect(context.payPeriods.count('signalEvents')).toBe(0);
  });

  it('missing events gives 400 naming events', async () => {
    const response = await post({});

    expect(response.status).toBe(400);
    expect(response.body.error.details).toEqual([{ path: 'events', message: 'is missing' }]);
  });

  it('invalid JSON gives 400', async () => {
    const response = await request(context.app)
      .post('/api/v1/order-events')
      .set('X-API-Key', ADMIN_KEY)
      .set('Content-Type', 'application/json')
      .send('{"events": [');

    expect(response.status).toBe(400);
    expect(response.body.error.message).toContain('not valid JSON');
  });

  it('non-JSON body gives 415', async () => {
    const response = await request(context.app)
      .post('/api/v1/order-events')
      .set('X-API-Key', ADMIN_KEY)
      .set('Content-Type', 'text/csv')
      .send('sourceEventId,orderId\n1,2\n');

    expect(response.status).toBe(415);
    expect(response.body.error.code).toBe('unsupported_media_type');
  });

  it('accepted event is stored and signalled', async () => {
    const callsBefore = context.payPeriods.calls.length;
    const response = await post({ events: [firstEvent('evt-1', 'ord-1')] });

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ accepted: 1, duplicate: 0, rejected: 0, signalled: true });
    const [result] = response.body.results;
    expect(result).toMatchObject({ sourceEventId: 'evt-1', status: 'accepted', periodId: '2026-11' });

    const stored = await context.prisma.orderEvent.findUniqueOrThrow({ where: { sourceEventId: 'evt-1' } });
    expect(stored.id).toBe(result.eventId);
    expect(context.payPeriods.calls.slice(callsBefore)).toEqual([
      { method: 'signalEvents', periodId: '2026-11', argument: [stored.id] },
    ]);
    expect(response.body.periods).toEqual([{ periodId: '2026-11', eventIds: [stored.id], signalled: true }]);
    expect(notified.at(-1)).toEqual(response.body.periods);
  });

  it('repeated event is a duplicate and not signalled', async () => {
    const signalsBefore = context.payPeriods.count('signalEvents');
    const response = await post({ events: [firstEvent('evt-1', 'ord-1')] });

    expect(response.status).toBe(200);
    expect(response.body.results[0].status).toBe('duplicate');
    expect(response.body).toMatchObject({ accepted: 0, duplicate: 1, rejected: 0, signalled: true, periods: [] });
    expect(context.payPeriods.count('signalEvents')).toBe(signalsBefore);
    expect(await context.prisma.orderEvent.count({ where: { sourceEventId: 'evt-1' } })).toBe(1);
  });

  it('unknown partner is stored as rejected and listed', async () => {
    // ord-1 exists from the accepted event above; this later event moves it to an unknown partner.
    const event = {
      ...firstEvent('evt-unknown-partner', 'ord-1', 'P09999', '2026-11-20T10:00:00Z'),
      state: 'validated',
    };
    const response = await post({ events: [event] });

    expect(response.status).toBe(200);
    expect(response.body.rejected).toBe(1);
    expect(response.body.results[0].status).toBe('rejected');
    expect(response.body.results[0].reason).toContain('unknown partner P09999');

    const listed = await request(context.app)
      .get('/api/v1/order-events?status=rejected&period=2026-11&limit=100')
      .set('X-API-Key', ADMIN_KEY);
    expect(listed.status).toBe(200);
    expect(listed.body.events).toHaveLength(1);
    expect(listed.body.events[0]).toMatchObject({
      sourceEventId: 'evt-unknown-partner',
      status: 'rejected',
      periodId: '2026-11',
    });
    expect(listed.body.events[0].rejectionReason).toContain('unknown partner P09999');
    expect(listed.body.nextCursor).toBeNull();
  });

  // NOTE: fails while the migration keeps the foreign key order_event.order_id -> order.id, because
  // PostgreSQL then refuses the rejected event row of an order that was never created (error P2003).
  it('new order with unknown partner is stored as rejected', async () => {
    const response = await post({ events: [firstEvent('evt-new-order-unknown-partner', 'ord-unknown', 'P09999')] });

    expect(response.status).toBe(200);
    expect(response.body.results[0].status).toBe('rejected');
    expect(response.body.results[0].reason).toContain('unknown partner P09999');
    const stored = await context.prisma.orderEvent.findUnique({
      where: { sourceEventId: 'evt-new-order-unknown-partner' },
    });
    expect(stored?.status).toBe('rejected');
  });

  it('lists events page by page', async () => {
    await post({ events: [firstEvent('evt-page-1', 'ord-page-1'), firstEvent('evt-page-2', 'ord-page-2')] });

    const first = await request(context.app)
      .get('/api/v1/order-events?status=accepted&limit=1')
      .set('X-API-Key', ADMIN_KEY);
    expect(first.body.events).toHaveLength(1);
    expect(first.body.nextCursor).toBe(first.body.events[0].id);

    const second = await request(context.app)
      .get(`/api/v1/order-events?status=accepted&limit=1&cursor=${first.body.nextCursor}`)
      .set('X-API-Key', ADMIN_KEY);
    expect(second.body.events).toHaveLength(1);
    expect(second.body.events[0].id).not.toBe(first.body.events[0].id);
  });

  it('invalid list query gives 400 naming the parameter', async () => {
    const response = await request(context.app)
      .get('/api/v1/order-events?period=2026-13&limit=0&status=pending')
      .set('X-API-Key', ADMIN_KEY);

    expect(response.status).toBe(400);
    const paths = response.body.error.details.map((detail: { path: string }) => detail.path);
    expect(paths).toEqual(['status', 'period', 'limit']);
  });

  it('failed signal keeps events stored', async () => {
    context.payPeriods.signalFailure = new Error('connection refused');
    context.logs.length = 0;
    const response = await post({
      events: [
        firstEvent('evt-unsignalled-1', 'ord-3'),
        firstEvent('evt-unsignalled-2', 'ord-4', 'P00002', '2026-12-01T08:00:00Z'),
      ],
    });

    expect(response.status).toBe(200);
    expect(response.body.accepted).toBe(2);
    expect(response.body.signalled).toBe(false);
    expect(response.body.periods.map((group: AcceptedEventGroup) => [group.periodId, group.signalled])).toEqual([
      ['2026-11', false],
      ['2026-12', false],
    ]);
    expect(await context.prisma.orderEvent.count({ where: { sourceEventId: { startsWith: 'evt-unsignalled' } } })).toBe(
      2,
    );

    const logged = context.logs.filter((entry) => String(entry.msg).startsWith('signalling accepted order events'));
    expect(logged).toHaveLength(2);
    expect(logged[0]?.eventIds).toEqual([response.body.results[0].eventId]);
    expect(logged[0]?.level).toBe(50);
  });
});
