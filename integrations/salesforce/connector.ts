/**
 * Reads partner accounts, products and orders from Salesforce with jsforce over the REST API
 * (v62.0). Every query is read to its last page, and a result with fewer records than its
 * `totalSize` raises SalesforceQueryError, so nothing is truncated silently.
 *
 * Order items and field history rows are queried by `OrderId IN (...)` in chunks of Order Ids, not
 * with relationship subqueries. jsforce sends SOQL in the URL of a GET request, and Salesforce
 * limits the URI plus headers of a REST request to 16,384 bytes, so each chunk is sized to keep the
 * URI under `maxQueryUriLength`. Subqueries would page their child records separately, and the
 * chunked form needs no subquery parsing in the local server (local-server.ts).
 */
import { Connection, type QueryOptions, type QueryResult as JsforceQueryResult } from 'jsforce';

import {
  SALESFORCE_API_VERSION,
  type AccountRecord,
  type OrderHistoryRecord,
  type OrderItemRecord,
  type OrderRecord,
  type Product2Record,
  type SObjectType,
} from './records.js';

/** A field that a query can select on a record type: a field, or `Relationship__r.Field` of a parent record. */
type SelectableField<RecordType> = {
  [Key in Exclude<keyof RecordType, 'attributes'> & string]: NonNullable<RecordType[Key]> extends {
    attributes: unknown;
  }
    ? `${Key}.${Exclude<keyof NonNullable<RecordType[Key]>, 'attributes'> & string}`
    : Key;
}[Exclude<keyof RecordType, 'attributes'> & string];

/** The declared keys of a record type, without the `${string}__c` index signature of OrderRecord. */
type DeclaredKey<RecordType> = keyof {
  [Key in keyof RecordType as string extends Key ? never : `${string}__c` extends Key ? never : Key]: true;
};

/** `true` when the field list selects every declared field of the record type, otherwise the missing keys. */
type SelectsEveryField<RecordType, Field extends string> = [
  Exclude<DeclaredKey<RecordType>, 'attributes' | (Field extends `${infer Head}.${string}` ? Head : Field)>,
] extends [never]
  ? true
  : Exclude<DeclaredKey<RecordType>, 'attributes' | (Field extends `${infer Head}.${string}` ? Head : Field)>;

/** Fields of a partner Account query, with the parent agency's partner number through `Parent_Agency__r`. */
export const ACCOUNT_FIELDS = [
  'Id',
  'Name',
  'Partner_Number__c',
  'Partner_Kind__c',
  'Parent_Agency__c',
  'Parent_Agency__r.Partner_Number__c',
  'Territory__c',
  'BillingStreet',
  'BillingPostalCode',
  'BillingCity',
  'BillingCountry',
  'BillingCountryCode',
  'Email__c',
  'VAT_Id__c',
  'Tax_Number__c',
  'VAT_Regime__c',
  'Withholding__c',
  'Enasarco__c',
  'SAP_Vendor__c',
] as const satisfies readonly SelectableField<AccountRecord>[];

/** Fields of a Product2 query. */
export const PRODUCT2_FIELDS = [
  'Id',
  'Name',
  'ProductCode',
  'Family',
  'QuantityUnitOfMeasure',
  'IsActive',
] as const satisfies readonly SelectableField<Product2Record>[];

/** Standard and mapped fields of an Order query, with the partner number through `Sales_Partner__r`. */
export const ORDER_FIELDS = [
  'Id',
  'OrderNumber',
  'AccountId',
  'Sales_Partner__c',
  'Sales_Partner__r.Partner_Number__c',
  'Status',
  'EffectiveDate',
  'TotalAmount',
  'Territory__c',
  'CreatedDate',
] as const satisfies readonly SelectableField<OrderRecord>[];

/**
 * Order custom fields read by default. The mapping copies each of them into the order's
 * `attributes`, where plan rules read them (for example the SLA flag of installation jobs).
 */
export const ORDER_CUSTOM_FIELDS = [
  'Campaign_Code__c',
  'Annual_Consumption_kWh__c',
  'Installed_Capacity_kWp__c',
  'Install_Completed_Within_SLA__c',
  'Contract_Term_Months__c',
  'Customer_Type__c',
] as const satisfies readonly `${string}__c`[];

/** Fields of an OrderItem query. */
export const ORDER_ITEM_FIELDS = [
  'Id',
  'OrderId',
  'Product2Id',
  'PricebookEntryId',
  'Quantity',
  'UnitPrice',
  'TotalPrice',
] as const satisfies readonly SelectableField<OrderItemRecord>[];

/** Fields of an OrderHistory query. */
export const ORDER_HISTORY_FIELDS = [
  'Id',
  'OrderId',
  'Field',
  'OldValue',
  'NewValue',
  'CreatedDate',
] as const satisfies readonly SelectableField<OrderHistoryRecord>[];

// Compile-time checks that each list selects every field its record type declares, so a field
// added to records.ts without a query change fails the type check instead of arriving as undefined.
const _accountFieldsComplete: SelectsEveryField<AccountRecord, (typeof ACCOUNT_FIELDS)[number]> = true;
const _productFieldsComplete: SelectsEveryField<Product2Record, (typeof PRODUCT2_FIELDS)[number]> = true;
const _orderFieldsComplete: SelectsEveryField<OrderRecord, (typeof ORDER_FIELDS)[number]> = true;
const _orderItemFieldsComplete: SelectsEveryField<OrderItemRecord, (typeof ORDER_ITEM_FIELDS)[number]> = true;
const _orderHistoryFieldsComplete: SelectsEveryField<OrderHistoryRecord, (typeof ORDER_HISTORY_FIELDS)[number]> = true;

/**
 * Default maximum length in bytes of a query request URI (path and `?q=` with the URL-encoded SOQL).
 * Salesforce rejects a REST request whose URI and headers exceed 16,384 bytes, and this leaves the
 * rest for jsforce's headers. A quoted 18-character Id and its comma take 23 bytes encoded, so a
 * chunk contains about 420 Ids.
 * NOTE: checked only against the local server, which enforces the 16,384-byte limit, not against a real org.
 */
export const DEFAULT_MAX_QUERY_URI_LENGTH = 10_000;

/** Path of the query resource, the start of every query request URI. */
const QUERY_PATH = `/services/data/${SALESFORCE_API_VERSION}/query?q=`;

/**
 * Options of every jsforce query call: one page per call, and no `maxFetch` cap, because jsforce
 * stops at 10,000 records by default without an error.
 */
const PAGE_OPTIONS: QueryOptions = {
  headers: {},
  autoFetch: false,
  maxFetch: Number.MAX_SAFE_INTEGER,
  scanAll: false,
  responseTarget: 'QueryResult',
};

/** Session refreshes allowed within REFRESH_WINDOW_MS before a refresh fails. */
const MAX_REFRESHES_PER_WINDOW = 3;
const REFRESH_WINDOW_MS = 60_000;

/** Credentials of a connection: a connected app's client credentials, or the access token of an existing session. */
export type SalesforceCredentials =
  | {
      /**
       * Base URL of the token endpoint, without a trailing path, for example `https://acme.my.salesforce.com`.
       * The client credentials flow needs the org's My Domain URL, because Salesforce does not offer
       * it on login.salesforce.com or test.salesforce.com.
       */
      loginUrl: string;
      clientId: string;
      clientSecret: string;
    }
  | {
      /** Base URL of the org's REST API, for example `https://acme.my.salesforce.com`. */
      instanceUrl: string;
      accessToken: string;
    };

/** Raised when Salesforce rejects the client credentials or the token endpoint cannot be reached. */
export class SalesforceAuthenticationError extends Error {
  override readonly name = 'SalesforceAuthenticationError';

  constructor(
    /** OAuth error code such as `invalid_client`, or a Node error code such as `ECONNREFUSED`. */
    readonly errorCode: string | undefined,
    readonly loginUrl: string,
    detail: string,
    options?: ErrorOptions,
  ) {
    super(
      `Salesforce token request to ${loginUrl} failed: ${errorCode ?? 'error'}: ${detail}; ` +
        'check the login URL, client id and client secret of the connected app',
      options,
    );
  }
}

/** Raised when a SOQL query fails in Salesforce or in transit, or returns fewer records than its totalSize. */
export class SalesforceQueryError extends Error {
  override readonly name = 'SalesforceQueryError';

  constructor(
    /** The sObject the query reads. */
    readonly sObjectType: SObjectType,
    /**
     * The Salesforce error code, such as `MALFORMED_QUERY` or `INVALID_SESSION_ID`, a Node error code
     * such as `ECONNREFUSED`, or undefined when the connector found the result incomplete.
     */
    readonly errorCode: string | undefined,
    /** The message of Salesforce or of the connector. */
    readonly detail: string,
    /** The SOQL statement, which can be several kilobytes long for a chunk of Ids. */
    readonly soql: string,
    options?: ErrorOptions,
  ) {
    super(`Salesforce query on ${sObjectType} failed: ${errorCode ? `${errorCode}: ` : ''}${detail}`, options);
  }
}

/**
 * Creates a jsforce Connection to the REST API v62.0. With client credentials it requests a token
 * from `{loginUrl}/services/oauth2/token` first and requests a new one when Salesforce reports the
 * session as expired, at most 3 times a minute. With an access token it only checks the URL, so a
 * bad token shows up as SalesforceQueryError `INVALID_SESSION_ID` on the first query.
 * Throws SalesforceAuthenticationError when the token request fails, and TypeError for a URL that
 * is not http(s). The errors it raises contain neither the client secret nor the access token.
 */
export async function createSalesforceConnection(credentials: SalesforceCredentials): Promise<Connection> {
  const version = SALESFORCE_API_VERSION.slice(1);
  if ('accessToken' in credentials) {
    return new Connection({
      instanceUrl: baseUrl(credentials.instanceUrl, 'instanceUrl'),
      accessToken: credentials.accessToken,
      version,
    });
  }

  const loginUrl = baseUrl(credentials.loginUrl, 'loginUrl');
  const refreshTimes: number[] = [];
  const connection = new Connection({
    loginUrl,
    version,
    oauth2: { loginUrl, clientId: credentials.clientId, clientSecret: credentials.clientSecret },
    // The client credentials flow issues no refresh token, so an expired session is renewed with a new grant.
    refreshFn: (expired, callback) => {
      const now = Date.now();
      while (refreshTimes.length > 0 && now - refreshTimes[0]! > REFRESH_WINDOW_MS) refreshTimes.shift();
      if (refreshTimes.length >= MAX_REFRESHES_PER_WINDOW) {
        callback(
          new Error(
            `Salesforce rejected ${MAX_REFRESHES_PER_WINDOW} new access tokens within a minute; ` +
              'check the session policies of the connected app',
          ),
        );
        return;
      }
      refreshTimes.push(now);
      requestClientCredentialsToken(expired, loginUrl).then(
        () => callback(null, expired.accessToken ?? undefined),
        (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
      );
    },
  });
  await requestClientCredentialsToken(connection, loginUrl);
  return connection;
}

async function requestClientCredentialsToken(connection: Connection, loginUrl: string): Promise<void> {
  try {
    await connection.authorize({ grant_type: 'client_credentials' });
  } catch (error) {
    // jsforce names an OAuth error after its `error` member and puts `error_description` in the message.
    const code = error instanceof Error ? (nodeErrorCode(error) ?? error.name) : undefined;
    const detail = error instanceof Error ? error.message : String(error);
    throw new SalesforceAuthenticationError(code, loginUrl, detail, { cause: error });
  }
}

/** Progress of one sObject's queries, reported after every page. */
export interface FetchProgress {
  sObjectType: SObjectType;
  /** Records of this sObject received so far. */
  fetched: number;
  /** Records to expect, known for a single query (its totalSize) and undefined while chunked queries run. */
  total: number | undefined;
  /** Whether every record of this sObject has been received. */
  done: boolean;
}

/** Options of a fetch method. */
export interface FetchOptions {
  onProgress?: (progress: FetchProgress) => void;
}

/** Options of `fetchOrders`. */
export interface FetchOrdersOptions extends FetchOptions {
  /**
   * Only orders with LastModifiedDate at or after this instant: an ISO 8601 date (`2026-08-01`, read
   * as UTC midnight) or date-time with offset (`2026-08-01T00:00:00Z`). Fractions of a second are
   * dropped, so the filter can include orders changed up to a second earlier.
   */
  since?: string;
}

/**
 * Orders ordered by Id, with every OrderItem and OrderHistory row of those orders. The rows are
 * ordered by Id within each chunk of Order Ids, and the chunks follow the order of the orders.
 */
export interface OrderRecords {
  orders: OrderRecord[];
  orderItems: OrderItemRecord[];
  orderHistories: OrderHistoryRecord[];
}

/** Options of a SalesforceConnector. */
export interface SalesforceConnectorOptions {
  /** Maximum length of a query request URI in bytes. Default DEFAULT_MAX_QUERY_URI_LENGTH. */
  maxQueryUriLength?: number;
  /** Order custom fields to select, each an API name ending in `__c`. Default ORDER_CUSTOM_FIELDS. */
  orderCustomFields?: readonly string[];
}

/**
 * Runs Incentra's SOQL queries through a jsforce Connection and returns the records as
 * records.ts types. Every method reads all pages and throws SalesforceQueryError for a failed or
 * incomplete query. The mapping checks the fields of the records.
 */
export class SalesforceConnector {
  private readonly maxQueryUriLength: number;
  private readonly orderFields: readonly string[];

  /** Throws RangeError for a URI limit below 1,000 bytes or a custom field name that is not `Name__c`. */
  constructor(
    private readonly connection: Connection,
    options: SalesforceConnectorOptions = {},
  ) {
    this.maxQueryUriLength = options.maxQueryUriLength ?? DEFAULT_MAX_QUERY_URI_LENGTH;
    if (!Number.isInteger(this.maxQueryUriLength) || this.maxQueryUriLength < 1_000) {
      throw new RangeError(`invalid maxQueryUriLength ${this.maxQueryUriLength}; use a whole number of at least 1000`);
    }
    const customFields = options.orderCustomFields ?? ORDER_CUSTOM_FIELDS;
    for (const field of customFields) {
      if (!/^[A-Za-z][A-Za-z0-9_]*__c$/.test(field)) {
        throw new RangeError(`invalid order custom field ${JSON.stringify(field)}; use an API name such as Region__c`);
      }
    }
    this.orderFields = [
      ...ORDER_FIELDS,
      ...customFields.filter((field) => !(ORDER_FIELDS as readonly string[]).includes(field)),
    ];
  }

  /** Fetches the partner accounts: every Account whose Partner_Kind__c is set, ordered by Id. */
  async fetchPartners(options: FetchOptions = {}): Promise<AccountRecord[]> {
    const soql = `SELECT ${ACCOUNT_FIELDS.join(', ')} FROM Account WHERE Partner_Kind__c != null ORDER BY Id`;
    const tracker = new ProgressTracker('Account', options.onProgress);
    const records = await this.queryAllPages<AccountRecord>('Account', soql, tracker);
    tracker.finish();
    return records;
  }

  /** Fetches every Product2 record, active or not, ordered by Id, because old orders can name retired products. */
  async fetchProducts(options: FetchOptions = {}): Promise<Product2Record[]> {
    const soql = `SELECT ${PRODUCT2_FIELDS.join(', ')} FROM Product2 ORDER BY Id`;
    const tracker = new ProgressTracker('Product2', options.onProgress);
    const records = await this.queryAllPages<Product2Record>('Product2', soql, tracker);
    tracker.finish();
    return records;
  }

  /**
   * Fetches the orders (all, or those modified since `options.since`), then their OrderItem and
   * OrderHistory rows in chunks of Order Ids. Throws RangeError for an unreadable `since`.
   */
  async fetchOrders(options: FetchOrdersOptions = {}): Promise<OrderRecords> {
    const where = options.since === undefined ? '' : ` WHERE LastModifiedDate >= ${soqlDateTime(options.since)}`;
    const orderSoql = `SELECT ${this.orderFields.join(', ')} FROM Order${where} ORDER BY Id`;
    const orderTracker = new ProgressTracker('Order', options.onProgress);
    const orders = await this.queryAllPages<OrderRecord>('Order', orderSoql, orderTracker);
    orderTracker.finish();

    const orderIds = [...new Set(orders.map((order) => order.Id))];
    const orderItems = await this.queryByOrderIds<OrderItemRecord>(
      'OrderItem',
      ORDER_ITEM_FIELDS,
      orderIds,
      options.onProgress,
    );
    const orderHistories = await this.queryByOrderIds<OrderHistoryRecord>(
      'OrderHistory',
      ORDER_HISTORY_FIELDS,
      orderIds,
      options.onProgress,
    );
    return { orders, orderItems, orderHistories };
  }

  /** Queries the rows of `sObjectType` whose OrderId is one of `orderIds`, one chunk of Ids after another. */
  private async queryByOrderIds<RecordType>(
    sObjectType: 'OrderItem' | 'OrderHistory',
    fields: readonly string[],
    orderIds: readonly string[],
    onProgress: FetchOptions['onProgress'],
  ): Promise<RecordType[]> {
    const tracker = new ProgressTracker(sObjectType, onProgress, true);
    const records: RecordType[] = [];
    const statements = chunkedInQueries(
      `SELECT ${fields.join(', ')} FROM ${sObjectType} WHERE OrderId IN (`,
      ') ORDER BY Id',
      orderIds,
      this.maxQueryUriLength,
    );
    for (const soql of statements) {
      for (const record of await this.queryAllPages<RecordType>(sObjectType, soql, tracker)) records.push(record);
    }
    tracker.finish();
    return records;
  }

  /** Reads every page of one query, checking that the pages add up to its totalSize. */
  private async queryAllPages<RecordType>(
    sObjectType: SObjectType,
    soql: string,
    tracker: ProgressTracker,
  ): Promise<RecordType[]> {
    let page = await this.send(sObjectType, soql, () =>
      this.connection.query<Record<string, unknown>>(soql, PAGE_OPTIONS),
    );
    const records: RecordType[] = [];
    for (;;) {
      checkPage(sObjectType, soql, page);
      for (const record of page.records) records.push(record as RecordType);
      tracker.page(page.records.length, page.totalSize);
      if (page.done) break;

      const nextRecordsUrl = page.nextRecordsUrl;
      if (!nextRecordsUrl || page.records.length === 0) {
        throw new SalesforceQueryError(
          sObjectType,
          undefined,
          `a page with ${page.records.length} records has done: false but no next page`,
          soql,
        );
      }
      page = await this.send(sObjectType, soql, () =>
        this.connection.queryMore<Record<string, unknown>>(nextRecordsUrl, PAGE_OPTIONS),
      );
    }

    if (records.length !== page.totalSize) {
      throw new SalesforceQueryError(
        sObjectType,
        undefined,
        `received ${records.length} records but totalSize is ${page.totalSize}`,
        soql,
      );
    }
    return records;
  }

  private async send<Result>(
    sObjectType: SObjectType,
    soql: string,
    request: () => PromiseLike<Result>,
  ): Promise<Result> {
    try {
      return await request();
    } catch (error) {
      if (!(error instanceof Error)) throw error;
      const errorCode = (error as { errorCode?: unknown }).errorCode;
      throw new SalesforceQueryError(
        sObjectType,
        typeof errorCode === 'string' ? errorCode : nodeErrorCode(error),
        error.message,
        soql,
        { cause: error },
      );
    }
  }
}

/** Throws SalesforceQueryError unless the page is a query result with a records array and a totalSize. */
function checkPage(sObjectType: SObjectType, soql: string, page: JsforceQueryResult<Record<string, unknown>>): void {
  if (!page || !Array.isArray(page.records) || !Number.isInteger(page.totalSize)) {
    throw new SalesforceQueryError(
      sObjectType,
      undefined,
      'the response is not a query result with records and totalSize',
      soql,
    );
  }
  const foreign = page.records.find(
    (record) => (record.attributes as { type?: unknown } | undefined)?.type !== sObjectType,
  );
  if (foreign) {
    throw new SalesforceQueryError(
      sObjectType,
      undefined,
      `the response contains a record of type ${JSON.stringify((foreign.attributes as { type?: unknown } | undefined)?.type)}`,
      soql,
    );
  }
}

/** Reports one sObject's progress, summing pages over the chunked queries of OrderItem and OrderHistory. */
class ProgressTracker {
  private fetched = 0;

  constructor(
    private readonly sObjectType: SObjectType,
    private readonly onProgress: FetchOptions['onProgress'],
    private readonly chunked = false,
  ) {}

  page(records: number, totalSize: number): void {
    this.fetched += records;
    this.onProgress?.({
      sObjectType: this.sObjectType,
      fetched: this.fetched,
      total: this.chunked ? undefined : totalSize,
      done: false,
    });
  }

  finish(): void {
    this.onProgress?.({ sObjectType: this.sObjectType, fetched: this.fetched, total: this.fetched, done: true });
  }
}

/**
 * Splits `ids` into SOQL statements `prefix 'id1','id2' suffix` whose request URI stays within
 * `maxUriLength` bytes. URL encoding works character by character, so the encoded lengths of the
 * parts add up. Throws RangeError when one Id alone does not fit.
 */
export function chunkedInQueries(
  prefix: string,
  suffix: string,
  ids: readonly string[],
  maxUriLength: number,
): string[] {
  const fixedLength = QUERY_PATH.length + encodedLength(prefix) + encodedLength(suffix);
  const separatorLength = encodedLength(',');
  const statements: string[] = [];
  let chunk: string[] = [];
  let length = fixedLength;

  for (const id of ids) {
    const literal = soqlString(id);
    const literalLength = encodedLength(literal);
    if (fixedLength + literalLength > maxUriLength) {
      throw new RangeError(`a query for Id ${id} needs more than the URI limit of ${maxUriLength} bytes`);
    }
    let added = literalLength + (chunk.length > 0 ? separatorLength : 0);
    if (length + added > maxUriLength) {
      statements.push(prefix + chunk.join(',') + suffix);
      chunk = [];
      length = fixedLength;
      added = literalLength;
    }
    length += added;
    chunk.push(literal);
  }
  if (chunk.length > 0) statements.push(prefix + chunk.join(',') + suffix);
  return statements;
}

/** Quotes a string as a SOQL literal, escaping backslashes and single quotes. */
function soqlString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function encodedLength(text: string): number {
  return encodeURIComponent(text).length;
}

/**
 * Formats an ISO 8601 date or date-time with offset as a SOQL date-time literal in UTC, such as
 * `2026-08-01T00:00:00Z`. Throws RangeError for anything else, including a date-time without an
 * offset, which JavaScript would read in the local time zone.
 */
function soqlDateTime(since: string): string {
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(since);
  const withOffset = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(since);
  const time = Date.parse(since);
  if ((!dateOnly && !withOffset) || Number.isNaN(time)) {
    throw new RangeError(
      `invalid since ${JSON.stringify(since)}; use an ISO 8601 date such as 2026-08-01 or a date-time with offset such as 2026-08-01T00:00:00Z`,
    );
  }
  return new Date(time).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Returns the URL without trailing slashes. Throws TypeError unless it is an http or https URL. */
function baseUrl(url: string, name: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError(`invalid ${name} ${JSON.stringify(url)}; use a URL such as https://acme.my.salesforce.com`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new TypeError(`invalid ${name} ${JSON.stringify(url)}; use an http or https URL`);
  }
  return url.replace(/\/+$/, '');
}

/** Returns the Node error code of a failed request, such as ECONNREFUSED, which undici puts on the cause. */
function nodeErrorCode(error: Error): string | undefined {
  for (const candidate of [error, error.cause]) {
    const code = (candidate as { code?: unknown } | undefined)?.code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}
