/**
 * Idempotent intake of order events from Salesforce, billing systems, file imports and the HTTP
 * API. Every event is stored once per `sourceEventId`: as accepted (the order is created or
 * changed) or as rejected with the reason. Nothing is dropped silently.
 *
 * domain/orders/event-acceptance.ts contains the rules that decide whether an event is accepted, how
 * it changes its order, and how an event with a stored `sourceEventId` is handled. This file loads
 * and locks the orders an event names, applies those rules, and stores the outcome.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';

import type { ValidationIssue } from '../domain/errors.js';
import {
  applyEvent,
  decideRepeatedEvent,
  type EarlierEvent,
  type ReferenceData,
} from '../domain/orders/event-acceptance.js';
import {
  orderEventInputSchema,
  orderFieldsSchema,
  parseOrderEvents,
  type OrderEventInput,
  type OrderFieldsInput,
} from '../domain/orders/order-event-schema.js';
import { validateWithSchema } from '../domain/validation.js';
import {
  insertOrderEvents,
  lockOrderEvents,
  lockOrders,
  updateOrderEvents,
  writeOrders,
  type OrderEventRow,
} from './order-event-rows.js';
import { Prisma, type PrismaClient } from './prisma.js';

// The event schema lives in the domain so that code without a database can validate events.
// These re-exports keep the store's API for its callers.
export {
  InvalidOrderEventError,
  ORDER_EVENT_SOURCES,
  orderEventInputSchema,
  orderFieldsSchema,
  type OrderEventInput,
  type OrderEventSource,
  type OrderFieldsInput,
} from '../domain/orders/order-event-schema.js';

/** Maximum number of events in one request to `validateOrderEventBatch`. */
export const MAX_EVENTS_PER_BATCH = 1_000;

/** Maximum page size of `listOrderEvents`. */
export const MAX_LIST_LIMIT = 1_000;

/** Number of events `ingestOrderEvents` writes in one transaction. */
const EVENTS_PER_TRANSACTION = 1_000;

/** Attempts of one transaction when a concurrent writer stored the same event or order first. */
const MAX_TRANSACTION_ATTEMPTS = 3;

const batchSchema = z.strictObject({
  events: z
    .array(orderEventInputSchema)
    .min(1, { error: 'must contain at least one event' })
    .max(MAX_EVENTS_PER_BATCH, { error: `must contain at most ${MAX_EVENTS_PER_BATCH} events; split the batch` }),
});

/**
 * Validates a request body `{ events: [...] }` of 1 to 1,000 events. Returns the parsed events, or
 * every problem with its path such as `events[3].occurredAt`. Never throws and stores nothing.
 */
export function validateOrderEventBatch(
  body: unknown,
): { ok: true; events: OrderEventInput[] } | { ok: false; errors: ValidationIssue[] } {
  const result = validateWithSchema(batchSchema, body);
  if (!result.success) {
    return {
      ok: false,
      errors: result.issues.map((issue) => (issue.path === '' ? { ...issue, path: 'body' } : issue)),
    };
  }
  return { ok: true, events: result.data.events };
}

/** Returns the pay period id `YYYY-MM` of a date-time, in UTC. */
export function periodOf(occurredAt: string | Date): string {
  const date = typeof occurredAt === 'string' ? new Date(occurredAt) : occurredAt;
  if (Number.isNaN(date.getTime())) {
    throw new RangeError(`cannot derive a pay period from ${JSON.stringify(String(occurredAt))}: not a date-time`);
  }
  return date.toISOString().slice(0, 7);
}

/** Outcome of one event of `ingestOrderEvents`. */
export interface IngestResult {
  sourceEventId: string;
  /**
   * `duplicate`: an accepted event with this sourceEventId and the same content was stored before
   * (or earlier in the same call). An event whose sourceEventId was stored as rejected is evaluated
   * again and reported as `accepted` or `rejected`. An event whose sourceEventId was stored for an
   * event with another order id, state, occurredAt or `order` block is `rejected`, and its reason
   * starts with "source event id ... was already used for a different event". The stored event
   * stays unchanged then.
   */
  status: 'accepted' | 'duplicate' | 'rejected';
  /** Id of the stored event. For an event whose sourceEventId was stored before, the id of that row. */
  eventId: string;
  /** Pay period of the stored event. */
  periodId: string;
  /**
   * For a duplicate: the status of the stored event. It is always `accepted`, because an event
   * stored as rejected is evaluated again instead of being reported as a duplicate.
   */
  storedStatus?: 'accepted' | 'rejected';
  /** Rejection reason of a rejected event. */
  reason?: string;
}

/**
 * Stores order events idempotently and returns one result per event, in input order.
 *
 * Accepted events create the order from their `order` fields when the order is new. They move the
 * order to their state when they are its newest event or when they end it (see the file header).
 * The earliest signed or assigned event sets `signedAt`. An `order` block on the newest event of a
 * known order updates its product, value, quantity, territory and attributes. The order number
 * never changes, and an `order` block that names another partner rejects the event.
 * Rejected events are stored with their reason. The file header lists the rejection rules and how
 * a repeated sourceEventId is handled.
 *
 * Up to 1,000 events are written in one transaction, so an event is stored with all of its order
 * changes or not at all. When a concurrent call stores the same event or order first, the
 * transaction is retried (3 attempts in all) and the event reported as a duplicate.
 * Throws InvalidOrderEventError, before storing anything, when an event does not match
 * `orderEventInputSchema`.
 */
export async function ingestOrderEvents(prisma: PrismaClient, events: OrderEventInput[]): Promise<IngestResult[]> {
  const parsed = parseOrderEvents(events);

  const results: IngestResult[] = [];
  for (let start = 0; start < parsed.length; start += EVENTS_PER_TRANSACTION) {
    const chunk = parsed.slice(start, start + EVENTS_PER_TRANSACTION);
    results.push(...(await ingestChunkWithRetry(prisma, chunk)));
  }
  return results;
}

async function ingestChunkWithRetry(prisma: PrismaClient, events: OrderEventInput[]): Promise<IngestResult[]> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await prisma.$transaction((tx) => ingestChunk(tx, events), { maxWait: 10_000, timeout: 120_000 });
    } catch (error) {
      if (attempt >= MAX_TRANSACTION_ATTEMPTS || !isConcurrentWriteConflict(error)) {
        throw error;
      }
    }
  }
}

/**
 * Returns whether a retry can resolve the error: a unique violation (another call stored the same event or order
 * first), a deadlock or a serialization failure.
 */
function isConcurrentWriteConflict(error: unknown): boolean {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError)) return false;
  if (error.code === 'P2002' || error.code === 'P2034') return true;
  // Raw statements report database errors as P2010 with the driver adapter's error attached.
  const adapterError = error.meta?.driverAdapterError as { cause?: { kind?: string } } | undefined;
  const kind = adapterError?.cause?.kind;
  return error.code === 'P2010' && (kind === 'UniqueConstraintViolation' || kind === 'TransactionWriteConflict');
}

type TransactionClient = Prisma.TransactionClient;

/**
 * A stored event, or one stored earlier in the same chunk, with the columns that a repeat of its
 * sourceEventId is compared with and reported with.
 */
interface StoredEventInfo extends EarlierEvent {
  id: string;
  periodId: string;
  reason: string | null;
}

async function ingestChunk(tx: TransactionClient, events: OrderEventInput[]): Promise<IngestResult[]> {
  const stored = await loadStoredEvents(tx, events);
  // Events stored as accepted need neither reference data nor order locks.
  const eventsToEvaluate = events.filter((event) => stored.get(event.sourceEventId)?.status !== 'accepted');
  const references = await loadReferenceData(tx, eventsToEvaluate);
  const orders = await lockOrders(
    tx,
    eventsToEvaluate.map((event) => event.orderId),
    eventsToEvaluate.flatMap((event) => (event.order ? [event.order.orderNumber] : [])),
  );
  const orderIdByNumber = new Map([...orders.values()].map((order) => [order.orderNumber, order.id]));

  const results: IngestResult[] = [];
  // Rows by sourceEventId: new rows to insert, and stored rows whose rejected event was evaluated again.
  const inserts = new Map<string, OrderEventRow>();
  const updates = new Map<string, OrderEventRow>();
  for (const event of events) {
    const earlier = stored.get(event.sourceEventId);
    if (earlier) {
      const repeat = decideRepeatedEvent(earlier, event);
      if (repeat.kind === 'conflict') {
        results.push(reusedIdResult(event, earlier, repeat.reason));
        continue;
      }
      if (repeat.kind === 'duplicate') {
        results.push(duplicateResult(event, earlier));
        continue;
      }
    }

    const occurredAt = new Date(event.occurredAt);
    const periodId = periodOf(occurredAt);
    const rejection = applyEvent(event, occurredAt, orders, orderIdByNumber, references);
    const status = rejection === undefined ? 'accepted' : 'rejected';
    const row: OrderEventRow = {
      id: earlier?.id ?? randomUUID(),
      sourceEventId: event.sourceEventId,
      source: event.source,
      orderId: event.orderId,
      state: event.state,
      occurredAt,
      periodId,
      status,
      rejectionReason: rejection ?? null,
      payload: event,
    };
    // A rejected event stored earlier in this chunk is still to be inserted, so its row is replaced.
    if (earlier === undefined || inserts.has(event.sourceEventId)) {
      inserts.set(event.sourceEventId, row);
    } else {
      updates.set(event.sourceEventId, row);
    }
    stored.set(event.sourceEventId, {
      id: row.id,
      status,
      periodId,
      reason: row.rejectionReason,
      orderId: event.orderId,
      state: event.state,
      occurredAt,
      order: event.order,
    });
    results.push(
      rejection === undefined
        ? { sourceEventId: event.sourceEventId, status: 'accepted', eventId: row.id, periodId }
        : { sourceEventId: event.sourceEventId, status: 'rejected', eventId: row.id, periodId, reason: rejection },
    );
  }

  await writeOrders(tx, [...orders.values()]);
  await insertOrderEvents(tx, [...inserts.values()]);
  await updateOrderEvents(tx, [...updates.values()]);
  return results;
}

function reusedIdResult(event: OrderEventInput, earlier: StoredEventInfo, reason: string): IngestResult {
  return {
    sourceEventId: event.sourceEventId,
    status: 'rejected',
    eventId: earlier.id,
    periodId: earlier.periodId,
    reason,
  };
}

function duplicateResult(event: OrderEventInput, earlier: StoredEventInfo): IngestResult {
  return {
    sourceEventId: event.sourceEventId,
    status: 'duplicate',
    eventId: earlier.id,
    periodId: earlier.periodId,
    storedStatus: earlier.status,
  };
}

const STORED_EVENT_COLUMNS = {
  id: true,
  sourceEventId: true,
  status: true,
  periodId: true,
  rejectionReason: true,
  orderId: true,
  state: true,
  occurredAt: true,
  payload: true,
} as const;

/**
 * Loads the stored events with the sourceEventIds of `events`. Rejected ones are locked and read
 * again under the lock, because this chunk may evaluate them again and a concurrent call may have
 * done so meanwhile.
 */
async function loadStoredEvents(
  tx: TransactionClient,
  events: OrderEventInput[],
): Promise<Map<string, StoredEventInfo>> {
  const rows = await tx.orderEvent.findMany({
    where: { sourceEventId: { in: [...new Set(events.map((event) => event.sourceEventId))] } },
    select: STORED_EVENT_COLUMNS,
  });
  const rejectedIds = rows.filter((row) => row.status === 'rejected').map((row) => row.id);
  if (rejectedIds.length > 0) {
    await lockOrderEvents(tx, rejectedIds);
    rows.push(...(await tx.orderEvent.findMany({ where: { id: { in: rejectedIds } }, select: STORED_EVENT_COLUMNS })));
  }

  // A row read again under the lock comes later in `rows`, so it replaces the one read before.
  const stored = new Map<string, StoredEventInfo>();
  for (const row of rows) {
    stored.set(row.sourceEventId, {
      id: row.id,
      status: row.status,
      periodId: row.periodId,
      reason: row.rejectionReason,
      orderId: row.orderId,
      state: row.state,
      occurredAt: row.occurredAt,
      order: storedOrderFields(row.payload),
    });
  }
  return stored;
}

/** Returns the `order` block of a stored payload, or undefined when it has none or it fails the current schema. */
function storedOrderFields(payload: unknown): OrderFieldsInput | undefined {
  if (payload === null || typeof payload !== 'object' || !('order' in payload)) return undefined;
  const parsed = orderFieldsSchema.safeParse(payload.order);
  return parsed.success ? parsed.data : undefined;
}

async function loadReferenceData(tx: TransactionClient, events: OrderEventInput[]): Promise<ReferenceData> {
  const blocks = events.flatMap((event) => (event.order ? [event.order] : []));
  if (blocks.length === 0) return { partners: new Map(), products: new Map() };
  const partnerIds = [...new Set(blocks.map((block) => block.partnerId))];
  const productIds = [...new Set(blocks.map((block) => block.productId))];

  const partners = await tx.partner.findMany({
    where: { id: { in: partnerIds } },
    select: { id: true, territory: true },
  });
  const products = await tx.product.findMany({
    where: { id: { in: productIds } },
    select: { id: true, category: true },
  });
  return {
    partners: new Map(partners.map((partner) => [partner.id, partner])),
    products: new Map(products.map((product) => [product.id, product])),
  };
}

/** One stored order event as `listOrderEvents` returns it. */
export interface StoredOrderEvent {
  id: string;
  sourceEventId: string;
  source: string;
  orderId: string;
  state: string;
  occurredAt: string;
  periodId: string;
  status: 'accepted' | 'rejected';
  rejectionReason: string | null;
  /** The event as received. */
  payload: unknown;
  receivedAt: string;
}

export interface OrderEventListQuery {
  periodId?: string;
  status?: 'accepted' | 'rejected';
  orderId?: string;
  /** Page size, 1 to 1,000. */
  limit: number;
  /** `nextCursor` of the previous page. */
  cursor?: string;
}

/**
 * Lists stored order events ordered by occurredAt, then id, one page at a time. `nextCursor` is
 * null on the last page. A cursor that names no stored event returns an empty page.
 * Throws RangeError when `limit` is not a whole number from 1 to 1,000.
 */
export async function listOrderEvents(
  prisma: PrismaClient,
  query: OrderEventListQuery,
): Promise<{ events: StoredOrderEvent[]; nextCursor: string | null }> {
  if (!Number.isInteger(query.limit) || query.limit < 1 || query.limit > MAX_LIST_LIMIT) {
    throw new RangeError(`limit must be a whole number from 1 to ${MAX_LIST_LIMIT}, not ${query.limit}`);
  }

  const rows = await prisma.orderEvent.findMany({
    where: {
      ...(query.periodId === undefined ? {} : { periodId: query.periodId }),
      ...(query.status === undefined ? {} : { status: query.status }),
      ...(query.orderId === undefined ? {} : { orderId: query.orderId }),
    },
    orderBy: [{ occurredAt: 'asc' }, { id: 'asc' }],
    take: query.limit + 1,
    ...(query.cursor === undefined ? {} : { cursor: { id: query.cursor }, skip: 1 }),
  });

  const page = rows.slice(0, query.limit);
  const events = page.map((row) => ({
    id: row.id,
    sourceEventId: row.sourceEventId,
    source: row.source,
    orderId: row.orderId,
    state: row.state,
    occurredAt: row.occurredAt.toISOString(),
    periodId: row.periodId,
    status: row.status,
    rejectionReason: row.rejectionReason,
    payload: row.payload,
    receivedAt: row.receivedAt.toISOString(),
  }));
  return { events, nextCursor: rows.length > query.limit ? page[page.length - 1]!.id : null };
}
