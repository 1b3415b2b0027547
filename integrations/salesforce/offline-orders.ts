/**
 * Builds the orders of a calculation from Salesforce records without a database, so that
 * statements can be computed from files alone. The records go through the same mapping as a
 * database load (demo/load.ts), and the events through the same acceptance rules as ingestion
 * (domain/orders/event-acceptance.ts), in the same order. The orders come out in the shape that
 * store/calculation-input.ts `loadCalculationInput` reads from the database after such a load.
 */
import { Decimal } from 'decimal.js';

import type { SalesforceRecords } from '../../demo/files.js';
import type { OrderRecord, OrderStateChange, Partner, ProductCategory } from '../../domain/model.js';
import {
  applyEvent,
  decideRepeatedEvent,
  type EarlierEvent,
  type ReferenceData,
  type TrackedOrder,
} from '../../domain/orders/event-acceptance.js';
import { parseOrderEvents } from '../../domain/orders/order-event-schema.js';
import { parseTaxProfile } from '../../domain/tax/profile.js';
import type { PeriodBounds } from '../../store/calculation-input.js';
import {
  DuplicateReferenceIdError,
  UnknownParentPartnerError,
  type PartnerInput,
  type ProductInput,
} from '../../store/reference-data.js';
import { mapAccountToPartner, mapOrderRecordsToEvents, mapProduct } from './mapping.js';

/** An event that ingestion would reject, with the rejection reason. */
export interface RejectedOrderEvent {
  sourceEventId: string;
  orderId: string;
  reason: string;
}

/** Partners, products and orders built from Salesforce records by `buildOrdersFromRecords`. */
export interface OfflineOrders {
  /** Every partner of the records, sorted by id. */
  partners: Partner[];
  /** Every product of the records, in record order. */
  products: ProductInput[];
  /** Every order with at least one accepted event, sorted by order number. */
  orders: OrderRecord[];
  /** The events that ingestion would report as rejected, in event order. */
  rejected: RejectedOrderEvent[];
}

/** The outcome of the latest evaluation of one sourceEventId, as the store would hold it. */
interface EventOutcome extends EarlierEvent {
  /** Position of the evaluated event in the sorted event list. */
  index: number;
  reason: string | undefined;
}

/**
 * Maps the records and applies every order event, sorted by time as a database load sorts them,
 * with the acceptance rules of ingestion. Returns the partners, the products, each order with its
 * whole accepted history and its fields as the newest event with an `order` block set them, and
 * the rejected events.
 * Throws, before applying any event, what a database load throws for the same records:
 * SalesforceMappingError for a record that cannot be mapped, DuplicateReferenceIdError,
 * UnknownParentPartnerError or InvalidTaxProfileError for the partners and products, and
 * InvalidOrderEventError for an event outside the event schema.
 */
export function buildOrdersFromRecords(records: SalesforceRecords): OfflineOrders {
  const partnerInputs = records.accounts.map(mapAccountToPartner);
  const products = records.products.map(mapProduct);
  checkPartners(partnerInputs);
  checkUniqueIds('product', products);
  const events = parseOrderEvents(mapOrderRecordsToEvents(records.orders, records.orderItems, records.orderHistories));

  const references: ReferenceData = {
    partners: new Map(partnerInputs.map((partner) => [partner.id, { id: partner.id, territory: partner.territory }])),
    products: new Map(products.map((product) => [product.id, { id: product.id, category: product.category }])),
  };
  const orders = new Map<string, TrackedOrder>();
  const orderIdByNumber = new Map<string, string>();
  // The latest outcome per sourceEventId, and the events rejected for reusing a sourceEventId,
  // which ingestion reports but does not store.
  const outcomes = new Map<string, EventOutcome>();
  const reuseRejections: (RejectedOrderEvent & { index: number })[] = [];

  events.forEach((event, index) => {
    const earlier = outcomes.get(event.sourceEventId);
    if (earlier) {
      const repeat = decideRepeatedEvent(earlier, event);
      if (repeat.kind === 'conflict') {
        reuseRejections.push({
          sourceEventId: event.sourceEventId,
          orderId: event.orderId,
          reason: repeat.reason,
          index,
        });
        return;
      }
      if (repeat.kind === 'duplicate') return;
    }

    const occurredAt = new Date(event.occurredAt);
    const reason = applyEvent(event, occurredAt, orders, orderIdByNumber, references);
    outcomes.set(event.sourceEventId, {
      status: reason === undefined ? 'accepted' : 'rejected',
      orderId: event.orderId,
      state: event.state,
      occurredAt,
      order: event.order,
      index,
      reason,
    });
  });

  const productsById = new Map(products.map((product) => [product.id, product]));
  const histories = acceptedHistories(outcomes);
  const orderRecords = [...orders.values()]
    .map((order) => toOrderRecord(order, productsById, histories.get(order.id) ?? []))
    .sort((left, right) => compareText(left.orderNumber, right.orderNumber));

  const rejections = [...reuseRejections];
  for (const [sourceEventId, outcome] of outcomes) {
    if (outcome.reason !== undefined) {
      rejections.push({ sourceEventId, orderId: outcome.orderId, reason: outcome.reason, index: outcome.index });
    }
  }
  rejections.sort((left, right) => left.index - right.index);
  const rejected = rejections.map(({ sourceEventId, orderId, reason }) => ({ sourceEventId, orderId, reason }));

  return {
    partners: partnerInputs.map(toPartner).sort((left, right) => compareText(left.id, right.id)),
    products,
    orders: orderRecords,
    rejected,
  };
}

/**
 * Selects the orders of a pay period as `loadCalculationInput` does: those with at least one
 * accepted event in [startsAt, endsAt), each with its whole history. Returns them with the
 * partners that loadCalculationInput loads, sorted by id: the partners of those orders, and the
 * agency (parent) of each such partner even when the agency has no order in the period.
 * Throws RangeError when startsAt or endsAt is not a date-time.
 */
export function selectPeriodOrders(
  offline: Pick<OfflineOrders, 'partners' | 'orders'>,
  period: Pick<PeriodBounds, 'startsAt' | 'endsAt'>,
): { partners: Partner[]; orders: OrderRecord[] } {
  const startsAt = parseInstant('startsAt', period.startsAt);
  const endsAt = parseInstant('endsAt', period.endsAt);
  const orders = offline.orders.filter((order) =>
    order.history.some((change) => {
      const at = Date.parse(change.at);
      return at >= startsAt && at < endsAt;
    }),
  );

  const partnersById = new Map(offline.partners.map((partner) => [partner.id, partner]));
  const partnerIds = new Set(orders.map((order) => order.partnerId));
  // Every agency above a partner with orders, also over several levels, as loadCalculationInput reads them.
  for (const order of orders) {
    const walked = new Set([order.partnerId]);
    let parentId = partnersById.get(order.partnerId)?.parentId;
    while (parentId !== undefined && !walked.has(parentId)) {
      walked.add(parentId);
      partnerIds.add(parentId);
      parentId = partnersById.get(parentId)?.parentId;
    }
  }
  const partners = offline.partners
    .filter((partner) => partnerIds.has(partner.id))
    .sort((left, right) => compareText(left.id, right.id));
  return { partners, orders };
}

/**
 * Groups the accepted events by order, oldest first, ties by sourceEventId.
 * NOTE: loadCalculationInput breaks ties in the database's collation of source_event_id, which
 * matches this code-unit order only for the C collation or ids that sort alike under both.
 */
function acceptedHistories(outcomes: Map<string, EventOutcome>): Map<string, OrderStateChange[]> {
  const accepted = [...outcomes.entries()]
    .filter(([, outcome]) => outcome.status === 'accepted')
    .sort(
      ([leftId, left], [rightId, right]) =>
        left.occurredAt.getTime() - right.occurredAt.getTime() || compareText(leftId, rightId),
    );

  const histories = new Map<string, OrderStateChange[]>();
  for (const [sourceEventId, outcome] of accepted) {
    const history = histories.get(outcome.orderId) ?? [];
    history.push({
      state: outcome.state as OrderStateChange['state'],
      at: outcome.occurredAt.toISOString(),
      sourceEventId,
    });
    histories.set(outcome.orderId, history);
  }
  return histories;
}

/**
 * Converts a tracked order to the OrderRecord that loadCalculationInput reads for it. The value
 * has two fraction digits and the quantity no trailing zeros, as loadCalculationInput formats the
 * numeric(18, 2) and numeric(18, 3) columns. The attributes go through a JSON round trip, as
 * through the jsonb column.
 */
function toOrderRecord(
  order: TrackedOrder,
  productsById: Map<string, ProductInput>,
  history: OrderStateChange[],
): OrderRecord {
  const fields = order.fields;
  if (!fields) throw new Error(`order ${order.id} was created without order fields`);
  const product = productsById.get(fields.productId);
  if (!product) throw new Error(`order ${order.id} names product ${fields.productId}, which is not in the records`);

  return {
    id: order.id,
    orderNumber: order.orderNumber,
    partnerId: order.partnerId,
    productId: fields.productId,
    productName: product.name,
    category: fields.category as ProductCategory,
    territory: fields.territory,
    value: new Decimal(fields.value).toFixed(2),
    quantity: new Decimal(fields.quantity).toString(),
    unit: product.unit,
    attributes: JSON.parse(JSON.stringify(fields.attributes)) as Record<string, unknown>,
    history,
  };
}

function toPartner(partner: PartnerInput): Partner {
  return {
    id: partner.id,
    name: partner.name,
    kind: partner.kind,
    ...(partner.parentId ? { parentId: partner.parentId } : {}),
    territory: partner.territory,
    email: partner.email,
    sapVendorId: partner.sapVendorId,
    taxProfile: partner.taxProfile,
  };
}

/**
 * Checks the partners as `upsertPartners` does before it writes, except that a parent must be in
 * the records, because there are no stored partners.
 */
function checkPartners(partners: PartnerInput[]): void {
  const ids = checkUniqueIds('partner', partners);
  for (const partner of partners) parseTaxProfile(partner.taxProfile, partner.id);
  const orphan = partners.find((partner) => partner.parentId !== undefined && !ids.has(partner.parentId));
  if (orphan) throw new UnknownParentPartnerError(orphan.id, orphan.parentId!);
}

function checkUniqueIds(entity: 'partner' | 'product', items: readonly { id: string }[]): Set<string> {
  const ids = new Set<string>();
  for (const item of items) {
    if (ids.has(item.id)) throw new DuplicateReferenceIdError(entity, item.id);
    ids.add(item.id);
  }
  return ids;
}

function parseInstant(name: string, text: string): number {
  const time = Date.parse(text);
  if (Number.isNaN(time)) {
    throw new RangeError(
      `${name} ${JSON.stringify(text)} is not a date-time; use ISO 8601 such as 2026-11-01T00:00:00Z`,
    );
  }
  return time;
}

/** Orders two strings by UTF-16 code units, the same on every machine (unlike localeCompare). */
function compareText(left: string, right: string): number {
  if (left < right) return -1;
  if (left > right) return 1;
  return 0;
}
