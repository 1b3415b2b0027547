/**
 * The rules that decide whether an order event is accepted, and how it changes its order. They
 * work on orders held in memory and need no database: store/order-events.ts applies them to the
 * orders it loads and locks, and the offline order builder of the Salesforce integration applies
 * them to orders built from files.
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
import type { OrderState } from '../model.js';
import type { OrderEventInput, OrderFieldsInput } from './order-event-schema.js';

const SUPPLY_STATES: readonly OrderState[] = ['signed', 'validated', 'supply_active', 'first_bill_paid', 'rejected'];
const INSTALLATION_STATES: readonly OrderState[] = ['assigned', 'installed', 'commissioned', 'accepted'];
const TERMINAL_STATES: readonly OrderState[] = ['cancelled', 'rejected'];
/** States that start an order. The earliest of them sets `order.signedAt`. */
const START_STATES: readonly OrderState[] = ['signed', 'assigned'];

/** Columns of a new order, or of an order update from the newest event's `order` block. */
export interface OrderColumns {
  partnerId: string;
  productId: string;
  category: string;
  territory: string;
  value: string;
  quantity: string;
  attributes: Record<string, string | number | boolean | null>;
}

/**
 * An order while events are applied to it: loaded from the store, or created by an earlier event.
 * `applyEvent` changes it in place.
 */
export interface TrackedOrder {
  id: string;
  orderNumber: string;
  /** Partner the order belongs to. An event cannot change it. */
  partnerId: string;
  state: OrderState;
  stateAt: Date;
  signedAt: Date | null;
  /** Created by an applied event rather than loaded, so the store inserts it rather than updates it. */
  isNew: boolean;
  /** State, state time or signed time changed. */
  stateChanged: boolean;
  /**
   * Columns to insert the order with, or to update it with: those of the creating event, replaced
   * by the `order` block of each newer event. Unset on a loaded order until such an event arrives.
   */
  fields?: OrderColumns;
}

/** The partners and products that `order` blocks may name, by id. */
export interface ReferenceData {
  partners: Map<string, { id: string; territory: string }>;
  products: Map<string, { id: string; category: string }>;
}

/**
 * Applies one event to the in-memory orders: an accepted event creates its order in `orders` and
 * `orderIdByNumber`, or changes the order's state, signed time and fields. Returns the rejection
 * reason, or undefined when the event is accepted. Of two events at the same instant, the one
 * applied later is the newest.
 */
export function applyEvent(
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

/**
 * An event stored earlier under a sourceEventId: its outcome and the content that a repeat of the
 * id is compared with.
 */
export interface EarlierEvent {
  status: 'accepted' | 'rejected';
  orderId: string;
  state: string;
  occurredAt: Date;
  /** The `order` block of the stored payload, or undefined when it has none. */
  order: OrderFieldsInput | undefined;
}

/**
 * Outcome of an event whose sourceEventId was stored before: `evaluate` means apply it again with
 * `applyEvent`, `duplicate` means report it as a duplicate, and `conflict` means reject it with `reason`.
 */
export type RepeatedEventOutcome = { kind: 'evaluate' } | { kind: 'duplicate' } | { kind: 'conflict'; reason: string };

/**
 * Decides how an event whose sourceEventId was stored before is handled. An event with other
 * content (see `describeDifferences`) is a conflict, and the stored event stays unchanged. An event
 * with the same content is a duplicate when the stored one was accepted, and is evaluated again
 * when the stored one was rejected.
 */
export function decideRepeatedEvent(earlier: EarlierEvent, event: OrderEventInput): RepeatedEventOutcome {
  const differences = describeDifferences(earlier, event);
  if (differences.length > 0) {
    return {
      kind: 'conflict',
      reason:
        `source event id ${event.sourceEventId} was already used for a different event (${differences.join('; ')}); ` +
        'send a new event with a new source event id',
    };
  }
  return earlier.status === 'accepted' ? { kind: 'duplicate' } : { kind: 'evaluate' };
}

/**
 * Lists how `event` differs from the stored event with its sourceEventId, such as
 * `state: stored signed, received validated`. Compares the order id, the state, the instant of
 * occurredAt, and the `order` blocks when both have one. Decimal strings compare by value
 * ("990.5" equals "990.50"), and missing attributes equal an empty record.
 */
function describeDifferences(stored: EarlierEvent, event: OrderEventInput): string[] {
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
