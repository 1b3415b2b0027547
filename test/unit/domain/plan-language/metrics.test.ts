import { describe, expect, it } from 'vitest';

import { calculatePeriod } from '../../../../domain/engine/calculate.js';
import { countWorkingDays } from '../../../../domain/engine/metrics.js';
import { buildInput, buildPartner } from '../builders.js';
import {
  buildAgency,
  buildPlanAssignment,
  buildPlanOrder,
  buildPlanPartner,
  buildValidatedOrder,
  calculatePlan,
  november,
  onlyLineOf,
  statementOf,
} from './support.js';

/**
 * Builds a plan whose only rule is a bonus of `amount`, a formula over `metrics`. The bonus line shows the
 * values of the metrics the formula reads, in its description and in explanation.metrics.
 */
function metricPlan(metrics: Record<string, unknown>, amount: string) {
  return { metrics, rules: [{ id: 'metric-bonus', kind: 'bonus', label: 'Metric bonus', amount }] };
}

/** Builds a heating installation assigned and installed at the given times. */
function buildInstallation(orderNumber: string, assignedAt: string, installedAt: string) {
  return buildPlanOrder(orderNumber, {
    category: 'heating',
    unit: 'job',
    history: [
      ['assigned', assignedAt],
      ['installed', installedAt],
    ],
  });
}

describe('count metric', () => {
  it('counts orders reaching the state', () => {
    const plan = metricPlan({ validations: { kind: 'count', state: 'validated' } }, 'validations * 25');
    const orders = [
      buildValidatedOrder('8001', november(3)),
      buildValidatedOrder('8002', november(10)),
      buildValidatedOrder('8003', '2026-10-28T09:00:00.000Z'),
      buildPlanOrder('8004', { history: [['signed', november(5)]] }),
    ];

    const statement = statementOf(calculatePlan(plan, orders));
    const line = onlyLineOf(statement, 'metric-bonus');

    // 8001 and 8002 were validated in November; 8003 in October and 8004 not at all: 2 × 25 = 50.00
    expect(line.explanation.metrics).toEqual({ validations: '2' });
    expect(line.amount).toBe('50.00');
    expect(line.description).toBe('Metric bonus: EUR 50.00 (2 validations)');
    expect(statement.netCommission).toBe('50.00');
  });
});

describe('sum metric', () => {
  it('sums order values', () => {
    const plan = metricPlan({ revenue: { kind: 'sum', of: 'value', state: 'validated' } }, 'revenue * 0.01');
    const orders = [
      buildValidatedOrder('8001', november(3), { value: '1000.00' }),
      buildValidatedOrder('8002', november(4), { value: '250.50' }),
      buildValidatedOrder('8003', '2026-10-28T09:00:00.000Z', { value: '400.00' }),
    ];

    const line = onlyLineOf(statementOf(calculatePlan(plan, orders)), 'metric-bonus');

    // 1000.00 + 250.50 = 1250.50 (8003 is October); 1250.50 × 0.01 = 12.505, rounded half up to 12.51
    expect(line.explanation.metrics).toEqual({ revenue: '1250.5' });
    expect(line.amount).toBe('12.51');
    expect(line.explanation.formula).toBe('revenue * 0.01 = 12.505, rounded to 12.51');
    expect(line.description).toBe('Metric bonus: EUR 12.51 (revenue EUR 1250.50)');
  });

  it('sums quantities of one unit', () => {
    const plan = metricPlan(
      { volume: { kind: 'sum', of: 'quantity', state: 'commissioned', unit: 'kWp', label: 'PV capacity' } },
      'volume * 10',
    );
    const commissionedAt = (at: string): [['assigned', string], ['commissioned', string]] => [
      ['assigned', '2026-10-20T09:00:00.000Z'],
      ['commissioned', at],
    ];
    const orders = [
      buildPlanOrder('9001', { category: 'pv', quantity: '7.5', unit: 'kWp', history: commissionedAt(november(5)) }),
      buildPlanOrder('9002', { category: 'pv', quantity: '4.25', unit: 'kWp', history: commissionedAt(november(6)) }),
      buildPlanOrder('9003', { category: 'heating', quantity: '1', unit: 'job', history: commissionedAt(november(9)) }),
      buildPlanOrder('9004', {
        category: 'pv',
        quantity: '3',
        unit: 'kWp',
        history: commissionedAt('2026-10-30T09:00:00.000Z'),
      }),
    ];

    const line = onlyLineOf(statementOf(calculatePlan(plan, orders)), 'metric-bonus');

    // kWp commissioned in November: 7.5 + 4.25 = 11.75 (9003 is a job, 9004 is October); 11.75 × 10 = 117.50
    expect(line.explanation.metrics).toEqual({ volume: '11.75' });
    expect(line.amount).toBe('117.50');
    expect(line.description).toBe('Metric bonus: EUR 117.50 (PV capacity 11.75 kWp)');
  });
});

describe('rate metrics', () => {
  it('computes the conversion rate', () => {
    const plan = metricPlan(
      { conversion: { kind: 'conversion_rate', fromState: 'signed', toState: 'supply_active' } },
      'conversion * 100',
    );
    const orders = [
      buildPlanOrder('8001', {
        history: [
          ['signed', november(2)],
          ['supply_active', november(20)],
        ],
      }),
      buildPlanOrder('8002', {
        history: [
          ['signed', november(3)],
          ['validated', november(6)],
        ],
      }),
      buildPlanOrder('8003', {
        history: [
          ['signed', november(4)],
          ['supply_active', '2026-12-05T09:00:00.000Z'],
        ],
      }),
      buildPlanOrder('8004', {
        history: [
          ['signed', november(5)],
          ['supply_active', november(25)],
        ],
      }),
      buildPlanOrder('8005', {
        history: [
          ['signed', '2026-10-20T09:00:00.000Z'],
          ['supply_active', november(10)],
        ],
      }),
    ];

    const line = onlyLineOf(statementOf(calculatePlan(plan, orders)), 'metric-bonus');

    // Signed in November: 8001-8004. Active by the period end: 8001 and 8004 (8003 only in
    // December; 8005 was signed in October): 2 / 4 = 0.5; 0.5 × 100 = 50.00
    expect(line.explanation.metrics).toEqual({ conversion: '0.5' });
    expect(line.amount).toBe('50.00');
    expect(line.description).toBe('Metric bonus: EUR 50.00 (conversion 50% (2 of 4 orders))');
  });

  it('computes the cancellation rate', () => {
    const plan = metricPlan(
      { cancellations: { kind: 'cancellation_rate', fromState: 'signed' } },
      'cancellations * 100',
    );
    const orders = [
      buildPlanOrder('8001', {
        history: [
          ['signed', november(2)],
          ['cancelled', november(6)],
        ],
      }),
      buildPlanOrder('8002', {
        history: [
          ['signed', november(3)],
          ['rejected', november(9)],
        ],
      }),
      buildPlanOrder('8003', {
        history: [
          ['signed', november(4)],
          ['validated', november(10)],
        ],
      }),
      buildPlanOrder('8004', {
        history: [
          ['signed', november(5)],
          ['cancelled', '2026-12-02T09:00:00.000Z'],
        ],
      }),
      buildPlanOrder('8005', { history: [['signed', november(6)]] }),
    ];

    const line = onlyLineOf(statementOf(calculatePlan(plan, orders)), 'metric-bonus');

    // Signed in November: 5 orders. Cancelled or rejected by the period end: 8001 and 8002 (8004 is
    // cancelled in December): 2 / 5 = 0.4; 0.4 × 100 = 40.00
    expect(line.explanation.metrics).toEqual({ cancellations: '0.4' });
    expect(line.amount).toBe('40.00');
    expect(line.description).toBe('Metric bonus: EUR 40.00 (cancellations 40% (2 of 5 orders))');
  });

  it('gives 0 for rates over no orders', () => {
    const plan = metricPlan(
      {
        conversion: { kind: 'conversion_rate', fromState: 'signed', toState: 'supply_active' },
        cancellations: { kind: 'cancellation_rate', fromState: 'signed' },
        sla: { kind: 'sla_compliance', fromState: 'assigned', toState: 'installed', withinWorkingDays: 3 },
      },
      '100 + 100 * (conversion + cancellations + sla)',
    );
    // Signed in October, so no rate has an order in its cohort.
    const orders = [buildValidatedOrder('8001', november(3))];

    const line = onlyLineOf(statementOf(calculatePlan(plan, orders)), 'metric-bonus');

    // 100 + 100 × (0 + 0 + 0) = 100.00
    expect(line.explanation.metrics).toEqual({ cancellations: '0', conversion: '0', sla: '0' });
    expect(line.amount).toBe('100.00');
    expect(line.description).toBe(
      'Metric bonus: EUR 100.00 (cancellations 0% (0 of 0 orders), conversion 0% (0 of 0 orders), ' +
        'sla 0% (0 of 0 jobs within 3 working days))',
    );
  });
});

describe('sla_compliance metric', () => {
  const jobs = [
    // Thu 5 → Tue 10: Fri 6, Mon 9, Tue 10 = 3 working days (the weekend does not count)
    buildInstallation('9001', november(5), november(10)),
    // Mon 9 → Fri 13: Tue 10, (Wed 11 a holiday), Thu 12, Fri 13 = 3 working days
    buildInstallation('9002', november(9), november(13)),
    // Mon 16 → Fri 20: Tue 17, Wed 18, Thu 19, Fri 20 = 4 working days
    buildInstallation('9003', november(16), november(20)),
    // Fri 20 → Thu 26: Mon 23, Tue 24, Wed 25, Thu 26 = 4 working days
    buildInstallation('9004', november(20), november(26)),
    // Installed in December, so not a job of the period
    buildInstallation('9005', '2026-10-26T09:00:00.000Z', '2026-12-01T09:00:00.000Z'),
  ];

  it('skips weekends and holidays', () => {
    const plan = metricPlan(
      {
        sla: {
          kind: 'sla_compliance',
          fromState: 'assigned',
          toState: 'installed',
          withinWorkingDays: 3,
          holidays: ['2026-11-11'],
        },
      },
      'sla * 100',
    );

    const line = onlyLineOf(statementOf(calculatePlan(plan, jobs)), 'metric-bonus');

    // 9001 and 9002 within 3 working days, 9003 and 9004 not: 2 / 4 = 0.5; 0.5 × 100 = 50.00
    expect(line.explanation.metrics).toEqual({ sla: '0.5' });
    expect(line.amount).toBe('50.00');
    expect(line.description).toBe('Metric bonus: EUR 50.00 (sla 50% (2 of 4 jobs within 3 working days))');
  });

  it('counts an unlisted holiday', () => {
    const plan = metricPlan(
      { sla: { kind: 'sla_compliance', fromState: 'assigned', toState: 'installed', withinWorkingDays: 3 } },
      'sla * 100',
    );

    const line = onlyLineOf(statementOf(calculatePlan(plan, jobs)), 'metric-bonus');

    // Without the holiday 9002 takes Tue 10 to Fri 13 = 4 working days: only 9001 is on time, 1 / 4 = 0.25
    expect(line.explanation.metrics).toEqual({ sla: '0.25' });
    expect(line.amount).toBe('25.00');
  });

  it.each([
    ['Fri 6 to Mon 9', november(6), november(9), 1],
    ['Fri 6 to Sat 7', november(6), november(7), 0],
    ['same day', november(9, '08:00'), november(9, '17:00'), 0],
    ['Tue 10 to Thu 12 over holiday', november(10), november(12), 1],
  ])('countWorkingDays %s', (_case, from, to, expected) => {
    const holidays = new Set(['2026-11-11']);

    expect(countWorkingDays(Date.parse(from), Date.parse(to), holidays)).toBe(expected);
  });
});

describe('attainment metric', () => {
  const validations = { kind: 'count', state: 'validated' };
  const threeValidations = (partnerId: string) =>
    ['1', '2', '3'].map((suffix) =>
      buildValidatedOrder(`${partnerId}-${suffix}`, november(3 + Number(suffix)), { partnerId }),
    );

  it('divides by a plain target', () => {
    const plan = metricPlan(
      { validations, attainment: { kind: 'attainment', metric: 'validations', target: '4' } },
      'attainment * 100',
    );

    const line = onlyLineOf(statementOf(calculatePlan(plan, threeValidations('P00001'))), 'metric-bonus');

    // 3 / 4 = 0.75; 0.75 × 100 = 75.00
    expect(line.explanation.metrics).toEqual({ attainment: '0.75' });
    expect(line.amount).toBe('75.00');
    expect(line.description).toBe('Metric bonus: EUR 75.00 (attainment 75% (3 validations, target 4))');
  });

  it('takes the target by territory', () => {
    const plan = metricPlan(
      {
        validations,
        attainment: {
          kind: 'attainment',
          metric: 'validations',
          target: { default: '10', byTerritory: { north: '6', south: '2' } },
        },
      },
      'attainment * 100',
    );
    const partners = [
      buildPlanPartner('P00001', { territory: 'north' }),
      buildPlanPartner('P00002', { territory: 'east' }),
    ];
    const input = buildInput({
      partners,
      assignments: [buildPlanAssignment('P00001', plan), buildPlanAssignment('P00002', plan)],
      orders: [...threeValidations('P00001'), ...threeValidations('P00002')],
    });

    const result = calculatePeriod(input);
    const north = onlyLineOf(statementOf(result, 'P00001'), 'metric-bonus');
    const east = onlyLineOf(statementOf(result, 'P00002'), 'metric-bonus');

    // north has its own target: 3 / 6 = 0.5 → 50.00
    expect(north.explanation.metrics).toEqual({ attainment: '0.5' });
    expect(north.amount).toBe('50.00');
    expect(north.description).toBe('Metric bonus: EUR 50.00 (attainment 50% (3 validations, target 6))');
    // east is not listed, so the default applies: 3 / 10 = 0.3 → 30.00
    expect(east.explanation.metrics).toEqual({ attainment: '0.3' });
    expect(east.amount).toBe('30.00');
    expect(east.description).toBe('Metric bonus: EUR 30.00 (attainment 30% (3 validations, target 10))');
  });
});

describe('formula metric', () => {
  const metrics = {
    validations: { kind: 'count', state: 'validated' },
    revenue: { kind: 'sum', of: 'value', state: 'validated' },
    averageValue: { kind: 'formula', formula: 'revenue / validations', label: 'average order value' },
  };

  it('computes from other metrics', () => {
    const orders = [
      buildValidatedOrder('8001', november(3), { value: '1000.00' }),
      buildValidatedOrder('8002', november(4), { value: '500.00' }),
      buildValidatedOrder('8003', november(5), { value: '1500.00' }),
    ];

    const line = onlyLineOf(
      statementOf(calculatePlan(metricPlan(metrics, 'averageValue * 0.1'), orders)),
      'metric-bonus',
    );

    // (1000 + 500 + 1500) / 3 = 1000; 1000 × 0.1 = 100.00
    expect(line.explanation.metrics).toEqual({ averageValue: '1000' });
    expect(line.amount).toBe('100.00');
    expect(line.description).toBe('Metric bonus: EUR 100.00 (average order value 1000)');
  });

  it('skips the rule on division by zero', () => {
    // Validated in October, so November has no validations.
    const orders = [buildValidatedOrder('8001', '2026-10-28T09:00:00.000Z')];

    const result = calculatePlan(metricPlan(metrics, 'averageValue * 0.1'), orders);

    expect(result.statements).toEqual([]);
    expect(result.warnings).toContainEqual({
      code: 'formula_failed',
      partnerId: 'P00001',
      ruleId: 'metric-bonus',
      message: 'division by zero in "revenue / validations"; the rule was skipped for the period',
    });
  });
});

describe('metric filters', () => {
  it('narrows by category, territory and where', () => {
    const plan = metricPlan(
      {
        gasOrders: { kind: 'count', state: 'validated', categories: ['gas'] },
        southOrders: { kind: 'count', state: 'validated', territories: ['south'] },
        largeSouthGas: {
          kind: 'count',
          state: 'validated',
          categories: ['gas'],
          territories: ['south'],
          where: 'value >= 500',
        },
      },
      'gasOrders * 100 + southOrders * 10 + largeSouthGas',
    );
    const orders = [
      buildValidatedOrder('8001', november(3), { category: 'electricity', territory: 'south', value: '1000.00' }),
      buildValidatedOrder('8002', november(4), { category: 'gas', territory: 'north', value: '600.00' }),
      buildValidatedOrder('8003', november(5), { category: 'gas', territory: 'south', value: '700.00' }),
      buildValidatedOrder('8004', november(6), { category: 'gas', territory: 'south', value: '300.00' }),
    ];

    const line = onlyLineOf(statementOf(calculatePlan(plan, orders)), 'metric-bonus');

    // gas: 8002, 8003, 8004 = 3
    expect(line.explanation.metrics?.gasOrders).toBe('3');
    // south: 8001, 8003, 8004 = 3
    expect(line.explanation.metrics?.southOrders).toBe('3');
    // gas in south with value >= 500: 8003 = 1
    expect(line.explanation.metrics?.largeSouthGas).toBe('1');
    // 3 × 100 + 3 × 10 + 1 = 331.00
    expect(line.amount).toBe('331.00');
  });

  it('counts only within its window', () => {
    const plan = metricPlan(
      {
        campaignValidations: {
          kind: 'count',
          state: 'validated',
          window: { from: '2026-11-10', to: '2026-11-15' },
        },
      },
      'campaignValidations * 10',
    );
    const orders = [
      buildValidatedOrder('8001', november(9, '23:59')),
      buildValidatedOrder('8002', november(10, '00:00')),
      buildValidatedOrder('8003', november(15, '23:59')),
      buildValidatedOrder('8004', november(16, '00:00')),
    ];

    const line = onlyLineOf(statementOf(calculatePlan(plan, orders)), 'metric-bonus');

    // Both window days are inclusive: 8002 (10th 00:00) and 8003 (15th 23:59) = 2; 2 × 10 = 20.00
    expect(line.explanation.metrics).toEqual({ campaignValidations: '2' });
    expect(line.amount).toBe('20.00');
  });
});

describe('metric scopes', () => {
  it('reads own, agents and team orders', () => {
    const partners = buildAgency('AG001', ['A001', 'A002']);
    const plan = metricPlan(
      {
        own: { kind: 'count', state: 'validated', scope: 'own' },
        agents: { kind: 'count', state: 'validated', scope: 'agents' },
        team: { kind: 'count', state: 'validated', scope: 'team' },
      },
      'own + 10 * agents + 100 * team',
    );
    const orders = [
      buildValidatedOrder('8001', november(3), { partnerId: 'AG001' }),
      buildValidatedOrder('8002', november(4), { partnerId: 'A001' }),
      buildValidatedOrder('8003', november(5), { partnerId: 'A001' }),
      buildValidatedOrder('8004', november(6), { partnerId: 'A002' }),
      // An order of a partner outside the agency is in no scope.
      buildValidatedOrder('8005', november(7), { partnerId: 'P00009' }),
    ];
    const input = buildInput({
      partners: [...partners, buildPartner('P00009')],
      assignments: [buildPlanAssignment('AG001', plan)],
      orders,
    });

    const line = onlyLineOf(statementOf(calculatePeriod(input), 'AG001'), 'metric-bonus');

    // own: 8001 = 1
    expect(line.explanation.metrics?.own).toBe('1');
    // agents: 8002, 8003 (A001) and 8004 (A002) = 3
    expect(line.explanation.metrics?.agents).toBe('3');
    // team: 1 + 3 = 4
    expect(line.explanation.metrics?.team).toBe('4');
    // 1 + 10 × 3 + 100 × 4 = 431.00
    expect(line.amount).toBe('431.00');
  });
});
