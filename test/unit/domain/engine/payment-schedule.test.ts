import { describe, expect, it } from 'vitest';

import { calculatePeriod } from '../../../../domain/engine/calculate.js';
import type { PreviousPayment } from '../../../../domain/model.js';
import {
  buildAssignment,
  buildInput,
  buildOrder,
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
      orderId: line.orderId,
      ruleId: line.ruleId,
      state: line.explanation.state,
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
