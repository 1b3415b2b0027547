import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { generateDemoData } from '../../demo/generate.js';
import { DEMO_PLANS } from '../../demo/plans.js';
import { PlanValidationError } from '../../domain/errors.js';
import { mapAccountToPartner } from '../../integrations/salesforce/mapping.js';
import {
  DoubleAssignmentError,
  OverlappingPlanVersionsError,
  PlanVersionInUseError,
  upsertPlans,
  type PlanInput,
} from '../../store/plans.js';
import {
  DuplicateReferenceIdError,
  UnknownParentPartnerError,
  upsertPartners,
  upsertProducts,
  type PartnerInput,
} from '../../store/reference-data.js';
import { startTestDatabase, type TestDatabase } from '../support/postgres.js';

let database: TestDatabase;

beforeAll(async () => {
  database = await startTestDatabase();
});

afterAll(async () => {
  await database?.stop();
});

beforeEach(async () => {
  await database.prisma.commissionLine.deleteMany();
  await database.prisma.statement.deleteMany();
  await database.prisma.payPeriod.deleteMany();
  await database.prisma.planAssignment.deleteMany();
  await database.prisma.planVersion.deleteMany();
  await database.prisma.plan.deleteMany();
  await database.prisma.partner.updateMany({ data: { parentId: null } });
  await database.prisma.partner.deleteMany();
  await database.prisma.product.deleteMany();
});

function partner(id: string, overrides: Partial<PartnerInput> = {}): PartnerInput {
  return {
    id,
    salesforceId: `001${id}`,
    name: `Partner ${id}`,
    kind: 'sales_agent',
    territory: 'DE-NORTH',
    email: `${id.toLowerCase()}@partner.example`,
    sapVendorId: `1${id.slice(1)}`,
    taxProfile: {
      country: 'DE',
      vatRegime: 'standard',
      vatId: 'DE136695976',
      address: { street: 'Hauptstraße 1', postalCode: '20095', city: 'Hamburg', country: 'DE' },
    },
    ...overrides,
  };
}

function plan(definitionAmount: string): PlanInput {
  return {
    id: 'test-plan',
    name: 'Test plan',
    versions: [
      {
        id: 'test-plan-v1',
        version: 1,
        effectiveFrom: '2026-01-01',
        effectiveTo: null,
        definition: {
          coolingOffDays: 14,
          clawbackMonths: 6,
          rules: [
            {
              id: 'supply',
              kind: 'fixed_per_order',
              label: 'Supply contract',
              categories: ['electricity'],
              amount: definitionAmount,
              payment: [{ state: 'validated', share: '1' }],
            },
          ],
        },
      },
    ],
    assignments: [{ kinds: ['agency', 'sales_agent'], effectiveFrom: '2026-01-01' }],
  };
}

type PlanVersionInput = PlanInput['versions'][number];

/** Returns a copy of the first version of `plan('80.00')` with another id, number and date range. */
function version(id: string, number: number, effectiveFrom: string, effectiveTo: string | null): PlanVersionInput {
  return { ...structuredClone(plan('80.00').versions[0]!), id, version: number, effectiveFrom, effectiveTo };
}

describe('upsertPartners', () => {
  it('creates agencies before their agents and updates on the second call', async () => {
    const agent = partner('P00002', { parentId: 'P00001' });
    const agency = partner('P00001', { kind: 'agency' });

    const first = await upsertPartners(database.prisma, [agent, agency]);
    const second = await upsertPartners(database.prisma, [{ ...agent, name: 'Renamed agent' }, agency]);

    expect(first).toEqual({ created: 2, updated: 0 });
    expect(second).toEqual({ created: 0, updated: 2 });
    const stored = await database.prisma.partner.findUniqueOrThrow({ where: { id: 'P00002' } });
    expect(stored.name).toBe('Renamed agent');
    expect(stored.parentId).toBe('P00001');
    expect(stored.country).toBe('DE');
  });

  it('rejects an invalid tax profile', async () => {
    const invalid = partner('P00009');
    const broken = { ...invalid, taxProfile: { ...invalid.taxProfile, vatRegime: 'flat' } } as unknown as PartnerInput;

    await expect(upsertPartners(database.prisma, [partner('P00008'), broken])).rejects.toThrow(
      /partner P00009.*vatRegime/,
    );
    expect(await database.prisma.partner.count({ where: { id: { in: ['P00008', 'P00009'] } } })).toBe(0);
  });

  it('accepts a parent stored earlier', async () => {
    await upsertPartners(database.prisma, [partner('P00001', { kind: 'agency' })]);

    const result = await upsertPartners(database.prisma, [partner('P00002', { parentId: 'P00001' })]);

    expect(result).toEqual({ created: 1, updated: 0 });
  });

  it('raises for an unknown parent before writing', async () => {
    const promise = upsertPartners(database.prisma, [partner('P00001'), partner('P00002', { parentId: 'P00099' })]);

    await expect(promise).rejects.toThrow(UnknownParentPartnerError);
    expect(await database.prisma.partner.count()).toBe(0);
  });

  it('raises for a duplicate id', async () => {
    await expect(upsertPartners(database.prisma, [partner('P00001'), partner('P00001')])).rejects.toThrow(
      DuplicateReferenceIdError,
    );
  });

  it('loads 320 demo partners in well under a few seconds', async () => {
    const partners = generateDemoData({ seed: 5, orders: 100 }).accounts.map(mapAccountToPartner);

    const started = performance.now();
    await upsertPartners(database.prisma, partners);
    await upsertPartners(database.prisma, partners);
    const elapsedMs = performance.now() - started;

    expect(await database.prisma.partner.count()).toBe(320);
    expect(elapsedMs).toBeLessThan(3_000);
  });
});

describe('upsertProducts', () => {
  it('creates and updates products', async () => {
    const product = { id: '01t000000000001AAA', code: 'PV-1', name: 'PV', category: 'pv' as const, unit: 'kWp' };

    expect(await upsertProducts(database.prisma, [product])).toEqual({ created: 1, updated: 0 });
    expect(await upsertProducts(database.prisma, [{ ...product, name: 'PV system' }])).toEqual({
      created: 0,
      updated: 1,
    });
    const stored = await database.prisma.product.findUniqueOrThrow({ where: { id: product.id } });
    expect(stored.name).toBe('PV system');
  });
});

describe('upsertPlans', () => {
  beforeEach(async () => {
    await upsertPartners(database.prisma, [
      partner('P00001', { kind: 'agency' }),
      partner('P00002', { parentId: 'P00001' }),
      partner('P00003', { kind: 'installer' }),
    ]);
  });

  it('assigns each version to the partners of the plan kinds once', async () => {
    const first = await upsertPlans(database.prisma, [plan('80.00')]);
    const second = await upsertPlans(database.prisma, [plan('80.00')]);

    expect(first).toEqual({ plans: 1, versions: 1, assignments: 2 });
    expect(second.assignments).toBe(2);
    const assignments = await database.prisma.planAssignment.findMany({ orderBy: { partnerId: 'asc' } });
    expect(assignments.map((assignment) => assignment.partnerId)).toEqual(['P00001', 'P00002']);
    expect(assignments[0]?.effectiveFrom.toISOString()).toBe('2026-01-01T00:00:00.000Z');
    expect(assignments[0]?.effectiveTo).toBeNull();
  });

  it('stores the parameter values of the entry that names a partner', async () => {
    const template = plan('${amount}');
    template.versions[0]!.definition.parameters = { amount: { type: 'amount', default: '80.00' } };
    template.assignments = [
      { kinds: ['agency', 'sales_agent'], effectiveFrom: '2026-01-01' },
      { partners: ['P00002'], effectiveFrom: '2026-11-16', effectiveTo: '2026-12-31', parameters: { amount: '95.00' } },
    ];

    await upsertPlans(database.prisma, [template]);

    const rows = await database.prisma.planAssignment.findMany({
      orderBy: [{ partnerId: 'asc' }, { effectiveFrom: 'asc' }],
    });
    const day = (date: Date | null) => date?.toISOString().slice(0, 10) ?? null;
    // The entry naming P00002 takes precedence over the group entry on its days only.
    expect(rows.map((row) => [row.partnerId, day(row.effectiveFrom), day(row.effectiveTo), row.parameters])).toEqual([
      ['P00001', '2026-01-01', null, {}],
      ['P00002', '2026-01-01', '2026-11-15', {}],
      ['P00002', '2026-11-16', '2026-12-31', { amount: '95.00' }],
      ['P00002', '2027-01-01', null, {}],
    ]);
  });

  it('raises for a partner assigned by two plans and stores nothing', async () => {
    await upsertPlans(database.prisma, [plan('80.00')]);
    const other = {
      ...plan('70.00'),
      id: 'other-plan',
      versions: [version('other-plan-v1', 1, '2026-01-01', null)],
      assignments: [{ partners: ['P00002'], effectiveFrom: '2026-11-01' }],
    };

    const error = await upsertPlans(database.prisma, [other]).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(DoubleAssignmentError);
    expect((error as DoubleAssignmentError).issues[0]).toMatchObject({ planId: 'other-plan', path: 'assignments[0]' });
    expect((error as DoubleAssignmentError).issues[0]?.message).toBe(
      'assigns partner P00002 on days from 2026-11-01 that plan test-plan assigns as well; a partner can have only ' +
        'one plan on a day, so end one of the two assignments first or add the change as a version of plan test-plan',
    );
    expect(await database.prisma.plan.count()).toBe(1);
    expect(await database.prisma.planAssignment.count()).toBe(2);
  });

  it('updates a version no calculation has used', async () => {
    await upsertPlans(database.prisma, [plan('80.00')]);

    await upsertPlans(database.prisma, [plan('90.00')]);

    const version = await database.prisma.planVersion.findUniqueOrThrow({ where: { id: 'test-plan-v1' } });
    expect(version.definition).toMatchObject({ rules: [{ amount: '90.00' }] });
  });

  it('raises for a change of a used version and changes nothing', async () => {
    await upsertPlans(database.prisma, [plan('80.00')]);
    await database.prisma.planVersion.update({
      where: { id: 'test-plan-v1' },
      data: { usedAt: new Date('2026-12-01T10:00:00Z') },
    });

    const error = await upsertPlans(database.prisma, [{ ...plan('90.00'), name: 'Renamed' }]).catch(
      (caught: unknown) => caught,
    );

    expect(error).toBeInstanceOf(PlanVersionInUseError);
    expect(error).toMatchObject({ planId: 'test-plan', versionId: 'test-plan-v1', usedAt: '2026-12-01T10:00:00.000Z' });
    const version = await database.prisma.planVersion.findUniqueOrThrow({ where: { id: 'test-plan-v1' } });
    expect(version.definition).toMatchObject({ rules: [{ amount: '80.00' }] });
    const stored = await database.prisma.plan.findUniqueOrThrow({ where: { id: 'test-plan' } });
    expect(stored.name).toBe('Test plan');
  });

  it('accepts an unchanged used version', async () => {
    await upsertPlans(database.prisma, [plan('80.00')]);
    await database.prisma.planVersion.update({ where: { id: 'test-plan-v1' }, data: { usedAt: new Date() } });

    await expect(upsertPlans(database.prisma, [plan('80.00')])).resolves.toMatchObject({ plans: 1 });
  });

  it('ends a used version and adds the next one', async () => {
    await upsertPlans(database.prisma, [plan('80.00')]);
    await database.prisma.planVersion.update({ where: { id: 'test-plan-v1' }, data: { usedAt: new Date() } });
    await paidBy('test-plan-v1', '2026-11');
    const next = {
      ...plan('80.00'),
      versions: [
        version('test-plan-v1', 1, '2026-01-01', '2026-11-30'),
        { ...version('test-plan-v2', 2, '2026-12-01', null), definition: plan('95.00').versions[0]!.definition },
      ],
    };

    await expect(upsertPlans(database.prisma, [next])).resolves.toMatchObject({ versions: 2 });
    const first = await database.prisma.planVersion.findUniqueOrThrow({ where: { id: 'test-plan-v1' } });
    expect(first.effectiveTo?.toISOString()).toBe('2026-11-30T00:00:00.000Z');
  });

  it('raises for ending a used version inside a paid period', async () => {
    await upsertPlans(database.prisma, [plan('80.00')]);
    await database.prisma.planVersion.update({ where: { id: 'test-plan-v1' }, data: { usedAt: new Date() } });
    await paidBy('test-plan-v1', '2026-11');
    const next = {
      ...plan('80.00'),
      versions: [
        version('test-plan-v1', 1, '2026-01-01', '2026-11-15'),
        version('test-plan-v2', 2, '2026-11-16', null),
      ],
    };

    const error = await upsertPlans(database.prisma, [next]).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(PlanVersionInUseError);
    expect((error as Error).message).toContain('it cannot end before 2026-11-30, the last day of a pay period it paid');
    expect(await database.prisma.planVersion.count()).toBe(1);
  });

  it('raises for an invalid definition and keeps the stored version', async () => {
    await upsertPlans(database.prisma, [plan('80.00')]);
    const invalid = plan('90.00');
    invalid.versions[0]!.definition.rules = [];

    const error = await upsertPlans(database.prisma, [invalid]).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(PlanValidationError);
    expect((error as PlanValidationError).issues).toEqual([
      { path: 'versions[0].definition.rules', message: 'plan test-plan: must list at least one rule' },
    ]);
    const version = await database.prisma.planVersion.findUniqueOrThrow({ where: { id: 'test-plan-v1' } });
    expect(version.definition).toMatchObject({ rules: [{ amount: '80.00' }] });
  });

  it('raises for overlapping versions in one file and stores nothing', async () => {
    const overlapping = {
      ...plan('80.00'),
      versions: [version('test-plan-v2', 2, '2026-12-01', null), version('test-plan-v1', 1, '2026-01-01', null)],
    };

    const error = await upsertPlans(database.prisma, [overlapping]).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(PlanValidationError);
    expect((error as PlanValidationError).issues[0]).toEqual({
      path: 'versions[0].effectiveFrom',
      message:
        'plan test-plan: overlaps versions[1] (test-plan-v1, 2026-01-01 with no end); end that version on ' +
        '2026-11-30 or earlier',
    });
    expect(await database.prisma.plan.count()).toBe(0);
    expect(await database.prisma.planVersion.count()).toBe(0);
    expect(await database.prisma.planAssignment.count()).toBe(0);
  });

  it('raises for a version overlapping a stored one', async () => {
    await upsertPlans(database.prisma, [plan('80.00')]);
    const next = { ...plan('80.00'), versions: [version('test-plan-v2', 2, '2026-12-01', '2027-06-30')] };

    const error = await upsertPlans(database.prisma, [next]).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(OverlappingPlanVersionsError);
    expect(error).toMatchObject({ earlier: { id: 'test-plan-v1' }, later: { id: 'test-plan-v2' } });
    expect((error as Error).message).toBe(
      'versions test-plan-v1 (version 1, 2026-01-01 to open end) and test-plan-v2 (version 2, 2026-12-01 to ' +
        '2027-06-30) of plan test-plan overlap, so both would pay on the same days; set effectiveTo of test-plan-v1 ' +
        'to 2026-11-30 or earlier',
    );
    const versions = await database.prisma.planVersion.findMany();
    expect(versions.map((stored) => stored.id)).toEqual(['test-plan-v1']);
    expect(await database.prisma.planAssignment.count()).toBe(2);
  });

  it('reports a gap between versions', async () => {
    const gap = {
      ...plan('80.00'),
      versions: [
        version('test-plan-v1', 1, '2026-01-01', '2026-11-30'),
        version('test-plan-v2', 2, '2026-12-02', null),
      ],
    };

    await expect(upsertPlans(database.prisma, [gap])).rejects.toThrow(
      'gap in effective dates: no version applies from 2026-12-01 to the day before 2026-12-02',
    );
  });

  it('accepts equal date ranges in plans for different partners', async () => {
    const other = {
      ...plan('80.00'),
      id: 'other-plan',
      versions: [version('other-plan-v1', 1, '2026-01-01', null)],
      assignments: [{ kinds: ['installer' as const], effectiveFrom: '2026-01-01' }],
    };

    const result = await upsertPlans(database.prisma, [plan('80.00'), other]);

    expect(result).toMatchObject({ plans: 2, versions: 2, assignments: 3 });
  });

  it('accepts adjacent versions after shortening one', async () => {
    await upsertPlans(database.prisma, [plan('80.00')]);
    const adjacent = {
      ...plan('80.00'),
      versions: [
        version('test-plan-v1', 1, '2026-01-01', '2026-11-30'),
        version('test-plan-v2', 2, '2026-12-01', null),
      ],
    };

    const result = await upsertPlans(database.prisma, [adjacent]);

    expect(result).toEqual({ plans: 1, versions: 2, assignments: 4 });
    const first = await database.prisma.planVersion.findUniqueOrThrow({ where: { id: 'test-plan-v1' } });
    expect(first.effectiveTo?.toISOString()).toBe('2026-11-30T00:00:00.000Z');
  });

  it('raises for a version that ends before it starts', async () => {
    const inverted = { ...plan('80.00'), versions: [version('test-plan-v1', 1, '2026-06-01', '2026-05-31')] };

    await expect(upsertPlans(database.prisma, [inverted])).rejects.toThrow(
      'plan test-plan: ends on 2026-05-31, before it starts on 2026-06-01',
    );
    expect(await database.prisma.plan.count()).toBe(0);
  });

  it('stores the demo plans', async () => {
    const result = await upsertPlans(database.prisma, structuredClone([...DEMO_PLANS]));

    expect(result.plans).toBe(5);
    // P00001 is an agency, P00002 a sales agent and P00003 an installer.
    expect(result.assignments).toBe(3);
  });
});

/** Stores a statement of the period with one line of the plan version, as a calculation would. */
async function paidBy(planVersionId: string, periodId: string): Promise<void> {
  const [year, month] = periodId.split('-').map(Number) as [number, number];
  await database.prisma.payPeriod.create({
    data: {
      id: periodId,
      startsAt: new Date(Date.UTC(year, month - 1, 1)),
      endsAt: new Date(Date.UTC(year, month, 1)),
      stage: 'awaiting_approval',
      workflowId: `pay-period-${periodId}`,
    },
  });
  await database.prisma.statement.create({
    data: {
      id: `${periodId}-P00002`,
      periodId,
      partnerId: 'P00002',
      runNumber: 1,
      status: 'draft',
      currency: 'EUR',
      netCommission: '80.00',
      vatAmount: '15.20',
      grossAmount: '95.20',
      withholdingAmount: '0.00',
      contributionAgent: '0.00',
      contributionPrincipal: '0.00',
      payableAmount: '95.20',
      taxes: [],
      lines: {
        create: [
          {
            lineNumber: 1,
            kind: 'commission',
            planVersionId,
            ruleId: 'supply',
            amount: '80.00',
            description: 'Electricity contract',
            explanation: {},
          },
        ],
      },
    },
  });
}
