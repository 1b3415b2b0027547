import { describe, expect, it } from 'vitest';

import { calculatePeriod } from '../../../../domain/engine/calculate.js';
import type { OrderState, PreviousPayment } from '../../../../domain/model.js';
import {
  buildAssignment,
  buildInput,
  buildOrder,
  buildPayment,
  buildPlan,
  FIXED_SPLIT_RULE,
  lineAmounts,
  NOVEMBER_2026,
  OCTOBER_2026,
  onlyStatement,
} from '../builders.js';

describe('payment shares across periods', () => {
  const plan = buildPlan({ rules: [FIXED_SPLIT_RULE] });
  const order = buildOrder('8001234', {
    category: 'gas',
    history: [
      ['signed', '2026-10-02T09:00:00.000Z'],
      ['validated', '2026-10-20T09:00:00.000Z'],
      ['supply_active', '2026-11-12T09:00:00.000Z'],
    ],
  });
  const assignments = [buildAssignment('P00001', plan)];

  it('pays 40% when validated and 60% when supply_active', () => {
    const october = onlyStatement(calculatePeriod(buildInput({ period: OCTOBER_2026, assignments, orders: [order] })));
    // October: validated, 80.00 × 0.40 = 32.00
    expect(lineAmounts(october)).toEqual(['32.00']);

    const paidInOctober: PreviousPayment[] = october.lines.map((line) => ({
      orderId: line.orderId as string,
      ruleId: line.ruleId,
      state: line.explanation.state as OrderState,
      amount: line.amount,
      planId: line.planId,
      planVersionId: line.planVersionId,
    }));
    const november = onlyStatement(
      calculatePeriod(
        buildInput({ period: NOVEMBER_2026, assignments, orders: [order], previousPayments: paidInOctober }),
      ),
    );
    // November: supply_active, 80.00 × 0.60 = 48.00; 32.00 + 48.00 = 80.00 in total
    expect(lineAmounts(november)).toEqual(['48.00']);
    expect(november.lines[0]?.explanation.state).toBe('supply_active');
  });

  it('skips a state an earlier period already paid', () => {
    const previousPayments: PreviousPayment[] = [
      { orderId: order.id, ruleId: FIXED_SPLIT_RULE.id, state: 'supply_active', amount: '48.00' },
    ];
    const result = calculatePeriod(buildInput({ assignments, orders: [order], previousPayments }));
    expect(result.statements).toEqual([]);
    expect(result.warnings.map((warning) => warning.code)).toEqual(['state_already_paid']);
  });
});

describe('payment shares of skipped states', () => {
  const plan = buildPlan({ rules: [FIXED_SPLIT_RULE] });
  const assignments = [buildAssignment('P00001', plan)];

  it('pays the share of a skipped state', () => {
    const order = buildOrder('8001234', {
      category: 'gas',
      history: [
        ['signed', '2026-10-20T09:00:00.000Z'],
        ['supply_active', '2026-11-12T09:00:00.000Z'],
      ],
    });
    const statement = onlyStatement(calculatePeriod(buildInput({ assignments, orders: [order] })));
    // validated is implied by supply_active on 2026-11-12: 80.00 × 0.40 = 32.00
    // supply_active, the last share: 80.00 − 32.00 = 48.00; net 32.00 + 48.00 = 80.00
    expect(lineAmounts(statement)).toEqual(['32.00', '48.00']);
    expect(statement.netCommission).toBe('80.00');
    expect(statement.lines[0]?.explanation).toMatchObject({
      state: 'validated',
      stateAt: '2026-11-12T09:00:00.000Z',
      inputs: { impliedBy: 'supply_active' },
    });
    expect(statement.lines[0]?.description).toBe(
      'Gas contract 8001234 activated on 2026-11-12, which implies validated: 40% of EUR 80.00 (validated share)',
    );
    expect(statement.lines[1]?.explanation.inputs.impliedBy).toBeUndefined();
  });

  it('pays nothing before the implying state', () => {
    const order = buildOrder('8001234', {
      category: 'gas',
      history: [
        ['signed', '2026-10-20T09:00:00.000Z'],
        ['supply_active', '2026-11-12T09:00:00.000Z'],
      ],
    });
    // In October the order was only signed, which no share pays.
    expect(calculatePeriod(buildInput({ period: OCTOBER_2026, assignments, orders: [order] })).statements).toEqual([]);
  });

  it('skips an implied state paid in an earlier period', () => {
    const order = buildOrder('8001234', {
      category: 'gas',
      history: [
        ['signed', '2026-10-20T09:00:00.000Z'],
        ['supply_active', '2026-10-28T09:00:00.000Z'],
        ['first_bill_paid', '2026-11-20T09:00:00.000Z'],
      ],
    });
    const october = onlyStatement(calculatePeriod(buildInput({ period: OCTOBER_2026, assignments, orders: [order] })));
    // October: validated implied by supply_active, 80.00 × 0.40 = 32.00; supply_active 80.00 − 32.00 = 48.00
    expect(lineAmounts(october)).toEqual(['32.00', '48.00']);
    const paidInOctober: PreviousPayment[] = october.lines.map((line) => ({
      orderId: line.orderId as string,
      ruleId: line.ruleId,
      state: line.explanation.state as OrderState,
      amount: line.amount,
      planId: line.planId,
      planVersionId: line.planVersionId,
    }));
    // November: first_bill_paid pays no share, and neither share is paid again.
    const november = calculatePeriod(buildInput({ assignments, orders: [order], previousPayments: paidInOctober }));
    expect(november.statements).toEqual([]);
    expect(november.warnings).toEqual([]);
  });
});

describe('payment share rounding', () => {
  const halfAndHalf = {
    id: 'gas-bonus',
    kind: 'fixed_per_order',
    label: 'Gas contract bonus',
    categories: ['gas'],
    amount: '10.01',
    payment: [
      { state: 'validated', share: '0.50' },
      { state: 'supply_active', share: '0.50' },
    ],
  };
  const assignments = [buildAssignment('P00001', buildPlan({ rules: [halfAndHalf] }))];

  it('gives the last share the remainder', () => {
    const order = buildOrder('8001234', {
      category: 'gas',
      history: [
        ['signed', '2026-10-20T09:00:00.000Z'],
        ['validated', '2026-11-03T09:00:00.000Z'],
        ['supply_active', '2026-11-12T09:00:00.000Z'],
      ],
    });
    const statement = onlyStatement(calculatePeriod(buildInput({ assignments, orders: [order] })));
    // validated:     10.01 × 0.50 = 5.005 -> 5.01
    // supply_active: 10.01 − 5.01 = 5.00, so the lines sum to the full 10.01 and not 5.01 + 5.01 = 10.02
    expect(lineAmounts(statement)).toEqual(['5.01', '5.00']);
    expect(statement.netCommission).toBe('10.01');
    expect(statement.lines[0]?.explanation.formula).toBe('10.01 × 0.50 = 5.005, rounded to 5.01');
    expect(statement.lines[1]?.explanation.formula).toBe('10.01 − 5.01 = 5.00');
    expect(statement.lines[1]?.explanation.inputs).toEqual({
      amount: '10.01',
      share: '0.50',
      fullCommission: '10.01',
      earlierShares: '5.01',
    });
  });

  it('recomputes a share of an earlier period', () => {
    const order = buildOrder('8001234', {
      category: 'gas',
      history: [
        ['signed', '2026-10-02T09:00:00.000Z'],
        ['validated', '2026-10-20T09:00:00.000Z'],
        ['supply_active', '2026-11-12T09:00:00.000Z'],
      ],
    });
    const previousPayments = [buildPayment(order.id, halfAndHalf.id, 'validated', '5.01')];
    const statement = onlyStatement(calculatePeriod(buildInput({ assignments, orders: [order], previousPayments })));
    // October paid 5.01; November pays 10.01 − 5.01 = 5.00, so the order earns 10.01 in total.
    expect(lineAmounts(statement)).toEqual(['5.00']);
  });

  it('lets a last share of a few cents go negative', () => {
    const fourShares = {
      id: 'gas-cents',
      kind: 'fixed_per_order',
      label: 'Gas cents',
      categories: ['gas'],
      amount: '0.05',
      payment: [
        { state: 'signed', share: '0.30' },
        { state: 'validated', share: '0.30' },
        { state: 'supply_active', share: '0.30' },
        { state: 'first_bill_paid', share: '0.10' },
      ],
    };
    const order = buildOrder('8001234', {
      category: 'gas',
      history: [
        ['signed', '2026-11-02T09:00:00.000Z'],
        ['validated', '2026-11-03T09:00:00.000Z'],
        ['supply_active', '2026-11-12T09:00:00.000Z'],
        ['first_bill_paid', '2026-11-25T09:00:00.000Z'],
      ],
    });
    const input = buildInput({
      assignments: [buildAssignment('P00001', buildPlan({ rules: [fourShares] }))],
      orders: [order],
    });
    const statement = onlyStatement(calculatePeriod(input));
    // Each of the first three shares: 0.05 × 0.30 = 0.015 -> 0.02
    // Last share: 0.05 − 0.02 − 0.02 − 0.02 = -0.01; the lines sum to the full 0.05
    expect(lineAmounts(statement)).toEqual(['0.02', '0.02', '0.02', '-0.01']);
    expect(statement.netCommission).toBe('0.05');
  });
});

describe('already-paid states across plans', () => {
  const baseRule = {
    id: 'base',
    kind: 'fixed_per_order',
    label: 'Base commission',
    categories: ['gas'],
    amount: '20.00',
    payment: [{ state: 'validated', share: '1' }],
  };
  const plan = buildPlan({ rules: [baseRule] });
  const assignments = [
    { ...buildAssignment('P00001', plan), planId: 'plan-a', planVersionId: 'plan-a-v1' },
    { ...buildAssignment('P00001', plan), planId: 'plan-b', planVersionId: 'plan-b-v1' },
  ];
  const order = buildOrder('8001234', {
    category: 'gas',
    history: [
      ['signed', '2026-10-20T09:00:00.000Z'],
      ['validated', '2026-11-03T09:00:00.000Z'],
    ],
  });

  it('matches the plan of the payment', () => {
    const previousPayments: PreviousPayment[] = [
      { orderId: order.id, ruleId: 'base', state: 'validated', amount: '20.00', planId: 'plan-a' },
    ];
    const result = calculatePeriod(buildInput({ assignments, orders: [order], previousPayments }));
    // plan-a already paid base for validated; plan-b's base is a different rule and pays 20.00.
    const statement = onlyStatement(result);
    expect(statement.lines.map((line) => [line.planId, line.amount])).toEqual([['plan-b', '20.00']]);
    expect(result.warnings.map((warning) => warning.code)).toEqual(['state_already_paid']);
  });

  it('matches every plan without planId', () => {
    const previousPayments: PreviousPayment[] = [
      { orderId: order.id, ruleId: 'base', state: 'validated', amount: '20.00' },
    ];
    const result = calculatePeriod(buildInput({ assignments, orders: [order], previousPayments }));
    expect(result.statements).toEqual([]);
    expect(result.warnings.map((warning) => warning.code)).toEqual(['state_already_paid', 'state_already_paid']);
  });
});
