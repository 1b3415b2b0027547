import { describe, expect, it } from 'vitest';

import { lineAmounts } from '../builders.js';
import {
  buildPlanAssignment,
  buildPlanOrder,
  buildValidatedOrder,
  calculatePlan,
  linesOf,
  november,
  onlyLineOf,
  PARTNER_ID,
  statementOf,
} from './support.js';
import { buildInput } from '../builders.js';
import { calculatePeriod } from '../../../../domain/engine/calculate.js';

const PAID_WHEN_VALIDATED = [{ state: 'validated', share: '1' }];

const PER_ORDER_RULE = {
  id: 'per-order',
  kind: 'fixed_per_order',
  label: 'Per order',
  amount: '100.00',
  payment: PAID_WHEN_VALIDATED,
};

/** An order signed on 1 November, validated on the 3rd and cancelled on the 10th, within 14 days of cooling-off. */
const VOIDED = buildPlanOrder('8009', {
  history: [
    ['signed', november(1)],
    ['validated', november(3)],
    ['cancelled', november(10)],
  ],
});

describe('orders reversed in the period', () => {
  it('leave count metrics', () => {
    const plan = {
      metrics: { validations: { kind: 'count', state: 'validated' } },
      rules: [PER_ORDER_RULE, { id: 'bonus', kind: 'bonus', label: 'Bonus', amount: 'validations * 5' }],
    };
    const orders = [buildValidatedOrder('8001', november(2)), buildValidatedOrder('8002', november(4)), VOIDED];

    const statement = statementOf(calculatePlan(plan, orders));

    // 8009 is void by cooling-off: it earns nothing and does not count, so 2 validations × 5.00.
    expect(onlyLineOf(statement, 'bonus').amount).toBe('10.00');
    expect(onlyLineOf(statement, 'bonus').description).toBe('Bonus: EUR 10.00 (2 validations)');
    expect(statement.netCommission).toBe('210.00');
  });

  it('leave the accelerator base', () => {
    const plan = {
      metrics: { validations: { kind: 'count', state: 'validated' } },
      rules: [
        PER_ORDER_RULE,
        {
          id: 'accelerator',
          kind: 'accelerator',
          label: 'Accelerator',
          metric: 'validations',
          appliesTo: ['per-order'],
          bands: [
            { from: '0', to: '2', multiplier: '1' },
            { from: '2', multiplier: '1.5' },
          ],
        },
      ],
    };
    // 8010 was paid 100.00 in October and is cancelled in November within its clawback window.
    const clawedBack = buildPlanOrder('8010', {
      history: [
        ['signed', '2026-09-01T09:00:00.000Z'],
        ['validated', '2026-10-05T09:00:00.000Z'],
        ['cancelled', november(20)],
      ],
    });
    const orders = [buildValidatedOrder('8001', november(2)), buildValidatedOrder('8002', november(4)), clawedBack];

    const statement = statementOf(calculatePlan(plan, orders));

    // Base: 8001 and 8002 pay 100.00 each; 2 validations fall in the 1.5 band: 200.00 × 0.5 = 100.00.
    expect(onlyLineOf(statement, 'accelerator').amount).toBe('100.00');
    expect(onlyLineOf(statement, 'accelerator').explanation.baseAmount).toBe('200.00');
  });
});

describe('period floor', () => {
  const plan = {
    metrics: { validations: { kind: 'count', state: 'validated' } },
    rules: [
      PER_ORDER_RULE,
      {
        id: 'bonus',
        kind: 'bonus',
        label: 'Bonus',
        amount: '50',
        gate: { when: 'validations >= 3', label: 'at least 3 validations' },
      },
    ],
    limits: { periodFloor: '300.00' },
  };

  it('skips a month without commission', () => {
    const result = calculatePlan(plan, [VOIDED]);

    // The void order earns nothing and the failed gate adds a 0.00 line; the floor does not apply.
    const statement = statementOf(result);
    expect(lineAmounts(statement)).toEqual(['0.00']);
    expect(linesOf(statement, 'periodFloor')).toEqual([]);
  });

  it('is prorated to the covered days', () => {
    const assignment = buildPlanAssignment(PARTNER_ID, plan, { activeFrom: '2026-11-16T00:00:00.000Z' });
    const orders = [buildValidatedOrder('8001', november(20))];

    const statement = statementOf(calculatePeriod(buildInput({ assignments: [assignment], orders })));
    const floor = onlyLineOf(statement, 'periodFloor');

    // 15 of 30 days: 300.00 × 0.5 = 150.00; the plan pays 100.00, so the floor adds 50.00.
    expect(floor.amount).toBe('50.00');
    expect(floor.description).toBe(
      'Sales partners (prorated to 50% of the period): raised to the minimum of EUR 150.00 per period from EUR 100.00',
    );
  });
});
