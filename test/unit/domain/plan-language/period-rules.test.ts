import { describe, expect, it } from 'vitest';

import { calculatePeriod } from '../../../../domain/engine/calculate.js';
import type { OrderRecord } from '../../../../domain/model.js';
import { buildInput } from '../builders.js';
import {
  buildAgency,
  buildPlanAssignment,
  buildPlanOrder,
  buildValidatedOrder,
  calculatePlan,
  linesOf,
  november,
  onlyLineOf,
  statementOf,
} from './support.js';

const PAID_WHEN_VALIDATED = [{ state: 'validated', share: '1' }];
const VALIDATIONS = { kind: 'count', state: 'validated' };

const PER_ORDER_RULE = {
  id: 'per-order',
  kind: 'fixed_per_order',
  label: 'Per order',
  categories: ['electricity'],
  amount: '100.00',
  payment: PAID_WHEN_VALIDATED,
};

/** Builds `count` electricity orders validated on consecutive days from 2026-11-02. */
function buildValidations(count: number): OrderRecord[] {
  return Array.from({ length: count }, (_, index) => buildValidatedOrder(String(8001 + index), november(2 + index)));
}

describe('bonus rule', () => {
  const bonusPlan = (window: { from: string; to: string }) => ({
    rules: [
      { ...PER_ORDER_RULE, amount: '50.00' },
      { id: 'campaign-bonus', kind: 'bonus', label: 'Campaign bonus', amount: '150.00', window },
    ],
  });

  it('pays with window inside period', () => {
    const plan = bonusPlan({ from: '2026-11-10', to: '2026-11-20' });

    const statement = statementOf(calculatePlan(plan, buildValidations(1)));
    const bonus = onlyLineOf(statement, 'campaign-bonus');

    expect(bonus.amount).toBe('150.00');
    expect(bonus.description).toBe('Campaign bonus: EUR 150.00');
    // 50.00 for the order + 150.00 bonus = 200.00
    expect(statement.netCommission).toBe('200.00');
  });

  it('pays in full with window overlapping period', () => {
    const plan = bonusPlan({ from: '2026-10-25', to: '2026-11-02' });

    const statement = statementOf(calculatePlan(plan, buildValidations(1)));

    // The window shares 1 and 2 November with the period; the bonus is not prorated.
    expect(onlyLineOf(statement, 'campaign-bonus').amount).toBe('150.00');
    expect(statement.netCommission).toBe('200.00');
  });

  it('skips window outside period', () => {
    const plan = bonusPlan({ from: '2026-12-01', to: '2026-12-31' });

    const statement = statementOf(calculatePlan(plan, buildValidations(1)));

    expect(linesOf(statement, 'campaign-bonus')).toEqual([]);
    // Only the order's 50.00
    expect(statement.netCommission).toBe('50.00');
  });

  it('computes amount from metrics', () => {
    const plan = {
      metrics: { validations: VALIDATIONS },
      rules: [
        PER_ORDER_RULE,
        {
          id: 'volume-bonus',
          kind: 'bonus',
          label: 'Volume bonus',
          amount: 'validations >= 2 ? 100 + 20 * (validations - 2) : 0',
        },
      ],
    };

    const statement = statementOf(calculatePlan(plan, buildValidations(4)));
    const bonus = onlyLineOf(statement, 'volume-bonus');

    // 4 validations: 100 + 20 × (4 − 2) = 140.00
    expect(bonus.amount).toBe('140.00');
    expect(bonus.description).toBe('Volume bonus: EUR 140.00 (4 validations)');
    expect(bonus.explanation.formula).toBe('validations >= 2 ? 100 + 20 * (validations - 2) : 0 = 140');
    // 4 × 100.00 + 140.00 = 540.00
    expect(statement.netCommission).toBe('540.00');
  });

  it('skips a zero amount', () => {
    const plan = {
      metrics: { validations: VALIDATIONS },
      rules: [
        PER_ORDER_RULE,
        { id: 'volume-bonus', kind: 'bonus', label: 'Volume bonus', amount: 'validations >= 2 ? 100 : 0' },
      ],
    };

    const statement = statementOf(calculatePlan(plan, buildValidations(1)));

    // 1 validation: the bonus is 0 and gets no line.
    expect(linesOf(statement, 'volume-bonus')).toEqual([]);
    expect(statement.netCommission).toBe('100.00');
  });
});

describe('accelerator rule', () => {
  const acceleratorPlan = {
    metrics: { validations: { ...VALIDATIONS, label: 'validated orders' } },
    rules: [
      PER_ORDER_RULE,
      {
        id: 'gas-order',
        kind: 'fixed_per_order',
        label: 'Gas order',
        categories: ['gas'],
        amount: '50.00',
        payment: PAID_WHEN_VALIDATED,
      },
      {
        id: 'accelerator',
        kind: 'accelerator',
        label: 'Volume accelerator',
        metric: 'validations',
        appliesTo: ['per-order'],
        bands: [
          { from: '0', to: '2', multiplier: '0.9' },
          { from: '2', to: '4', multiplier: '1.1' },
          { from: '4', multiplier: '1.5' },
        ],
      },
    ],
  };

  it.each([
    // 1 is in [0, 2): 100.00 × (0.9 − 1) = −10.00
    [1, '-10.00', "lowers the period's EUR 100.00 by the factor 0.9 (band 0 to below 2)", '90.00'],
    // 2 is not in [0, 2) because "to" is exclusive, but in [2, 4): 200.00 × (1.1 − 1) = 20.00
    [2, '20.00', "raises the period's EUR 200.00 by the factor 1.1 (band 2 to below 4)", '220.00'],
    // 3 is in [2, 4): 300.00 × 0.1 = 30.00
    [3, '30.00', "raises the period's EUR 300.00 by the factor 1.1 (band 2 to below 4)", '330.00'],
    // 4 is the inclusive start of [4, ∞): 400.00 × (1.5 − 1) = 200.00
    [4, '200.00', "raises the period's EUR 400.00 by the factor 1.5 (band 4 or more)", '600.00'],
  ])('applies band for %i validations', (count, amount, effect, net) => {
    const statement = statementOf(calculatePlan(acceleratorPlan, buildValidations(count)));
    const line = onlyLineOf(statement, 'accelerator');

    expect(line.amount).toBe(amount);
    expect(line.description).toBe(`Volume accelerator: ${count} validated orders ${effect}`);
    expect(statement.netCommission).toBe(net);
  });

  it('ignores rules outside appliesTo', () => {
    const gasOrder = buildValidatedOrder('8101', november(20), { category: 'gas' });

    const statement = statementOf(calculatePlan(acceleratorPlan, [...buildValidations(2), gasOrder]));
    const line = onlyLineOf(statement, 'accelerator');

    // The metric counts all 3 validations (band 2 to below 4, factor 1.1), but the base is only
    // the per-order lines: 2 × 100.00 = 200.00; 200.00 × 0.1 = 20.00
    expect(line.amount).toBe('20.00');
    expect(line.explanation.baseAmount).toBe('200.00');
    // 200.00 + 50.00 gas + 20.00 = 270.00
    expect(statement.netCommission).toBe('270.00');
  });
});

describe('override rule', () => {
  const agentPlan = {
    rules: [
      {
        id: 'agent-sale',
        kind: 'fixed_per_order',
        label: 'Agent sale',
        amount: '100.00',
        payment: PAID_WHEN_VALIDATED,
      },
    ],
  };
  const agencyPlan = {
    rules: [{ id: 'agent-override', kind: 'override', label: 'Agent override', rate: '0.1' }],
  };
  const agentAssignment = (partnerId: string) =>
    buildPlanAssignment(partnerId, agentPlan, { planId: 'plan-agents', planVersionId: 'plan-agents-v1' });

  it('pays rate times each agent', () => {
    // A001 sells two orders in November. A002's order, paid 100.00 in October, is cancelled in
    // November, 70 days after signing: after the 14-day cooling-off period, within the 6-month
    // clawback window, so its payment is reversed.
    const orders = [
      buildValidatedOrder('8001', november(3), { partnerId: 'A001' }),
      buildValidatedOrder('8002', november(4), { partnerId: 'A001' }),
      buildPlanOrder('8003', {
        partnerId: 'A002',
        history: [
          ['signed', '2026-09-01T09:00:00.000Z'],
          ['validated', '2026-10-01T09:00:00.000Z'],
          ['cancelled', november(10)],
        ],
      }),
    ];
    const input = buildInput({
      partners: buildAgency('AG001', ['A001', 'A002']),
      assignments: [agentAssignment('A001'), agentAssignment('A002'), buildPlanAssignment('AG001', agencyPlan)],
      orders,
      previousPayments: [
        {
          orderId: 'order-8003',
          ruleId: 'agent-sale',
          state: 'validated',
          amount: '100.00',
          planId: 'plan-agents',
          planVersionId: 'plan-agents-v1',
        },
      ],
    });

    const result = calculatePeriod(input);
    const agency = statementOf(result, 'AG001');
    const reversed = statementOf(result, 'A002');

    // A001: 2 × 100.00 = 200.00
    expect(statementOf(result, 'A001').netCommission).toBe('200.00');
    // A002: the reversal of the October payment, −100.00
    expect(reversed.lines.map((line) => [line.kind, line.amount])).toEqual([['reversal', '-100.00']]);
    // The agency has no orders of its own and still gets a statement: 200.00 × 0.1 = 20.00 for
    // A001 and −100.00 × 0.1 = −10.00 for A002
    expect(agency.lines.map((line) => line.amount)).toEqual(['20.00', '-10.00']);
    expect(agency.lines[0]?.description).toBe('Agent override: 10% of EUR 200.00 earned by agent Partner A001 (A001)');
    expect(agency.lines[1]?.description).toBe('Agent override: 10% of EUR -100.00 earned by agent Partner A002 (A002)');
    // 20.00 − 10.00 = 10.00
    expect(agency.netCommission).toBe('10.00');
  });

  it('reads only appliesTo rules', () => {
    const twoRulePlan = {
      rules: [agentPlan.rules[0], { id: 'agent-bonus', kind: 'bonus', label: 'Agent bonus', amount: '30.00' }],
    };
    const narrowOverride = {
      rules: [
        { id: 'agent-override', kind: 'override', label: 'Agent override', rate: '0.1', appliesTo: ['agent-sale'] },
      ],
    };
    const input = buildInput({
      partners: buildAgency('AG001', ['A001']),
      assignments: [buildPlanAssignment('A001', twoRulePlan), buildPlanAssignment('AG001', narrowOverride)],
      orders: [buildValidatedOrder('8001', november(3), { partnerId: 'A001' })],
    });

    const agency = statementOf(calculatePeriod(input), 'AG001');

    // A001 earns 100.00 + 30.00 bonus, but only agent-sale counts: 100.00 × 0.1 = 10.00
    expect(agency.lines.map((line) => line.amount)).toEqual(['10.00']);
    expect(agency.netCommission).toBe('10.00');
  });
});
