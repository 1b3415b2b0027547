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
