import { describe, expect, it } from 'vitest';

import { calculatePeriod } from '../../../../domain/engine/calculate.js';
import { toPeriodAssignment } from '../../../../domain/engine/period-assignments.js';
import type { PlanAssignmentInput } from '../../../../domain/engine/types.js';
import { PlanValidationError } from '../../../../domain/errors.js';
import { resolveAssignments, type AssignablePlan } from '../../../../domain/plan/assignments.js';
import { buildInput, NOVEMBER_2026 } from '../builders.js';
import {
  buildPlanAssignment,
  buildPlanPartner,
  buildValidatedOrder,
  november,
  orderAmounts,
  PARTNER_ID,
  statementOf,
} from './support.js';

const PAID_WHEN_VALIDATED = [{ state: 'validated', share: '1' }];

const TEMPLATE = {
  parameters: {
    amount: { type: 'amount', default: '80.00', description: 'Amount per validated order' },
    valueRate: { type: 'rate', default: '0.02' },
  },
  rules: [
    { id: 'per-order', kind: 'fixed_per_order', label: 'Per order', amount: '${amount}', payment: PAID_WHEN_VALIDATED },
    {
      id: 'value-share',
      kind: 'formula',
      label: 'Value share',
      amount: 'value * valueRate',
      payment: PAID_WHEN_VALIDATED,
    },
  ],
};

const ORDER = buildValidatedOrder('8001', november(3), { value: '1500.00' });

function calculateWithParameters(definition: unknown, parameters?: Record<string, string>) {
  const assignment = buildPlanAssignment(PARTNER_ID, definition, parameters === undefined ? {} : { parameters });
  return calculatePeriod(buildInput({ assignments: [assignment], orders: [ORDER] }));
}

/** Returns the PlanValidationError that `run` throws, failing the test when it throws nothing. */
function catchValidationError(run: () => unknown): PlanValidationError {
  try {
    run();
  } catch (error) {
    if (error instanceof PlanValidationError) return error;
    throw error;
  }
  throw new Error('expected PlanValidationError, but nothing was thrown');
}

describe('template parameters', () => {
  it('fills in the defaults', () => {
    const statement = statementOf(calculateWithParameters(TEMPLATE));

    // per-order: the default 80.00; value-share: 1500.00 × 0.02 = 30.00
    expect(statement.lines.map((line) => [line.ruleId, line.amount])).toEqual([
      ['per-order', '80.00'],
      ['value-share', '30.00'],
    ]);
    expect(statement.lines[1]?.description).toBe(
      'Electricity contract 8001 validated on 2026-11-03: Value share, EUR 30.00 (value * valueRate ' +
        'with value = 1500, valueRate = 0.02)',
    );
    // 80.00 + 30.00 = 110.00
    expect(statement.netCommission).toBe('110.00');
  });

  it('takes assignment values over defaults', () => {
    const statement = statementOf(calculateWithParameters(TEMPLATE, { amount: '95.50', valueRate: '0.03' }));

    // per-order: 95.50; value-share: 1500.00 × 0.03 = 45.00
    expect(statement.lines.map((line) => [line.ruleId, line.amount])).toEqual([
      ['per-order', '95.50'],
      ['value-share', '45.00'],
    ]);
    // 95.50 + 45.00 = 140.50
    expect(statement.netCommission).toBe('140.50');
  });

  it('compares a text parameter', () => {
    const regional = {
      parameters: { region: { type: 'text', default: 'north' } },
      rules: [
        {
          id: 'regional',
          kind: 'fixed_per_order',
          label: 'Regional order',
          amount: '40.00',
          where: 'territory == region',
          payment: PAID_WHEN_VALIDATED,
        },
      ],
    };
    const orders = [
      buildValidatedOrder('8001', november(3), { territory: 'north' }),
      buildValidatedOrder('8002', november(4), { territory: 'south' }),
    ];
    const assignment = buildPlanAssignment(PARTNER_ID, regional, { parameters: { region: 'south' } });

    const statement = statementOf(calculatePeriod(buildInput({ assignments: [assignment], orders })));

    // The assignment's region "south" replaces the default "north": only 8002 pays.
    expect(orderAmounts(statement)).toEqual([['8002', '40.00']]);
  });

  it('rejects a missing value', () => {
    const withoutDefault = { ...TEMPLATE, parameters: { amount: { type: 'amount' } }, rules: [TEMPLATE.rules[0]] };

    const error = catchValidationError(() => calculateWithParameters(withoutDefault));

    expect(error.planVersionId).toBe('plan-sales-v1');
    expect(error.issues).toEqual([
      {
        path: 'parameters.amount',
        message: 'has no default and the assignment gives no value; add "amount" to the assignment\'s parameters',
      },
    ]);
  });

  it('rejects an undeclared value', () => {
    const error = catchValidationError(() => calculateWithParameters(TEMPLATE, { amount: '95.50', bonus: '10.00' }));

    expect(error.issues).toEqual([
      {
        path: 'parameters.bonus',
        message:
          'the assignment gives a value for "bonus", which the plan does not declare; declared: amount, valueRate',
      },
    ]);
  });

  it('rejects an invalid value', () => {
    const error = catchValidationError(() => calculateWithParameters(TEMPLATE, { amount: '95.505' }));

    expect(error.issues).toEqual([
      {
        path: 'parameters.amount',
        message: 'value from the assignment must be an amount written as a string, such as "80.00", not "95.505"',
      },
    ]);
  });
});

describe('resolveAssignments', () => {
  const plan: AssignablePlan = {
    id: 'plan-sales',
    versions: [{ id: 'plan-sales-v1', effectiveFrom: '2026-01-01', effectiveTo: null, definition: TEMPLATE }],
    assignments: [
      { kinds: ['sales_agent'], effectiveFrom: '2026-01-01', effectiveTo: null, parameters: { valueRate: '0.01' } },
      { partners: ['P00002'], effectiveFrom: '2026-11-16', effectiveTo: null, parameters: { amount: '95.50' } },
    ],
  };
  const partners = [buildPlanPartner('P00001'), buildPlanPartner('P00002')];

  it('prefers the entry naming the partner', () => {
    const { rows, issues } = resolveAssignments([plan], partners);

    expect(issues).toEqual([]);
    // P00001 is assigned by the group entry. P00002 is named by the second entry from 2026-11-16,
    // which takes precedence from then on; before that day the group entry applies.
    expect(rows).toEqual([
      {
        partnerId: 'P00001',
        planId: 'plan-sales',
        planVersionId: 'plan-sales-v1',
        effectiveFrom: '2026-01-01',
        effectiveTo: null,
        parameters: { valueRate: '0.01' },
      },
      {
        partnerId: 'P00002',
        planId: 'plan-sales',
        planVersionId: 'plan-sales-v1',
        effectiveFrom: '2026-11-16',
        effectiveTo: null,
        parameters: { amount: '95.50' },
      },
      {
        partnerId: 'P00002',
        planId: 'plan-sales',
        planVersionId: 'plan-sales-v1',
        effectiveFrom: '2026-01-01',
        effectiveTo: '2026-11-15',
        parameters: { valueRate: '0.01' },
      },
    ]);
  });

  it('reports a partner in two plans', () => {
    const special: AssignablePlan = {
      id: 'plan-special',
      versions: [{ id: 'plan-special-v1', effectiveFrom: '2026-01-01', effectiveTo: null, definition: TEMPLATE }],
      assignments: [{ partners: ['P00001'], effectiveFrom: '2026-11-01', effectiveTo: null, parameters: {} }],
    };

    const { issues } = resolveAssignments([plan, special], partners);

    // The group entry of plan-sales assigns P00001 as well, which only resolving against the partners shows.
    expect(issues).toEqual([
      {
        planId: 'plan-special',
        pathSegments: ['assignments', 0],
        path: 'assignments[0]',
        message:
          'assigns partner P00001 on days from 2026-11-01 that plan plan-sales assigns as well; a partner can ' +
          'have only one plan on a day, so end one of the two assignments first or add the change as a version ' +
          'of plan plan-sales',
      },
    ]);
  });

  it('pays each entry its parameters', () => {
    const { rows } = resolveAssignments([plan], partners);
    const assignments = rows.flatMap((row): PlanAssignmentInput[] => {
      const assignment = toPeriodAssignment(
        { ...row, planName: 'Sales partners', definition: TEMPLATE },
        NOVEMBER_2026,
      );
      return assignment === undefined ? [] : [assignment];
    });
    const orders = [
      buildValidatedOrder('8001', november(3), { value: '1500.00' }),
      buildValidatedOrder('8101', november(10), { partnerId: 'P00002', value: '1500.00' }),
      buildValidatedOrder('8102', november(20), { partnerId: 'P00002', value: '1500.00' }),
    ];

    const result = calculatePeriod(buildInput({ partners, assignments, orders }));
    const groupPartner = statementOf(result, 'P00001');
    const namedPartner = statementOf(result, 'P00002');

    // P00001: the default 80.00 + 1500.00 × 0.01 = 15.00 → 95.00
    expect(orderAmounts(groupPartner)).toEqual([
      ['8001', '80.00'],
      ['8001', '15.00'],
    ]);
    expect(groupPartner.netCommission).toBe('95.00');
    // P00002: 8101 (10 Nov) falls under the group entry: 80.00 + 1500.00 × 0.01 = 15.00. 8102 (20 Nov)
    // falls under its own entry: 95.50 + 1500.00 × 0.02 (default) = 30.00. 95.00 + 125.50 = 220.50
    expect(orderAmounts(namedPartner)).toEqual([
      ['8101', '80.00'],
      ['8101', '15.00'],
      ['8102', '95.50'],
      ['8102', '30.00'],
    ]);
    expect(namedPartner.netCommission).toBe('220.50');
  });
});
