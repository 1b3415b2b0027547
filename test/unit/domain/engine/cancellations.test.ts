import { describe, expect, it } from 'vitest';

import { calculatePeriod } from '../../../../domain/engine/calculate.js';
import { computeCoolingOffEnd } from '../../../../domain/engine/cancellation.js';
import type { OrderRecord, PreviousPayment } from '../../../../domain/model.js';
import { formatIsoDateTime, parseIsoDateTime } from '../../../../domain/time.js';
import {
  buildAssignment,
  buildInput,
  buildOrder,
  buildPayment,
  buildPlan,
  FIXED_SPLIT_RULE,
  lineAmounts,
  onlyStatement,
  PERCENTAGE_RULE,
} from '../builders.js';

// Cooling-off 14 days, clawback 6 months (the defaults).
const plan = buildPlan({ rules: [PERCENTAGE_RULE, FIXED_SPLIT_RULE] });
const assignments = [buildAssignment('P00001', plan)];

function calculate(orders: OrderRecord[], previousPayments: PreviousPayment[] = []) {
  return calculatePeriod(buildInput({ assignments, orders, previousPayments }));
}

describe('cancellation in cooling-off', () => {
  it('voids states earlier in the period', () => {
    const order = buildOrder('8001234', {
      category: 'gas',
      history: [
        ['signed', '2026-11-02T09:00:00.000Z'],
        ['validated', '2026-11-05T09:00:00.000Z'],
        ['cancelled', '2026-11-10T09:00:00.000Z'],
      ],
    });
    // Cancelled 8 days after signing: no line, so no statement.
    expect(calculate([order]).statements).toEqual([]);
  });

  it('includes the last cooling-off day', () => {
    const order = buildOrder('8001234', {
      category: 'gas',
      history: [
        ['signed', '2026-11-02T09:00:00.000Z'],
        ['validated', '2026-11-05T09:00:00.000Z'],
        ['cancelled', '2026-11-16T09:00:00.000Z'],
      ],
    });
    // Cancelled on 2026-11-16, the 14th day after signing on 2026-11-02.
    expect(calculate([order]).statements).toEqual([]);
  });

  it('includes the whole last day', () => {
    const order = buildOrder('8001234', {
      category: 'gas',
      history: [
        ['signed', '2026-11-01T10:00:00.000Z'],
        ['validated', '2026-11-03T09:00:00.000Z'],
        ['cancelled', '2026-11-15T12:00:00.000Z'],
      ],
    });
    // Signed on 2026-11-01, so the 14-day period ends at 2026-11-15T23:59:59.999Z. The withdrawal
    // at 12:00 on 2026-11-15 is 14 days and 2 hours after signing, but still inside: no line.
    expect(calculate([order]).statements).toEqual([]);
  });

  it('ends at midnight UTC after the last day', () => {
    const order = buildOrder('8001234', {
      category: 'gas',
      history: [
        ['signed', '2026-11-01T10:00:00.000Z'],
        ['validated', '2026-11-03T09:00:00.000Z'],
        ['cancelled', '2026-11-16T00:00:00.000Z'],
      ],
    });
    const statement = onlyStatement(calculate([order]));
    // After the cooling-off period, within the clawback window: validated 80.00 × 0.40 = 32.00,
    // then the reversal -(0.00 + 32.00) = -32.00
    expect(lineAmounts(statement)).toEqual(['32.00', '-32.00']);
    expect(statement.lines[1]?.explanation.inputs.outcome).toBe('clawback');
  });

  it('applies a period of 0 days to the signing day', () => {
    const sameDayPlan = buildPlan({ coolingOffDays: 0, rules: [FIXED_SPLIT_RULE] });
    const order = buildOrder('8001234', {
      category: 'gas',
      history: [
        ['signed', '2026-11-02T09:00:00.000Z'],
        ['validated', '2026-11-02T10:00:00.000Z'],
        ['cancelled', '2026-11-02T20:00:00.000Z'],
      ],
    });
    const input = buildInput({ assignments: [buildAssignment('P00001', sameDayPlan)], orders: [order] });
    // 0 days: the period ends at 2026-11-02T23:59:59.999Z, so the cancellation at 20:00 voids the order.
    expect(calculatePeriod(input).statements).toEqual([]);
  });

  it('reverses a payment of an earlier period', () => {
    const order = buildOrder('8001234', {
      category: 'gas',
      history: [
        ['signed', '2026-10-25T09:00:00.000Z'],
        ['validated', '2026-10-28T09:00:00.000Z'],
        ['cancelled', '2026-11-05T09:00:00.000Z'],
      ],
    });
    const paidInOctober = [buildPayment(order.id, FIXED_SPLIT_RULE.id, 'validated', '32.00')];
    const statement = onlyStatement(calculate([order], paidInOctober));
    // Cancelled 11 days after signing: reversal = -(32.00 + 0.00) = -32.00
    expect(lineAmounts(statement)).toEqual(['-32.00']);
    expect(statement.lines[0]).toMatchObject({
      kind: 'reversal',
      ruleId: FIXED_SPLIT_RULE.id,
      ruleKind: 'fixed_per_order',
      explanation: { state: 'cancelled', baseAmount: '32.00', inputs: { outcome: 'cooling_off' } },
    });
    expect(statement.lines[0]?.description).toBe(
      'Gas contract 8001234 cancelled on 2026-11-05: reversal of EUR 32.00 paid for "Gas contract bonus" ' +
        '(within the 14-day cooling-off period after signed, until 2026-11-08)',
    );
    // Signed on 2026-10-25: the period ends at the end of 2026-11-08 (UTC).
    expect(statement.lines[0]?.explanation.inputs.windowEndsAt).toBe('2026-11-08T23:59:59.999Z');
  });
});

describe('cancellation in the clawback window', () => {
  it('reverses payments of earlier periods', () => {
    const order = buildOrder('8001234', {
      category: 'gas',
      history: [
        ['signed', '2026-06-01T09:00:00.000Z'],
        ['validated', '2026-06-10T09:00:00.000Z'],
        ['supply_active', '2026-07-01T09:00:00.000Z'],
        ['cancelled', '2026-11-20T09:00:00.000Z'],
      ],
    });
    const paid = [
      buildPayment(order.id, FIXED_SPLIT_RULE.id, 'validated', '32.00'),
      buildPayment(order.id, FIXED_SPLIT_RULE.id, 'supply_active', '48.00'),
    ];
    const statement = onlyStatement(calculate([order], paid));
    // Cancelled within 6 months of activation (window until 2027-01-01): -(32.00 + 48.00) = -80.00
    expect(lineAmounts(statement)).toEqual(['-80.00']);
    expect(statement.lines[0]?.explanation.formula).toBe('-(80.00 + 0.00) = -80.00');
    expect(statement.lines[0]?.explanation.inputs).toMatchObject({
      outcome: 'clawback',
      anchorState: 'supply_active',
      windowEndsAt: '2027-01-01T09:00:00.000Z',
    });
    expect(statement.netCommission).toBe('-80.00');
  });

  it('reverses a commission paid earlier in the same period', () => {
    const order = buildOrder('8001234', {
      value: '1234.56',
      history: [
        ['signed', '2026-09-01T09:00:00.000Z'],
        ['validated', '2026-10-01T09:00:00.000Z'],
        ['supply_active', '2026-11-03T09:00:00.000Z'],
        ['cancelled', '2026-11-25T09:00:00.000Z'],
      ],
    });
    const paid = [buildPayment(order.id, PERCENTAGE_RULE.id, 'validated', '24.69')];
    const statement = onlyStatement(calculate([order], paid));
    // supply_active: 1234.56 × 0.05 × 0.60 = 37.0368 -> 37.04
    // reversal: -(24.69 earlier + 37.04 this period) = -61.73; net 37.04 - 61.73 = -24.69
    expect(lineAmounts(statement)).toEqual(['37.04', '-61.73']);
    expect(statement.lines.map((line) => line.kind)).toEqual(['commission', 'reversal']);
    expect(statement.netCommission).toBe('-24.69');
  });

  it('uses the signing date for an order never activated', () => {
    const order = buildOrder('8001234', {
      category: 'gas',
      history: [
        ['signed', '2026-08-01T09:00:00.000Z'],
        ['validated', '2026-08-10T09:00:00.000Z'],
        ['cancelled', '2026-11-05T09:00:00.000Z'],
      ],
    });
    const paid = [buildPayment(order.id, FIXED_SPLIT_RULE.id, 'validated', '32.00')];
    const statement = onlyStatement(calculate([order], paid));
    // Window from signing: 2026-08-01 + 6 months = 2027-02-01, so the cancellation is inside.
    expect(lineAmounts(statement)).toEqual(['-32.00']);
    expect(statement.lines[0]?.explanation.inputs.anchorState).toBe('signed');
  });

  it('skips an already balanced order', () => {
    const order = buildOrder('8001234', {
      category: 'gas',
      history: [
        ['signed', '2026-06-01T09:00:00.000Z'],
        ['validated', '2026-06-10T09:00:00.000Z'],
        ['cancelled', '2026-11-05T09:00:00.000Z'],
      ],
    });
    const paid = [
      buildPayment(order.id, FIXED_SPLIT_RULE.id, 'validated', '32.00'),
      buildPayment(order.id, FIXED_SPLIT_RULE.id, 'cancelled', '-32.00'),
    ];
    // 32.00 - 32.00 = 0.00 is left to reverse.
    expect(calculate([order], paid).statements).toEqual([]);
  });

  it('reverses a retired rule and warns', () => {
    const order = buildOrder('8001234', {
      category: 'gas',
      history: [
        ['signed', '2026-06-01T09:00:00.000Z'],
        ['supply_active', '2026-07-01T09:00:00.000Z'],
        ['cancelled', '2026-11-05T09:00:00.000Z'],
      ],
    });
    const paid = [buildPayment(order.id, 'retired-gas-bonus', 'supply_active', '25.00', 'plan-sales-v0')];
    const result = calculate([order], paid);
    const statement = onlyStatement(result);
    expect(statement.lines[0]).toMatchObject({
      amount: '-25.00',
      ruleId: 'retired-gas-bonus',
      ruleKind: 'unknown',
      planVersionId: 'plan-sales-v0',
    });
    expect(statement.planVersionIds).toEqual(['plan-sales-v0', 'plan-sales-v1']);
    expect(result.warnings.map((warning) => warning.code)).toEqual(['reversal_rule_not_in_plan']);
  });
});

describe('cancellation of an order with skipped states', () => {
  it('anchors the clawback window on recorded states', () => {
    const order = buildOrder('8001234', {
      category: 'gas',
      history: [
        ['signed', '2026-03-01T09:00:00.000Z'],
        ['first_bill_paid', '2026-06-01T09:00:00.000Z'],
        ['cancelled', '2026-11-20T09:00:00.000Z'],
      ],
    });
    const paid = [
      buildPayment(order.id, FIXED_SPLIT_RULE.id, 'validated', '32.00'),
      buildPayment(order.id, FIXED_SPLIT_RULE.id, 'supply_active', '48.00'),
    ];
    // supply_active is implied by first_bill_paid, but its real time is unknown, so the window runs
    // from signing: 2026-03-01 + 6 months = 2026-09-01, before the cancellation. Nothing is reversed.
    expect(calculate([order], paid).statements).toEqual([]);
  });
});

describe('cancellation after the clawback window', () => {
  it('reverses nothing', () => {
    const order = buildOrder('8001234', {
      category: 'gas',
      history: [
        ['signed', '2026-03-01T09:00:00.000Z'],
        ['validated', '2026-03-10T09:00:00.000Z'],
        ['supply_active', '2026-04-01T09:00:00.000Z'],
        ['cancelled', '2026-11-05T09:00:00.000Z'],
      ],
    });
    const paid = [
      buildPayment(order.id, FIXED_SPLIT_RULE.id, 'validated', '32.00'),
      buildPayment(order.id, FIXED_SPLIT_RULE.id, 'supply_active', '48.00'),
    ];
    // The window ended on 2026-10-01 (2026-04-01 + 6 months), before the cancellation.
    expect(calculate([order], paid).statements).toEqual([]);
  });

  it('honours a longer clawback in the plan', () => {
    const longPlan = buildPlan({ clawbackMonths: 12, rules: [FIXED_SPLIT_RULE] });
    const order = buildOrder('8001234', {
      category: 'gas',
      history: [
        ['signed', '2026-03-01T09:00:00.000Z'],
        ['supply_active', '2026-04-01T09:00:00.000Z'],
        ['cancelled', '2026-11-05T09:00:00.000Z'],
      ],
    });
    const paid = [buildPayment(order.id, FIXED_SPLIT_RULE.id, 'supply_active', '48.00')];
    const input = buildInput({
      assignments: [buildAssignment('P00001', longPlan)],
      orders: [order],
      previousPayments: paid,
    });
    // With 12 months the window runs until 2027-04-01: reversal -48.00
    expect(lineAmounts(onlyStatement(calculatePeriod(input)))).toEqual(['-48.00']);
  });
});

describe('reversal of several rules', () => {
  it('writes one line per rule', () => {
    const tieredGas = {
      id: 'gas-activation-tiers',
      kind: 'tiered',
      label: 'Gas activation tiers',
      categories: ['gas'],
      countState: 'supply_active',
      mode: 'marginal',
      tiers: [{ from: 1, amount: '15.00' }],
    };
    const twoRulePlan = buildPlan({ rules: [FIXED_SPLIT_RULE, tieredGas] });
    const order = buildOrder('8001234', {
      category: 'gas',
      history: [
        ['signed', '2026-06-01T09:00:00.000Z'],
        ['validated', '2026-06-10T09:00:00.000Z'],
        ['supply_active', '2026-07-01T09:00:00.000Z'],
        ['cancelled', '2026-11-20T09:00:00.000Z'],
      ],
    });
    const paid = [
      buildPayment(order.id, FIXED_SPLIT_RULE.id, 'validated', '32.00'),
      buildPayment(order.id, FIXED_SPLIT_RULE.id, 'supply_active', '48.00'),
      buildPayment(order.id, tieredGas.id, 'supply_active', '15.00'),
    ];
    const input = buildInput({
      assignments: [buildAssignment('P00001', twoRulePlan)],
      orders: [order],
      previousPayments: paid,
    });
    const statement = onlyStatement(calculatePeriod(input));
    // gas-bonus: -(32.00 + 48.00) = -80.00; gas-activation-tiers: -15.00; net -95.00
    expect(statement.lines.map((line) => [line.ruleId, line.amount])).toEqual([
      [FIXED_SPLIT_RULE.id, '-80.00'],
      [tieredGas.id, '-15.00'],
    ]);
    expect(statement.netCommission).toBe('-95.00');
  });
});

describe('computeCoolingOffEnd', () => {
  it.each([
    ['2026-11-01T10:00:00.000Z', 14, '2026-11-15T23:59:59.999Z'],
    ['2026-11-01T00:00:00.000Z', 14, '2026-11-15T23:59:59.999Z'],
    ['2026-11-01T23:59:59.999Z', 14, '2026-11-15T23:59:59.999Z'],
    ['2026-02-20T09:00:00.000Z', 14, '2026-03-06T23:59:59.999Z'],
    ['2026-11-02T09:00:00.000Z', 0, '2026-11-02T23:59:59.999Z'],
  ])('ends a period from %s of %i days at %s', (signedAt, days, expected) => {
    expect(formatIsoDateTime(computeCoolingOffEnd(parseIsoDateTime(signedAt, 'signedAt'), days))).toBe(expected);
  });
});
