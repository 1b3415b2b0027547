import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { generateDemoData } from '../../demo/generate.js';
import { DEMO_PLANS } from '../../demo/plans.js';
import { PlanValidationError } from '../../domain/errors.js';
import { mapAccountToPartner } from '../../integrations/salesforce/mapping.js';
import {
  DuplicateReferenceIdError,
  OverlappingPlanVersionsError,
  PlanVersionInUseError,
  UnknownParentPartnerError,
  upsertPartners,
  upsertPlans,
  upsertProducts,
  type PartnerInput,
  type PlanInput,
  type PlanVersionInput,
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
    assignTo: ['agency', 'sales_agent'],
  };
}

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

    expect(first).toEqual({ plans: 1, versions: 1, assignmentsCreated: 2 });
    expect(second.assignmentsCreated).toBe(0);
    const assignments = await database.prisma.planAssignment.findMany({ orderBy: { partnerId: 'asc' } });
    expect(assignments.map((assignment) => assignment.partnerId)).toEqual(['P00001', 'P00002']);
    expect(assignments[0]?.effectiveFrom.toISOString()).toBe('2026-01-01T00:00:00.000Z');
    expect(assignments[0]?.effectiveTo).toBeNull();
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

    const error = await upsertPlans(database.prisma, [{ ...plan('90.00'), name: 'Renamed' }]).catch((caught) => caught);

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

  it('raises for an invalid definition', async () => {
    const invalid = plan('80.00');
    invalid.versions[0]!.definition.rules = [];

    await expect(upsertPlans(database.prisma, [invalid])).rejects.toThrow(PlanValidationError);
    expect(await database.prisma.plan.count()).toBe(0);
  });

  it('raises for overlapping versions and stores nothing', async () => {
    const overlapping = {
      ...plan('80.00'),
      versions: [version('test-plan-v2', 2, '2026-12-01', null), version('test-plan-v1', 1, '2026-01-01', null)],
    };

    const error = await upsertPlans(database.prisma, [overlapping]).catch((caught) => caught);

    expect(error).toBeInstanceOf(OverlappingPlanVersionsError);
    expect(error).toMatchObject({
      planId: 'test-plan',
      earlier: { id: 'test-plan-v1', version: 1, effectiveFrom: '2026-01-01', effectiveTo: null },
      later: { id: 'test-plan-v2', version: 2, effectiveFrom: '2026-12-01', effectiveTo: null },
    });
    expect((error as Error).message).toBe(
      'versions test-plan-v1 (version 1, 2026-01-01 to open end) and test-plan-v2 (version 2, 2026-12-01 to ' +
        'open end) of plan test-plan overlap, so both would pay on the same days; set effectiveTo of test-plan-v1 ' +
        'to 2026-11-30 or earlier',
    );
    expect(await database.prisma.plan.count()).toBe(0);
    expect(await database.prisma.planVersion.count()).toBe(0);
    expect(await database.prisma.planAssignment.count()).toBe(0);
  });

  it('raises for a version overlapping a stored one', async () => {
    await upsertPlans(database.prisma, [plan('80.00')]);
    const next = { ...plan('80.00'), versions: [version('test-plan-v2', 2, '2026-12-01', '2027-06-30')] };

    const error = await upsertPlans(database.prisma, [next]).catch((caught) => caught);

    expect(error).toBeInstanceOf(OverlappingPlanVersionsError);
    expect(error).toMatchObject({ earlier: { id: 'test-plan-v1' }, later: { id: 'test-plan-v2' } });
    const versions = await database.prisma.planVersion.findMany();
    expect(versions.map((stored) => stored.id)).toEqual(['test-plan-v1']);
    expect(await database.prisma.planAssignment.count()).toBe(2);
  });

  it('treats effectiveTo as inclusive', async () => {
    const sharedDay = {
      ...plan('80.00'),
      versions: [
        version('test-plan-v1', 1, '2026-01-01', '2026-12-01'),
        version('test-plan-v2', 2, '2026-12-01', null),
      ],
    };

    await expect(upsertPlans(database.prisma, [sharedDay])).rejects.toThrow(OverlappingPlanVersionsError);
  });

  it('reports a version inside another one', async () => {
    const nested = {
      ...plan('80.00'),
      versions: [
        version('test-plan-v3', 3, '2027-01-01', null),
        version('test-plan-v2', 2, '2026-03-01', '2026-03-31'),
        version('test-plan-v1', 1, '2026-01-01', '2026-12-31'),
      ],
    };

    const error = await upsertPlans(database.prisma, [nested]).catch((caught) => caught);

    expect(error).toMatchObject({ earlier: { id: 'test-plan-v1' }, later: { id: 'test-plan-v2' } });
  });

  it('accepts equal date ranges in different plans', async () => {
    const other = { ...plan('80.00'), id: 'other-plan', versions: [version('other-plan-v1', 1, '2026-01-01', null)] };

    const result = await upsertPlans(database.prisma, [plan('80.00'), other]);

    expect(result).toMatchObject({ plans: 2, versions: 2 });
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

    expect(result).toEqual({ plans: 1, versions: 2, assignmentsCreated: 2 });
    const first = await database.prisma.planVersion.findUniqueOrThrow({ where: { id: 'test-plan-v1' } });
    expect(first.effectiveTo?.toISOString()).toBe('2026-11-30T00:00:00.000Z');
  });

  it('raises for a version that ends before it starts', async () => {
    const inverted = { ...plan('80.00'), versions: [version('test-plan-v1', 1, '2026-06-01', '2026-05-31')] };

    await expect(upsertPlans(database.prisma, [inverted])).rejects.toThrow(
      'plan version test-plan-v1 ends on 2026-05-31 before it starts on 2026-06-01',
    );
    expect(await database.prisma.plan.count()).toBe(0);
  });

  it('stores the demo plans', async () => {
    const result = await upsertPlans(database.prisma, structuredClone([...DEMO_PLANS]));

    expect(result.plans).toBe(3);
    expect(result.assignmentsCreated).toBe(3);
  });
});
