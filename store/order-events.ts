/**
 * Idempotent intake of order events from Salesforce, billing systems, file imports and the HTTP
 * API. Every event is stored once per `sourceEventId`: as accepted (the order is created or
 * changed) or as rejected with the reason. Nothing is dropped silently.
 *
 * An event is rejected when
 *  - its order is unknown and the event has no `order` block,
 *  - its `order` block names an unknown partner or product, or an order number of another order,
 *  - its `order` block names another partner than the stored order,
 *  - the order ended (cancelled or rejected) before the event happened,
 *  - its state is of the other order kind: supply states (signed, validated, supply_active,
 *    first_bill_paid, rejected) and installation states (assigned, installed, commissioned,
 *    accepted) do not mix on one order, and cancelled belongs to both.
 * Every other event is accepted, in any order. Skipped states (supply_active without validated)
 * are accepted too, because a CRM may report only the latest of several quick changes.
 *
 * The order's `state` is the state of its newest accepted event, with one exception: an accepted
 * cancelled or rejected event ends the order at its own time, even when newer events were
 * accepted before it arrived. From then on the order accepts only events that happened no later
 * than that end, and these leave the state as it is.
 *
 * A `sourceEventId` that is stored already is handled by comparing the event with the stored one
 * (order id, state, occurredAt instant, and the `order` blocks when both have one):
 *  - different content: rejected, and the stored row stays unchanged,
 *  - stored as accepted: reported as duplicate,
 *  - stored as rejected: evaluated again, and the stored row takes the new outcome, so that a
 *    sender can fix the cause (load the partner, add the order fields) and send the event again.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';

import type { ValidationIssue } from '../domain/errors.js';
import { ORDER_STATES, type OrderState } from '../domain/model.js';
import { validateWithSchema } from '../domain/validation.js';
import {
  insertOrderEvents,
  lockOrderEvents,
  lockOrders,
  updateOrderEvents,
  writeOrders,
  type OrderColumns,
  type OrderEventRow,
  type TrackedOrder,
} from './order-event-rows.js';
import { Prisma, type PrismaClient } from './prisma.js';

export const ORDER_EVENT_SOURCES = ['salesforce', 'billing', 'file', 'api'] as const;
export type OrderEventSource = (typeof ORDER_EVENT_SOURCES)[number];

/** Maximum number of events in one request to `validateOrderEventBatch`. */
export const MAX_EVENTS_PER_BATCH = 1_000;

/** Maximum page size of `listOrderEvents`. */
export const MAX_LIST_LIMIT = 1_000;

/** Number of events `ingestOrderEvents` writes in one transaction. */
const EVENTS_PER_TRANSACTION = 1_000;

/** Attempts of one transaction when a concurrent writer stored the same event or order first. */
const MAX_TRANSACTION_ATTEMPTS = 3;

const SUPPLY_STATES: readonly OrderState[] = ['signed', 'validated', 'supply_active', 'first_bill_paid', 'rejected'];
const INSTALLATION_STATES: readonly OrderState[] = ['assigned', 'installed', 'commissioned', 'accepted'];
const TERMINAL_STATES: readonly OrderState[] = ['cancelled', 'rejected'];
/** States that start an order. The earliest of them sets `order.signedAt`. */
const START_STATES: readonly OrderState[] = ['signed', 'assigned'];

/** Returns the schema of a string of `min` to `max` characters without NUL, which PostgreSQL cannot store in text or jsonb. */
function textSchema(min: number, max: number) {
  return z
    .string()
    .min(min, { error: min === 1 ? 'must not be empty' : `must be at least ${min} characters long` })
    .max(max, { error: `must be at most ${max} characters long` })
    .refine((text) => !text.includes('\u0000'), { error: 'must not contain NUL characters' });
}

function enumMessage(noun: string, values: readonly string[]) {
  return (issue: { input?: unknown }): string =>
    issue.input === undefined
      ? 'is missing'
      : `unknown ${noun} ${JSON.stringify(issue.input)}; use one of ${values.join(', ')}`;
}

// Decimal(18, 2) and Decimal(18, 3) columns: at most 16 and 15 integer digits.
const valueSchema = z.string().regex(/^\d{1,16}(\.\d{1,2})?$/, {
  error: 'must be a non-negative decimal string in euros with at most two fraction digits, such as "1234.50"',
});
const quantitySchema = z.string().regex(/^\d{1,15}(\.\d{1,3})?$/, {
  error: 'must be a non-negative decimal string with at most three fraction digits, such as "3500" or "6.4"',
});

const attributeValueSchema = z.union([textSchema(0, 10_000), z.number(), z.boolean(), z.null()], {
  error: 'must be a string, a number, true, false or null',
});

/** Schema of the order fields that an order's first event carries to create the order. */
export const orderFieldsSchema = z.strictObject({
  orderNumber: textSchema(1, 64),
  /** Partner id (partner number such as P00001). */
  partnerId: textSchema(1, 64),
  /** Product id (the Salesforce Product2 Id). */
  productId: textSchema(1, 64),
  value: valueSchema,
  quantity: quantitySchema,
  /** Defaults to the partner's territory. */
  territory: textSchema(1, 64).optional(),
  /** Custom CRM fields by API name, for example `Campaign_Code__c`. */
  attributes: z.record(textSchema(1, 100), attributeValueSchema).optional(),
});

/** Schema of one order event as the sources send it. */
export const orderEventInputSchema = z.strictObject({
  /** Id of the event in its source system. An event is stored once per id. */
  sourceEventId: textSchema(1, 200),
  source: z.enum(ORDER_EVENT_SOURCES, { error: enumMessage('source', ORDER_EVENT_SOURCES) }),
  orderId: textSchema(1, 64),
  state: z.enum(ORDER_STATES, { error: enumMessage('order state', ORDER_STATES) }),
  occurredAt: z.iso.datetime({
    offset: true,
    error: 'must be an ISO 8601 date-time with offset, for example 2026-11-12T09:30:00Z',
  }),
  order: orderFieldsSchema.optional(),
});

export type OrderFieldsInput = z.infer<typeof orderFieldsSchema>;
export type OrderEventInput = z.infer<typeof orderEventInputSchema>;

const batchSchema = z.strictObject({
  events: z
    .array(orderEventInputSchema)
    .min(1, { error: 'must contain at least one event' })
    .max(MAX_EVENTS_PER_BATCH, { error: `must contain at most ${MAX_EVENTS_PER_BATCH} events; split the batch` }),
});

const eventListSchema = z.strictObject({ events: z.array(orderEventInputSchema) });

/** Raised by `ingestOrderEvents`, before anything is stored, when an event does not match `orderEventInputSchema`. */
export class InvalidOrderEventError extends Error {
  override readonly name = 'InvalidOrderEventError';

  constructor(readonly issues: readonly ValidationIssue[]) {
    super(`invalid order events: ${issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`);
  }
}

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
  const parsed = validateWithSchema(eventListSchema, { events });
  if (!parsed.success) {
    throw new InvalidOrderEventError(parsed.issues);
  }

  const results: IngestResult[] = [];
  for (let start = 0; start < parsed.data.events.length; start += EVENTS_PER_TRANSACTION) {
    const chunk = parsed.data.events.slice(start, start + EVENTS_PER_TRANSACTION);
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

interface ReferenceData {
  partners: Map<string, { id: string; territory: string }>;
  products: Map<string, { id: string; category: string }>;
}

/**
 * The columns of a stored event, or of one stored earlier in the same chunk, that decide how a
 * repeat of its sourceEventId is handled.
 */
interface StoredEventInfo {
  id: string;
  status: 'accepted' | 'rejected';
  periodId: string;
  reason: string | null;
  orderId: string;
  state: string;
  occurredAt: Date;
  /** The `order` block of the stored payload, or undefined when it has none. */
  order: OrderFieldsInput | undefined;
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
      const differences = describeDifferences(earlier, event);
      if (differences.length > 0) {
        results.push(reusedIdResult(event, earlier, differences));
        continue;
      }
      if (earlier.status === 'accepted') {
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

function reusedIdResult(event: OrderEventInput, earlier: StoredEventInfo, differences: string[]): IngestResult {
  return {
    sourceEventId: event.sourceEventId,
    status: 'rejected',
    eventId: earlier.id,
    periodId: earlier.periodId,
    reason:
      `source event id ${event.sourceEventId} was already used for a different event (${differences.join('; ')}); ` +
      'send a new event with a new source event id',
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

/**
 * Applies one event to the in-memory orders. Returns the rejection reason, or undefined when the
 * event is accepted. Of two events at the same instant, the one later in the input is the newest.
 */
function applyEvent(
  event: OrderEventInput,
  occurredAt: Date,
  orders: Map<string, TrackedOrder>,
  orderIdByNumber: Map<string, string>,
  references: ReferenceData,
): string | undefined {
  let fields: OrderColumns | undefined;
  if (event.order) {
    const resolved = resolveOrderFields(event.order, references);
    if (typeof resolved === 'string') return resolved;
    fields = resolved;
  }

  const order = orders.get(event.orderId);
  if (!order) {
    if (!event.order || !fields) {
      return `order ${event.orderId} is unknown and the event has no order fields; send them with the order's first event`;
    }
    const owner = orderIdByNumber.get(event.order.orderNumber);
    if (owner !== undefined) {
      return `order number ${event.order.orderNumber} already belongs to order ${owner}`;
    }
    orders.set(event.orderId, {
      id: event.orderId,
      orderNumber: event.order.orderNumber,
      partnerId: fields.partnerId,
      state: event.state,
      stateAt: occurredAt,
      signedAt: START_STATES.includes(event.state) ? occurredAt : null,
      isNew: true,
      stateChanged: true,
      fields,
    });
    orderIdByNumber.set(event.order.orderNumber, event.orderId);
    return undefined;
  }

  const conflict = stateConflict(order, event.state, occurredAt);
  if (conflict !== undefined) return conflict;
  if (fields && fields.partnerId !== order.partnerId) {
    // Earlier payments stay tied to the order, so moving it would charge the new partner for the
    // old partner's commission.
    return (
      `order ${order.id} belongs to partner ${order.partnerId}, but the event names partner ${fields.partnerId}; ` +
      `an order cannot move to another partner, so cancel order ${order.id} and create a new order for ` +
      `partner ${fields.partnerId}`
    );
  }

  const hasEnded = TERMINAL_STATES.includes(order.state);
  const isNewest = !hasEnded && occurredAt.getTime() >= order.stateAt.getTime();
  // A cancellation or rejection ends the order at its own time, even when it is older than the
  // order's state. An earlier end replaces a later one, because stateConflict rejected later ends.
  // NOTE: events that happened after the end but were accepted before the end arrived stay accepted.
  const endsOrder =
    TERMINAL_STATES.includes(event.state) && (!hasEnded || occurredAt.getTime() < order.stateAt.getTime());
  if (isNewest || endsOrder) {
    order.state = event.state;
    order.stateAt = occurredAt;
    order.stateChanged = true;
  }
  if (isNewest && fields) order.fields = fields;
  if (START_STATES.includes(event.state) && (order.signedAt === null || occurredAt < order.signedAt)) {
    order.signedAt = occurredAt;
    order.stateChanged = true;
  }
  return undefined;
}

/** Returns why `state` at `occurredAt` cannot be applied to the order, or undefined when it can. */
function stateConflict(order: TrackedOrder, state: OrderState, occurredAt: Date): string | undefined {
  if (TERMINAL_STATES.includes(order.state) && occurredAt > order.stateAt) {
    return (
      `order ${order.id} is ${order.state} since ${order.stateAt.toISOString()}; ` +
      `it accepts no later state change (received ${state} at ${occurredAt.toISOString()})`
    );
  }
  const orderKind = stateKind(order.state);
  const eventKind = stateKind(state);
  if (orderKind !== undefined && eventKind !== undefined && orderKind !== eventKind) {
    return `state ${state} belongs to ${eventKind} orders, but order ${order.id} is a ${orderKind} order (state ${order.state})`;
  }
  return undefined;
}

function stateKind(state: OrderState): 'supply' | 'installation' | undefined {
  if (SUPPLY_STATES.includes(state)) return 'supply';
  if (INSTALLATION_STATES.includes(state)) return 'installation';
  return undefined;
}

function resolveOrderFields(fields: OrderFieldsInput, references: ReferenceData): OrderColumns | string {
  const partner = references.partners.get(fields.partnerId);
  if (!partner) return `unknown partner ${fields.partnerId}; load the partner before its orders`;
  const product = references.products.get(fields.productId);
  if (!product) return `unknown product ${fields.productId}; load the product catalogue before the orders`;

  return {
    partnerId: partner.id,
    productId: product.id,
    category: product.category,
    territory: fields.territory ?? partner.territory,
    value: fields.value,
    quantity: fields.quantity,
    attributes: fields.attributes ?? {},
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

/**
 * Lists how `event` differs from the stored event with its sourceEventId, such as
 * `state: stored signed, received validated`. Compares the order id, the state, the instant of
 * occurredAt, and the `order` blocks when both have one. Decimal strings compare by value
 * ("990.5" equals "990.50"), and missing attributes equal an empty record.
 */
function describeDifferences(stored: StoredEventInfo, event: OrderEventInput): string[] {
  const differences: string[] = [];
  const occurredAt = new Date(event.occurredAt);
  if (stored.orderId !== event.orderId) {
    differences.push(`orderId: stored ${stored.orderId}, received ${event.orderId}`);
  }
  if (stored.state !== event.state) {
    differences.push(`state: stored ${stored.state}, received ${event.state}`);
  }
  if (stored.occurredAt.getTime() !== occurredAt.getTime()) {
    differences.push(`occurredAt: stored ${stored.occurredAt.toISOString()}, received ${occurredAt.toISOString()}`);
  }
  if (stored.order && event.order) {
    differences.push(...describeOrderFieldDifferences(stored.order, event.order));
  }
  return differences;
}

function describeOrderFieldDifferences(stored: OrderFieldsInput, received: OrderFieldsInput): string[] {
  const differences: string[] = [];
  const scalarFields = [
    ['orderNumber', stored.orderNumber, received.orderNumber],
    ['partnerId', stored.partnerId, received.partnerId],
    ['productId', stored.productId, received.productId],
    ['value', normalizeDecimal(stored.value), normalizeDecimal(received.value)],
    ['quantity', normalizeDecimal(stored.quantity), normalizeDecimal(received.quantity)],
    ['territory', stored.territory ?? 'not set', received.territory ?? 'not set'],
  ] as const;
  for (const [name, storedValue, receivedValue] of scalarFields) {
    if (storedValue !== receivedValue) {
      differences.push(`order.${name}: stored ${storedValue}, received ${receivedValue}`);
    }
  }

  // Attribute values may be long texts, so only the names of the differing attributes are listed.
  const storedAttributes = stored.attributes ?? {};
  const receivedAttributes = received.attributes ?? {};
  const names = [...new Set([...Object.keys(storedAttributes), ...Object.keys(receivedAttributes)])].sort();
  const changedNames = names.filter(
    (name) =>
      !Object.hasOwn(storedAttributes, name) ||
      !Object.hasOwn(receivedAttributes, name) ||
      storedAttributes[name] !== receivedAttributes[name],
  );
  if (changedNames.length > 0) {
    differences.push(`order.attributes differ in ${changedNames.join(', ')}`);
  }
  return differences;
}

/** Removes leading zeros and trailing fraction zeros from a non-negative decimal string: "0990.50" becomes "990.5". */
function normalizeDecimal(text: string): string {
  const [whole = '', fraction = ''] = text.split('.');
  const trimmedWhole = whole.replace(/^0+(?=\d)/, '');
  const trimmedFraction = fraction.replace(/0+$/, '');
  return trimmedFraction === '' ? trimmedWhole : `${trimmedWhole}.${trimmedFraction}`;
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
