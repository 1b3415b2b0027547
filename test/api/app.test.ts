import { pino } from 'pino';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listOperations } from '../../api/app.js';
import type { PayPeriodPort } from '../../api/ports.js';
import type { PayPeriodClient } from '../../client/pay-period-client.js';
import { toOpenApiPath } from '../../api/openapi.js';
import { startApiServer } from '../../api/server.js';
import { ADMIN_KEY, API_KEYS, startApiTestContext, TAX_RULES, type ApiTestContext } from './support.js';

type JsonObject = Record<string, unknown>;

// Checked by tsc, not at run time: the Temporal client must satisfy the port the API is built on.
type ClientSatisfiesPort = PayPeriodClient extends PayPeriodPort ? true : never;
const clientSatisfiesPort: ClientSatisfiesPort = true;

const EXPECTED_OPERATIONS = [
  'get /health',
  'post /api/v1/order-events',
  'get /api/v1/order-events',
  'get /api/v1/periods/{periodId}',
  'post /api/v1/periods/{periodId}/close',
  'post /api/v1/periods/{periodId}/approve',
  'post /api/v1/periods/{periodId}/reject',
  'post /api/v1/plans',
  'get /api/v1/plans',
  'post /api/v1/simulations',
  'get /api/v1/periods/{periodId}/statements',
  'get /api/v1/statements/{statementId}',
  'get /api/v1/statements/{statementId}/pdf',
  'get /openapi.json',
];

/** Returns every `$ref` value in a JSON document. */
function collectReferences(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) {
    for (const item of value) collectReferences(item, found);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      if (key === '$ref' && typeof child === 'string') found.push(child);
      else collectReferences(child, found);
    }
  }
  return found;
}

describe('API app', () => {
  let context: ApiTestContext;

  beforeAll(async () => {
    context = await startApiTestContext({ bodyLimit: '2kb' });
  });

  afterAll(async () => {
    await context?.stop();
  });

  it('health answers after SELECT 1', async () => {
    const response = await request(context.app).get('/health');

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok' });
  });

  it('unknown route gives JSON 404', async () => {
    const response = await request(context.app).get('/api/v1/nothing-here').set('X-API-Key', ADMIN_KEY);

    expect(response.status).toBe(404);
    expect(response.body.error.code).toBe('not_found');
    expect(response.body.error.message).toContain('GET /api/v1/nothing-here');
  });

  it('echoes a valid X-Request-Id', async () => {
    const response = await request(context.app).get('/health').set('X-Request-Id', 'abc-123');

    expect(response.headers['x-request-id']).toBe('abc-123');
  });

  it('generates a request id when missing or invalid', async () => {
    const missing = await request(context.app).get('/health');
    const invalid = await request(context.app).get('/health').set('X-Request-Id', 'bad id\twith tab');
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

    expect(missing.headers['x-request-id']).toMatch(uuid);
    expect(invalid.headers['x-request-id']).toMatch(uuid);
  });

  it('body over the limit gives 413', async () => {
    const response = await request(context.app)
      .post('/api/v1/order-events')
      .set('X-API-Key', ADMIN_KEY)
      .send({ events: [], padding: 'x'.repeat(4096) });

    expect(response.status).toBe(413);
    expect(response.body.error.code).toBe('payload_too_large');
    expect(response.body.error.message).toContain('2kb');
  });

  it('serves an OpenAPI 3.1 document of every route', async () => {
    const response = await request(context.app).get('/openapi.json');

    expect(response.status).toBe(200);
    const document = response.body as { openapi: string; paths: Record<string, Record<string, JsonObject>> };
    expect(document.openapi).toBe('3.1.0');

    const documented = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.keys(item).map((method) => `${method} ${path}`),
    );
    expect(documented.sort()).toEqual([...EXPECTED_OPERATIONS].sort());
  });

  it('OpenAPI states security and roles per operation', async () => {
    const { body } = await request(context.app).get('/openapi.json');
    const paths = body.paths as Record<string, Record<string, JsonObject>>;

    expect(paths['/health']?.get?.security).toEqual([]);
    expect(paths['/api/v1/periods/{periodId}/approve']?.post?.security).toEqual([
      { bearerAuth: [] },
      { apiKeyHeader: [] },
    ]);
    expect(paths['/api/v1/periods/{periodId}/approve']?.post?.['x-roles']).toEqual(['approver']);
    expect(paths['/api/v1/periods/{periodId}/approve']?.post?.description).toContain('role approver');
    expect(paths['/api/v1/statements/{statementId}']?.get?.['x-roles']).toEqual(['admin', 'approver', 'partner']);
    expect(Object.keys(body.components.securitySchemes)).toEqual(['bearerAuth', 'apiKeyHeader']);
  });

  it('OpenAPI schemas come from the route schemas', async () => {
    const { body } = await request(context.app).get('/openapi.json');
    const paths = body.paths as Record<string, Record<string, JsonObject>>;
    const schemas = body.components.schemas as Record<string, JsonObject>;

    const reject = paths['/api/v1/periods/{periodId}/reject']?.post as JsonObject;
    expect(reject.requestBody).toMatchObject({
      required: true,
      content: { 'application/json': { schema: { $ref: '#/components/schemas/RejectRequest' } } },
    });
    expect(schemas.RejectRequest).toMatchObject({
      required: ['reason'],
      properties: { reason: { type: 'string', minLength: 3, maxLength: 2000 } },
    });
    expect((paths['/api/v1/periods/{periodId}/approve']?.post?.requestBody as JsonObject).required).toBe(false);

    expect(schemas.OrderEventInput?.required).toEqual(['sourceEventId', 'source', 'orderId', 'state', 'occurredAt']);
    const listParameters = paths['/api/v1/order-events']?.get?.parameters as JsonObject[];
    expect(listParameters.map((parameter) => parameter.name)).toEqual([
      'status',
      'period',
      'orderId',
      'limit',
      'cursor',
    ]);
    expect(listParameters.every((parameter) => parameter.in === 'query' && parameter.required === false)).toBe(true);

    const periodParameter = (paths['/api/v1/periods/{periodId}']?.get?.parameters as JsonObject[])[0];
    expect(periodParameter).toMatchObject({ name: 'periodId', in: 'path', required: true });
    expect((periodParameter?.schema as JsonObject).pattern).toBeTypeOf('string');

    const pdf = paths['/api/v1/statements/{statementId}/pdf']?.get?.responses as Record<string, JsonObject>;
    expect(Object.keys(pdf['200']?.content as JsonObject)).toEqual(['application/pdf']);
    expect(pdf['404']?.content).toEqual({ 'application/json': { schema: { $ref: '#/components/schemas/Error' } } });
  });

  it('OpenAPI references all resolve', async () => {
    const { body } = await request(context.app).get('/openapi.json');
    const references = collectReferences(body);

    expect(references.length).toBeGreaterThan(10);
    for (const reference of references) {
      expect(reference.startsWith('#/components/schemas/'), reference).toBe(true);
      expect(body.components.schemas[reference.slice('#/components/schemas/'.length)], reference).toBeDefined();
    }
  });

  it('PayPeriodClient satisfies PayPeriodPort', () => {
    expect(clientSatisfiesPort).toBe(true);
  });

  it('mounts every listed operation', () => {
    const operations = listOperations({
      prisma: context.prisma,
      payPeriods: context.payPeriods,
      apiKeys: API_KEYS,
      logger: pino({ level: 'silent' }),
      renderPdf: async () => new Uint8Array(),
      taxRules: TAX_RULES,
    });

    expect(operations.map((operation) => `${operation.method} ${toOpenApiPath(operation.path)}`)).toEqual(
      EXPECTED_OPERATIONS,
    );
  });
});

describe('startApiServer', () => {
  let context: ApiTestContext;

  beforeAll(async () => {
    context = await startApiTestContext();
  });

  afterAll(async () => {
    await context?.stop();
  });

  it('serves on a free port and closes', async () => {
    const server = await startApiServer({
      app: context.app,
      host: '127.0.0.1',
      port: 0,
      logger: pino({ level: 'silent' }),
    });
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const response = await fetch(`${server.url}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });

    await server.close();
    await expect(fetch(`${server.url}/health`)).rejects.toThrow();
  });

  it('rejects a port in use', async () => {
    const first = await startApiServer({
      app: context.app,
      host: '127.0.0.1',
      port: 0,
      logger: pino({ level: 'silent' }),
    });
    const port = Number(new URL(first.url).port);
    try {
      await expect(
        startApiServer({ app: context.app, host: '127.0.0.1', port, logger: pino({ level: 'silent' }) }),
      ).rejects.toThrow(/EADDRINUSE/);
    } finally {
      await first.close();
    }
  });
});
