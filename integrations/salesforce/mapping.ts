/**
 * The one mapping from Salesforce REST records to Incentra's model, used by the demo loader and
 * meant for the jsforce connector. Picklist values that Incentra does not know, and missing required
 * fields, raise SalesforceMappingError naming the record and the field, so a new CRM value is
 * noticed instead of being guessed.
 */
import { Decimal } from 'decimal.js';

import type { OrderState, PartnerKind, ProductCategory, TaxProfile } from '../../domain/model.js';
import type { OrderEventInput } from '../../domain/orders/order-event-schema.js';
import type { PartnerInput, ProductInput } from '../../store/reference-data.js';
import type {
  AccountRecord,
  CustomFieldValue,
  OrderHistoryRecord,
  OrderItemRecord,
  OrderRecord,
  Product2Record,
  SObjectType,
} from './records.js';

/** Raised when a Salesforce record cannot be mapped because a required field is empty or a picklist value is unknown. */
export class SalesforceMappingError extends Error {
  override readonly name = 'SalesforceMappingError';

  constructor(
    readonly sObjectType: SObjectType,
    readonly recordId: string,
    readonly field: string,
    readonly value: unknown,
    readonly reason: string,
  ) {
    super(`${sObjectType} ${recordId}: ${field} is ${JSON.stringify(value ?? null)}; ${reason}`);
  }
}

/** Partner_Kind__c picklist value of each partner kind. */
export const PARTNER_KIND_PICKLIST: Readonly<Record<PartnerKind, string>> = {
  agency: 'Agency',
  sales_agent: 'Sales Agent',
  outbound: 'Outbound Call Centre',
  installer: 'Installer',
  technician: 'Technician',
};

/** Product2.Family picklist value of each product category. */
export const PRODUCT_FAMILY_PICKLIST: Readonly<Record<ProductCategory, string>> = {
  electricity: 'Electricity',
  gas: 'Gas',
  emobility: 'E-Mobility',
  pv: 'Photovoltaics',
  heating: 'Heating',
  cooling: 'Cooling',
};

/** Order.Status picklist value of each order state. */
export const ORDER_STATUS_PICKLIST: Readonly<Record<OrderState, string>> = {
  signed: 'Signed',
  validated: 'Validated',
  supply_active: 'Supply Active',
  first_bill_paid: 'First Bill Paid',
  rejected: 'Rejected',
  assigned: 'Assigned',
  installed: 'Installed',
  commissioned: 'Commissioned',
  accepted: 'Accepted',
  cancelled: 'Cancelled',
};

/** VAT_Regime__c picklist value of each VAT regime. */
export const VAT_REGIME_PICKLIST: Readonly<Record<TaxProfile['vatRegime'], string>> = {
  standard: 'Standard',
  reverse_charge: 'Reverse Charge',
  small_business: 'Small Business',
  forfettario: 'Forfettario',
};

/** Withholding__c picklist value of each withholding setting. */
export const WITHHOLDING_PICKLIST: Readonly<Record<NonNullable<TaxProfile['withholding']>, string>> = {
  standard: 'Standard',
  with_employees: 'With Employees',
  none: 'None',
};

/** Enasarco__c picklist value of each ENASARCO setting. */
export const ENASARCO_PICKLIST: Readonly<Record<NonNullable<TaxProfile['enasarco']>, string>> = {
  individual_single_mandate: 'Individual Single Mandate',
  individual_multi_mandate: 'Individual Multi Mandate',
  company: 'Company',
  none: 'None',
};

/** Order custom fields stored in their own columns. Every other `__c` field goes into `attributes`. */
const MAPPED_ORDER_FIELDS = new Set(['Sales_Partner__c', 'Territory__c']);

/**
 * Maps a partner Account. The partner id is Partner_Number__c, the parent is the agency's partner
 * number from `Parent_Agency__r`, and the tax country is the territory's prefix (DE-… or IT-…).
 * Throws SalesforceMappingError for an empty required field or an unknown picklist value.
 */
export function mapAccountToPartner(account: AccountRecord): PartnerInput {
  const field = fieldReader('Account', account.Id);
  const territory = field.required('Territory__c', account.Territory__c);
  const country = territory.slice(0, 3) === 'DE-' ? 'DE' : territory.slice(0, 3) === 'IT-' ? 'IT' : undefined;
  if (country === undefined) {
    throw new SalesforceMappingError(
      'Account',
      account.Id,
      'Territory__c',
      territory,
      'a territory starts with DE- or IT-',
    );
  }

  let parentId: string | undefined;
  if (account.Parent_Agency__c !== null) {
    parentId = field.required('Parent_Agency__r.Partner_Number__c', account.Parent_Agency__r?.Partner_Number__c);
  }

  const withholding = field.optionalPicklist('Withholding__c', account.Withholding__c, WITHHOLDING_PICKLIST);
  const enasarco = field.optionalPicklist('Enasarco__c', account.Enasarco__c, ENASARCO_PICKLIST);
  const taxProfile: TaxProfile = {
    country,
    vatRegime: field.picklist('VAT_Regime__c', account.VAT_Regime__c, VAT_REGIME_PICKLIST),
    ...(account.VAT_Id__c ? { vatId: account.VAT_Id__c } : {}),
    ...(account.Tax_Number__c ? { taxNumber: account.Tax_Number__c } : {}),
    ...(withholding === undefined ? {} : { withholding }),
    ...(enasarco === undefined ? {} : { enasarco }),
    address: {
      street: field.required('BillingStreet', account.BillingStreet),
      postalCode: field.required('BillingPostalCode', account.BillingPostalCode),
      city: field.required('BillingCity', account.BillingCity),
      country: field.required('BillingCountryCode', account.BillingCountryCode ?? account.BillingCountry),
    },
  };

  return {
    id: field.required('Partner_Number__c', account.Partner_Number__c),
    salesforceId: account.Id,
    name: field.required('Name', account.Name),
    kind: field.picklist('Partner_Kind__c', account.Partner_Kind__c, PARTNER_KIND_PICKLIST),
    ...(parentId === undefined ? {} : { parentId }),
    territory,
    email: field.required('Email__c', account.Email__c),
    sapVendorId: field.required('SAP_Vendor__c', account.SAP_Vendor__c),
    taxProfile,
  };
}

/**
 * Maps a Product2 record: the id is the Product2 Id, the category comes from Family and the unit
 * from QuantityUnitOfMeasure. Throws SalesforceMappingError for an empty field or unknown Family.
 */
export function mapProduct(product: Product2Record): ProductInput {
  const field = fieldReader('Product2', product.Id);
  return {
    id: product.Id,
    code: field.required('ProductCode', product.ProductCode),
    name: field.required('Name', product.Name),
    category: field.picklist('Family', product.Family, PRODUCT_FAMILY_PICKLIST),
    unit: field.required('QuantityUnitOfMeasure', product.QuantityUnitOfMeasure),
  };
}

/**
 * Maps an order and its field history to order events, oldest first. The `created` history row
 * (or, without one, the order's CreatedDate) gives the first event, whose state is the OldValue of
 * the first Status change, or the current Status when the status never changed. Every Status change
 * gives one more event. Other tracked fields are ignored. Event ids are the OrderHistory Ids.
 *
 * The first event carries the order fields: the partner number from `Sales_Partner__r`, the
 * product, quantity (summed over the items) and TotalAmount of the order items, the territory,
 * and every other custom field by its API name in `attributes`.
 * Throws SalesforceMappingError for an unknown status, a missing partner, no order item, items of
 * more than one product, or an unreadable amount or date.
 */
export function mapOrderStateEvents(
  order: OrderRecord,
  items: readonly OrderItemRecord[],
  histories: readonly OrderHistoryRecord[],
): OrderEventInput[] {
  const field = fieldReader('Order', order.Id);
  const statusChanges = histories
    .filter((row) => row.OrderId === order.Id && row.Field === 'Status')
    .sort(compareHistoryRows);
  const created = histories.find((row) => row.OrderId === order.Id && row.Field === 'created');

  const firstStatus = statusChanges[0]?.OldValue ?? order.Status;
  const firstEvent: OrderEventInput = {
    sourceEventId: created?.Id ?? `${order.Id}:created`,
    source: 'salesforce',
    orderId: order.Id,
    state: field.picklist('Status', firstStatus, ORDER_STATUS_PICKLIST),
    occurredAt: field.dateTime(
      created ? 'OrderHistory.CreatedDate' : 'CreatedDate',
      created?.CreatedDate ?? order.CreatedDate,
    ),
    order: mapOrderFields(order, items),
  };

  const changes = statusChanges.map((row): OrderEventInput => ({
    sourceEventId: row.Id,
    source: 'salesforce',
    orderId: order.Id,
    state: fieldReader('OrderHistory', row.Id).picklist('NewValue', row.NewValue, ORDER_STATUS_PICKLIST),
    occurredAt: fieldReader('OrderHistory', row.Id).dateTime('CreatedDate', row.CreatedDate),
  }));
  return [firstEvent, ...changes];
}

/**
 * Maps every order to its events with `mapOrderStateEvents` and sorts all events by time, as a CRM
 * change feed delivers them. Throws SalesforceMappingError as `mapOrderStateEvents` does.
 */
export function mapOrderRecordsToEvents(
  orders: readonly OrderRecord[],
  items: readonly OrderItemRecord[],
  histories: readonly OrderHistoryRecord[],
): OrderEventInput[] {
  const itemsByOrder = groupBy(items, (item) => item.OrderId);
  const historiesByOrder = groupBy(histories, (history) => history.OrderId);
  const events = orders.flatMap((order) =>
    mapOrderStateEvents(order, itemsByOrder.get(order.Id) ?? [], historiesByOrder.get(order.Id) ?? []),
  );
  // The mapping writes occurredAt in UTC with a "Z", so text order is time order. The sort is stable,
  // which keeps an order's first event ahead of a change recorded in the same millisecond.
  return events.sort((left, right) => compareText(left.occurredAt, right.occurredAt));
}

function compareText(left: string, right: string): number {
  if (left < right) return -1;
  if (left > right) return 1;
  return 0;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group) group.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
}

function mapOrderFields(order: OrderRecord, items: readonly OrderItemRecord[]): NonNullable<OrderEventInput['order']> {
  const field = fieldReader('Order', order.Id);
  const lines = items.filter((item) => item.OrderId === order.Id);
  if (lines.length === 0) {
    throw new SalesforceMappingError('Order', order.Id, 'OrderItems', [], 'an order needs one order item');
  }
  const productIds = [...new Set(lines.map((item) => item.Product2Id))];
  if (productIds.length > 1) {
    throw new SalesforceMappingError(
      'Order',
      order.Id,
      'OrderItems.Product2Id',
      productIds,
      'Incentra supports one product per order',
    );
  }

  const quantity = lines.reduce(
    (sum, item) => sum.plus(field.decimal('OrderItem.Quantity', item.Quantity, 3)),
    new Decimal(0),
  );
  const value =
    order.TotalAmount === null
      ? lines.reduce((sum, item) => sum.plus(field.decimal('OrderItem.TotalPrice', item.TotalPrice, 2)), new Decimal(0))
      : field.decimal('TotalAmount', order.TotalAmount, 2);

  const attributes: Record<string, CustomFieldValue> = {};
  for (const [name, fieldValue] of Object.entries(order)) {
    if (name.endsWith('__c') && !MAPPED_ORDER_FIELDS.has(name)) {
      attributes[name] = fieldValue as CustomFieldValue;
    }
  }

  return {
    orderNumber: field.required('OrderNumber', order.OrderNumber),
    partnerId: field.required('Sales_Partner__r.Partner_Number__c', order.Sales_Partner__r?.Partner_Number__c),
    productId: productIds[0]!,
    value: value.toFixed(2),
    quantity: quantity.toFixed(),
    ...(order.Territory__c ? { territory: order.Territory__c } : {}),
    attributes,
  };
}

function compareHistoryRows(left: OrderHistoryRecord, right: OrderHistoryRecord): number {
  const byTime = Date.parse(normaliseOffset(left.CreatedDate)) - Date.parse(normaliseOffset(right.CreatedDate));
  if (byTime !== 0 && !Number.isNaN(byTime)) return byTime;
  if (left.Id < right.Id) return -1;
  if (left.Id > right.Id) return 1;
  return 0;
}

/** Rewrites a `+0000` offset, as Salesforce prints it, to `+00:00`, the only form Date.parse is specified for. */
function normaliseOffset(dateTime: string): string {
  return dateTime.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
}

/** Returns field readers for one record that raise SalesforceMappingError naming the record and the field. */
function fieldReader(sObjectType: SObjectType, recordId: string) {
  const fail = (field: string, value: unknown, reason: string): never => {
    throw new SalesforceMappingError(sObjectType, recordId, field, value, reason);
  };

  return {
    required(field: string, value: string | null | undefined): string {
      if (value === null || value === undefined || value.trim() === '')
        return fail(field, value, 'the field is required');
      return value;
    },

    /** Returns the model value whose picklist label is `value`. */
    picklist<T extends string>(
      field: string,
      value: string | null | undefined,
      picklist: Readonly<Record<T, string>>,
    ): T {
      const entry = (Object.entries(picklist) as [T, string][]).find(([, label]) => label === value);
      if (!entry) {
        return fail(field, value, `unknown picklist value; Incentra knows ${Object.values(picklist).join(', ')}`);
      }
      return entry[0];
    },

    /** Like `picklist`, but an empty field returns undefined. */
    optionalPicklist<T extends string>(
      field: string,
      value: string | null | undefined,
      picklist: Readonly<Record<T, string>>,
    ): T | undefined {
      return value === null || value === undefined ? undefined : this.picklist(field, value, picklist);
    },

    dateTime(field: string, value: string | null | undefined): string {
      const time = typeof value === 'string' ? Date.parse(normaliseOffset(value)) : Number.NaN;
      if (Number.isNaN(time) || !/(Z|[+-]\d{2}:?\d{2})$/.test(value ?? '')) {
        return fail(field, value, 'expected a date-time with offset such as 2026-11-12T09:30:00.000+0000');
      }
      return new Date(time).toISOString();
    },

    decimal(field: string, value: number | null | undefined, maxFractionDigits: number): Decimal {
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
        return fail(field, value, 'expected a non-negative number');
      }
      const decimal = new Decimal(String(value));
      if (decimal.decimalPlaces() > maxFractionDigits) {
        return fail(field, value, `expected at most ${maxFractionDigits} fraction digits`);
      }
      return decimal;
    },
  };
}
