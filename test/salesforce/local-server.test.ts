import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { generateDemoData, type DemoData } from '../../demo/generate.js';
import { startLocalSalesforce, type LocalSalesforce } from '../../integrations/salesforce/local-server.js';

const CLIENT_ID = 'test-client';
const CLIENT_SECRET = 'test-secret-0123456789';
const PAGE_SIZE = 7;

let data: DemoData;
let server: LocalSalesforce;
let accessToken: string;

beforeAll(async () => {
  data = generateDemoData({ seed: 5, partners: 40, orders: 100 });
  server = await startLocalSalesforce({
    host: '127.0.0.1',
    port: 0,
    data,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    pageSize: PAGE_SIZE,
  });
  const token = await requestToken({ client_id: CLIENT_ID, client_secret: CLIENT_SECRET });
  accessToken = (token.body as { access_token: string }).access_token;
});

afterAll(async () => {
  await server?.close();
});

function requestToken(form: Record<string, string>, headers: Record<string, string> = {}) {
  return send(`${server.url}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams({ grant_type: 'client_credentials', ...form }).toString(),
  });
}

async function send(url: string, init: RequestInit = {}): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url, init);
  const text = await response.text();
  const isJson = response.headers.get('content-type')?.startsWith('application/json') ?? false;
  return { status: response.status, body: isJson ? (JSON.parse(text) as unknown) : text };
}

/** Sends a query with the shared token, another token, or none for `null`. */
function query(soql: string, token: string | null = accessToken) {
  return send(`${server.url}/services/data/v62.0/query?q=${encodeURIComponent(soql)}`, {
    headers: token === null ? {} : { authorization: `Bearer ${token}` },
  });
}

interface Page {
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
  records: Record<string, unknown>[];
}

/** Runs a query and follows nextRecordsUrl to the end, returning every page. */
async function allPages(soql: string): Promise<Page[]> {
  const first = await query(soql);
  expect(first.status).toBe(200);
  const pages = [first.body as Page];
  while (!pages[pages.length - 1]!.done) {
    const next = await send(`${server.url}${pages[pages.length - 1]!.nextRecordsUrl}`, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    expect(next.status).toBe(200);
    pages.push(next.body as Page);
  }
  return pages;
}

describe('local Salesforce token endpoint', () => {
  it('issues a signed token for the client credentials', async () => {
    const response = await requestToken({ client_id: CLIENT_ID, client_secret: CLIENT_SECRET });
    const body = response.body as Record<string, string>;

    expect(response.status).toBe(200);
    expect(body.token_type).toBe('Bearer');
    expect(body.instance_url).toBe(server.url);
    expect(body.id).toMatch(new RegExp(`^${server.url}/id/00D\\w{15}/005\\w{15}$`));
    expect(body.access_token).toMatch(/^00D\w{12}!/);
    expect(body.signature).toBe(
      createHmac('sha256', CLIENT_SECRET)
        .update(body.id! + body.issued_at!)
        .digest('base64'),
    );
  });

  it('accepts the credentials as HTTP Basic', async () => {
    const basic = Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64');

    const response = await requestToken({}, { authorization: `Basic ${basic}` });

    expect(response.status).toBe(200);
  });

  it('rejects a wrong secret as invalid_client', async () => {
    const response = await requestToken({ client_id: CLIENT_ID, client_secret: 'wrong' });

    expect(response.status).toBe(400);
    expect(response.body).toEqual({ error: 'invalid_client', error_description: 'invalid client credentials' });
  });

  it('rejects an unknown client id as invalid_client_id', async () => {
    const response = await requestToken({ client_id: 'someone-else', client_secret: CLIENT_SECRET });

    expect(response.status).toBe(400);
    expect(response.body).toEqual({ error: 'invalid_client_id', error_description: 'client identifier invalid' });
  });

  it('rejects another grant type', async () => {
    const response = await requestToken({ grant_type: 'password', client_id: CLIENT_ID, client_secret: CLIENT_SECRET });

    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: 'unsupported_grant_type' });
  });
});

describe('local Salesforce sessions', () => {
  const invalidSession = [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }];

  it('returns 401 without a token', async () => {
    const response = await query('SELECT Id FROM Product2', null);

    expect(response.status).toBe(401);
    expect(response.body).toEqual(invalidSession);
  });

  it('returns 401 for a foreign token', async () => {
    const response = await query('SELECT Id FROM Product2', '00D000000000000!forged');

    expect(response.status).toBe(401);
    expect(response.body).toEqual(invalidSession);
  });

  it('returns 401 after sessions expire', async () => {
    const own = await startLocalSalesforce({ data, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
    try {
      const tokenResponse = await send(`${own.url}/services/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `grant_type=client_credentials&client_id=${CLIENT_ID}&client_secret=${CLIENT_SECRET}`,
      });
      const token = (tokenResponse.body as { access_token: string }).access_token;
      const url = `${own.url}/services/data/v62.0/query?q=${encodeURIComponent('SELECT Id FROM Product2')}`;

      expect((await send(url, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
      own.expireSessions();
      expect((await send(url, { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
    } finally {
      await own.close();
    }
  });
});

describe('local Salesforce query pagination', () => {
  it('pages through the records with nextRecordsUrl', async () => {
    const pages = await allPages('SELECT Id, Name FROM Account ORDER BY Id');

    expect(pages).toHaveLength(Math.ceil(40 / PAGE_SIZE));
    expect(pages.every((page) => page.totalSize === 40)).toBe(true);
    expect(pages.slice(0, -1).every((page) => page.records.length === PAGE_SIZE && !page.done)).toBe(true);
    expect(pages[0]!.nextRecordsUrl).toMatch(
      new RegExp(`^/services/data/v62.0/query/0r8[0-9A-Za-z]{15}-${PAGE_SIZE}$`),
    );
    expect(pages[pages.length - 1]!.nextRecordsUrl).toBeUndefined();
    expect(pages.flatMap((page) => page.records.map((record) => record.Id))).toEqual(
      data.accounts.map((account) => account.Id),
    );
  });

  it('returns one done page for a small result', async () => {
    const response = await query("SELECT Id FROM Product2 WHERE Id IN ('01t7Q0000000001QAA')");

    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      totalSize: 1,
      done: true,
      records: [
        {
          attributes: { type: 'Product2', url: '/services/data/v62.0/sobjects/Product2/01t7Q0000000001QAA' },
          Id: '01t7Q0000000001QAA',
        },
      ],
    });
  });

  it('rejects an unknown query locator', async () => {
    const response = await send(`${server.url}/services/data/v62.0/query/0r8000000000000AAA-7`, {
      headers: { authorization: `Bearer ${accessToken}` },
    });

    expect(response.status).toBe(400);
    expect(response.body).toEqual([{ errorCode: 'INVALID_QUERY_LOCATOR', message: 'invalid query locator' }]);
  });
});

describe('local Salesforce query results', () => {
  it('projects the selected fields and nested parent fields', async () => {
    const records = (
      await allPages('SELECT Name, Parent_Agency__r.Partner_Number__c FROM Account ORDER BY Id')
    ).flatMap((page) => page.records);
    const agent = data.accounts.find((account) => account.Parent_Agency__c !== null)!;
    const agency = data.accounts.find((account) => account.Id === agent.Parent_Agency__c)!;
    const independent = data.accounts.find((account) => account.Parent_Agency__c === null)!;

    expect(records.find((record) => record.Name === agent.Name)).toEqual({
      attributes: agent.attributes,
      Name: agent.Name,
      Parent_Agency__r: {
        attributes: { type: 'Account', url: `/services/data/v62.0/sobjects/Account/${agency.Id}` },
        Partner_Number__c: agency.Partner_Number__c,
      },
    });
    expect(records.find((record) => record.Name === independent.Name)).toEqual({
      attributes: independent.attributes,
      Name: independent.Name,
      Parent_Agency__r: null,
    });
  });

  it('filters with IN on an Id field', async () => {
    const orderIds = data.orders.slice(0, 3).map((order) => order.Id);
    const soql = `SELECT Id FROM OrderHistory WHERE OrderId IN (${orderIds.map((id) => `'${id}'`).join(', ')}) ORDER BY Id`;

    const records = (await allPages(soql)).flatMap((page) => page.records);

    expect(records.map((record) => record.Id)).toEqual(
      data.orderHistories.filter((row) => orderIds.includes(row.OrderId)).map((row) => row.Id),
    );
  });

  it('filters orders by LastModifiedDate', async () => {
    const records = (await allPages('SELECT Id FROM Order WHERE LastModifiedDate >= 2026-11-15T00:00:00Z')).flatMap(
      (page) => page.records,
    );
    const since = Date.parse('2026-11-15T00:00:00Z');
    const latestChange = (orderId: string) =>
      Math.max(
        ...data.orderHistories
          .filter((row) => row.OrderId === orderId)
          .map((row) => Date.parse(row.CreatedDate.replace('+0000', 'Z'))),
      );
    const expected = data.orders.filter((order) => latestChange(order.Id) >= since).map((order) => order.Id);

    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(data.orders.length);
    expect(records.map((record) => record.Id)).toEqual(expected);
  });

  it('filters with != null and sorts descending', async () => {
    const records = (await allPages('SELECT Id FROM Account WHERE Parent_Agency__c != null ORDER BY Id DESC')).flatMap(
      (page) => page.records,
    );

    expect(records.map((record) => record.Id)).toEqual(
      data.accounts
        .filter((account) => account.Parent_Agency__c !== null)
        .map((account) => account.Id)
        .reverse(),
    );
  });

  it('ignores case of keywords and fields', async () => {
    const response = await query("select id, NAME from product2 where ID in ('01t7Q0000000001QAA')");

    expect(response.status).toBe(200);
    expect((response.body as Page).records[0]).toMatchObject({ Id: '01t7Q0000000001QAA', Name: expect.any(String) });
  });
});

describe('local Salesforce query errors', () => {
  it.each([
    ['a LIMIT clause', 'SELECT Id FROM Account LIMIT 10'],
    ['two conditions', "SELECT Id FROM Account WHERE Partner_Kind__c != null AND Territory__c IN ('DE-NORTH')"],
    ['an equality condition', "SELECT Id FROM Account WHERE Territory__c = 'DE-NORTH'"],
    ['a subquery', 'SELECT Id, (SELECT Id FROM OrderItems) FROM Order'],
    ['an aggregate', 'SELECT COUNT() FROM Order'],
    ['FIELDS()', 'SELECT FIELDS(ALL) FROM Order'],
    ['a date literal', 'SELECT Id FROM Order WHERE LastModifiedDate >= 2026-08-01'],
    ['a duplicate field', 'SELECT Id, id FROM Order'],
    ['an unknown escape', "SELECT Id FROM Account WHERE Territory__c IN ('DE\\qNORTH')"],
    ['an empty statement tail', 'SELECT Id FROM'],
  ])('rejects %s as MALFORMED_QUERY', async (_case, soql) => {
    const response = await query(soql);

    expect(response.status).toBe(400);
    expect(response.body).toEqual([{ errorCode: 'MALFORMED_QUERY', message: expect.any(String) }]);
  });

  it('rejects an unknown field as INVALID_FIELD', async () => {
    const response = await query('SELECT Id, Region__c FROM Account');

    expect(response.status).toBe(400);
    expect(response.body).toEqual([
      {
        errorCode: 'INVALID_FIELD',
        message: expect.stringContaining("No such column 'Region__c' on entity 'Account'"),
      },
    ]);
  });

  it('rejects an unknown object as INVALID_TYPE', async () => {
    const response = await query('SELECT Id FROM Opportunity');

    expect(response.status).toBe(400);
    expect(response.body).toEqual([
      { errorCode: 'INVALID_TYPE', message: "sObject type 'Opportunity' is not supported." },
    ]);
  });

  it('rejects a malformed Id in IN', async () => {
    const response = await query("SELECT Id FROM OrderItem WHERE OrderId IN ('not-an-id')");

    expect(response.status).toBe(400);
    expect(response.body).toEqual([
      { errorCode: 'INVALID_QUERY_FILTER_OPERATOR', message: 'invalid ID field: not-an-id' },
    ]);
  });

  it('returns 414 for a long URI', async () => {
    const ids = Array.from({ length: 700 }, () => `'8017Q0000000001QAA'`).join(',');

    const response = await query(`SELECT Id FROM OrderItem WHERE OrderId IN (${ids})`);

    expect(response.status).toBe(414);
  });

  it('returns 404 for another version', async () => {
    const response = await send(`${server.url}/services/data/v58.0/query?q=SELECT+Id+FROM+Account`, {
      headers: { authorization: `Bearer ${accessToken}` },
    });

    expect(response.status).toBe(404);
    expect(response.body).toEqual([{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }]);
  });
});
