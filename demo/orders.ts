/**
 * Demo orders as Salesforce Order, OrderItem and OrderHistory records, with state histories at
 * plausible rates. About 4% of contracts are withdrawn within the 14-day cooling-off period, 6% of
 * supply contracts are rejected at validation and 3% of active supplies are cancelled within 90
 * days of activation (switch-back). 5% of installation jobs are cancelled, and installation times
 * scatter around the SLA of 10 working days. Changes after the end of the target period are cut
 * off, so the latest orders show lower rates. Sales partners get supply and equipment orders,
 * installers and technicians installation jobs.
 */
import type { OrderState, PartnerKind } from '../domain/model.js';
import { ORDER_STATUS_PICKLIST } from '../integrations/salesforce/mapping.js';
import {
  recordUrl,
  type CustomFieldValue,
  type OrderHistoryRecord,
  type OrderItemRecord,
  type OrderRecord,
} from '../integrations/salesforce/records.js';
import type { CatalogueProduct, DemoProduct } from './catalogue.js';
import type { Country } from './names.js';
import type { DemoPartner } from './partners.js';
import type { Random } from './random.js';
import { salesforceDateTime, salesforceId } from './salesforce-ids.js';

const DAY_MS = 86_400_000;

/** Number of deliberately broken orders: half name an unknown partner, half an unknown product. */
export const BROKEN_ORDER_COUNT = 8;

/** SLA of an installation job, in working days from assignment to installation. */
const SLA_WORKING_DAYS = 10;

const CAMPAIGNS: Readonly<Record<Country, readonly string[]>> = {
  DE: ['HERBST26-DE', 'WECHSELBONUS-DE', 'FREUNDE-WERBEN-DE'],
  IT: ['AUTUNNO26-IT', 'PASSA-A-NOI-IT', 'PORTA-UN-AMICO-IT'],
};

export interface GeneratedOrders {
  orders: OrderRecord[];
  orderItems: OrderItemRecord[];
  orderHistories: OrderHistoryRecord[];
}

export interface OrderWindow {
  /** Orders are created from here on (the target period's start minus three months). */
  start: Date;
  /** Start of the target period; the broken orders are created in the target period. */
  periodStart: Date;
  /** End of the target period, exclusive: no state change happens at or after it. */
  end: Date;
}

interface Transition {
  state: OrderState;
  at: Date;
}

/**
 * Generates `count` orders created within the window, numbered in creation order, including
 * BROKEN_ORDER_COUNT orders whose partner or product is not in the data set.
 */
export function generateOrders(
  random: Random,
  partners: readonly DemoPartner[],
  products: readonly DemoProduct[],
  window: OrderWindow,
  count: number,
): GeneratedOrders {
  const builder = new OrderBuilder(random, window);
  const pickPartner = weightedPicker(
    random,
    partners.map((partner) => [partner, partner.orderWeight] as const),
  );
  const productChoices = productChoicesByPartner(products);

  const regularCount = count - BROKEN_ORDER_COUNT;
  const creationTimes = Array.from({ length: regularCount }, () =>
    businessTime(
      random,
      new Date(window.start.getTime() + random.next() * (window.end.getTime() - window.start.getTime())),
    ),
  ).sort((left, right) => left.getTime() - right.getTime());

  for (const createdAt of creationTimes) {
    const partner = pickPartner();
    const product = random.weighted(productChoices(partner));
    builder.addOrder(partner, product, createdAt, lifecycle(random, partner, product.product, createdAt));
  }
  addBrokenOrders(random, builder, partners, products, window);
  return builder.result();
}

/** Adds orders whose partner or product is unknown to Incentra, so that rejected events show in the demo. */
function addBrokenOrders(
  random: Random,
  builder: OrderBuilder,
  partners: readonly DemoPartner[],
  products: readonly DemoProduct[],
  window: OrderWindow,
): void {
  const salesPartners = partners.filter((partner) => partner.kind === 'sales_agent' && partner.country === 'DE');
  const electricity = products.find((product) => product.product.code === 'ELEC-DE-FIX24')!;
  const half = BROKEN_ORDER_COUNT / 2;

  for (let index = 0; index < BROKEN_ORDER_COUNT; index += 1) {
    const createdAt = businessTime(random, new Date(window.periodStart.getTime() + random.integer(1, 20) * DAY_MS));
    const transitions: Transition[] = [{ state: 'signed', at: createdAt }];
    if (index < 2) transitions.push({ state: 'validated', at: new Date(createdAt.getTime() + 3 * DAY_MS) });
    const partner = random.pick(salesPartners);

    if (index < half) {
      // A partner that left and is no longer exported with the partner accounts.
      const formerAccountId = salesforceId('Account', 900_000 + index);
      builder.addOrder(partner, electricity, createdAt, transitions, {
        accountId: formerAccountId,
        partnerNumber: `P9${String(index + 1).padStart(4, '0')}`,
      });
    } else {
      // A product retired from the catalogue but still sold by mistake.
      builder.addOrder(partner, electricity, createdAt, transitions, {
        product2Id: salesforceId('Product2', 900 + index),
      });
    }
  }
}

function productChoicesByPartner(products: readonly DemoProduct[]) {
  const choices = new Map<string, [DemoProduct, number][]>();
  return (partner: DemoPartner): [DemoProduct, number][] => {
    const key = `${partner.kind}/${partner.country}`;
    let list = choices.get(key);
    if (!list) {
      list = products
        .filter((product) => product.product.country === partner.country && sells(partner.kind, product.product))
        .map((product) => [product, product.product.weight]);
      choices.set(key, list);
    }
    return list;
  };
}

/** Returns whether a partner kind sells or installs the product. */
function sells(kind: PartnerKind, product: CatalogueProduct): boolean {
  switch (kind) {
    case 'agency':
    case 'sales_agent':
      return product.lifecycle !== 'installation';
    case 'outbound':
      return product.lifecycle === 'supply';
    case 'installer':
      return product.lifecycle === 'installation';
    case 'technician':
      return product.lifecycle === 'installation' && product.category !== 'pv';
  }
}

function lifecycle(random: Random, partner: DemoPartner, product: CatalogueProduct, createdAt: Date): Transition[] {
  const path = new TransitionPath(random, createdAt, product.lifecycle === 'installation' ? 'assigned' : 'signed');
  if (product.lifecycle === 'installation') return installationLifecycle(random, path, partner.slaQuality);

  const isSupply = product.lifecycle === 'supply';
  const validatedAt = path.after(createdAt, random.between(isSupply ? 1 : 2, isSupply ? 8 : 12));
  if (random.chance(0.04)) {
    // Withdrawal within the 14-day cooling-off period, before or after validation.
    const withdrawnAt = path.after(createdAt, random.between(1, 12.5));
    if (withdrawnAt > validatedAt) path.add('validated', validatedAt);
    return path.add('cancelled', withdrawnAt).transitions;
  }
  if (random.chance(isSupply ? 0.06 : 0.05)) return path.add('rejected', validatedAt).transitions;
  path.add('validated', validatedAt);

  if (!isSupply) {
    if (random.chance(0.02)) path.add('cancelled', path.after(validatedAt, random.between(5, 60)));
    return path.transitions;
  }

  // German supplier switches take two to five weeks; Italian supplies start on the first of a month.
  const activeAt =
    partner.country === 'DE'
      ? path.after(validatedAt, random.between(14, 35))
      : firstOfMonthAfter(random, new Date(validatedAt.getTime() + 20 * DAY_MS));
  path.add('supply_active', activeAt);

  const cancelledAt = random.chance(0.03) ? path.after(activeAt, random.between(5, 90)) : undefined;
  const billPaidAt = random.chance(0.92) ? path.after(activeAt, random.between(32, 60)) : undefined;
  if (billPaidAt && (!cancelledAt || billPaidAt < cancelledAt)) path.add('first_bill_paid', billPaidAt);
  if (cancelledAt) path.add('cancelled', cancelledAt);
  return path.transitions;
}

function installationLifecycle(random: Random, path: TransitionPath, slaQuality: number): Transition[] {
  const assignedAt = path.transitions[0]!.at;
  if (random.chance(0.05)) return path.add('cancelled', path.after(assignedAt, random.between(1, 20))).transitions;

  const workingDays = random.chance(slaQuality) ? random.integer(2, SLA_WORKING_DAYS) : random.integer(11, 25);
  const installedAt = businessTime(random, addWorkingDays(assignedAt, workingDays));
  path.add('installed', installedAt);
  const commissionedAt = path.after(installedAt, random.between(0, 5));
  path.add('commissioned', commissionedAt);
  if (random.chance(0.97)) path.add('accepted', path.after(commissionedAt, random.between(2, 14)));
  return path.transitions;
}

/** State changes of one order, each strictly later than the one before. */
class TransitionPath {
  readonly transitions: Transition[];

  constructor(
    private readonly random: Random,
    createdAt: Date,
    firstState: OrderState,
  ) {
    this.transitions = [{ state: firstState, at: createdAt }];
  }

  /** Returns a business-hours time about `days` after `from`. */
  after(from: Date, days: number): Date {
    return businessTime(this.random, new Date(from.getTime() + days * DAY_MS));
  }

  add(state: OrderState, at: Date): this {
    const previous = this.transitions[this.transitions.length - 1]!.at;
    const time = at > previous ? at : new Date(previous.getTime() + this.random.integer(30, 240) * 60_000);
    this.transitions.push({ state, at: time });
    return this;
  }
}

/** Returns the same day at a random time between 07:00 and 18:59 UTC. */
function businessTime(random: Random, day: Date): Date {
  return new Date(
    Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), random.integer(7, 18), random.integer(0, 59)),
  );
}

function firstOfMonthAfter(random: Random, date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1, 6, random.integer(0, 59)));
}

function addWorkingDays(start: Date, workingDays: number): Date {
  const date = new Date(start.getTime());
  let added = 0;
  while (added < workingDays) {
    date.setUTCDate(date.getUTCDate() + 1);
    const weekday = date.getUTCDay();
    if (weekday !== 0 && weekday !== 6) added += 1;
  }
  return date;
}

function countWorkingDays(start: Date, end: Date): number {
  let count = 0;
  const date = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), start.getUTCDate()));
  const last = Date.UTC(end.getUTCFullYear(), end.getUTCMonth(), end.getUTCDate());
  while (date.getTime() < last) {
    date.setUTCDate(date.getUTCDate() + 1);
    const weekday = date.getUTCDay();
    if (weekday !== 0 && weekday !== 6) count += 1;
  }
  return count;
}

function weightedPicker<T>(random: Random, entries: readonly (readonly [T, number])[]): () => T {
  const cumulative: number[] = [];
  let total = 0;
  for (const [, weight] of entries) {
    total += weight;
    cumulative.push(total);
  }
  return () => {
    const target = random.next() * total;
    let low = 0;
    let high = cumulative.length - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (cumulative[middle]! > target) high = middle;
      else low = middle + 1;
    }
    return entries[low]![0];
  };
}

/** Replacements that make an order point at data Incentra does not have. */
interface BrokenReference {
  accountId?: string;
  partnerNumber?: string;
  product2Id?: string;
}

class OrderBuilder {
  private readonly orders: OrderRecord[] = [];
  private readonly orderItems: OrderItemRecord[] = [];
  private readonly orderHistories: OrderHistoryRecord[] = [];
  private historySequence = 0;

  constructor(
    private readonly random: Random,
    private readonly window: OrderWindow,
  ) {}

  addOrder(
    partner: DemoPartner,
    demoProduct: DemoProduct,
    createdAt: Date,
    allTransitions: Transition[],
    broken: BrokenReference = {},
  ): void {
    const random = this.random;
    const sequence = this.orders.length + 1;
    const orderId = salesforceId('Order', sequence);
    const product = demoProduct.product;
    const transitions = allTransitions.filter((transition) => transition.at < this.window.end);
    const current = transitions[transitions.length - 1]!;

    const quantityScale = 10 ** product.quantity.fractionDigits;
    const priceScale = 10 ** product.unitPrice.fractionDigits;
    const quantityUnits = random.integer(product.quantity.min * quantityScale, product.quantity.max * quantityScale);
    const priceUnits = random.integer(
      Math.round(product.unitPrice.min * priceScale),
      Math.round(product.unitPrice.max * priceScale),
    );
    // Integer arithmetic in units of 10^-(quantity + price fraction digits) euros, rounded half up to cents.
    const totalCents = Math.round((quantityUnits * priceUnits * 100) / (quantityScale * priceScale));
    const quantity = quantityUnits / quantityScale;

    const partnerAccount = partner.account;
    const accountId = broken.accountId ?? partnerAccount.Id;
    const installation = transitions.find((transition) => transition.state === 'installed');
    const customFields: Record<`${string}__c`, CustomFieldValue> = {
      Campaign_Code__c:
        product.lifecycle !== 'installation' && random.chance(0.35) ? random.pick(CAMPAIGNS[partner.country]) : null,
      Annual_Consumption_kWh__c: product.lifecycle === 'supply' ? quantity : null,
      Installed_Capacity_kWp__c: product.unit === 'kWp' ? quantity : null,
      Install_Completed_Within_SLA__c:
        product.lifecycle !== 'installation'
          ? null
          : installation
            ? countWorkingDays(transitions[0]!.at, installation.at) <= SLA_WORKING_DAYS
            : null,
      Contract_Term_Months__c: product.termMonths ?? null,
      Customer_Type__c: product.business || random.chance(0.04) ? 'Business' : 'Residential',
    };

    this.orders.push({
      attributes: { type: 'Order', url: recordUrl('Order', orderId) },
      Id: orderId,
      OrderNumber: String(sequence).padStart(8, '0'),
      AccountId: salesforceId('Account', 1_000_000 + sequence),
      Sales_Partner__c: accountId,
      Sales_Partner__r: {
        attributes: { type: 'Account', url: recordUrl('Account', accountId) },
        Partner_Number__c: broken.partnerNumber ?? partnerAccount.Partner_Number__c,
      },
      Status: ORDER_STATUS_PICKLIST[current.state],
      EffectiveDate: createdAt.toISOString().slice(0, 10),
      TotalAmount: totalCents / 100,
      Territory__c: partner.territory,
      CreatedDate: salesforceDateTime(createdAt),
      ...customFields,
    });

    const itemId = salesforceId('OrderItem', sequence);
    this.orderItems.push({
      attributes: { type: 'OrderItem', url: recordUrl('OrderItem', itemId) },
      Id: itemId,
      OrderId: orderId,
      Product2Id: broken.product2Id ?? demoProduct.record.Id,
      PricebookEntryId: broken.product2Id
        ? salesforceId('PricebookEntry', 900 + sequence)
        : demoProduct.pricebookEntryId,
      Quantity: quantity,
      UnitPrice: priceUnits / priceScale,
      TotalPrice: totalCents / 100,
    });

    this.addHistory(orderId, 'created', null, null, createdAt);
    for (let index = 1; index < transitions.length; index += 1) {
      const previous = ORDER_STATUS_PICKLIST[transitions[index - 1]!.state];
      const transition = transitions[index]!;
      this.addHistory(orderId, 'Status', previous, ORDER_STATUS_PICKLIST[transition.state], transition.at);
    }
  }

  result(): GeneratedOrders {
    return { orders: this.orders, orderItems: this.orderItems, orderHistories: this.orderHistories };
  }

  private addHistory(orderId: string, field: string, oldValue: string | null, newValue: string | null, at: Date): void {
    this.historySequence += 1;
    const id = salesforceId('OrderHistory', this.historySequence);
    this.orderHistories.push({
      attributes: { type: 'OrderHistory', url: recordUrl('OrderHistory', id) },
      Id: id,
      OrderId: orderId,
      Field: field,
      OldValue: oldValue,
      NewValue: newValue,
      CreatedDate: salesforceDateTime(at),
    });
  }
}
