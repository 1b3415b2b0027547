import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiKeyAuthenticator } from '../../api/auth.js';
import {
  ADMIN_KEY,
  API_KEYS,
  APPROVER_KEY,
  PARTNER_ONE_KEY,
  insertPartners,
  insertPayPeriod,
  insertStatement,
  startApiTestContext,
  type ApiTestContext,
} from './support.js';

describe('API key authentication', () => {
  let context: ApiTestContext;

  beforeAll(async () => {
    context = await startApiTestContext();
    await insertPartners(context.prisma);
    await insertPayPeriod(context.prisma, '2026-11', 'awaiting_approval');
    await insertStatement(context.prisma, { periodId: '2026-11', partnerId: 'P00001', amounts: ['80.00', '20.00'] });
    await insertStatement(context.prisma, { periodId: '2026-11', partnerId: 'P00002', amounts: ['55.00'] });
  });

  afterAll(async () => {
    await context?.stop();
  });

  it('missing key gives 401', async () => {
    const response = await request(context.app).get('/api/v1/order-events');

    expect(response.status).toBe(401);
    expect(response.body.error.code).toBe('unauthorized');
    expect(response.body.error.message).toContain('missing API key');
    expect(response.headers['www-authenticate']).toBe('Bearer');
  });

  it('unknown key gives 401', async () => {
    const response = await request(context.app)
      .get('/api/v1/order-events')
      .set('Authorization', `Bearer ${ADMIN_KEY}x`);

    expect(response.status).toBe(401);
    expect(response.body.error.message).toBe('invalid API key');
  });

  it('Basic scheme gives 401', async () => {
    const response = await request(context.app).get('/api/v1/order-events').set('Authorization', 'Basic YWRtaW46eA==');

    expect(response.status).toBe(401);
    expect(response.body.error.message).toContain('Bearer');
  });

  it('accepts Bearer and X-API-Key', async () => {
    const bearer = await request(context.app).get('/api/v1/order-events').set('Authorization', `Bearer ${ADMIN_KEY}`);
    const header = await request(context.app).get('/api/v1/order-events').set('X-API-Key', ADMIN_KEY);

    expect(bearer.status).toBe(200);
    expect(header.status).toBe(200);
  });

  it('wrong role gives 403 naming the role', async () => {
    const response = await request(context.app)
      .post('/api/v1/order-events')
      .set('X-API-Key', APPROVER_KEY)
      .send({ events: [] });

    expect(response.status).toBe(403);
    expect(response.body.error.code).toBe('forbidden');
    expect(response.body.error.message).toContain('requires the role admin');
    expect(response.body.error.message).toContain('has the role approver');
  });

  it('partner key gives 403 on periods naming both roles', async () => {
    const response = await request(context.app).get('/api/v1/periods/2026-11').set('X-API-Key', PARTNER_ONE_KEY);

    expect(response.status).toBe(403);
    expect(response.body.error.message).toContain('one of the roles admin, approver');
  });

  it('checks the key before validating input', async () => {
    const response = await request(context.app).get('/api/v1/periods/not-a-period');

    expect(response.status).toBe(401);
  });

  it('partner lists only its own statements', async () => {
    const partner = await request(context.app)
      .get('/api/v1/periods/2026-11/statements')
      .set('X-API-Key', PARTNER_ONE_KEY);
    const admin = await request(context.app).get('/api/v1/periods/2026-11/statements').set('X-API-Key', ADMIN_KEY);

    expect(partner.status).toBe(200);
    expect(partner.body.statements.map((row: { id: string }) => row.id)).toEqual(['2026-11-P00001']);
    expect(admin.body.statements.map((row: { id: string }) => row.id)).toEqual(['2026-11-P00001', '2026-11-P00002']);
  });

  it("partner gets 404 for another partner's statement", async () => {
    const own = await request(context.app).get('/api/v1/statements/2026-11-P00001').set('X-API-Key', PARTNER_ONE_KEY);
    const other = await request(context.app).get('/api/v1/statements/2026-11-P00002').set('X-API-Key', PARTNER_ONE_KEY);
    const missing = await request(context.app)
      .get('/api/v1/statements/2026-11-P09999')
      .set('X-API-Key', PARTNER_ONE_KEY);
    const otherPdf = await request(context.app)
      .get('/api/v1/statements/2026-11-P00002/pdf')
      .set('X-API-Key', PARTNER_ONE_KEY);

    expect(own.status).toBe(200);
    expect(other.status).toBe(404);
    expect(other.body).toEqual({ error: { code: 'not_found', message: 'statement 2026-11-P00002 not found' } });
    expect(missing.body.error.code).toBe(other.body.error.code);
    expect(otherPdf.status).toBe(404);
    expect(context.rendered).toEqual([]);
  });

  it('request log names the role, never the key', async () => {
    context.logs.length = 0;
    await request(context.app)
      .get('/api/v1/periods/2026-11')
      .set('Authorization', `Bearer ${APPROVER_KEY}`)
      .set('X-Request-Id', 'log-check-1');

    const line = context.logs.find((entry) => entry.msg === 'request completed' && entry.requestId === 'log-check-1');
    expect(line).toMatchObject({ method: 'GET', path: '/api/v1/periods/2026-11', status: 200, role: 'approver' });
    expect(typeof line?.ms).toBe('number');
    expect(JSON.stringify(context.logs)).not.toContain(APPROVER_KEY);
  });

  it('request log names the error code', async () => {
    await request(context.app)
      .post('/api/v1/periods/2026-11/close')
      .set('X-API-Key', APPROVER_KEY)
      .set('X-Request-Id', 'log-check-2');

    const line = context.logs.find((entry) => entry.msg === 'request completed' && entry.requestId === 'log-check-2');
    expect(line).toMatchObject({ status: 403, role: 'approver', errorCode: 'forbidden' });
  });
});

describe('ApiKeyAuthenticator', () => {
  const authenticator = new ApiKeyAuthenticator(API_KEYS);

  it('finds each configured key', () => {
    for (const apiKey of API_KEYS) expect(authenticator.find(apiKey.key)).toBe(apiKey);
  });

  it('rejects prefixes, extensions and empty keys', () => {
    expect(authenticator.find(ADMIN_KEY.slice(0, -1))).toBeUndefined();
    expect(authenticator.find(`${ADMIN_KEY}0`)).toBeUndefined();
    expect(authenticator.find('')).toBeUndefined();
  });

  it('finds nothing without configured keys', () => {
    expect(new ApiKeyAuthenticator([]).find(ADMIN_KEY)).toBeUndefined();
  });
});
