import { describe, expect, it } from 'vitest';

import { calculatePeriod } from '../../../../domain/engine/calculate.js';
import { findTierIndex } from '../../../../domain/engine/tiers.js';
import type { OrderRecord } from '../../../../domain/model.js';
import { buildAssignment, buildInput, buildOrder, buildPlan, lineAmounts, onlyStatement } from '../builders.js';

function tieredRule(mode: 'marginal' | 'retroactive', tiers: unknown[]) {
  return {
    id: 'activation-tiers',
    kind: 'tiered',
    label: 'Activation tiers',
    categories: ['electricity', 'gas'],
    countState: 'supply_active',
    mode,
    tiers,
  };
}

const TIERS_30_40 = [
  { from: 1, to: 20, amount: '30.00' },
  { from: 21, amount: '40.00' },
];

/**
 * Builds `count` electricity orders activated on consecutive hours of 2026-11-02. Order numbers
 * run backwards so that ranking by number and ranking by activation time disagree.
 */
function buildActivations(count: number): OrderRecord[] {
  return Array.from({ length: count }, (_, index) => {
    const activatedAt = new Date(Date.UTC(2026, 10, 2, index)).toISOString();
    return buildOrder(String(8001000 + count - index), {
      history: [
        ['signed', '2026-09-01T09:00:00.000Z'],
        ['supply_active', activatedAt],
      ],
    });
  });
}

function calculateTiers(rule: unknown, orders: OrderRecord[]) {
  const plan = buildPlan({ rules: [rule] });
  return calculatePeriod(buildInput({ assignments: [buildAssignment('P00001', plan)], orders }));
}

describe('tiered marginal', () => {
  it('pays each order by its own rank', () => {
    const statement = onlyStatement(calculateTiers(tieredRule('marginal', TIERS_30_40), buildActivations(25)));
    // Orders 1-20 in activation order earn 30.00, orders 21-25 earn 40.00: 20 × 30 + 5 × 40 = 800.00
    expect(statement.netCommission).toBe('800.00');
    expect(statement.lines.filter((line) => line.amount === '40.00')).toHaveLength(5);
  });

  it('ranks by activation time, not order number', () => {
    const statement = onlyStatement(calculateTiers(tieredRule('marginal', TIERS_30_40), buildActivations(25)));
    // The first order activated (hour 0) has the highest number, 8001025, and rank 1.
    const first = statement.lines.find((line) => line.orderNumber === '8001025');
    expect(first?.amount).toBe('30.00');
    expect(first?.explanation.metricValue).toBe(1);
    // The last order activated (hour 24) has the lowest number, 8001001, and rank 25.
    const last = statement.lines.find((line) => line.orderNumber === '8001001');
    expect(last?.amount).toBe('40.00');
    expect(last?.explanation.tier).toEqual({ index: 1, from: 21 });
    expect(last?.description).toBe(
      'Electricity contract 8001001 activated on 2026-11-03: EUR 40.00, tier 21+ (order 25 of the period)',
    );
  });

  it('pays a rate tier on the order value', () => {
    const rule = tieredRule('marginal', [
      { from: 1, to: 1, rate: '0.01' },
      { from: 2, rate: '0.02' },
    ]);
    const orders = buildActivations(2).map((order, index) => ({
      ...order,
      value: index === 0 ? '1000.00' : '2000.00',
    }));
    const statement = onlyStatement(calculateTiers(rule, orders));
    // Rank 1: 1000.00 × 0.01 = 10.00; rank 2: 2000.00 × 0.02 = 40.00
    expect(statement.lines.map((line) => [line.orderNumber, line.amount])).toEqual([
      ['8001001', '40.00'],
      ['8001002', '10.00'],
    ]);
  });
});

describe('tiered retroactive', () => {
  it('pays every order by the period count', () => {
    const statement = onlyStatement(calculateTiers(tieredRule('retroactive', TIERS_30_40), buildActivations(25)));
    // 25 activations fall in tier 21+, so every order earns 40.00: 25 × 40 = 1000.00
    expect(statement.netCommission).toBe('1000.00');
    expect(new Set(lineAmounts(statement))).toEqual(new Set(['40.00']));
    expect(statement.lines[0]?.explanation.metricValue).toBe(25);
  });

  it('stays in the first tier at its upper bound', () => {
    const statement = onlyStatement(calculateTiers(tieredRule('retroactive', TIERS_30_40), buildActivations(20)));
    // 20 activations: 20 × 30 = 600.00
    expect(statement.netCommission).toBe('600.00');
  });

  it('counts only activations within the period', () => {
    const orders = buildActivations(21);
    const earlier = orders[0] as OrderRecord;
    orders[0] = {
      ...earlier,
      history: [
        { state: 'signed', at: '2026-09-01T09:00:00.000Z', sourceEventId: 'early-1' },
        { state: 'supply_active', at: '2026-10-30T09:00:00.000Z', sourceEventId: 'early-2' },
      ],
    };
    const statement = onlyStatement(calculateTiers(tieredRule('retroactive', TIERS_30_40), orders));
    // One of 21 orders was activated in October, so November counts 20: 20 × 30 = 600.00
    expect(statement.lines).toHaveLength(20);
    expect(statement.netCommission).toBe('600.00');
  });

  it('does not count an order cancelled in cooling-off', () => {
    const orders = buildActivations(21);
    orders.push(
      buildOrder('8009999', {
        history: [
          ['signed', '2026-11-01T08:00:00.000Z'],
          ['supply_active', '2026-11-01T09:00:00.000Z'],
          ['cancelled', '2026-11-05T09:00:00.000Z'],
        ],
      }),
    );
    const statement = onlyStatement(calculateTiers(tieredRule('retroactive', TIERS_30_40), orders));
    // 8009999 was cancelled 4 days after signing, so it is void: 21 orders count, 21 × 40 = 840.00
    expect(statement.lines.map((line) => line.orderNumber)).not.toContain('8009999');
    expect(statement.netCommission).toBe('840.00');
  });
});

describe('tiered counts with cancellations', () => {
  const validationTiers = {
    ...tieredRule('retroactive', [
      { from: 1, to: 2, amount: '10.00' },
      { from: 3, amount: '50.00' },
    ]),
    countState: 'validated',
  };

  /** Three electricity orders signed in September and validated in November; the last one is cancelled on `cancelledAt`. */
  function buildValidations(cancelledAt: string): OrderRecord[] {
    const uncancelled = ['8001001', '8001002'].map((orderNumber, index) =>
      buildOrder(orderNumber, {
        history: [
          ['signed', '2026-09-01T09:00:00.000Z'],
          ['validated', `2026-11-0${index + 2}T09:00:00.000Z`],
        ],
      }),
    );
    const cancelled = buildOrder('8001003', {
      history: [
        ['signed', '2026-09-01T09:00:00.000Z'],
        ['validated', '2026-11-04T09:00:00.000Z'],
        ['cancelled', cancelledAt],
      ],
    });
    return [...uncancelled, cancelled];
  }

  it('does not count an order clawed back in the period', () => {
    const statement = onlyStatement(calculateTiers(validationTiers, buildValidations('2026-11-20T09:00:00.000Z')));
    // 8001003 was cancelled 80 days after signing, after cooling-off but within the 6-month
    // clawback window (until 2027-03-01). Only 2 validations count: tier 1-2, 2 × 10.00 = 20.00
    expect(statement.lines.map((line) => [line.orderNumber, line.amount])).toEqual([
      ['8001001', '10.00'],
      ['8001002', '10.00'],
    ]);
    expect(statement.lines[0]?.explanation.metricValue).toBe(2);
    expect(statement.netCommission).toBe('20.00');
  });

  it('counts an order cancelled after the clawback window', () => {
    const shortClawback = buildPlan({ clawbackMonths: 1, rules: [validationTiers] });
    const orders = buildValidations('2026-11-20T09:00:00.000Z');
    const input = buildInput({ assignments: [buildAssignment('P00001', shortClawback)], orders });
    const statement = onlyStatement(calculatePeriod(input));
    // The 1-month window from signing ended on 2026-10-01, so the cancellation reverses nothing and
    // 8001003 keeps its validation: 3 validations, tier 3+, 3 × 50.00 = 150.00
    expect(lineAmounts(statement)).toEqual(['50.00', '50.00', '50.00']);
    expect(statement.netCommission).toBe('150.00');
  });

  it('counts a countState implied by a later state', () => {
    const orders = buildValidations('2026-11-20T09:00:00.000Z').slice(0, 2);
    orders.push(
      buildOrder('8001004', {
        history: [
          ['signed', '2026-09-01T09:00:00.000Z'],
          ['supply_active', '2026-11-10T09:00:00.000Z'],
        ],
      }),
    );
    const statement = onlyStatement(calculateTiers(validationTiers, orders));
    // 8001004 skipped validated, which supply_active on 2026-11-10 implies: 3 validations, 3 × 50.00 = 150.00
    expect(statement.netCommission).toBe('150.00');
    const implied = statement.lines.find((line) => line.orderNumber === '8001004');
    expect(implied?.explanation.stateAt).toBe('2026-11-10T09:00:00.000Z');
    expect(implied?.explanation.inputs.impliedBy).toBe('supply_active');
    expect(implied?.description).toBe(
      'Electricity contract 8001004 activated on 2026-11-10, which implies validated: EUR 50.00, tier 3+ (3 orders in the period)',
    );
  });
});

describe('findTierIndex', () => {
  const tiers = [
    { from: 1, to: 20, amount: '30.00' },
    { from: 21, to: 50, amount: '40.00' },
    { from: 51, amount: '55.00' },
  ];

  it.each([
    [1, 0],
    [20, 0],
    [21, 1],
    [50, 1],
    [51, 2],
    [1000, 2],
  ])('puts count %i in tier %i', (count, expected) => {
    expect(findTierIndex(tiers, count)).toBe(expected);
  });

  it('rejects a count of 0', () => {
    expect(() => findTierIndex(tiers, 0)).toThrow(RangeError);
  });
});
