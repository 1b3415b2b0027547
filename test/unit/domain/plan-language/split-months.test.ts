import { describe, expect, it } from 'vitest';

import { calculatePeriod } from '../../../../domain/engine/calculate.js';
import { buildInput } from '../builders.js';
import {
  buildAgency,
  buildPlanAssignment,
  buildPlanOrder,
  buildPlanPartner,
  buildValidatedOrder,
  linesOf,
  november,
  onlyLineOf,
  PARTNER_ID,
  statementOf,
} from './support.js';

const SUPPLY_WITH_ACCELERATOR = {
  metrics: { activations: { kind: 'count', state: 'supply_active' } },
  rules: [
    {
      id: 'supply',
      kind: 'fixed_per_order',
      label: 'Supply',
      amount: '100.00',
      payment: [{ state: 'supply_active', share: '1' }],
    },
    {
      id: 'acc',
      kind: 'accelerator',
      label: 'Accelerator',
      metric: 'activations',
      appliesTo: ['supply'],
      bands: [
        { from: '0', to: '1', multiplier: '1' },
        { from: '1', multiplier: '1.5' },
      ],
    },
  ],
};

/** Signed in August, so that a November cancellation falls in the clawback window, not cooling-off. */
const SIGNED = '2026-08-01T09:00:00.000Z';

describe('month split between two versions', () => {
  const orders = [
    buildPlanOrder('9001', {
      history: [
        ['signed', SIGNED],
        ['supply_active', november(18)],
      ],
    }),
    buildPlanOrder('9002', {
      history: [
        ['signed', SIGNED],
        ['supply_active', november(20)],
        ['cancelled', november(25)],
      ],
    }),
  ];
  const firstHalf = buildPlanAssignment(PARTNER_ID, SUPPLY_WITH_ACCELERATOR, {
    planVersionId: 'plan-sales-v1',
    activeUntil: '2026-11-16T00:00:00.000Z',
  });
  const secondHalf = buildPlanAssignment(PARTNER_ID, SUPPLY_WITH_ACCELERATOR, {
    planVersionId: 'plan-sales-v2',
    activeFrom: '2026-11-16T00:00:00.000Z',
  });

  it('files the reversal under the part that paid', () => {
    const statement = statementOf(calculatePeriod(buildInput({ orders, assignments: [firstHalf, secondHalf] })));
    const reversal = statement.lines.find((line) => line.kind === 'reversal');

    // 9002 was paid and cancelled under v2, so v2's accelerator leaves it out: 1 activation (9001),
    // 100.00 × (1.5 − 1) = 50.00. Net: 100 + 100 − 100 + 50 = 150.00
    expect(reversal?.planVersionId).toBe('plan-sales-v2');
    expect(onlyLineOf(statement, 'acc').amount).toBe('50.00');
    expect(statement.netCommission).toBe('150.00');
  });

  it('gives the same result in any input order', () => {
    const forward = statementOf(calculatePeriod(buildInput({ orders, assignments: [firstHalf, secondHalf] })));
    const backward = statementOf(calculatePeriod(buildInput({ orders, assignments: [secondHalf, firstHalf] })));

    expect(backward).toEqual(forward);
  });
});

describe('agency override in a split month', () => {
  const agentPlan = {
    rules: [
      {
        id: 'sale',
        kind: 'fixed_per_order',
        label: 'Sale',
        amount: '100.00',
        payment: [{ state: 'validated', share: '1' }],
      },
    ],
  };
  const agencyPlan = {
    parameters: { overrideRate: { type: 'rate', default: '0.05' } },
    rules: [{ id: 'override', kind: 'override', label: 'Override', rate: '${overrideRate}' }],
  };

  it('counts each agent line once', () => {
    const agency = (extra: object) =>
      buildPlanAssignment('AG', agencyPlan, { planId: 'agencies', planVersionId: 'agencies-v1', ...extra });
    const result = calculatePeriod(
      buildInput({
        partners: buildAgency('AG', ['A1']),
        orders: [buildValidatedOrder('3001', november(5), { partnerId: 'A1' })],
        assignments: [
          buildPlanAssignment('A1', agentPlan),
          agency({ activeUntil: '2026-11-16T00:00:00.000Z' }),
          agency({ activeFrom: '2026-11-16T00:00:00.000Z', parameters: { overrideRate: '0.10' } }),
        ],
      }),
    );

    // The agent's line is dated 5 November, in the first part: 100.00 × 0.05 = 5.00, once.
    const statement = statementOf(result, 'AG');
    expect(linesOf(statement, 'override').map((line) => line.amount)).toEqual(['5.00']);
    expect(statement.netCommission).toBe('5.00');
  });

  it('reaches an agency two levels up', () => {
    const partners = [
      buildPlanPartner('TOP', { kind: 'agency' }),
      buildPlanPartner('SUB', { kind: 'agency', parentId: 'TOP' }),
      buildPlanPartner('AGENT', { parentId: 'SUB' }),
    ];
    const override = { rules: [{ id: 'override', kind: 'override', label: 'Override', rate: '0.10' }] };
    const result = calculatePeriod(
      buildInput({
        partners,
        orders: [buildValidatedOrder('3001', november(10), { partnerId: 'AGENT' })],
        assignments: [
          buildPlanAssignment('AGENT', agentPlan),
          buildPlanAssignment('SUB', override, { planId: 'agencies', planVersionId: 'agencies-v1' }),
          buildPlanAssignment('TOP', override, { planId: 'agencies', planVersionId: 'agencies-v1' }),
        ],
      }),
    );

    // AGENT 100.00; SUB 10% of it = 10.00; TOP 10% of SUB's 10.00 = 1.00
    expect(result.statements.map((statement) => [statement.partnerId, statement.netCommission])).toEqual([
      ['AGENT', '100.00'],
      ['SUB', '10.00'],
      ['TOP', '1.00'],
    ]);
  });
});

describe('limits and reversed orders', () => {
  const cancelledInNovember = buildPlanOrder('6003', {
    history: [
      ['signed', SIGNED],
      ['validated', november(5)],
      ['cancelled', november(20)],
    ],
  });
  const rule = {
    id: 'supply',
    kind: 'fixed_per_order',
    label: 'Supply',
    amount: '100.00',
    payment: [{ state: 'validated', share: '1' }],
  };
  const validated = (orderNumber: string, day: number) =>
    buildPlanOrder(orderNumber, {
      history: [
        ['signed', SIGNED],
        ['validated', november(day)],
      ],
    });

  it('leaves a reversed order out of the rule cap', () => {
    const plan = { rules: [{ ...rule, limits: { ruleCap: '150.00' } }] };
    const orders = [validated('6001', 3), validated('6002', 4), cancelledInNovember];

    const statement = statementOf(
      calculatePeriod(buildInput({ orders, assignments: [buildPlanAssignment(PARTNER_ID, plan)] })),
    );

    // 6001 and 6002 earn 200.00, capped to 150.00 (−50.00); 6003 pays 100.00 and is reversed (−100.00).
    expect(statement.netCommission).toBe('150.00');
  });

  it('raises no floor for a reversed month', () => {
    const plan = { rules: [rule], limits: { periodFloor: '200.00' } };

    const statement = statementOf(
      calculatePeriod(
        buildInput({ orders: [cancelledInNovember], assignments: [buildPlanAssignment(PARTNER_ID, plan)] }),
      ),
    );

    // 6003 pays 100.00 and is reversed in the same month, so the partner earned nothing that stays.
    expect(linesOf(statement, 'periodFloor')).toEqual([]);
    expect(statement.netCommission).toBe('0.00');
  });
});

describe('SLA compliance', () => {
  it('leaves out a job without a recorded start', () => {
    const plan = {
      metrics: {
        jobs: { kind: 'count', state: 'installed' },
        sla: { kind: 'sla_compliance', fromState: 'assigned', toState: 'installed', withinWorkingDays: 5 },
      },
      rules: [{ id: 'bonus', kind: 'bonus', label: 'SLA bonus', amount: 'jobs * 50', gate: { when: 'sla >= 0.5' } }],
    };
    const orders = [
      buildPlanOrder('2001', {
        category: 'pv',
        history: [
          ['assigned', november(2)],
          ['installed', november(20)],
        ],
      }),
      buildPlanOrder('2002', { category: 'pv', history: [['installed', november(30)]] }),
    ];

    const statement = statementOf(
      calculatePeriod(buildInput({ orders, assignments: [buildPlanAssignment(PARTNER_ID, plan)] })),
    );

    // Only 2001 is measured: 14 working days, more than 5, so the SLA is 0 of 1 and the gate fails.
    // Counting 2002 as 0 working days would give 1 of 2 = 50% and pay the bonus.
    const bonus = onlyLineOf(statement, 'bonus');
    expect(bonus.amount).toBe('0.00');
    expect(bonus.description).toBe(
      'SLA bonus: not paid, because the condition "sla >= 0.5" is not met (sla 0% (0 of 1 jobs within 5 working days))',
    );
  });
});
