import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CalculationResult } from '../../domain/engine/types.js';
import { DecisionConflictError, recordDecision, RunMismatchError } from '../../store/decisions.js';
import {
  replaceDraftStatements,
  StaleCalculationError,
  StatementsAlreadyApprovedError,
} from '../../store/statements.js';
import { startTestDatabase, type TestDatabase } from '../support/postgres.js';

const PERIOD = '2026-10';
const DECIDED_AT = new Date('2026-11-03T09:00:00Z');
const seriesFor = (country: string) => (country === 'IT' ? 'FA' : 'GS');

function resultWithOneStatement(net: string, partnerIds: string[] = ['P00001']): CalculationResult {
  return {
    statements: partnerIds.map((partnerId) => ({
      periodId: PERIOD,
      partnerId,
      currency: 'EUR',
      planVersionIds: [],
      lines: [],
      netCommission: net,
      taxes: [],
      vatAmount: '0.00',
      grossAmount: net,
      withholdingAmount: '0.00',
      contributionAgent: '0.00',
      contributionPrincipal: '0.00',
      payableAmount: net,
    })),
    warnings: [],
  };
}

describe('statement replacement and decisions', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await startTestDatabase();
    await database.prisma.partner.create({
      data: {
        id: 'P00001',
        salesforceId: '001000000000001AAA',
        name: 'Agentur Nord',
        kind: 'agency',
        territory: 'DE-NORTH',
        country: 'DE',
        email: 'nord@example.test',
        sapVendorId: '100001',
        taxProfile: {},
      },
    });
    await database.prisma.partner.create({
      data: {
        id: 'P00002',
        salesforceId: '001000000000002AAA',
        name: 'Agenzia Sud',
        kind: 'sales_agent',
        territory: 'IT-SOUTH',
        country: 'IT',
        email: 'sud@example.test',
        sapVendorId: '200002',
        taxProfile: {},
      },
    });
  });

  afterAll(async () => {
    await database?.stop();
  });

  beforeEach(async () => {
    await database.prisma.approvalDecision.deleteMany();
    await database.prisma.statement.deleteMany();
    await database.prisma.payPeriod.deleteMany();
    await database.prisma.payPeriod.create({
      data: {
        id: PERIOD,
        startsAt: new Date('2026-10-01T00:00:00Z'),
        endsAt: new Date('2026-11-01T00:00:00Z'),
        stage: 'calculating',
        workflowId: 'pay-period-2026-10',
      },
    });
  });

  it('discards a run older than the stored one', async () => {
    await replaceDraftStatements(database.prisma, PERIOD, 2, resultWithOneStatement('20.00'), DECIDED_AT);

    await expect(
      replaceDraftStatements(database.prisma, PERIOD, 1, resultWithOneStatement('10.00'), DECIDED_AT),
    ).rejects.toBeInstanceOf(StaleCalculationError);
    const stored = await database.prisma.statement.findFirstOrThrow({ where: { periodId: PERIOD } });
    expect(stored.runNumber).toBe(2);
    expect(stored.netCommission.toFixed(2)).toBe('20.00');
  });

  it('refuses to replace approved statements', async () => {
    await replaceDraftStatements(database.prisma, PERIOD, 1, resultWithOneStatement('10.00'), DECIDED_AT);
    await recordDecision(
      database.prisma,
      { periodId: PERIOD, runNumber: 1, decision: 'approved', actor: 'alice' },
      DECIDED_AT,
      seriesFor,
    );

    await expect(
      replaceDraftStatements(database.prisma, PERIOD, 2, resultWithOneStatement('30.00'), DECIDED_AT),
    ).rejects.toBeInstanceOf(StatementsAlreadyApprovedError);
    const stored = await database.prisma.statement.findFirstOrThrow({ where: { periodId: PERIOD } });
    expect(stored.status).toBe('approved');
    expect(stored.invoiceNumber).toMatch(/^GS-2026-\d{6}$/);
  });

  it('rejects approving a rejected run', async () => {
    await replaceDraftStatements(database.prisma, PERIOD, 1, resultWithOneStatement('10.00'), DECIDED_AT);
    await recordDecision(
      database.prisma,
      { periodId: PERIOD, runNumber: 1, decision: 'rejected', actor: 'alice', reason: 'tiers wrong' },
      DECIDED_AT,
      seriesFor,
    );

    await expect(
      recordDecision(
        database.prisma,
        { periodId: PERIOD, runNumber: 1, decision: 'approved', actor: 'bob' },
        DECIDED_AT,
        seriesFor,
      ),
    ).rejects.toBeInstanceOf(DecisionConflictError);
    const stored = await database.prisma.statement.findFirstOrThrow({ where: { periodId: PERIOD } });
    expect(stored.status).toBe('draft');
  });

  it('rejects approving a run whose drafts are from another run', async () => {
    await replaceDraftStatements(database.prisma, PERIOD, 2, resultWithOneStatement('10.00'), DECIDED_AT);

    await expect(
      recordDecision(
        database.prisma,
        { periodId: PERIOD, runNumber: 1, decision: 'approved', actor: 'bob' },
        DECIDED_AT,
        seriesFor,
      ),
    ).rejects.toBeInstanceOf(RunMismatchError);
    expect(await database.prisma.approvalDecision.count()).toBe(0);
  });

  it('numbers invoices per company series', async () => {
    await database.prisma.numberSequence.deleteMany();
    await replaceDraftStatements(
      database.prisma,
      PERIOD,
      1,
      resultWithOneStatement('10.00', ['P00001', 'P00002']),
      DECIDED_AT,
    );
    await recordDecision(
      database.prisma,
      { periodId: PERIOD, runNumber: 1, decision: 'approved', actor: 'alice' },
      DECIDED_AT,
      seriesFor,
    );
    const statements = await database.prisma.statement.findMany({ orderBy: { id: 'asc' } });

    // One gap-free sequence per issuing company: the German GS series and the Italian FA series.
    expect(statements.map((statement) => statement.invoiceNumber)).toEqual(['GS-2026-000001', 'FA-2026-000001']);
  });
});
