import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_KEY,
  APPROVER_KEY,
  insertPartners,
  insertPayPeriod,
  startApiTestContext,
  type ApiTestContext,
} from './support.js';

describe('periods API', () => {
  let context: ApiTestContext;

  beforeAll(async () => {
    context = await startApiTestContext();
    await insertPartners(context.prisma);
    // 2026-10: stored and awaiting approval. 2026-11: stored and collecting. 2026-12: workflow only.
    await insertPayPeriod(context.prisma, '2026-10', 'awaiting_approval');
    context.payPeriods.addPeriod('2026-10', 'awaiting_approval');
    await insertPayPeriod(context.prisma, '2026-11', 'collecting');
    context.payPeriods.addPeriod('2026-11', 'collecting');
    context.payPeriods.addPeriod('2026-12', 'collecting');
    await insertPayPeriod(context.prisma, '2027-01', 'awaiting_approval');
    context.payPeriods.addPeriod('2027-01', 'awaiting_approval');
  });

  afterAll(async () => {
    await context?.stop();
  });

  const as = (key: string) => ({
    get: (path: string) => request(context.app).get(path).set('X-API-Key', key),
    post: (path: string, body?: object) => {
      const pending = request(context.app).post(path).set('X-API-Key', key);
      return body === undefined ? pending : pending.send(body);
    },
  });

  describe('GET /api/v1/periods/:periodId', () => {
    it('returns the row and the workflow status', async () => {
      const response = await as(APPROVER_KEY).get('/api/v1/periods/2026-11');

      expect(response.status).toBe(200);
      expect(response.body.period).toMatchObject({
        id: '2026-11',
        stage: 'collecting',
        startsAt: '2026-11-01T00:00:00.000Z',
        endsAt: '2026-12-01T00:00:00.000Z',
        closedAt: null,
      });
      expect(response.body.workflow).toMatchObject({ periodId: '2026-11', stage: 'collecting', runNumber: 1 });
    });

    it('returns a null row for a workflow only', async () => {
      const response = await as(ADMIN_KEY).get('/api/v1/periods/2026-12');

      expect(response.status).toBe(200);
      expect(response.body.period).toBeNull();
      expect(response.body.workflow.stage).toBe('collecting');
    });

    it('unknown period gives 404', async () => {
      const response = await as(ADMIN_KEY).get('/api/v1/periods/2025-01');

      expect(response.status).toBe(404);
      expect(response.body.error.message).toContain('2025-01');
    });

    it('invalid period id gives 400 naming periodId', async () => {
      for (const periodId of ['2026-13', '2026-1', 'november', '0999-01']) {
        const response = await as(ADMIN_KEY).get(`/api/v1/periods/${periodId}`);

        expect(response.status, periodId).toBe(400);
        expect(response.body.error.details[0].path, periodId).toBe('periodId');
      }
    });
  });

  describe('POST /api/v1/periods/:periodId/close', () => {
    it('admin requests the close', async () => {
      const response = await as(ADMIN_KEY).post('/api/v1/periods/2026-11/close');

      expect(response.status).toBe(202);
      expect(response.body).toEqual({ periodId: '2026-11', closeRequestedBy: 'ops' });
      expect(context.payPeriods.calls.at(-1)).toEqual({ method: 'requestClose', periodId: '2026-11', argument: 'ops' });
    });

    it('second close gives 409', async () => {
      const response = await as(ADMIN_KEY).post('/api/v1/periods/2026-11/close');

      expect(response.status).toBe(409);
      expect(response.body.error.code).toBe('wrong_stage');
    });

    it('approver gets 403', async () => {
      const response = await as(APPROVER_KEY).post('/api/v1/periods/2026-12/close');

      expect(response.status).toBe(403);
      expect(response.body.error.message).toContain('requires the role admin');
    });

    it('unknown workflow gives 404', async () => {
      const response = await as(ADMIN_KEY).post('/api/v1/periods/2025-02/close');

      expect(response.status).toBe(404);
    });
  });

  describe('POST /api/v1/periods/:periodId/approve', () => {
    it('admin gets 403 naming approver', async () => {
      const response = await as(ADMIN_KEY).post('/api/v1/periods/2026-10/approve', {});

      expect(response.status).toBe(403);
      expect(response.body.error.message).toContain('requires the role approver');
      expect(context.payPeriods.count('approve')).toBe(0);
    });

    it('approver approves and the decision is recorded', async () => {
      const response = await as(APPROVER_KEY).post('/api/v1/periods/2026-10/approve', { comment: '  checked totals ' });

      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        periodId: '2026-10',
        runNumber: 1,
        decision: 'approved',
        actor: 'controller',
        reason: 'checked totals',
      });
      const stored = await context.prisma.approvalDecision.findMany({ where: { periodId: '2026-10' } });
      expect(stored).toHaveLength(1);
      expect(stored[0]).toMatchObject({ decision: 'approved', actor: 'controller', runNumber: 1 });
      expect(context.payPeriods.calls.at(-1)).toEqual({
        method: 'approve',
        periodId: '2026-10',
        argument: { actor: 'controller', role: 'approver', comment: 'checked totals' },
      });
    });

    it('second approval returns the first record', async () => {
      const approvalsBefore = context.payPeriods.count('approve');
      const first = await context.prisma.approvalDecision.findFirstOrThrow({ where: { periodId: '2026-10' } });

      const response = await as(APPROVER_KEY).post('/api/v1/periods/2026-10/approve', { comment: 'again' });

      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        periodId: '2026-10',
        runNumber: 1,
        decision: 'approved',
        actor: 'controller',
        reason: 'checked totals',
        decidedAt: first.decidedAt.toISOString(),
      });
      expect(context.payPeriods.count('approve')).toBe(approvalsBefore);
      expect(await context.prisma.approvalDecision.count({ where: { periodId: '2026-10' } })).toBe(1);
    });

    it('approves without a body', async () => {
      const response = await as(APPROVER_KEY).post('/api/v1/periods/2027-01/approve');

      expect(response.status).toBe(200);
      expect(response.body.decision).toBe('approved');
      expect(response.body.reason).toBeUndefined();
    });

    it('period not awaiting approval gives 409', async () => {
      const response = await as(APPROVER_KEY).post('/api/v1/periods/2026-12/approve', {});

      expect(response.status).toBe(409);
      expect(response.body.error.message).toContain('not awaiting_approval');
    });

    it('unknown workflow gives 404', async () => {
      const response = await as(APPROVER_KEY).post('/api/v1/periods/2025-03/approve', {});

      expect(response.status).toBe(404);
    });

    it('unknown body field gives 400', async () => {
      const response = await as(APPROVER_KEY).post('/api/v1/periods/2026-12/approve', { comments: 'typo' });

      expect(response.status).toBe(400);
      expect(response.body.error.details).toEqual([
        { path: 'comments', message: 'unknown field; remove it or correct its spelling' },
      ]);
    });
  });

  describe('POST /api/v1/periods/:periodId/reject', () => {
    it('missing reason gives 400 naming reason', async () => {
      const response = await as(APPROVER_KEY).post('/api/v1/periods/2026-12/reject', {});

      expect(response.status).toBe(400);
      expect(response.body.error.details).toHaveLength(1);
      expect(response.body.error.details[0].path).toBe('reason');
      expect(context.payPeriods.count('reject')).toBe(0);
    });

    it('short or long reason gives 400 naming reason', async () => {
      for (const reason of ['  ab  ', 'x'.repeat(2001)]) {
        const response = await as(APPROVER_KEY).post('/api/v1/periods/2026-12/reject', { reason });

        expect(response.status).toBe(400);
        expect(response.body.error.details[0].path).toBe('reason');
      }
    });

    it('admin gets 403', async () => {
      const response = await as(ADMIN_KEY).post('/api/v1/periods/2026-12/reject', { reason: 'wrong tiers' });

      expect(response.status).toBe(403);
    });

    it('approver rejects and the decision is recorded', async () => {
      await insertPayPeriod(context.prisma, '2027-02', 'awaiting_approval');
      context.payPeriods.addPeriod('2027-02', 'awaiting_approval');

      const response = await as(APPROVER_KEY).post('/api/v1/periods/2027-02/reject', {
        reason: 'tier 2 rate is wrong',
      });

      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        decision: 'rejected',
        actor: 'controller',
        reason: 'tier 2 rate is wrong',
      });
      const stored = await context.prisma.approvalDecision.findFirstOrThrow({ where: { periodId: '2027-02' } });
      expect(stored.decision).toBe('rejected');
    });
  });

  it('workflow failure gives 500 without internals', async () => {
    const failing = context.payPeriods.getStatus;
    context.payPeriods.getStatus = async () => {
      throw new Error('14 UNAVAILABLE: connect ECONNREFUSED 127.0.0.1:7233');
    };
    try {
      const response = await as(ADMIN_KEY).get('/api/v1/periods/2026-11').set('X-Request-Id', 'fail-1');

      expect(response.status).toBe(500);
      expect(response.body).toEqual({
        error: {
          code: 'internal_error',
          message: 'internal error; the server log has the details under request id fail-1',
        },
      });
      expect(response.text).not.toContain('ECONNREFUSED');
      const logged = context.logs.find((entry) => entry.requestId === 'fail-1' && entry.err !== undefined);
      expect(JSON.stringify(logged)).toContain('ECONNREFUSED');
    } finally {
      context.payPeriods.getStatus = failing;
    }
  });
});
