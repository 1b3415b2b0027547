import { describe, expect, it } from 'vitest';

import { calculatePeriod } from '../../../../domain/engine/calculate.js';
import { toPeriodAssignment, type DatedAssignment } from '../../../../domain/engine/period-assignments.js';
import type { PlanAssignmentInput } from '../../../../domain/engine/types.js';
import { buildInput, NOVEMBER_2026 } from '../builders.js';
import { buildValidatedOrder, november, onlyLineOf, orderAmounts, PARTNER_ID, statementOf } from './support.js';

/** Pays 20.00 per validation and a bonus of 100 × attainment of a target of 10 validations. */
function attainmentPlan(prorate = true) {
  return {
    metrics: {
      validations: { kind: 'count', state: 'validated' },
      attainment: { kind: 'attainment', metric: 'validations', target: '10', prorate },
    },
    rules: [
      {
        id: 'per-order',
        kind: 'fixed_per_order',
        label: 'Per order',
        amount: '20.00',
        payment: [{ state: 'validated', share: '1' }],
      },
      { id: 'attainment-bonus', kind: 'bonus', label: 'Attainment bonus', amount: 'attainment * 100' },
    ],
  };
}

function datedAssignment(effectiveFrom: string, effectiveTo: string | null, definition: unknown = {}): DatedAssignment {
  return {
    partnerId: PARTNER_ID,
    planId: 'plan-sales',
    planVersionId: 'plan-sales-v1',
    planName: 'Sales partners',
    definition,
    parameters: {},
    effectiveFrom,
    effectiveTo,
  };
}

function periodAssignment(effectiveFrom: string, effectiveTo: string | null, definition: unknown): PlanAssignmentInput {
  const assignment = toPeriodAssignment(datedAssignment(effectiveFrom, effectiveTo, definition), NOVEMBER_2026);
  if (assignment === undefined) {
    throw new Error(`the assignment from ${effectiveFrom} does not cover November 2026`);
  }
  return assignment;
}

const ORDERS = [
  buildValidatedOrder('8001', november(10)),
  buildValidatedOrder('8002', november(17)),
  buildValidatedOrder('8003', november(20)),
];

describe('toPeriodAssignment', () => {
  it('starts mid-period at midnight', () => {
    const assignment = toPeriodAssignment(datedAssignment('2026-11-16', null), NOVEMBER_2026);

    expect(assignment?.activeFrom).toBe('2026-11-16T00:00:00.000Z');
    expect(assignment?.activeUntil).toBeUndefined();
  });

  it('ends after the last day', () => {
    const assignment = toPeriodAssignment(datedAssignment('2026-01-01', '2026-11-15'), NOVEMBER_2026);

    // The last day 2026-11-15 is inclusive, so the assignment ends at the start of the 16th.
    expect(assignment?.activeFrom).toBeUndefined();
    expect(assignment?.activeUntil).toBe('2026-11-16T00:00:00.000Z');
  });

  it('covers the whole period', () => {
    const assignment = toPeriodAssignment(datedAssignment('2026-11-01', '2026-11-30'), NOVEMBER_2026);

    expect(assignment).toBeDefined();
    expect(assignment?.activeFrom).toBeUndefined();
    expect(assignment?.activeUntil).toBeUndefined();
  });

  it.each([
    ['starting after the period', '2026-12-01', null],
    ['ending before the period', '2026-01-01', '2026-10-31'],
  ])('skips an assignment %s', (_case, effectiveFrom, effectiveTo) => {
    expect(toPeriodAssignment(datedAssignment(effectiveFrom, effectiveTo), NOVEMBER_2026)).toBeUndefined();
  });
});

describe('proration', () => {
  it('halves the target from day 16', () => {
    const input = buildInput({ assignments: [periodAssignment('2026-11-16', null, attainmentPlan())], orders: ORDERS });

    const statement = statementOf(calculatePeriod(input));
    const bonus = onlyLineOf(statement, 'attainment-bonus');

    // 8001 was validated on the 10th, before the assignment starts, so it neither pays nor counts.
    expect(orderAmounts(statement)).toEqual([
      ['8002', '20.00'],
      ['8003', '20.00'],
      [undefined, '40.00'],
    ]);
    // 16 to 30 November = 15 of 30 days: target 10 × 15/30 = 5; attainment 2 / 5 = 0.4; 0.4 × 100 = 40.00
    expect(bonus.explanation.metrics).toEqual({ attainment: '0.4' });
    expect(bonus.description).toBe(
      'Attainment bonus: EUR 40.00 (attainment 40% (2 validations, target 5, prorated from 10 for 50% of the period))',
    );
    // 20.00 + 20.00 + 40.00 = 80.00
    expect(statement.netCommission).toBe('80.00');
  });

  it('keeps the target without prorate', () => {
    const input = buildInput({
      assignments: [periodAssignment('2026-11-16', null, attainmentPlan(false))],
      orders: ORDERS,
    });

    const bonus = onlyLineOf(statementOf(calculatePeriod(input)), 'attainment-bonus');

    // 2 / 10 = 0.2; 0.2 × 100 = 20.00
    expect(bonus.amount).toBe('20.00');
    expect(bonus.description).toBe('Attainment bonus: EUR 20.00 (attainment 20% (2 validations, target 10))');
  });

  it('halves the target until day 15', () => {
    const input = buildInput({
      assignments: [periodAssignment('2026-01-01', '2026-11-15', attainmentPlan())],
      orders: ORDERS,
    });

    const statement = statementOf(calculatePeriod(input));
    const bonus = onlyLineOf(statement, 'attainment-bonus');

    // Only 8001 (the 10th) falls in 1 to 15 November. Target 10 × 15/30 = 5; 1 / 5 = 0.2 → 20.00
    expect(orderAmounts(statement)).toEqual([
      ['8001', '20.00'],
      [undefined, '20.00'],
    ]);
    expect(bonus.explanation.metrics).toEqual({ attainment: '0.2' });
    expect(statement.netCommission).toBe('40.00');
  });
});
