import { describe, expect, it } from 'vitest';

import { buildPlanOrder, calculatePlan, november, onlyLineOf, orderAmounts, statementOf } from './support.js';

const ATTRIBUTES = { Customer_Type__c: 'text', Battery_kWh__c: 'number' };
const PAID_WHEN_COMMISSIONED = [{ state: 'commissioned', share: '1' }];

/** Builds a plan that pays a battery storage formula on business customers' PV installations. */
function batteryPlan(amount: string) {
  return {
    attributes: ATTRIBUTES,
    rules: [
      {
        id: 'battery',
        kind: 'formula',
        label: 'Battery storage',
        categories: ['pv'],
        where: 'attr.Customer_Type__c == "Business"',
        amount,
        payment: PAID_WHEN_COMMISSIONED,
      },
    ],
  };
}

/** Builds a PV installation commissioned on 2026-11-12 with the given CRM attributes. */
function buildInstallation(orderNumber: string, attributes: Record<string, unknown>) {
  return buildPlanOrder(orderNumber, {
    category: 'pv',
    quantity: '8',
    unit: 'kWp',
    attributes,
    history: [
      ['assigned', '2026-10-20T09:00:00.000Z'],
      ['commissioned', november(12)],
    ],
  });
}

describe('formula over CRM attributes', () => {
  const orders = [
    buildInstallation('9001', { Customer_Type__c: 'Business', Battery_kWh__c: 10 }),
    // The CRM may send a number as a decimal string.
    buildInstallation('9002', { Customer_Type__c: 'Business', Battery_kWh__c: '20' }),
    buildInstallation('9003', { Customer_Type__c: 'Residential', Battery_kWh__c: 10 }),
    buildInstallation('9004', { Customer_Type__c: 'Business' }),
  ];

  it('pays business orders by battery size', () => {
    const result = calculatePlan(batteryPlan('min(attr.Battery_kWh__c * 15, 200)'), orders);
    const statement = statementOf(result);

    // 9001: min(10 × 15, 200) = 150.00; 9002: min(20 × 15, 200) = 200.00;
    // 9003 is residential; 9004 has no battery size and is skipped
    expect(orderAmounts(statement)).toEqual([
      ['9001', '150.00'],
      ['9002', '200.00'],
    ]);
    expect(statement.lines[0]?.description).toBe(
      'PV installation 9001 commissioned on 2026-11-12: Battery storage, EUR 150.00 ' +
        '(min(attr.Battery_kWh__c * 15, 200) with attr.Battery_kWh__c = 10)',
    );
    expect(statement.lines[1]?.explanation.inputs['attr.Battery_kWh__c']).toBe('"20"');
    // 150.00 + 200.00 = 350.00
    expect(statement.netCommission).toBe('350.00');
  });

  it('warns about a missing attribute', () => {
    const result = calculatePlan(batteryPlan('min(attr.Battery_kWh__c * 15, 200)'), orders);

    expect(result.warnings).toContainEqual({
      code: 'formula_failed',
      partnerId: 'P00001',
      ruleId: 'battery',
      orderIds: ['order-9004'],
      message:
        'attribute Battery_kWh__c is missing on the order; write coalesce(attr.Battery_kWh__c, fallback) if it ' +
        'is optional; order 9004 was skipped for rule battery',
    });
  });

  it('uses the coalesce fallback', () => {
    const result = calculatePlan(batteryPlan('min(coalesce(attr.Battery_kWh__c, 5) * 15, 200)'), orders);
    const statement = statementOf(result);

    // 9004 has no battery size, so the fallback 5 applies: min(5 × 15, 200) = 75.00
    expect(orderAmounts(statement)).toEqual([
      ['9001', '150.00'],
      ['9002', '200.00'],
      ['9004', '75.00'],
    ]);
    expect(result.warnings.filter((warning) => warning.code === 'formula_failed')).toEqual([]);
    // 150.00 + 200.00 + 75.00 = 425.00
    expect(statement.netCommission).toBe('425.00');
  });

  it('warns about a mistyped attribute', () => {
    const result = calculatePlan(batteryPlan('min(attr.Battery_kWh__c * 15, 200)'), [
      buildInstallation('9005', { Customer_Type__c: 'Business', Battery_kWh__c: 'ten' }),
    ]);

    expect(result.statements).toEqual([]);
    expect(result.warnings).toContainEqual({
      code: 'formula_failed',
      partnerId: 'P00001',
      ruleId: 'battery',
      orderIds: ['order-9005'],
      message:
        'attribute Battery_kWh__c is declared as a number, but the order has "ten"; correct the value in the CRM ' +
        "or the attribute's type in the plan; order 9005 was skipped for rule battery",
    });
  });

  it('filters a metric by attribute', () => {
    const plan = {
      attributes: ATTRIBUTES,
      metrics: {
        businessJobs: { kind: 'count', state: 'commissioned', where: 'attr.Customer_Type__c == "Business"' },
        largeBatteries: { kind: 'count', state: 'commissioned', where: 'attr.Battery_kWh__c >= 15' },
      },
      rules: [{ id: 'job-bonus', kind: 'bonus', label: 'Job bonus', amount: 'businessJobs * 10 + largeBatteries' }],
    };

    const result = calculatePlan(plan, orders);
    const line = onlyLineOf(statementOf(result), 'job-bonus');

    // Business: 9001, 9002 and 9004 = 3
    expect(line.explanation.metrics?.businessJobs).toBe('3');
    // At least 15 kWh: 9002 = 1; 9004 has no battery size and is left out with a warning
    expect(line.explanation.metrics?.largeBatteries).toBe('1');
    // 3 × 10 + 1 = 31.00
    expect(line.amount).toBe('31.00');
    expect(result.warnings).toContainEqual({
      code: 'formula_failed',
      partnerId: 'P00001',
      orderIds: ['order-9004'],
      message:
        'attribute Battery_kWh__c is missing on the order; write coalesce(attr.Battery_kWh__c, fallback) if it ' +
        'is optional; order 9004 was left out of metric largeBatteries',
    });
  });
});

describe('formula over a failing metric', () => {
  // averageValue divides by zero in a period without validations.
  const metrics = {
    validations: { kind: 'count', state: 'validated' },
    revenue: { kind: 'sum', of: 'value', state: 'validated' },
    averageValue: { kind: 'formula', formula: 'revenue / validations' },
  };
  const paidOnActivation = {
    id: 'activation',
    kind: 'fixed_per_order',
    label: 'Activation',
    amount: '100.00',
    payment: [{ state: 'supply_active', share: '1' }],
  };
  // Validated in October and active in November: no validations in November.
  const order = buildPlanOrder('8001', {
    history: [
      ['signed', '2026-10-20T09:00:00.000Z'],
      ['validated', '2026-10-28T09:00:00.000Z'],
      ['supply_active', november(5)],
    ],
  });

  it('skips an accelerator', () => {
    const plan = {
      metrics,
      rules: [
        paidOnActivation,
        {
          id: 'accelerator',
          kind: 'accelerator',
          label: 'Value accelerator',
          metric: 'averageValue',
          appliesTo: ['activation'],
          bands: [
            { from: '0', to: '1000', multiplier: '1' },
            { from: '1000', multiplier: '1.2' },
          ],
        },
      ],
    };

    const result = calculatePlan(plan, [order]);
    const statement = statementOf(result);

    // Only the activation line; the accelerator is skipped.
    expect(orderAmounts(statement)).toEqual([['8001', '100.00']]);
    expect(result.warnings).toContainEqual({
      code: 'formula_failed',
      partnerId: 'P00001',
      ruleId: 'accelerator',
      message: 'division by zero in "revenue / validations"; the rule was skipped for the period',
    });
  });

  it('pays an order formula that skips it', () => {
    const plan = {
      metrics,
      rules: [
        {
          ...paidOnActivation,
          kind: 'formula',
          amount: 'validations > 0 ? averageValue * 0.1 : 5',
          label: 'Activation by average value',
        },
      ],
    };

    const statement = statementOf(calculatePlan(plan, [order]));

    // validations is 0, so the formula gives 5 without reading averageValue.
    expect(orderAmounts(statement)).toEqual([['8001', '5.00']]);
    expect(statement.lines[0]?.description).toBe(
      'Electricity contract 8001 activated on 2026-11-05: Activation by average value, EUR 5.00 ' +
        '(validations > 0 ? averageValue * 0.1 : 5 with validations = 0)',
    );
  });
});
