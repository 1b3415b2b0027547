import { describe, expect, it } from 'vitest';

import { calculatePeriod } from '../../../../domain/engine/calculate.js';
import {
  buildAssignment,
  buildInput,
  buildOrder,
  buildPlan,
  FIXED_SPLIT_RULE,
  lineAmounts,
  onlyStatement,
  PERCENTAGE_RULE,
} from '../builders.js';

const PV_PER_KWP_RULE = {
  id: 'pv-per-kwp',
  kind: 'fixed_per_unit',
  label: 'PV per kWp',
  categories: ['pv'],
  amountPerUnit: '0.50',
  payment: [{ state: 'commissioned', share: '1' }],
};

function calculateWithRules(rules: unknown[], orders: Parameters<typeof buildInput>[0]['orders']) {
  const plan = buildPlan({ rules });
  return calculatePeriod(buildInput({ assignments: [buildAssignment('P00001', plan)], orders }));
}

describe('percentage_of_value', () => {
  it('pays rate × value for one share', () => {
    const rule = { ...PERCENTAGE_RULE, payment: [{ state: 'validated', share: '1' }] };
    const order = buildOrder('8001234', {
      value: '1200.00',
      history: [
        ['signed', '2026-10-20T09:00:00.000Z'],
        ['validated', '2026-11-03T09:00:00.000Z'],
      ],
    });
    const statement = onlyStatement(calculateWithRules([rule], [order]));
    // 1200.00 × 0.05 = 60.00
    expect(lineAmounts(statement)).toEqual(['60.00']);
    expect(statement.lines[0]?.explanation).toEqual({
      state: 'validated',
      stateAt: '2026-11-03T09:00:00.000Z',
      category: 'electricity',
      baseAmount: '1200.00',
      rate: '0.05',
      formula: '1200.00 × 0.05 = 60.00',
      inputs: { orderValue: '1200.00', rate: '0.05' },
    });
    expect(statement.lines[0]?.description).toBe(
      'Electricity contract 8001234 validated on 2026-11-03: 5% of order value EUR 1200.00',
    );
  });

  it('gives the last share the rounding remainder', () => {
    const order = buildOrder('8001234', {
      value: '100.25',
      history: [
        ['signed', '2026-10-20T09:00:00.000Z'],
        ['validated', '2026-11-03T09:00:00.000Z'],
        ['supply_active', '2026-11-20T09:00:00.000Z'],
      ],
    });
    const statement = onlyStatement(calculateWithRules([PERCENTAGE_RULE], [order]));
    // full commission: 100.25 × 0.05 = 5.0125 -> 5.01
    // validated:       100.25 × 0.05 × 0.40 = 2.005 -> 2.01 (tie rounds up)
    // supply_active:   5.01 − 2.01 = 3.00, not 100.25 × 0.05 × 0.60 = 3.0075 -> 3.01
    // The lines sum to 2.01 + 3.00 = 5.01, the full commission rounded once.
    expect(lineAmounts(statement)).toEqual(['2.01', '3.00']);
    expect(statement.netCommission).toBe('5.01');
    expect(statement.lines[0]?.explanation.formula).toBe('100.25 × 0.05 × 0.40 = 2.005, rounded to 2.01');
    expect(statement.lines[1]?.explanation.formula).toBe('100.25 × 0.05 = 5.0125, rounded to 5.01; 5.01 − 2.01 = 3.00');
  });
});

describe('fixed_per_order', () => {
  it('splits the amount over two states', () => {
    const order = buildOrder('8001234', {
      category: 'gas',
      history: [
        ['signed', '2026-10-20T09:00:00.000Z'],
        ['validated', '2026-11-03T09:00:00.000Z'],
        ['supply_active', '2026-11-12T09:00:00.000Z'],
      ],
    });
    const statement = onlyStatement(calculateWithRules([FIXED_SPLIT_RULE], [order]));
    // validated 80.00 × 0.40 = 32.00; supply_active, the last share, 80.00 − 32.00 = 48.00
    expect(lineAmounts(statement)).toEqual(['32.00', '48.00']);
    expect(statement.lines[1]?.description).toBe(
      'Gas contract 8001234 activated on 2026-11-12: 60% of EUR 80.00 (supply_active share)',
    );
    expect(statement.lines[1]?.explanation).toMatchObject({
      state: 'supply_active',
      baseAmount: '80.00',
      share: '0.60',
      formula: '80.00 − 32.00 = 48.00',
    });
  });

  it('skips a state of an earlier period', () => {
    const order = buildOrder('8001234', {
      category: 'gas',
      history: [
        ['signed', '2026-10-20T09:00:00.000Z'],
        ['validated', '2026-10-23T09:00:00.000Z'],
        ['supply_active', '2026-11-12T09:00:00.000Z'],
      ],
    });
    const statement = onlyStatement(calculateWithRules([FIXED_SPLIT_RULE], [order]));
    // Only supply_active is in November: 80.00 × 0.60 = 48.00
    expect(lineAmounts(statement)).toEqual(['48.00']);
  });

  it('excludes a state at the period end', () => {
    const order = buildOrder('8001234', {
      category: 'gas',
      history: [
        ['signed', '2026-11-20T09:00:00.000Z'],
        ['validated', '2026-12-01T00:00:00.000Z'],
      ],
    });
    const result = calculateWithRules([FIXED_SPLIT_RULE], [order]);
    // endsAt is exclusive, so validated at 2026-12-01T00:00Z belongs to December.
    expect(result.statements).toEqual([]);
  });
});

describe('fixed_per_unit', () => {
  it('pays amount per unit × quantity', () => {
    const order = buildOrder('9000001', {
      category: 'pv',
      quantity: '7.35',
      unit: 'kWp',
      history: [
        ['assigned', '2026-10-01T09:00:00.000Z'],
        ['installed', '2026-11-10T09:00:00.000Z'],
        ['commissioned', '2026-11-12T09:00:00.000Z'],
      ],
    });
    const statement = onlyStatement(calculateWithRules([PV_PER_KWP_RULE], [order]));
    // 7.35 × 0.50 = 3.675 -> 3.68
    expect(lineAmounts(statement)).toEqual(['3.68']);
    expect(statement.lines[0]?.description).toBe(
      'PV installation 9000001 commissioned on 2026-11-12: 7.35 kWp × EUR 0.50',
    );
    expect(statement.lines[0]?.explanation.inputs).toEqual({ quantity: '7.35', unit: 'kWp', amountPerUnit: '0.50' });
  });
});

describe('rule categories', () => {
  it('skips orders of other categories and warns', () => {
    const gasOrder = buildOrder('8001234', {
      category: 'gas',
      history: [['validated', '2026-11-03T09:00:00.000Z']],
    });
    const result = calculateWithRules([PERCENTAGE_RULE], [gasOrder]);
    expect(result.statements).toEqual([]);
    expect(result.warnings).toEqual([
      expect.objectContaining({ code: 'order_not_covered', partnerId: 'P00001', orderIds: ['order-8001234'] }),
    ]);
  });
});
