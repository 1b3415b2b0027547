import { describe, expect, it } from 'vitest';

import type { OrderRecord } from '../../../../domain/model.js';
import { lineAmounts } from '../builders.js';
import {
  buildPlanOrder,
  buildValidatedOrder,
  calculatePlan,
  linesOf,
  november,
  onlyLineOf,
  orderAmounts,
  statementOf,
} from './support.js';

const PAID_WHEN_VALIDATED = [{ state: 'validated', share: '1' }];
const VALIDATIONS = { kind: 'count', state: 'validated' };
const AT_LEAST_THREE = { when: 'validations >= 3', label: 'at least 3 validations' };

const PER_ORDER_RULE = {
  id: 'per-order',
  kind: 'fixed_per_order',
  label: 'Per order',
  amount: '100.00',
  payment: PAID_WHEN_VALIDATED,
};

/** Builds `count` electricity orders validated on consecutive days from 2026-11-02. */
function buildValidations(count: number): OrderRecord[] {
  return Array.from({ length: count }, (_, index) => buildValidatedOrder(String(8001 + index), november(2 + index)));
}

describe('gate on order rule', () => {
  const plan = {
    metrics: { validations: VALIDATIONS },
    rules: [
      { ...PER_ORDER_RULE, id: 'base', label: 'Base', amount: '10.00' },
      { ...PER_ORDER_RULE, id: 'order-bonus', label: 'Order bonus', amount: '50.00', gate: AT_LEAST_THREE },
    ],
  };

  it('withholds lines when failing', () => {
    const statement = statementOf(calculatePlan(plan, buildValidations(2)));
    const withheld = onlyLineOf(statement, 'order-bonus');

    // The ungated base rule pays 2 × 10.00; the 2 × 50.00 of order-bonus become one 0.00 line.
    expect(lineAmounts(statement)).toEqual(['10.00', '10.00', '0.00']);
    expect(withheld.kind).toBe('adjustment');
    expect(withheld.description).toBe(
      'Order bonus: EUR 100.00 from 2 line(s) not paid, because the condition "at least 3 validations" is not met ' +
        '(2 validations)',
    );
    expect(withheld.explanation.inputs.withheld).toBe('100.00');
    expect(statement.netCommission).toBe('20.00');
  });

  it('keeps lines when passing', () => {
    const statement = statementOf(calculatePlan(plan, buildValidations(3)));

    // 3 validations meet the gate: 3 × 10.00 + 3 × 50.00 = 180.00, and no 0.00 line
    expect(linesOf(statement, 'order-bonus').map((line) => line.amount)).toEqual(['50.00', '50.00', '50.00']);
    expect(statement.netCommission).toBe('180.00');
  });

  it('names the formula without label', () => {
    const unlabelled = {
      ...plan,
      rules: [{ ...PER_ORDER_RULE, id: 'order-bonus', label: 'Order bonus', gate: { when: 'validations >= 3' } }],
    };

    const statement = statementOf(calculatePlan(unlabelled, buildValidations(1)));

    expect(onlyLineOf(statement, 'order-bonus').description).toBe(
      'Order bonus: EUR 100.00 from 1 line(s) not paid, because the condition "validations >= 3" is not met ' +
        '(1 validations)',
    );
    expect(statement.netCommission).toBe('0.00');
  });
});

describe('gate on period rule', () => {
  const plan = {
    metrics: { validations: VALIDATIONS },
    rules: [
      PER_ORDER_RULE,
      { id: 'volume-bonus', kind: 'bonus', label: 'Volume bonus', amount: '200.00', gate: AT_LEAST_THREE },
    ],
  };

  it('adds zero line when failing', () => {
    const statement = statementOf(calculatePlan(plan, buildValidations(2)));
    const line = onlyLineOf(statement, 'volume-bonus');

    expect(line.amount).toBe('0.00');
    expect(line.description).toBe(
      'Volume bonus: not paid, because the condition "at least 3 validations" is not met (2 validations)',
    );
    // 2 × 100.00 + 0.00 = 200.00
    expect(statement.netCommission).toBe('200.00');
  });

  it('pays when passing', () => {
    const statement = statementOf(calculatePlan(plan, buildValidations(3)));

    expect(onlyLineOf(statement, 'volume-bonus').amount).toBe('200.00');
    // 3 × 100.00 + 200.00 = 500.00
    expect(statement.netCommission).toBe('500.00');
  });

  it('warns when the gate fails to evaluate', () => {
    const plan = {
      metrics: {
        validations: VALIDATIONS,
        revenue: { kind: 'sum', of: 'value', state: 'validated' },
        averageValue: { kind: 'formula', formula: 'revenue / validations' },
      },
      rules: [
        { ...PER_ORDER_RULE, payment: [{ state: 'supply_active', share: '1' }] },
        {
          id: 'quality-bonus',
          kind: 'bonus',
          label: 'Quality bonus',
          amount: '75.00',
          gate: { when: 'averageValue >= 500' },
        },
      ],
    };
    // Validated in October, so averageValue divides by 0 validations in November. The order
    // still gets a statement through its activation.
    const order = buildPlanOrder('8001', {
      history: [
        ['signed', '2026-10-20T09:00:00.000Z'],
        ['validated', '2026-10-28T09:00:00.000Z'],
        ['supply_active', november(5)],
      ],
    });

    const result = calculatePlan(plan, [order]);
    const statement = statementOf(result);

    const withheld = onlyLineOf(statement, 'quality-bonus');

    expect(withheld.amount).toBe('0.00');
    expect(withheld.description).toBe(
      'Quality bonus: not paid, because the condition "averageValue >= 500" could not be evaluated',
    );
    expect(result.warnings).toContainEqual({
      code: 'formula_failed',
      partnerId: 'P00001',
      ruleId: 'quality-bonus',
      message: 'division by zero in "revenue / validations"; the rule was skipped for the period',
    });
    // 100.00 for the activation + 0.00
    expect(statement.netCommission).toBe('100.00');
  });
});

describe('line limits', () => {
  it('caps the full commission before the split', () => {
    const plan = {
      rules: [
        {
          id: 'per-kwp',
          kind: 'fixed_per_unit',
          label: 'Per kWp',
          amountPerUnit: '25.00',
          limits: { lineCap: '200.00' },
          payment: [
            { state: 'installed', share: '0.5' },
            { state: 'commissioned', share: '0.5' },
          ],
        },
      ],
    };
    const install = (orderNumber: string, kWp: string) =>
      buildPlanOrder(orderNumber, {
        category: 'pv',
        quantity: kWp,
        unit: 'kWp',
        history: [
          ['assigned', '2026-10-20T09:00:00.000Z'],
          ['installed', november(10)],
          ['commissioned', november(12)],
        ],
      });

    const statement = statementOf(calculatePlan(plan, [install('9001', '10'), install('9002', '6')]));

    // 9001: 10 × 25.00 = 250.00, capped at 200.00, then 200.00 × 0.5 = 100.00 and 200.00 − 100.00 = 100.00
    // 9002: 6 × 25.00 = 150.00 is below the cap: 75.00 and 75.00
    expect(orderAmounts(statement)).toEqual([
      ['9001', '100.00'],
      ['9001', '100.00'],
      ['9002', '75.00'],
      ['9002', '75.00'],
    ]);
    expect(statement.lines[0]?.description).toBe(
      'PV installation 9001 installed on 2026-11-10: 50% of 10 kWp × EUR 25.00, capped at EUR 200.00 per order ' +
        '(installed share)',
    );
    expect(statement.lines[0]?.explanation.inputs.uncapped).toBe('250');
    // 100.00 + 100.00 + 75.00 + 75.00 = 350.00
    expect(statement.netCommission).toBe('350.00');
  });

  it('raises a line to its floor', () => {
    const plan = {
      rules: [
        {
          id: 'share',
          kind: 'percentage_of_value',
          label: 'Share',
          rate: '0.05',
          limits: { lineFloor: '25.00' },
          payment: PAID_WHEN_VALIDATED,
        },
      ],
    };
    const orders = [
      buildValidatedOrder('8001', november(3), { value: '200.00' }),
      buildValidatedOrder('8002', november(4), { value: '1000.00' }),
    ];

    const statement = statementOf(calculatePlan(plan, orders));

    // 8001: 200.00 × 0.05 = 10.00, raised to 25.00; 8002: 1000.00 × 0.05 = 50.00, above the floor
    expect(orderAmounts(statement)).toEqual([
      ['8001', '25.00'],
      ['8002', '50.00'],
    ]);
    expect(statement.lines[0]?.description).toBe(
      'Electricity contract 8001 validated on 2026-11-03: 5% of order value EUR 200.00, ' +
        'raised to the minimum of EUR 25.00 per order',
    );
    expect(statement.netCommission).toBe('75.00');
  });

  it('caps a tiered line', () => {
    const plan = {
      rules: [
        {
          id: 'tiers',
          kind: 'tiered',
          label: 'Tiers',
          countState: 'validated',
          mode: 'marginal',
          limits: { lineCap: '40.00' },
          tiers: [{ from: 1, rate: '0.05' }],
        },
      ],
    };
    const orders = [
      buildValidatedOrder('8001', november(3), { value: '1000.00' }),
      buildValidatedOrder('8002', november(4), { value: '600.00' }),
    ];

    const statement = statementOf(calculatePlan(plan, orders));

    // 8001: 1000.00 × 0.05 = 50.00, capped at 40.00; 8002: 600.00 × 0.05 = 30.00
    expect(orderAmounts(statement)).toEqual([
      ['8001', '40.00'],
      ['8002', '30.00'],
    ]);
    expect(statement.lines[0]?.description).toBe(
      'Electricity contract 8001 validated on 2026-11-03: 5% of order value EUR 1000.00, capped at EUR 40.00 ' +
        'per order, tier 1+ (order 1 of the period)',
    );
    expect(statement.netCommission).toBe('70.00');
  });
});

describe('rule limits', () => {
  it('caps the rule total', () => {
    const plan = { rules: [{ ...PER_ORDER_RULE, limits: { ruleCap: '250.00' } }] };

    const statement = statementOf(calculatePlan(plan, buildValidations(3)));
    const adjustment = statement.lines.find((line) => line.kind === 'adjustment');

    // 3 × 100.00 = 300.00; 250.00 − 300.00 = −50.00
    expect(adjustment?.amount).toBe('-50.00');
    expect(adjustment?.description).toBe('Per order: cap of EUR 250.00 per period reached with EUR 300.00');
    expect(statement.netCommission).toBe('250.00');
  });

  it('raises the rule total', () => {
    const plan = { rules: [{ ...PER_ORDER_RULE, limits: { ruleFloor: '150.00' } }] };

    const statement = statementOf(calculatePlan(plan, buildValidations(1)));
    const adjustment = statement.lines.find((line) => line.kind === 'adjustment');

    // 150.00 − 100.00 = 50.00
    expect(adjustment?.amount).toBe('50.00');
    expect(adjustment?.description).toBe('Per order: raised to the minimum of EUR 150.00 per period from EUR 100.00');
    expect(statement.netCommission).toBe('150.00');
  });
});

describe('period limits', () => {
  it('caps the plan total', () => {
    const plan = {
      limits: { periodCap: '250.00' },
      rules: [PER_ORDER_RULE, { id: 'bonus', kind: 'bonus', label: 'Bonus', amount: '100.00' }],
    };

    const statement = statementOf(calculatePlan(plan, buildValidations(2)));
    const cap = onlyLineOf(statement, 'periodCap');

    // 2 × 100.00 + 100.00 bonus = 300.00; 250.00 − 300.00 = −50.00
    expect(cap.amount).toBe('-50.00');
    expect(cap.ruleKind).toBe('limit');
    expect(cap.description).toBe('Sales partners: cap of EUR 250.00 per period reached with EUR 300.00');
    expect(statement.netCommission).toBe('250.00');
  });

  it('raises the plan total', () => {
    const plan = { limits: { periodFloor: '150.00' }, rules: [PER_ORDER_RULE] };

    const statement = statementOf(calculatePlan(plan, buildValidations(1)));
    const floor = onlyLineOf(statement, 'periodFloor');

    // 150.00 − 100.00 = 50.00
    expect(floor.amount).toBe('50.00');
    expect(floor.description).toBe('Sales partners: raised to the minimum of EUR 150.00 per period from EUR 100.00');
    expect(statement.netCommission).toBe('150.00');
  });
});
