import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { generateDemoData, writeDemoData, type DemoData } from '../../demo/generate.js';
import { readDemoFiles } from '../../demo/load.js';
import {
  chunkedInQueries,
  createSalesforceConnection,
  SalesforceAuthenticationError,
  SalesforceConnector,
  SalesforceQueryError,
  type FetchProgress,
} from '../../integrations/salesforce/connector.js';
import { startLocalSalesforce, type LocalSalesforce } from '../../integrations/salesforce/local-server.js';

const CLIENT_ID = 'connector-test';
const CLIENT_SECRET = 'connector-test-secret-5f2c';
const PAGE_SIZE = 50;

let dir: string;
let files: DemoData;
let server: LocalSalesforce;
let connector: SalesforceConnector;

beforeAll(async () => {
  const data = generateDemoData({ seed: 21, partners: 40, orders: 300 });
  dir = await mkdtemp(path.join(os.tmpdir(), 'incentra-salesforce-'));
  await writeDemoData(dir, data);
  files = await readDemoFiles(dir);
  server = await startLocalSalesforce({
    host: '127.0.0.1',
    port: 0,
    data,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    pageSize: PAGE_SIZE,
  });
  connector = new SalesforceConnector(await connect());
});

afterAll(async () => {
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

function connect() {
  return createSalesforceConnection({ loginUrl: server.url, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
}

/** Returns the queries the server received while `action` ran. */
async function queriesDuring(action: () => Promise<unknown>): Promise<string[]> {
  const before = server.queries.length;
  await action();
  return server.queries.slice(before);
}

describe('SalesforceConnector against the local server', () => {
  it('fetches the partner accounts of the files', async () => {
    expect(await connector.fetchPartners()).toStrictEqual(files.accounts);
  });

  it('fetches the products of the files', async () => {
    expect(await connector.fetchProducts()).toStrictEqual(files.products);
  });

  it('fetches the orders, items and histories of the files', async () => {
    const fetched = await connector.fetchOrders();

    expect(fetched.orders).toHaveLength(300);
    expect(fetched.orders).toStrictEqual(files.orders);
    expect(fetched.orderItems).toStrictEqual(files.orderItems);
    expect(fetched.orderHistories).toStrictEqual(files.orderHistories);
  });

  it('splits Id lists within URI limit', async () => {
    const maxQueryUriLength = 2_000;
    const small = new SalesforceConnector(await connect(), { maxQueryUriLength });
    let fetched: Awaited<ReturnType<SalesforceConnector['fetchOrders']>> | undefined;

    const queries = await queriesDuring(async () => {
      fetched = await small.fetchOrders();
    });
    const itemQueries = queries.filter((soql) => soql.includes('FROM OrderItem'));
    const uriLengths = queries.map((soql) => `/services/data/v62.0/query?q=${encodeURIComponent(soql)}`.length);

    // 300 Ids of 23 encoded bytes each need at least four URIs of 2,000 bytes.
    expect(itemQueries.length).toBeGreaterThanOrEqual(4);
    expect(Math.max(...uriLengths)).toBeLessThanOrEqual(maxQueryUriLength);
    expect(fetched?.orderItems).toStrictEqual(files.orderItems);
    expect(fetched?.orderHistories).toStrictEqual(files.orderHistories);
  });

  it('fetches only orders modified since a date', async () => {
    const since = Date.parse('2026-11-15T00:00:00Z');
    const changedSince = new Set(
      files.orderHistories
        .filter((row) => Date.parse(row.CreatedDate.replace('+0000', 'Z')) >= since)
        .map((row) => row.OrderId),
    );

    const fetched = await connector.fetchOrders({ since: '2026-11-15' });

    expect(changedSince.size).toBeGreaterThan(0);
    expect(fetched.orders).toStrictEqual(files.orders.filter((order) => changedSince.has(order.Id)));
    expect(fetched.orderItems).toStrictEqual(files.orderItems.filter((item) => changedSince.has(item.OrderId)));
    expect(fetched.orderHistories).toStrictEqual(files.orderHistories.filter((row) => changedSince.has(row.OrderId)));
  });

  it('sends since as a UTC date-time literal', async () => {
    const queries = await queriesDuring(() => connector.fetchOrders({ since: '2026-11-15T01:30:15.250+01:00' }));

    expect(queries[0]).toContain('WHERE LastModifiedDate >= 2026-11-15T00:30:15Z ORDER BY Id');
  });

  it('rejects a since without offset', async () => {
    await expect(connector.fetchOrders({ since: '2026-11-15T00:00:00' })).rejects.toThrow(RangeError);
  });

  it('reports progress after every page', async () => {
    const reports: FetchProgress[] = [];

    await connector.fetchOrders({ onProgress: (progress) => reports.push(progress) });
    const orderReports = reports.filter((report) => report.sObjectType === 'Order');
    const historyReports = reports.filter((report) => report.sObjectType === 'OrderHistory');

    expect(orderReports.map((report) => report.fetched)).toEqual([50, 100, 150, 200, 250, 300, 300]);
    expect(orderReports.slice(0, -1).every((report) => report.total === 300 && !report.done)).toBe(true);
    expect(orderReports.at(-1)).toEqual({ sObjectType: 'Order', fetched: 300, total: 300, done: true });
    expect(historyReports.at(-1)).toEqual({
      sObjectType: 'OrderHistory',
      fetched: files.orderHistories.length,
      total: files.orderHistories.length,
      done: true,
    });
  });
});

describe('SalesforceConnector errors', () => {
  it('names the object and code of a rejected query', async () => {
    const withUnknownField = new SalesforceConnector(await connect(), { orderCustomFields: ['Region__c'] });

    const error = await withUnknownField.fetchOrders().catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(SalesforceQueryError);
    expect(error).toMatchObject({ sObjectType: 'Order', errorCode: 'INVALID_FIELD' });
    expect((error as Error).message).toContain(
      "Salesforce query on Order failed: INVALID_FIELD: No such column 'Region__c'",
    );
  });

  it('rejects a result short of totalSize', async () => {
    // A server whose only page claims 3 records but carries 1.
    const shortServer = http.createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({ totalSize: 3, done: true, records: [{ attributes: { type: 'Product2', url: '' }, Id: 'x' }] }),
      );
    });
    await new Promise<void>((resolve) => shortServer.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = shortServer.address() as AddressInfo;
      const short = new SalesforceConnector(
        await createSalesforceConnection({ instanceUrl: `http://127.0.0.1:${port}`, accessToken: 'token' }),
      );

      const error = await short.fetchProducts().catch((caught: unknown) => caught);

      expect(error).toBeInstanceOf(SalesforceQueryError);
      expect((error as Error).message).toContain('received 1 records but totalSize is 3');
    } finally {
      shortServer.close();
    }
  });

  it('rejects a custom field name that is not an API name', () => {
    expect(() => new SalesforceConnector({} as never, { orderCustomFields: ['Id FROM Account --'] })).toThrow(
      RangeError,
    );
  });

  it('reports a wrong client secret as invalid_client', async () => {
    const error = await createSalesforceConnection({
      loginUrl: server.url,
      clientId: CLIENT_ID,
      clientSecret: 'not-the-secret',
    }).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(SalesforceAuthenticationError);
    expect(error).toMatchObject({ errorCode: 'invalid_client', loginUrl: server.url });
    expect((error as Error).message).not.toContain('not-the-secret');
  });

  it('renews an expired session with the client credentials', async () => {
    const renewing = new SalesforceConnector(await connect());
    server.expireSessions();

    expect(await renewing.fetchProducts()).toStrictEqual(files.products);
  });

  it('stops renewing sessions that expire again at once', async () => {
    const renewing = new SalesforceConnector(await connect());

    const error = await renewing
      .fetchOrders({ onProgress: () => server.expireSessions() })
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(SalesforceQueryError);
    expect((error as Error).message).toContain('rejected 3 new access tokens within a minute');
  });

  it('reports an expired access token as INVALID_SESSION_ID', async () => {
    const session = await connect();
    const accessToken = session.accessToken!;
    const withToken = new SalesforceConnector(
      await createSalesforceConnection({ instanceUrl: server.url, accessToken }),
    );
    server.expireSessions();

    const error = await withToken.fetchProducts().catch((caught: unknown) => caught);

    expect(error).toMatchObject({ sObjectType: 'Product2', errorCode: 'INVALID_SESSION_ID' });
    expect((error as Error).message).not.toContain(accessToken);
  });
});

describe('chunkedInQueries', () => {
  const ids = Array.from({ length: 1_000 }, (_, index) => `8017Q${String(index).padStart(10, '0')}AAA`);

  it('covers every Id once within the limit', () => {
    const statements = chunkedInQueries('SELECT Id FROM OrderItem WHERE OrderId IN (', ') ORDER BY Id', ids, 3_000);
    const quoted = statements.flatMap((soql) => [...soql.matchAll(/'(\w+)'/g)].map((match) => match[1]));

    expect(statements.length).toBeGreaterThan(1);
    expect(quoted).toEqual(ids);
    for (const soql of statements) {
      expect(`/services/data/v62.0/query?q=${encodeURIComponent(soql)}`.length).toBeLessThanOrEqual(3_000);
    }
  });

  it('escapes quotes and backslashes', () => {
    expect(chunkedInQueries('IN (', ')', ["a'b\\c"], 1_000)).toEqual(["IN ('a\\'b\\\\c')"]);
  });

  it('returns no statement for no Ids', () => {
    expect(chunkedInQueries('IN (', ')', [], 1_000)).toEqual([]);
  });
});
