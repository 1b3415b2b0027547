/**
 * Salesforce REST record shapes that Incentra reads, exactly as the REST API (v62.0) returns them
 * from a SOQL query. Every record has `attributes` with its sObject type and URL, and Ids are the
 * 18-character case-insensitive form. Empty fields are `null`, currency and number fields are JSON
 * numbers, and date-times are printed as `2026-11-12T09:30:00.000+0000`.
 *
 * Picklist fields are typed as `string` because an administrator can add values in Salesforce at
 * any time; integrations/salesforce/mapping.ts lists the values Incentra understands.
 */

/** REST API version of the record URLs. */
export const SALESFORCE_API_VERSION = 'v62.0';

/** Key prefixes (the first three characters of an Id) of the sObjects Incentra reads. */
export const KEY_PREFIXES = {
  Account: '001',
  Product2: '01t',
  PricebookEntry: '01u',
  Order: '801',
  OrderItem: '802',
  /** Shared by every field history sObject, including OrderHistory. */
  OrderHistory: '017',
} as const;

export type SObjectType = keyof typeof KEY_PREFIXES;

/** The `attributes` member of every REST record: `url` is `/services/data/v62.0/sobjects/<type>/<Id>`. */
export interface RecordAttributes<Type extends SObjectType> {
  type: Type;
  url: string;
}

/** Fields that every record of a query response has. */
export interface SalesforceRecord<Type extends SObjectType> {
  attributes: RecordAttributes<Type>;
  Id: string;
}

/**
 * The fields of a parent record selected through a relationship, for example
 * `Parent_Agency__r.Partner_Number__c`. REST returns it as a nested record, or `null` when the
 * lookup is empty.
 */
export interface PartnerReference {
  attributes: RecordAttributes<'Account'>;
  Partner_Number__c: string | null;
}

/**
 * A partner account (agency, sales agent, call centre, installer or technician).
 * Queried with `Parent_Agency__r.Partner_Number__c` so that the mapping needs no second lookup.
 */
export interface AccountRecord extends SalesforceRecord<'Account'> {
  Name: string;
  /** Incentra's partner id, for example `P00001`. */
  Partner_Number__c: string | null;
  /** Picklist: Agency, Sales Agent, Outbound Call Centre, Installer, Technician. */
  Partner_Kind__c: string | null;
  /** Account Id of the agency an agent works for. */
  Parent_Agency__c: string | null;
  Parent_Agency__r: PartnerReference | null;
  /** Sales territory, for example `DE-NORTH` or `IT-CENTRE`. */
  Territory__c: string | null;
  BillingStreet: string | null;
  BillingPostalCode: string | null;
  BillingCity: string | null;
  /** Country name, for example `Germany`, as printed with state and country picklists enabled. */
  BillingCountry: string | null;
  /** ISO 3166-1 alpha-2 code, for example `DE`. */
  BillingCountryCode: string | null;
  Email__c: string | null;
  /** VAT identification number, for example `DE123456789` or `IT01234567897`. */
  VAT_Id__c: string | null;
  /** Steuernummer or codice fiscale. */
  Tax_Number__c: string | null;
  /** Picklist: Standard, Reverse Charge, Small Business, Forfettario. */
  VAT_Regime__c: string | null;
  /** Picklist (Italian partners): Standard, With Employees, None. */
  Withholding__c: string | null;
  /** Picklist (Italian partners): Individual Single Mandate, Individual Multi Mandate, Company, None. */
  Enasarco__c: string | null;
  /** Vendor number of the partner in SAP. */
  SAP_Vendor__c: string | null;
}

/** A catalogue product. */
export interface Product2Record extends SalesforceRecord<'Product2'> {
  Name: string;
  ProductCode: string | null;
  /** Picklist: Electricity, Gas, E-Mobility, Photovoltaics, Heating, Cooling. */
  Family: string | null;
  /** Picklist, for example kWh, kWp, Each, Job. */
  QuantityUnitOfMeasure: string | null;
  IsActive: boolean;
}

/** A custom field value of an Order as REST returns it. */
export type CustomFieldValue = string | number | boolean | null;

/**
 * A customer order. `AccountId` is the customer account, which Incentra does not read. The partner
 * that sold the order or carries it out is the custom lookup `Sales_Partner__c`, queried together
 * with `Sales_Partner__r.Partner_Number__c`.
 *
 * Custom fields beyond the ones listed, such as `Campaign_Code__c`, `Annual_Consumption_kWh__c`,
 * `Installed_Capacity_kWp__c` or `Install_Completed_Within_SLA__c`, appear under their API names.
 */
export interface OrderRecord extends SalesforceRecord<'Order'> {
  /** Auto-number, for example `00012345`. */
  OrderNumber: string;
  AccountId: string;
  Sales_Partner__c: string | null;
  Sales_Partner__r: PartnerReference | null;
  /** Picklist: Signed, Validated, Supply Active, First Bill Paid, Rejected, Cancelled, Assigned, Installed, Commissioned, Accepted. */
  Status: string;
  /** Order start date, `YYYY-MM-DD`. */
  EffectiveDate: string;
  /** Sum of the order items' TotalPrice in euros (a roll-up summary). */
  TotalAmount: number | null;
  Territory__c: string | null;
  CreatedDate: string;
  [customField: `${string}__c`]: CustomFieldValue;
}

/** One line of an order. */
export interface OrderItemRecord extends SalesforceRecord<'OrderItem'> {
  OrderId: string;
  Product2Id: string;
  PricebookEntryId: string;
  Quantity: number;
  UnitPrice: number;
  TotalPrice: number;
}

/**
 * One row of the Order field history. `Field` is `created` for the row written when the order was
 * created (OldValue and NewValue are null) and the field's API name, such as `Status`, for a change.
 */
export interface OrderHistoryRecord extends SalesforceRecord<'OrderHistory'> {
  OrderId: string;
  Field: string;
  OldValue: string | null;
  NewValue: string | null;
  CreatedDate: string;
}

/** The body of a SOQL query response once every page has been read. */
export interface QueryResult<RecordType> {
  totalSize: number;
  done: true;
  records: RecordType[];
}

/** Returns the REST URL of a record, as in `attributes.url`. */
export function recordUrl(type: SObjectType, id: string): string {
  return `/services/data/${SALESFORCE_API_VERSION}/sobjects/${type}/${id}`;
}
