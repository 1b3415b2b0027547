import { describe, expect, it } from 'vitest';

import { lineAmounts } from '../builders.js';
import {
  buildPlanOrder,
  buildValidatedOrder,
  calculatePlan,
  DECEMBER_2026,
  november,
  onlyLineOf,
  orderAmounts,
  statementOf,
} from './support.js';

const PAID_WHEN_VALIDATED = [{ state: 'validated', share: '1' }];

/** Builds a PV installation of `kWp` assigned in October and commissioned at `commissionedAt`. */
function buildPvInstallation(orderNumber: string, kWp: string, commissionedAt: string, territory = 'north') {
  return buildPlanOrder(orderNumber, {
    category: 'pv',
    quantity: kWp,
    unit: 'kWp',
    territory,
    history: [
      ['assigned', '2026-10-20T09:00:00.000Z'],
      ['commissioned', commissionedAt],
    ],
  });
}

describe('percentage_of_value rule', () => {
  it('pays rate times value', () => {
    const plan = {
      rules: [{ id: 'share', kind: 'percentage_of_value', label: 'Share', rate: '0.05', payment: PAID_WHEN_VALIDATED }],
    };

    const statement = statementOf(
      calculatePlan(plan, [buildValidatedOrder('8001', november(3), { value: '1234.56' })]),
    );
    const line = onlyLineOf(statement, 'share');

    // 1234.56 × 0.05 = 61.728, rounded half up to 61.73
    expect(line.amount).toBe('61.73');
    expect(line.explanation.formula).toBe('1234.56 × 0.05 = 61.728, rounded to 61.73');
    expect(line.description).toBe('Electricity contract 8001 validated on 2026-11-03: 5% of order value EUR 1234.56');
    expect(statement.netCommission).toBe('61.73');
  });
});

describe('fixed_per_order rule', () => {
  it('splits over three shares', () => {
    const plan = {
      rules: [
        {
          id: 'per-order',
          kind: 'fixed_per_order',
          label: 'Per order',
          amount: '99.99',
          payment: [
            { state: 'validated', share: '0.3' },
            { state: 'supply_active', share: '0.3' },
            { state: 'first_bill_paid', share: '0.4' },
          ],
        },
      ],
    };
    const order = buildPlanOrder('8001', {
      history: [
        ['signed', '2026-10-20T09:00:00.000Z'],
        ['validated', november(3)],
        ['supply_active', november(12)],
        ['first_bill_paid', november(27)],
      ],
    });

    const statement = statementOf(calculatePlan(plan, [order]));

    // validated: 99.99 × 0.3 = 29.997 → 30.00; supply_active: the same, 30.00;
    // first_bill_paid, the last share: 99.99 − 30.00 − 30.00 = 39.99
    expect(lineAmounts(statement)).toEqual(['30.00', '30.00', '39.99']);
    expect(statement.lines[2]?.explanation.formula).toBe('99.99 − 30.00 − 30.00 = 39.99');
    expect(statement.lines[2]?.description).toBe(
      'Electricity contract 8001 had its first bill paid on 2026-11-27: 40% of EUR 99.99 (first_bill_paid share)',
    );
    // 30.00 + 30.00 + 39.99 = 99.99
    expect(statement.netCommission).toBe('99.99');
  });
});

describe('fixed_per_unit rule', () => {
  it('pays amount per unit times quantity', () => {
    const plan = {
      rules: [
        {
          id: 'per-kwp',
          kind: 'fixed_per_unit',
          label: 'Per kWp',
          amountPerUnit: '25.00',
          payment: [{ state: 'commissioned', share: '1' }],
        },
      ],
    };

    const statement = statementOf(calculatePlan(plan, [buildPvInstallation('9001', '7.5', november(12))]));
    const line = onlyLineOf(statement, 'per-kwp');

    // 7.5 × 25.00 = 187.50
    expect(line.amount).toBe('187.50');
    expect(line.description).toBe('PV installation 9001 commissioned on 2026-11-12: 7.5 kWp × EUR 25.00');
    expect(statement.netCommission).toBe('187.50');
  });
});

describe('formula rule', () => {
  it('evaluates the amount per order', () => {
    const plan = {
      rules: [
        {
          id: 'pv-formula',
          kind: 'formula',
          label: 'PV formula',
          amount: 'min(quantity * 25, 200) + (territory == "north" ? 10 : 0)',
          payment: [{ state: 'commissioned', share: '1' }],
        },
      ],
    };
    const orders = [
      buildPvInstallation('9001', '10', november(12), 'north'),
      buildPvInstallation('9002', '4', november(13), 'south'),
    ];

    const statement = statementOf(calculatePlan(plan, orders));

    // 9001: min(10 × 25, 200) + 10 = 200 + 10 = 210.00; 9002: min(4 × 25, 200) + 0 = 100.00
    expect(orderAmounts(statement)).toEqual([
      ['9001', '210.00'],
      ['9002', '100.00'],
    ]);
    expect(statement.lines[0]?.description).toBe(
      'PV installation 9001 commissioned on 2026-11-12: PV formula, EUR 210.00 ' +
        '(min(quantity * 25, 200) + (territory == "north" ? 10 : 0) with quantity = 10, territory = north)',
    );
    // 210.00 + 100.00 = 310.00
    expect(statement.netCommission).toBe('310.00');
  });
});

describe('tiered rule', () => {
  const tiers = [
    { from: 1, to: 2, amount: '10.00' },
    { from: 3, amount: '20.00' },
  ];
  const orders = [
    buildValidatedOrder('8001', november(2)),
    buildValidatedOrder('8002', november(3)),
    buildValidatedOrder('8003', november(4)),
  ];
  const tieredPlan = (mode: string) => ({
    rules: [{ id: 'tiers', kind: 'tiered', label: 'Tiers', countState: 'validated', mode, tiers }],
  });

  it('pays marginal tiers by rank', () => {
    const statement = statementOf(calculatePlan(tieredPlan('marginal'), orders));

    // Ranks 1 and 2 are in tier 1-2, rank 3 in tier 3+: 10.00 + 10.00 + 20.00 = 40.00
    expect(orderAmounts(statement)).toEqual([
      ['8001', '10.00'],
      ['8002', '10.00'],
      ['8003', '20.00'],
    ]);
    expect(statement.lines[2]?.description).toBe(
      'Electricity contract 8003 validated on 2026-11-04: EUR 20.00, tier 3+ (order 3 of the period)',
    );
    expect(statement.netCommission).toBe('40.00');
  });

  it('pays retroactive tiers by count', () => {
    const statement = statementOf(calculatePlan(tieredPlan('retroactive'), orders));

    // The period count 3 is in tier 3+, so every order earns 20.00: 3 × 20.00 = 60.00
    expect(lineAmounts(statement)).toEqual(['20.00', '20.00', '20.00']);
    expect(statement.lines[0]?.description).toBe(
      'Electricity contract 8001 validated on 2026-11-02: EUR 20.00, tier 3+ (3 orders in the period)',
    );
    expect(statement.netCommission).toBe('60.00');
  });
});

describe('rule window', () => {
  it('pays only campaign days', () => {
    const plan = {
      rules: [
        {
          id: 'campaign',
          kind: 'fixed_per_order',
          label: 'November campaign',
          amount: '50.00',
          window: { from: '2026-11-10', to: '2026-11-20' },
          payment: PAID_WHEN_VALIDATED,
        },
      ],
    };
    const orders = [
      buildValidatedOrder('8001', november(9, '23:59')),
      buildValidatedOrder('8002', november(10, '00:00')),
      buildValidatedOrder('8003', november(20, '23:59')),
      buildValidatedOrder('8004', november(21, '00:00')),
    ];

    const statement = statementOf(calculatePlan(plan, orders));

    // Both window days are inclusive: 8002 and 8003 pay, 8001 and 8004 fall outside: 2 × 50.00 = 100.00
    expect(orderAmounts(statement)).toEqual([
      ['8002', '50.00'],
      ['8003', '50.00'],
    ]);
    expect(statement.netCommission).toBe('100.00');
  });

  it('selects held shares by state day', () => {
    const plan = {
      rules: [
        {
          id: 'campaign',
          kind: 'fixed_per_order',
          label: 'November campaign',
          amount: '100.00',
          window: { from: '2026-11-01', to: '2026-11-30' },
          holdUntil: 'supply_active',
          payment: PAID_WHEN_VALIDATED,
        },
      ],
    };
    const validatedInCampaign = buildPlanOrder('8002', {
      history: [
        ['signed', '2026-10-20T09:00:00.000Z'],
        ['validated', november(5)],
        ['supply_active', '2026-12-03T09:00:00.000Z'],
      ],
    });
    const validatedBeforeCampaign = buildPlanOrder('8003', {
      history: [
        ['signed', '2026-10-20T09:00:00.000Z'],
        ['validated', '2026-10-25T09:00:00.000Z'],
        ['supply_active', november(3)],
      ],
    });
    const orders = [validatedInCampaign, validatedBeforeCampaign];

    const inNovember = calculatePlan(plan, orders);
    const inDecember = statementOf(calculatePlan(plan, orders, { period: DECEMBER_2026 }));

    // November: 8003 is active, but was validated in October, before the campaign; 8002 is not active yet.
    expect(inNovember.statements).toEqual([]);
    // December: 8002 was validated in the campaign and its 100.00 is released on activation.
    expect(orderAmounts(inDecember)).toEqual([['8002', '100.00']]);
    expect(inDecember.lines[0]?.description).toBe(
      'Electricity contract 8002 validated on 2026-11-05, paid once activated on 2026-12-03: EUR 100.00',
    );
  });
});

describe('holdUntil', () => {
  const plan = {
    rules: [
      {
        id: 'held',
        kind: 'fixed_per_order',
        label: 'Held until active',
        amount: '100.00',
        holdUntil: 'supply_active',
        payment: [
          { state: 'validated', share: '0.4' },
          { state: 'supply_active', share: '0.6' },
        ],
      },
    ],
  };
  const activeInNovember = buildPlanOrder('8001', {
    history: [
      ['signed', '2026-10-20T09:00:00.000Z'],
      ['validated', november(3)],
      ['supply_active', november(20)],
    ],
  });
  const activeInDecember = buildPlanOrder('8002', {
    history: [
      ['signed', '2026-10-20T09:00:00.000Z'],
      ['validated', november(5)],
      ['supply_active', '2026-12-03T09:00:00.000Z'],
    ],
  });

  it('pays the validated share once active', () => {
    const statement = statementOf(calculatePlan(plan, [activeInNovember, activeInDecember]));

    // 8001: validated share 100.00 × 0.4 = 40.00, released on activation on the 20th; active
    // share 100.00 − 40.00 = 60.00. 8002 is not active yet, so it pays nothing in November.
    expect(orderAmounts(statement)).toEqual([
      ['8001', '40.00'],
      ['8001', '60.00'],
    ]);
    expect(statement.lines[0]?.description).toBe(
      'Electricity contract 8001 validated on 2026-11-03, paid once activated on 2026-11-20: ' +
        '40% of EUR 100.00 (validated share)',
    );
    expect(statement.lines[0]?.explanation.stateAt).toBe('2026-11-20T09:00:00.000Z');
    expect(statement.netCommission).toBe('100.00');
  });

  it('pays in the activation period', () => {
    const statement = statementOf(calculatePlan(plan, [activeInDecember], { period: DECEMBER_2026 }));

    // Validated in November and active on 2026-12-03: both shares are due in December, 40.00 + 60.00
    expect(orderAmounts(statement)).toEqual([
      ['8002', '40.00'],
      ['8002', '60.00'],
    ]);
    expect(statement.lines[0]?.description).toBe(
      'Electricity contract 8002 validated on 2026-11-05, paid once activated on 2026-12-03: ' +
        '40% of EUR 100.00 (validated share)',
    );
    expect(statement.netCommission).toBe('100.00');
  });
});
