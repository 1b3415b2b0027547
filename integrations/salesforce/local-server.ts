/**
 * A local stand-in for a Salesforce org's REST API (v62.0), serving records from memory over
 * node:http: the OAuth 2.0 client credentials token endpoint and the query resource with
 * `nextRecordsUrl` pagination. It responds the way Salesforce does (status codes, error bodies,
 * record `attributes`, nested parent records), so jsforce works with it unchanged.
 *
 * It understands only the SOQL that connector.ts sends. A statement outside that subset gets
 * 400 MALFORMED_QUERY, and an unknown field or object gets INVALID_FIELD or INVALID_TYPE, so a
 * connector change that the server does not understand fails instead of returning wrong records.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import type { Logger } from '../../config/logger.js';
import {
  SALESFORCE_API_VERSION,
  recordUrl,
  type AccountRecord,
  type OrderHistoryRecord,
  type OrderItemRecord,
  type OrderRecord,
  type Product2Record,
  type SObjectType,
} from './records.js';

/** The records the server serves, one list per sObject. */
export interface LocalSalesforceData {
  accounts: readonly AccountRecord[];
  products: readonly Product2Record[];
  orders: readonly OrderRecord[];
  orderItems: readonly OrderItemRecord[];
  orderHistories: readonly OrderHistoryRecord[];
}

/** Options of `startLocalSalesforce`. */
export interface LocalSalesforceOptions {
  /** Interface to listen on. Default 127.0.0.1. */
  host?: string;
  /** TCP port, 0 for a free one. Default 0. */
  port?: number;
  data: LocalSalesforceData;
  /** Consumer key of the connected app that the token endpoint accepts. */
  clientId: string;
  /** Consumer secret of that app. */
  clientSecret: string;
  /** Records per query page, as Salesforce's default batch size. Default 2000. */
  pageSize?: number;
  /** Receives the unexpected errors that the server responds to with 500. */
  logger?: Pick<Logger, 'error'>;
}

/** A running local Salesforce server. */
export interface LocalSalesforce {
  /** Base URL, such as `http://127.0.0.1:41234`, to use as loginUrl and instance URL. */
  url: string;
  /** SOQL statements received by the query resource, oldest first. */
  readonly queries: readonly string[];
  /** Invalidates every access token issued so far, as when Salesforce ends the sessions. */
  expireSessions(): void;
  /** Stops accepting requests, closes open connections and resolves once the server has stopped. */
  close(): Promise<void>;
}

/** Maximum bytes of a request's URI and headers together, as Salesforce documents for REST calls. */
const MAX_URI_AND_HEADERS_BYTES = 16_384;

/** Maximum size of a token request body. */
const MAX_TOKEN_BODY_BYTES = 64 * 1024;

/**
 * Lifetime of a query cursor. Since API version 56.0 Salesforce keeps a cursor for 2 days and sets
 * no limit on open cursors (Salesforce limits cheatsheet, "API Query Cursor Limits").
 */
const CURSOR_LIFETIME_MS = 2 * 24 * 60 * 60_000;

/** Ids of the fake org and its integration user, as they appear in the identity URL. */
const ORG_ID = '00D7Q000000LOCALAA';
const USER_ID = '0057Q000000LOCALAA';

const API_PATH = `/services/data/${SALESFORCE_API_VERSION}`;
const JSON_TYPE = 'application/json;charset=UTF-8';

/**
 * Starts the server and resolves once it listens. Throws TypeError for an empty client id or
 * secret, a page size that is not a positive whole number, or a record without an Id, and the
 * listen error (such as EADDRINUSE) when the port is taken.
 */
export async function startLocalSalesforce(options: LocalSalesforceOptions): Promise<LocalSalesforce> {
  if (!options.clientId || !options.clientSecret) {
    throw new TypeError('startLocalSalesforce needs a non-empty clientId and clientSecret');
  }
  const pageSize = options.pageSize ?? 2000;
  if (!Number.isInteger(pageSize) || pageSize < 1) {
    throw new TypeError(`invalid pageSize ${pageSize}; use a whole number of at least 1`);
  }

  const context: RequestContext = {
    org: new Org(options.data),
    tokens: new Set(),
    cursors: new Map(),
    queries: [],
    pageSize,
    // Set once the server listens, before the first request can arrive.
    baseUrl: '',
    clientId: options.clientId,
    clientSecret: options.clientSecret,
  };

  // Node's own header limit is 16 KiB too, but Node responds with 431 before the handler runs. A
  // larger limit lets the handler respond with 414 or 431 the way Salesforce does.
  const server = http.createServer({ maxHeaderSize: 4 * MAX_URI_AND_HEADERS_BYTES }, (request, response) => {
    route(context, request, response).catch((error: unknown) => {
      options.logger?.error(
        { err: error, method: request.method, path: pathOf(request) },
        'local Salesforce request failed',
      );
      if (!response.headersSent) {
        sendJson(response, 500, [{ errorCode: 'UNKNOWN_EXCEPTION', message: errorMessage(error) }]);
      } else {
        response.destroy();
      }
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  context.baseUrl = `http://${host}:${address.port}`;

  return {
    url: context.baseUrl,
    queries: context.queries,
    expireSessions: () => context.tokens.clear(),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

// ---------------------------------------------------------------------------------------------
// HTTP

interface RequestContext {
  org: Org;
  tokens: Set<string>;
  cursors: Map<string, Cursor>;
  queries: string[];
  pageSize: number;
  baseUrl: string;
  clientId: string;
  clientSecret: string;
}

/** The REST error body: a list with one error. */
type RestErrors = [{ errorCode: string; message: string }];

/** An error that the server responds to with a status code and a REST error body. */
class RestError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
  ) {
    super(message);
  }

  get body(): RestErrors {
    return [{ errorCode: this.errorCode, message: this.message }];
  }
}

async function route(context: RequestContext, request: http.IncomingMessage, response: http.ServerResponse) {
  const uriLength = Buffer.byteLength(request.url ?? '');
  if (uriLength > MAX_URI_AND_HEADERS_BYTES) {
    sendText(response, 414, 'URI Too Long');
    return;
  }
  if (uriLength + headerBytes(request) > MAX_URI_AND_HEADERS_BYTES) {
    sendText(response, 431, 'Request Header Fields Too Large');
    return;
  }

  const url = new URL(request.url ?? '/', 'http://localhost');
  if (url.pathname === '/services/oauth2/token') {
    if (request.method !== 'POST') {
      sendJson(response, 405, { error: 'invalid_request', error_description: 'must use HTTP POST' });
      return;
    }
    await issueToken(context, request, response);
    return;
  }

  try {
    if (!url.pathname.startsWith(`${API_PATH}/`)) {
      throw new RestError(404, 'NOT_FOUND', 'The requested resource does not exist');
    }
    if (request.method !== 'GET') {
      throw new RestError(405, 'METHOD_NOT_ALLOWED', `HTTP Method '${request.method}' not allowed. Allowed are GET`);
    }
    authenticate(context, request);

    if (url.pathname === `${API_PATH}/query` || url.pathname === `${API_PATH}/query/`) {
      const soql = url.searchParams.get('q');
      if (soql === null || soql.trim() === '') {
        throw new RestError(400, 'MALFORMED_QUERY', 'A query string has to be specified');
      }
      context.queries.push(soql);
      sendJson(response, 200, runQuery(context, soql));
      return;
    }
    const locator = /^\/query\/([A-Za-z0-9]{15,18})-(\d+)$/.exec(url.pathname.slice(API_PATH.length));
    if (locator) {
      sendJson(response, 200, nextPage(context, locator[1]!, Number(locator[2])));
      return;
    }
    throw new RestError(404, 'NOT_FOUND', 'The requested resource does not exist');
  } catch (error) {
    if (!(error instanceof RestError)) throw error;
    sendJson(response, error.status, error.body);
  }
}

/** Responds to a token request: only the client credentials grant, with the id and secret in the body or as HTTP Basic. */
async function issueToken(context: RequestContext, request: http.IncomingMessage, response: http.ServerResponse) {
  const oauthError = (status: number, error: string, description: string) =>
    sendJson(response, status, { error, error_description: description });

  if (!/^application\/x-www-form-urlencoded\b/i.test(request.headers['content-type'] ?? '')) {
    oauthError(400, 'invalid_request', 'the request body must be application/x-www-form-urlencoded');
    return;
  }
  const body = await readBody(request, MAX_TOKEN_BODY_BYTES);
  if (body === undefined) {
    oauthError(413, 'invalid_request', `the request body exceeds ${MAX_TOKEN_BODY_BYTES} bytes`);
    return;
  }
  const form = new URLSearchParams(body);
  if (form.get('grant_type') !== 'client_credentials') {
    oauthError(400, 'unsupported_grant_type', 'grant type not supported');
    return;
  }

  const basic = basicCredentials(request.headers.authorization);
  const clientId = form.get('client_id') ?? basic?.clientId;
  const clientSecret = form.get('client_secret') ?? basic?.clientSecret;
  if (!clientId || !sameSecret(clientId, context.clientId)) {
    oauthError(400, 'invalid_client_id', 'client identifier invalid');
    return;
  }
  if (!clientSecret || !sameSecret(clientSecret, context.clientSecret)) {
    oauthError(400, 'invalid_client', 'invalid client credentials');
    return;
  }

  const accessToken = `${ORG_ID.slice(0, 15)}!${randomBytes(48).toString('base64url')}`;
  context.tokens.add(accessToken);
  const id = `${context.baseUrl}/id/${ORG_ID}/${USER_ID}`;
  const issuedAt = String(Date.now());
  sendJson(response, 200, {
    access_token: accessToken,
    // Salesforce signs the identity URL and issue time with the client secret, so the client can check both.
    signature: createHmac('sha256', context.clientSecret)
      .update(id + issuedAt)
      .digest('base64'),
    scope: 'api',
    instance_url: context.baseUrl,
    id,
    token_type: 'Bearer',
    issued_at: issuedAt,
  });
}

/** Throws RestError 401 INVALID_SESSION_ID unless the request carries a token issued by this server. */
function authenticate(context: RequestContext, request: http.IncomingMessage): void {
  const match = /^(?:Bearer|OAuth) (\S+)$/.exec(request.headers.authorization ?? '');
  if (!match || !context.tokens.has(match[1]!)) {
    throw new RestError(401, 'INVALID_SESSION_ID', 'Session expired or invalid');
  }
}

function basicCredentials(header: string | undefined): { clientId: string; clientSecret: string } | undefined {
  const match = /^Basic ([A-Za-z0-9+/=]+)$/.exec(header ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  // RFC 6749 form-encodes the client id and secret before joining them for HTTP Basic.
  try {
    return {
      clientId: decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' ')),
      clientSecret: decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' ')),
    };
  } catch {
    return undefined;
  }
}

/** Compares two secrets in constant time, hashing first so that their lengths do not leak either. */
function sameSecret(received: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(received), digest(expected));
}

/** Reads the body as text, or returns undefined once it exceeds `maxBytes`. */
async function readBody(request: http.IncomingMessage, maxBytes: number): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > maxBytes) return undefined;
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function headerBytes(request: http.IncomingMessage): number {
  let bytes = 0;
  for (let index = 0; index + 1 < request.rawHeaders.length; index += 2) {
    // "name: value\r\n"
    bytes += Buffer.byteLength(request.rawHeaders[index]!) + Buffer.byteLength(request.rawHeaders[index + 1]!) + 4;
  }
  return bytes;
}

function sendJson(response: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': JSON_TYPE, 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

function sendText(response: http.ServerResponse, status: number, text: string): void {
  response.writeHead(status, { 'content-type': 'text/plain;charset=UTF-8', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

function pathOf(request: http.IncomingMessage): string {
  return (request.url ?? '').split('?')[0] ?? '';
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

// ---------------------------------------------------------------------------------------------
// Queries and cursors

/** An open query cursor: the matching records in result order and the fields to return. */
interface Cursor {
  records: readonly SourceRecord[];
  plan: QueryPlan;
  createdAt: number;
}

/** Runs a SOQL query and returns its first page, opening a cursor when more pages follow. */
function runQuery(context: RequestContext, soql: string): QueryPage {
  const plan = context.org.plan(parseSoql(soql));
  const records = context.org.select(plan);
  if (records.length <= context.pageSize) {
    return {
      totalSize: records.length,
      done: true,
      records: records.map((record) => context.org.project(plan, record)),
    };
  }

  releaseExpiredCursors(context.cursors);
  // Salesforce query locators are 18 characters long and start with 0r8.
  const locator = `0r8${randomBase62(15)}`;
  context.cursors.set(locator, { records, plan, createdAt: Date.now() });
  return page(context, locator, 0);
}

/**
 * Returns the page at `offset` for `GET /query/<locator>-<offset>`, which may be any position
 * inside the result. Throws RestError INVALID_QUERY_LOCATOR for an unknown or expired cursor or
 * an offset outside the result.
 */
function nextPage(context: RequestContext, locator: string, offset: number): QueryPage {
  releaseExpiredCursors(context.cursors);
  const cursor = context.cursors.get(locator);
  if (!cursor || offset <= 0 || offset >= cursor.records.length) {
    throw new RestError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
  }
  return page(context, locator, offset);
}

interface QueryPage {
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
  records: ProjectedRecord[];
}

function page(context: RequestContext, locator: string, offset: number): QueryPage {
  const cursor = context.cursors.get(locator)!;
  const end = Math.min(offset + context.pageSize, cursor.records.length);
  const records = cursor.records.slice(offset, end).map((record) => context.org.project(cursor.plan, record));
  const done = end >= cursor.records.length;
  return {
    totalSize: cursor.records.length,
    done,
    ...(done ? {} : { nextRecordsUrl: `${API_PATH}/query/${locator}-${end}` }),
    records,
  };
}

function releaseExpiredCursors(cursors: Map<string, Cursor>): void {
  const now = Date.now();
  for (const [locator, cursor] of cursors) {
    if (now - cursor.createdAt > CURSOR_LIFETIME_MS) cursors.delete(locator);
  }
}

function randomBase62(length: number): string {
  const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  return Array.from(randomBytes(length), (byte) => alphabet[byte % alphabet.length]).join('');
}

// ---------------------------------------------------------------------------------------------
// The org: field descriptions, records and evaluation

type ServedSObject = 'Account' | 'Product2' | 'Order' | 'OrderItem' | 'OrderHistory';

type FieldType = 'id' | 'reference' | 'string' | 'double' | 'boolean' | 'date' | 'datetime' | 'anyType';

interface FieldDescription {
  name: string;
  type: FieldType;
  /** For a lookup: the parent sObject and the relationship name that selects the parent's fields. */
  referenceTo?: SObjectType;
  relationshipName?: string;
}

type SourceRecord = Readonly<Record<string, unknown>> & { Id: string };
type ProjectedRecord = Record<string, unknown>;

const lookup = (name: string, referenceTo: SObjectType, relationshipName: string): FieldDescription => ({
  name,
  type: 'reference',
  referenceTo,
  relationshipName,
});

const fields = (types: Record<string, FieldType>): FieldDescription[] =>
  Object.entries(types).map(([name, type]) => ({ name, type }));

/**
 * The standard and custom fields of each sObject that the server describes. Other scalar fields
 * found in the records, such as the Order custom fields, are added at start. LastModifiedDate is
 * described for Order only.
 */
const DESCRIBED_FIELDS: Readonly<Record<ServedSObject, readonly FieldDescription[]>> = {
  Account: [
    ...fields({ Id: 'id', Name: 'string', Partner_Number__c: 'string', Partner_Kind__c: 'string' }),
    lookup('Parent_Agency__c', 'Account', 'Parent_Agency__r'),
    ...fields({
      Territory__c: 'string',
      BillingStreet: 'string',
      BillingPostalCode: 'string',
      BillingCity: 'string',
      BillingCountry: 'string',
      BillingCountryCode: 'string',
      Email__c: 'string',
      VAT_Id__c: 'string',
      Tax_Number__c: 'string',
      VAT_Regime__c: 'string',
      Withholding__c: 'string',
      Enasarco__c: 'string',
      SAP_Vendor__c: 'string',
    }),
  ],
  Product2: fields({
    Id: 'id',
    Name: 'string',
    ProductCode: 'string',
    Family: 'string',
    QuantityUnitOfMeasure: 'string',
    IsActive: 'boolean',
  }),
  Order: [
    ...fields({ Id: 'id', OrderNumber: 'string' }),
    lookup('AccountId', 'Account', 'Account'),
    lookup('Sales_Partner__c', 'Account', 'Sales_Partner__r'),
    ...fields({
      Status: 'string',
      EffectiveDate: 'date',
      TotalAmount: 'double',
      Territory__c: 'string',
      CreatedDate: 'datetime',
      LastModifiedDate: 'datetime',
    }),
  ],
  OrderItem: [
    ...fields({ Id: 'id' }),
    lookup('OrderId', 'Order', 'Order'),
    lookup('Product2Id', 'Product2', 'Product2'),
    lookup('PricebookEntryId', 'PricebookEntry', 'PricebookEntry'),
    ...fields({ Quantity: 'double', UnitPrice: 'double', TotalPrice: 'double' }),
  ],
  OrderHistory: [
    ...fields({ Id: 'id' }),
    lookup('OrderId', 'Order', 'Order'),
    ...fields({ Field: 'string', OldValue: 'anyType', NewValue: 'anyType', CreatedDate: 'datetime' }),
  ],
};

/** A field of the query result: a field of the record, or a field of a parent through a relationship. */
interface SelectedField {
  field: FieldDescription;
  parent?: { lookup: FieldDescription; type: ServedSObject };
}

/** A parsed query with every name resolved against the described fields. */
interface QueryPlan {
  sObjectType: ServedSObject;
  selected: SelectedField[];
  condition?: ResolvedCondition;
  order: { field: FieldDescription; descending: boolean; nullsLast: boolean }[];
}

type ResolvedCondition =
  | { kind: 'notNull'; field: FieldDescription }
  | { kind: 'in'; field: FieldDescription; values: ReadonlySet<string> }
  | { kind: 'atOrAfter'; field: FieldDescription; time: number };

/** The fake org's records and field descriptions, which resolves, filters, sorts and projects queries. */
class Org {
  private readonly records: Record<ServedSObject, readonly SourceRecord[]>;
  private readonly described = new Map<ServedSObject, Map<string, FieldDescription>>();
  /** Every record by the 15-character form of its Id, for resolving lookups. */
  private readonly byId = new Map<string, { type: ServedSObject; record: SourceRecord }>();
  /**
   * LastModifiedDate of orders whose record has none: the latest of CreatedDate and the order's
   * history rows. NOTE: a real org also moves LastModifiedDate for edits of untracked fields, so it
   * can return more orders for a `since` filter than this server does.
   */
  private readonly orderLastModified = new Map<string, string>();

  constructor(data: LocalSalesforceData) {
    this.records = {
      Account: checkRecords('accounts', data.accounts),
      Product2: checkRecords('products', data.products),
      Order: checkRecords('orders', data.orders),
      OrderItem: checkRecords('orderItems', data.orderItems),
      OrderHistory: checkRecords('orderHistories', data.orderHistories),
    };
    for (const [type, records] of Object.entries(this.records) as [ServedSObject, readonly SourceRecord[]][]) {
      this.described.set(type, describe(type, records));
      for (const record of records) this.byId.set(record.Id.slice(0, 15), { type, record });
    }
    this.deriveOrderLastModified();
  }

  /** Resolves the names of a parsed query. Throws RestError INVALID_TYPE or INVALID_FIELD for an unknown name. */
  plan(query: ParsedQuery): QueryPlan {
    const sObjectType = (Object.keys(DESCRIBED_FIELDS) as ServedSObject[]).find(
      (type) => type.toLowerCase() === query.from.toLowerCase(),
    );
    if (!sObjectType) {
      throw new RestError(400, 'INVALID_TYPE', `sObject type '${query.from}' is not supported.`);
    }

    const seen = new Set<string>();
    const selected = query.fields.map((path): SelectedField => {
      const resolved = this.resolvePath(sObjectType, path);
      const key = resolved.parent
        ? `${resolved.parent.lookup.relationshipName}.${resolved.field.name}`.toLowerCase()
        : resolved.field.name.toLowerCase();
      if (seen.has(key)) throw new RestError(400, 'MALFORMED_QUERY', `duplicate field selected: ${path}`);
      seen.add(key);
      return resolved;
    });

    return {
      sObjectType,
      selected,
      ...(query.where ? { condition: this.resolveCondition(sObjectType, query.where) } : {}),
      order: query.orderBy.map((item) => ({
        field: this.resolveField(sObjectType, item.field),
        descending: item.descending,
        nullsLast: item.nullsLast,
      })),
    };
  }

  /** Returns the records that match the plan's condition, in the plan's order. */
  select(plan: QueryPlan): SourceRecord[] {
    const condition = plan.condition;
    const matching = condition
      ? this.records[plan.sObjectType].filter((record) => this.matches(plan.sObjectType, record, condition))
      : [...this.records[plan.sObjectType]];
    if (plan.order.length === 0) return matching;
    return matching.sort((left, right) => {
      for (const item of plan.order) {
        const result = compareValues(
          item.field.type,
          this.value(plan.sObjectType, left, item.field),
          this.value(plan.sObjectType, right, item.field),
          item,
        );
        if (result !== 0) return result;
      }
      return 0;
    });
  }

  /** Returns the record as the REST API does: `attributes`, then the selected fields in query order. */
  project(plan: QueryPlan, record: SourceRecord): ProjectedRecord {
    const projected: ProjectedRecord = {
      attributes: { type: plan.sObjectType, url: recordUrl(plan.sObjectType, record.Id) },
    };
    for (const selected of plan.selected) {
      if (!selected.parent) {
        projected[selected.field.name] = this.value(plan.sObjectType, record, selected.field);
        continue;
      }
      const relationshipName = selected.parent.lookup.relationshipName!;
      const parent = this.parentOf(record, selected.parent.lookup, selected.parent.type);
      if (parent === null) {
        projected[relationshipName] = null;
        continue;
      }
      const nested = (projected[relationshipName] ??= { attributes: parent.attributes }) as ProjectedRecord;
      nested[selected.field.name] = parent.value(selected.field);
    }
    return projected;
  }

  private resolvePath(sObjectType: ServedSObject, path: string): SelectedField {
    const parts = path.split('.');
    if (parts.length === 1) return { field: this.resolveField(sObjectType, path) };
    if (parts.length > 2) {
      throw new RestError(
        400,
        'MALFORMED_QUERY',
        `${path}: the local Salesforce server supports one relationship level`,
      );
    }
    const [relationship, fieldName] = parts as [string, string];
    const lookupField = [...this.described.get(sObjectType)!.values()].find(
      (field) => field.relationshipName?.toLowerCase() === relationship.toLowerCase(),
    );
    if (!lookupField) {
      throw new RestError(400, 'INVALID_FIELD', `Didn't understand relationship '${relationship}' in field path.`);
    }
    const parentType = lookupField.referenceTo!;
    if (!isServed(parentType)) {
      throw new RestError(
        400,
        'INVALID_FIELD',
        `${path}: the local Salesforce server contains no ${parentType} records`,
      );
    }
    return { field: this.resolveField(parentType, fieldName), parent: { lookup: lookupField, type: parentType } };
  }

  private resolveField(sObjectType: ServedSObject, name: string): FieldDescription {
    if (name.includes('.')) {
      throw new RestError(
        400,
        'MALFORMED_QUERY',
        `${name}: the local Salesforce server filters and sorts by fields of ${sObjectType} only`,
      );
    }
    const field = this.described.get(sObjectType)!.get(name.toLowerCase());
    if (!field) {
      throw new RestError(
        400,
        'INVALID_FIELD',
        `No such column '${name}' on entity '${sObjectType}'. If you are attempting to use a custom field, be sure to ` +
          "append the '__c' after the custom field name.",
      );
    }
    return field;
  }

  private resolveCondition(sObjectType: ServedSObject, condition: ParsedCondition): ResolvedCondition {
    const field = this.resolveField(sObjectType, condition.field);
    switch (condition.kind) {
      case 'notNull':
        return { kind: 'notNull', field };
      case 'in':
        if (field.type === 'id' || field.type === 'reference') {
          const invalid = condition.values.find((value) => !/^[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?$/.test(value));
          if (invalid !== undefined) {
            throw new RestError(400, 'INVALID_QUERY_FILTER_OPERATOR', `invalid ID field: ${invalid}`);
          }
          return { kind: 'in', field, values: new Set(condition.values.map((value) => value.slice(0, 15))) };
        }
        if (field.type !== 'string') {
          throw new RestError(
            400,
            'INVALID_FIELD',
            `value of filter criterion for field '${field.name}' must be of type ${field.type} and should not be enclosed in quotes`,
          );
        }
        // Text comparisons in SOQL ignore case.
        return { kind: 'in', field, values: new Set(condition.values.map((value) => value.toUpperCase())) };
      case 'atOrAfter':
        if (field.type !== 'datetime') {
          throw new RestError(
            400,
            'INVALID_FIELD',
            `value of filter criterion for field '${field.name}' must be of type ${field.type}`,
          );
        }
        return { kind: 'atOrAfter', field, time: condition.time };
    }
  }

  private matches(sObjectType: ServedSObject, record: SourceRecord, condition: ResolvedCondition): boolean {
    const value = this.value(sObjectType, record, condition.field);
    switch (condition.kind) {
      case 'notNull':
        return value !== null;
      case 'in': {
        if (typeof value !== 'string') return false;
        const key = condition.field.type === 'string' ? value.toUpperCase() : value.slice(0, 15);
        return condition.values.has(key);
      }
      case 'atOrAfter':
        return typeof value === 'string' && parseDateTime(value) >= condition.time;
    }
  }

  /** Returns a field's value, null when the record has none, and the derived LastModifiedDate of an order. */
  private value(sObjectType: ServedSObject, record: SourceRecord, field: FieldDescription): unknown {
    if (Object.hasOwn(record, field.name)) return record[field.name] ?? null;
    if (sObjectType === 'Order' && field.name === 'LastModifiedDate')
      return this.orderLastModified.get(record.Id) ?? null;
    return null;
  }

  /**
   * Returns the parent record of a lookup: the nested record that the data already contains (as
   * `Sales_Partner__r` of a generated order), else the record with the lookup's Id. Returns null
   * for an empty lookup and throws when the parent is in neither place, because the server cannot
   * know its fields.
   */
  private parentOf(
    record: SourceRecord,
    lookupField: FieldDescription,
    parentType: ServedSObject,
  ): { attributes: unknown; value(field: FieldDescription): unknown } | null {
    const relationshipName = lookupField.relationshipName!;
    if (Object.hasOwn(record, relationshipName)) {
      const nested = record[relationshipName] as Record<string, unknown> | null;
      if (nested === null) return null;
      return {
        attributes: nested.attributes ?? {
          type: parentType,
          url: recordUrl(parentType, String(record[lookupField.name])),
        },
        value: (field) => {
          if (!Object.hasOwn(nested, field.name)) {
            throw new Error(
              `${recordLabel(record)}: the nested ${relationshipName} record has no ${field.name}; add it to the data`,
            );
          }
          return nested[field.name] ?? null;
        },
      };
    }

    const parentId = record[lookupField.name];
    if (parentId === null || parentId === undefined) return null;
    const parent = this.byId.get(String(parentId).slice(0, 15));
    if (!parent || parent.type !== parentType) {
      throw new Error(
        `${recordLabel(record)}: ${lookupField.name} ${String(parentId)} is not a ${parentType} record of the data`,
      );
    }
    return {
      attributes: { type: parentType, url: recordUrl(parentType, parent.record.Id) },
      value: (field) => this.value(parentType, parent.record, field),
    };
  }

  private deriveOrderLastModified(): void {
    const latest = new Map<string, number>();
    for (const order of this.records.Order) {
      if (typeof order.CreatedDate === 'string') latest.set(order.Id, parseDateTime(order.CreatedDate));
    }
    for (const row of this.records.OrderHistory) {
      const orderId = row.OrderId;
      if (typeof orderId !== 'string' || typeof row.CreatedDate !== 'string' || !latest.has(orderId)) continue;
      latest.set(orderId, Math.max(latest.get(orderId)!, parseDateTime(row.CreatedDate)));
    }
    for (const [orderId, time] of latest) {
      if (!Number.isNaN(time)) this.orderLastModified.set(orderId, new Date(time).toISOString().replace('Z', '+0000'));
    }
  }
}

/**
 * Describes an sObject: its listed fields plus every other scalar field found in the records,
 * typed by its first non-null value (text when every value is null).
 */
function describe(type: ServedSObject, records: readonly SourceRecord[]): Map<string, FieldDescription> {
  const described = new Map(DESCRIBED_FIELDS[type].map((field) => [field.name.toLowerCase(), field]));
  const inferred = new Set<string>();
  const typedByValue = new Set<string>();
  for (const record of records) {
    for (const [name, value] of Object.entries(record)) {
      const key = name.toLowerCase();
      // Nested parent records such as Sales_Partner__r are reached through the listed lookups.
      if (name === 'attributes' || (value !== null && typeof value === 'object')) continue;
      if (described.has(key) && !inferred.has(key)) continue;
      if (typedByValue.has(key) || (inferred.has(key) && value === null)) continue;
      described.set(key, { name, type: valueType(value) });
      inferred.add(key);
      if (value !== null) typedByValue.add(key);
    }
  }
  return described;
}

function valueType(value: unknown): FieldType {
  if (typeof value === 'number') return 'double';
  if (typeof value === 'boolean') return 'boolean';
  return 'string';
}

function checkRecords(name: string, records: readonly unknown[]): SourceRecord[] {
  if (!Array.isArray(records)) throw new TypeError(`data.${name} must be a list of records`);
  for (const [index, record] of records.entries()) {
    const id = (record as { Id?: unknown } | null)?.Id;
    if (typeof id !== 'string' || !/^[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?$/.test(id)) {
      throw new TypeError(`data.${name}[${index}] has no valid 15- or 18-character Id`);
    }
  }
  return records as SourceRecord[];
}

function isServed(type: SObjectType): type is ServedSObject {
  return Object.hasOwn(DESCRIBED_FIELDS, type);
}

function recordLabel(record: SourceRecord): string {
  const type = (record.attributes as { type?: unknown } | undefined)?.type;
  return `${typeof type === 'string' ? type : 'record'} ${record.Id}`;
}

/** Parses a Salesforce date-time such as `2026-11-12T09:30:00.000+0000` to epoch milliseconds (NaN if unreadable). */
function parseDateTime(value: string): number {
  return Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
}

/**
 * Compares two values for ORDER BY: Ids by their 15-character form with case, text without case
 * (Salesforce sorts text by upper-case value in English locales), numbers and times by value.
 * Nulls go first unless NULLS LAST is given, whatever the direction.
 */
function compareValues(
  type: FieldType,
  left: unknown,
  right: unknown,
  order: { descending: boolean; nullsLast: boolean },
): number {
  if (left === null || right === null) {
    if (left === right) return 0;
    return (left === null) === order.nullsLast ? 1 : -1;
  }
  const key = (value: unknown): string | number => {
    switch (type) {
      case 'id':
      case 'reference':
        return String(value).slice(0, 15);
      case 'double':
        return Number(value);
      case 'boolean':
        return value ? 1 : 0;
      case 'datetime':
        return parseDateTime(String(value));
      default:
        return String(value).toUpperCase();
    }
  };
  const leftKey = key(left);
  const rightKey = key(right);
  let result = 0;
  if (leftKey < rightKey) result = -1;
  else if (leftKey > rightKey) result = 1;
  return order.descending ? -result : result;
}

// ---------------------------------------------------------------------------------------------
// SOQL subset

/** The grammar the server accepts, quoted in MALFORMED_QUERY messages. */
const SUPPORTED_GRAMMAR =
  "the local Salesforce server supports SELECT <fields> FROM <object> [WHERE <field> != null | <field> IN ('a', ...) | " +
  '<field> >= <date-time>] [ORDER BY <field> [ASC|DESC] [NULLS FIRST|LAST], ...]';

interface ParsedQuery {
  fields: string[];
  from: string;
  where?: ParsedCondition;
  orderBy: { field: string; descending: boolean; nullsLast: boolean }[];
}

type ParsedCondition =
  | { kind: 'notNull'; field: string }
  | { kind: 'in'; field: string; values: string[] }
  | { kind: 'atOrAfter'; field: string; time: number };

type TokenKind = 'name' | 'string' | 'dateTime' | 'number' | 'operator' | 'comma' | 'open' | 'close' | 'end';

interface Token {
  kind: TokenKind;
  text: string;
  /** 1-based column in the statement, as Salesforce reports it. */
  column: number;
}

const TOKEN_PATTERNS: [TokenKind, RegExp][] = [
  ['string', /'(?:[^'\\]|\\.)*'/y],
  ['dateTime', /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:Z|[+-]\d{2}:\d{2})/y],
  ['number', /\d+(?:\.\d+)?/y],
  ['name', /[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*/y],
  ['operator', /!=|<>|<=|>=|=|<|>/y],
  ['comma', /,/y],
  ['open', /\(/y],
  ['close', /\)/y],
];

/** The escape sequences of SOQL string literals outside LIKE. */
const STRING_ESCAPES: Readonly<Record<string, string>> = {
  n: '\n',
  N: '\n',
  r: '\r',
  R: '\r',
  t: '\t',
  T: '\t',
  b: '\b',
  B: '\b',
  f: '\f',
  F: '\f',
  '"': '"',
  "'": "'",
  '\\': '\\',
};

/** Reserved words that end a field list or a clause. */
const KEYWORDS = new Set([
  'SELECT',
  'FROM',
  'WHERE',
  'ORDER',
  'BY',
  'IN',
  'NULL',
  'ASC',
  'DESC',
  'NULLS',
  'FIRST',
  'LAST',
  'AND',
  'OR',
  'NOT',
  'LIMIT',
  'OFFSET',
  'GROUP',
  'HAVING',
  'WITH',
  'FOR',
  'USING',
  'TYPEOF',
  'LIKE',
]);

/** Parses the SOQL subset. Throws RestError MALFORMED_QUERY for anything outside it. */
function parseSoql(soql: string): ParsedQuery {
  const parser = new Parser(soql);
  parser.keyword('SELECT');
  const fields = [parser.fieldName()];
  while (parser.accept('comma')) fields.push(parser.fieldName());
  parser.keyword('FROM');
  const from = parser.expect('name', 'an object name').text;

  let where: ParsedCondition | undefined;
  if (parser.acceptKeyword('WHERE')) where = parser.condition();

  const orderBy: ParsedQuery['orderBy'] = [];
  if (parser.acceptKeyword('ORDER')) {
    parser.keyword('BY');
    do {
      const field = parser.fieldName();
      let descending = false;
      if (parser.acceptKeyword('DESC')) descending = true;
      else parser.acceptKeyword('ASC');
      let nullsLast = false;
      if (parser.acceptKeyword('NULLS')) {
        if (parser.acceptKeyword('LAST')) nullsLast = true;
        else parser.keyword('FIRST');
      }
      orderBy.push({ field, descending, nullsLast });
    } while (parser.accept('comma'));
  }
  parser.expect('end', 'the end of the statement');
  return { fields, from, ...(where ? { where } : {}), orderBy };
}

class Parser {
  private readonly tokens: Token[];
  private position = 0;

  constructor(private readonly soql: string) {
    this.tokens = tokenize(soql);
  }

  private get current(): Token {
    return this.tokens[this.position]!;
  }

  /** Consumes a token of `kind` and returns it, or throws MALFORMED_QUERY naming `expected`. */
  expect(kind: TokenKind, expected: string): Token {
    const token = this.current;
    if (token.kind !== kind) this.fail(token, expected);
    this.position += 1;
    return token;
  }

  accept(kind: TokenKind): boolean {
    if (this.current.kind !== kind) return false;
    this.position += 1;
    return true;
  }

  keyword(word: string): void {
    if (!this.acceptKeyword(word)) this.fail(this.current, word);
  }

  acceptKeyword(word: string): boolean {
    const token = this.current;
    if (token.kind !== 'name' || token.text.toUpperCase() !== word) return false;
    this.position += 1;
    return true;
  }

  fieldName(): string {
    const token = this.expect('name', 'a field name');
    if (KEYWORDS.has(token.text.toUpperCase())) this.fail(token, 'a field name');
    return token.text;
  }

  condition(): ParsedCondition {
    const field = this.fieldName();
    const operator = this.current;
    if (operator.kind === 'operator' && operator.text === '!=') {
      this.position += 1;
      this.keyword('NULL');
      return { kind: 'notNull', field };
    }
    if (operator.kind === 'operator' && operator.text === '>=') {
      this.position += 1;
      const literal = this.expect('dateTime', 'a date-time such as 2026-08-01T00:00:00Z');
      return { kind: 'atOrAfter', field, time: Date.parse(literal.text) };
    }
    if (this.acceptKeyword('IN')) {
      this.expect('open', '(');
      const values = [this.stringLiteral()];
      while (this.accept('comma')) values.push(this.stringLiteral());
      this.expect('close', ')');
      return { kind: 'in', field, values };
    }
    return this.fail(operator, "!= null, IN ('a', ...) or >= <date-time>");
  }

  private stringLiteral(): string {
    const token = this.expect('string', 'a quoted string');
    return token.text.slice(1, -1).replace(/\\(.)/g, (_, character: string) => {
      const replacement = STRING_ESCAPES[character];
      if (replacement === undefined) this.fail(token, 'a string with valid escape sequences');
      return replacement;
    });
  }

  private fail(token: Token, expected: string): never {
    const found = token.kind === 'end' ? '<EOF>' : token.text;
    throw new RestError(
      400,
      'MALFORMED_QUERY',
      `unexpected token: '${found}' at column ${token.column}, expected ${expected}; ${SUPPORTED_GRAMMAR}`,
    );
  }
}

function tokenize(soql: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  while (index < soql.length) {
    if (/\s/.test(soql[index]!)) {
      index += 1;
      continue;
    }
    const match = TOKEN_PATTERNS.map(([kind, pattern]) => {
      pattern.lastIndex = index;
      const found = pattern.exec(soql);
      return found ? { kind, text: found[0] } : undefined;
    }).find((candidate) => candidate !== undefined);
    if (!match) {
      throw new RestError(
        400,
        'MALFORMED_QUERY',
        `unexpected character '${soql[index]}' at column ${index + 1}; ${SUPPORTED_GRAMMAR}`,
      );
    }
    tokens.push({ kind: match.kind, text: match.text, column: index + 1 });
    index += match.text.length;
  }
  tokens.push({ kind: 'end', text: '', column: soql.length + 1 });
  return tokens;
}
