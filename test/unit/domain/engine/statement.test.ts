import { describe, expect, it } from 'vitest';

import { calculatePeriod } from '../../../../domain/engine/calculate.js';
import type { CalculationInput } from '../../../../domain/engine/types.js';
import { DuplicateOrderError, InvalidTaxProfileError, PlanValidationError } from '../../../../domain/errors.js';
import { parseAmount, sumAmounts, formatAmount } from '../../../../domain/money.js';
import type { OrderRecord } from '../../../../domain/model.js';
import {
  buildAssignment,
  buildInput,
  buildOrder,
  buildPartner,
  buildPayment,
  buildPlan,
  FIXED_SPLIT_RULE,
  onlyStatement,
  PERCENTAGE_RULE,
} from '../builders.js';

const PV_RULE = {
  id: 'pv-per-kwp',
  kind: 'fixed_per_unit',
  label: 'PV per kWp',
  categories: ['pv'],
  amountPerUnit: '0.50',
  payment: [{ state: 'commissioned', share: '1' }],
};

const salesPlan = buildPlan({ rules: [PERCENTAGE_RULE, FIXED_SPLIT_RULE] });
const installerPlan = buildPlan({ rules: [PV_RULE] });

/** Orders of two partners with values chosen so that many lines round. */
function buildMixedOrders(): OrderRecord[] {
  const orders: OrderRecord[] = [];
  for (let index = 0; index < 12; index += 1) {
    orders.push(
      buildOrder(`SO-${95 + index}`, {
        value: `${1000 + index * 37}.${String(11 + index * 7).padStart(2, '0')}`,
        history: [
          ['signed', '2026-09-15T09:00:00.000Z'],
          ['validated', `2026-11-${String(2 + index).padStart(2, '0')}T09:00:00.000Z`],
          ['supply_active', `2026-11-${String(15 + index).padStart(2, '0')}T09:00:00.000Z`],
        ],
      }),
    );
  }
  orders.push(
    buildOrder('SO-200', {
      category: 'gas',
      history: [
        ['signed', '2026-06-01T09:00:00.000Z'],
        ['supply_active', '2026-07-01T09:00:00.000Z'],
        ['cancelled', '2026-11-20T09:00:00.000Z'],
      ],
    }),
    buildOrder('PV-7', {
      partnerId: 'P00002',
      category: 'pv',
      quantity: '9.875',
      unit: 'kWp',
      history: [
        ['assigned', '2026-10-01T09:00:00.000Z'],
        ['commissioned', '2026-11-12T09:00:00.000Z'],
      ],
    }),
  );
  return orders;
}

function buildMixedInput(): CalculationInput {
  return buildInput({
    partners: [buildPartner('P00001'), buildPartner('P00002')],
    assignments: [
      buildAssignment('P00001', salesPlan),
      {
        partnerId: 'P00002',
        planId: 'plan-installers',
        planVersionId: 'plan-installers-v3',
        planName: 'Installers',
        definition: installerPlan,
      },
    ],
    orders: buildMixedOrders(),
    previousPayments: [buildPayment('order-SO-200', FIXED_SPLIT_RULE.id, 'supply_active', '48.00')],
    yearToDateCommissions: { P00001: '5000.00' },
  });
}

describe('statement totals', () => {
  it('net commission is the sum of the lines', () => {
    const { statements } = calculatePeriod(buildMixedInput());
    expect(statements).toHaveLength(2);
    for (const statement of statements) {
      const sum = sumAmounts(statement.lines.map((line) => parseAmount(line.amount, 'line amount')));
      expect(statement.netCommission).toBe(formatAmount(sum));
    }
  });

  it('numbers lines in statement order', () => {
    const [sales] = calculatePeriod(buildMixedInput()).statements;
    expect(sales?.lines.map((line) => line.lineNumber)).toEqual(sales?.lines.map((_, index) => index + 1));
    // Digit runs compare by value, so SO-99 comes before SO-100 and SO-200 comes last.
    const orderNumbers = [...new Set(sales?.lines.map((line) => line.orderNumber))];
    expect(orderNumbers.slice(0, 6)).toEqual(['SO-95', 'SO-96', 'SO-97', 'SO-98', 'SO-99', 'SO-100']);
    expect(orderNumbers.at(-1)).toBe('SO-200');
    const firstOrderStates = sales?.lines
      .filter((line) => line.orderNumber === 'SO-95')
      .map((line) => line.explanation.state);
    expect(firstOrderStates).toEqual(['validated', 'supply_active']);
  });

  it('computes taxes on the net commission', () => {
    const order = buildOrder('8001234', {
      category: 'gas',
      history: [
        ['signed', '2026-10-02T09:00:00.000Z'],
        ['validated', '2026-11-03T09:00:00.000Z'],
        ['supply_active', '2026-11-12T09:00:00.000Z'],
      ],
    });
    const input = buildInput({ assignments: [buildAssignment('P00001', salesPlan)], orders: [order] });
    const statement = onlyStatement(calculatePeriod(input));
    // net 32.00 + 48.00 = 80.00; VAT 80.00 × 0.19 = 15.20; payable 95.20
    expect(statement).toMatchObject({
      periodId: '2026-11',
      partnerId: 'P00001',
      currency: 'EUR',
      planVersionIds: ['plan-sales-v1'],
      netCommission: '80.00',
      vatAmount: '15.20',
      grossAmount: '95.20',
      withholdingAmount: '0.00',
      payableAmount: '95.20',
    });
  });

  it('lists every assigned plan version', () => {
    const order = buildOrder('8001234', { category: 'gas', history: [['validated', '2026-11-03T09:00:00.000Z']] });
    const input = buildInput({
      assignments: [
        { ...buildAssignment('P00001', installerPlan), planId: 'plan-b', planVersionId: 'plan-b-v2' },
        buildAssignment('P00001', salesPlan),
      ],
      orders: [order],
    });
    expect(onlyStatement(calculatePeriod(input)).planVersionIds).toEqual(['plan-b-v2', 'plan-sales-v1']);
  });
});

describe('calculatePeriod determinism', () => {
  it('repeats the same result', () => {
    expect(calculatePeriod(buildMixedInput())).toEqual(calculatePeriod(buildMixedInput()));
  });

  it('ignores the order of input lists', () => {
    const input = buildMixedInput();
    const reversed: CalculationInput = {
      ...input,
      partners: [...input.partners].reverse(),
      orders: [...input.orders].reverse(),
      assignments: [...input.assignments].reverse(),
    };
    expect(calculatePeriod(reversed)).toEqual(calculatePeriod(input));
  });
});

describe('calculatePeriod warnings', () => {
  const order = buildOrder('8001234', {
    partnerId: 'P00009',
    category: 'gas',
    history: [['validated', '2026-11-03T09:00:00.000Z']],
  });

  it('warns about a partner without a plan', () => {
    const input = buildInput({ partners: [buildPartner('P00009')], orders: [order] });
    const result = calculatePeriod(input);
    expect(result.statements).toEqual([]);
    expect(result.warnings).toEqual([
      {
        code: 'partner_without_plan',
        partnerId: 'P00009',
        orderIds: ['order-8001234'],
        message:
          'Partner P00009 has 1 order(s) in the period but no plan version assigned; assign a plan and recalculate.',
      },
    ]);
  });

  it('warns about an unknown partner', () => {
    const result = calculatePeriod(buildInput({ orders: [order] }));
    expect(result.warnings.map((warning) => [warning.code, warning.partnerId])).toEqual([
      ['unknown_partner', 'P00009'],
    ]);
  });

  it('names the partner of an unusable tax profile', () => {
    const italian = buildPartner('P00001', {
      country: 'IT',
      vatRegime: 'standard',
      enasarco: 'none',
      address: { street: 'Via Roma 1', postalCode: '00100', city: 'Roma', country: 'IT' },
    });
    const gasOrder = { ...order, partnerId: 'P00001' };
    const input = buildInput({
      partners: [italian],
      assignments: [buildAssignment('P00001', salesPlan)],
      orders: [gasOrder],
    });
    expect(() => calculatePeriod(input)).toThrow(InvalidTaxProfileError);
    expect(() => calculatePeriod(input)).toThrow(/partner P00001: withholding is undefined/);
  });

  it('rejects an order listed twice', () => {
    const gasOrder = { ...order, partnerId: 'P00001' };
    const input = buildInput({ assignments: [buildAssignment('P00001', salesPlan)], orders: [gasOrder, gasOrder] });
    expect(() => calculatePeriod(input)).toThrow(DuplicateOrderError);
  });

  it('names the plan version of an invalid definition', () => {
    const stored = { rules: [{ ...FIXED_SPLIT_RULE, payment: [{ state: 'validated', share: '0.5' }] }] };
    const assignment = { ...buildAssignment('P00001', salesPlan, 'plan-sales-v7'), definition: stored as never };
    const input = buildInput({ assignments: [assignment], orders: [{ ...order, partnerId: 'P00001' }] });
    expect(() => calculatePeriod(input)).toThrow(PlanValidationError);
    expect(() => calculatePeriod(input)).toThrow(
      /definition of plan version plan-sales-v7 .*\n.*rules\[0\]\.payment: shares sum to 0\.5/,
    );
  });

  it('fills in defaults of a stored definition', () => {
    const stored = { rules: [FIXED_SPLIT_RULE] };
    const assignment = { ...buildAssignment('P00001', salesPlan), definition: stored as never };
    const cancelled = buildOrder('8001234', {
      category: 'gas',
      history: [
        ['signed', '2026-11-02T09:00:00.000Z'],
        ['validated', '2026-11-05T09:00:00.000Z'],
        ['cancelled', '2026-11-10T09:00:00.000Z'],
      ],
    });
    // Without the default coolingOffDays of 14 the validated share would be paid and clawed back.
    expect(calculatePeriod(buildInput({ assignments: [assignment], orders: [cancelled] })).statements).toEqual([]);
  });
});
