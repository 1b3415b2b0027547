import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../config/config.js';
import { WALLBOX_PLAN_YAML } from '../support/plan-files.js';
import { ADMIN_KEY, APPROVER_KEY, insertPartners, startApiTestContext, type ApiTestContext } from './support.js';

const PROMOTION = WALLBOX_PLAN_YAML;

describe('plans API', () => {
  let context: ApiTestContext;

  beforeAll(async () => {
    context = await startApiTestContext();
    await insertPartners(context.prisma);
  });

  afterAll(async () => {
    await context?.stop();
  });

  const upload = (key: string, body: object) =>
    request(context.app).post('/api/v1/plans').set('X-API-Key', key).send(body);

  it('stores a valid plan file and assigns it', async () => {
    const response = await upload(ADMIN_KEY, { source: PROMOTION, fileName: 'promo.plan.yaml' });

    expect(response.status).toBe(200);
    // The file names P00002 and P00003, and only P00002 is stored.
    expect(response.body).toEqual({ planId: 'promo-wallbox', versions: 1, assignments: 1 });
    const rows = await context.prisma.planAssignment.findMany({ where: { planVersionId: 'promo-wallbox-v1' } });
    expect(rows.map((row) => row.partnerId)).toEqual(['P00002']);
    const version = await context.prisma.planVersion.findUniqueOrThrow({ where: { id: 'promo-wallbox-v1' } });
    expect(version.effectiveTo?.toISOString().slice(0, 10)).toBe('2026-11-21');
  });

  it('rejects an invalid file with lines and keeps the stored version', async () => {
    const before = await request(context.app).get('/api/v1/plans').set('X-API-Key', ADMIN_KEY);
    const broken = PROMOTION.replace('amount: "25.00"', 'amount: "-5"').replace('share: "1"', 'share: "0.5"');
    const response = await upload(ADMIN_KEY, { source: broken, fileName: 'promo.plan.yaml' });
    const after = await request(context.app).get('/api/v1/plans').set('X-API-Key', ADMIN_KEY);

    expect(response.status).toBe(400);
    expect(response.body.error.message).toContain('nothing was stored');
    const details = response.body.error.details as Array<{ path: string; message: string }>;
    expect(details.map((detail) => detail.path)).toContain('15:19 versions[0].definition.rules[0].amount');
    expect(details.some((detail) => detail.path.endsWith('versions[0].definition.rules[0].payment'))).toBe(true);
    const stored = await context.prisma.planVersion.findUniqueOrThrow({ where: { id: 'promo-wallbox-v1' } });
    expect(stored.definition).toMatchObject({ rules: [{ amount: '25.00' }] });
    expect(before.status).toBe(200);
    expect(before.body.plans.map((plan: { id: string }) => plan.id)).toContain('promo-wallbox');
    expect(after.status).toBe(200);
    expect(after.body).toEqual(before.body);
  });

  it('rejects overlapping versions with 409', async () => {
    // Valid on its own, but version 2 starts while the stored version 1 is still in force. The first
    // effectiveFrom of the file is the version's.
    const second = PROMOTION.replace('promo-wallbox-v1', 'promo-wallbox-v2')
      .replace('version: 1', 'version: 2')
      .replace('effectiveFrom: 2026-11-01', 'effectiveFrom: 2026-11-15');
    const response = await upload(ADMIN_KEY, { source: second });

    expect(response.status).toBe(409);
    expect(response.body.error.code).toBe('plan_conflict');
    expect(response.body.error.message).toContain('promo-wallbox-v1 (version 1, 2026-11-01 to 2026-11-21)');
    expect(await context.prisma.planVersion.count({ where: { planId: 'promo-wallbox' } })).toBe(1);
  });

  it('lets only admins upload', async () => {
    const response = await upload(APPROVER_KEY, { source: PROMOTION });

    expect(response.status).toBe(403);
  });

  it('lists plans with their versions', async () => {
    const response = await request(context.app).get('/api/v1/plans').set('X-API-Key', APPROVER_KEY);
    const promotion = (response.body.plans as Array<{ id: string; versions: unknown[] }>).find(
      (plan) => plan.id === 'promo-wallbox',
    );

    expect(response.status).toBe(200);
    expect(promotion?.versions).toEqual([
      { id: 'promo-wallbox-v1', version: 1, effectiveFrom: '2026-11-01', effectiveTo: '2026-11-21', usedAt: null },
    ]);
  });
});

describe('plans API with the example plans', () => {
  let context: ApiTestContext;

  beforeAll(async () => {
    context = await startApiTestContext();
    await insertPartners(context.prisma);
  });

  afterAll(async () => {
    await context?.stop();
  });

  it('stores the example plans', async () => {
    const directory = path.join(projectRoot(), 'examples', 'plans');
    const names = (await readdir(directory)).filter((name) => name.endsWith('.plan.yaml')).sort();

    expect(names.length).toBeGreaterThan(0);
    for (const name of names) {
      const source = await readFile(path.join(directory, name), 'utf8');
      const response = await request(context.app)
        .post('/api/v1/plans')
        .set('X-API-Key', ADMIN_KEY)
        .send({ source, fileName: name });

      expect(response.status, `${name}: ${JSON.stringify(response.body)}`).toBe(200);
    }
    const listed = await request(context.app).get('/api/v1/plans').set('X-API-Key', APPROVER_KEY);
    expect(listed.body.plans).toHaveLength(names.length);
  });
});
