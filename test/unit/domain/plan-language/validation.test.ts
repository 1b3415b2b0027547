import { describe, expect, it } from 'vitest';

import { checkPlanSet, parsePlanFile } from '../../../../integrations/plans/plan-file.js';
import { issuesOf } from './support.js';

/** A valid one-rule definition in YAML flow style, for plan files whose problem lies elsewhere. */
const DEFINITION =
  '{ rules: [{ id: per-order, kind: fixed_per_order, label: Per order, amount: "50.00", ' +
  'payment: [{ state: validated, share: "1" }] }] }';

describe('unknown names', () => {
  it('reports an unknown accelerator metric', () => {
    const text = `id: sales-2026
name: Sales 2026
versions:
  - id: sales-2026-v1
    version: 1
    effectiveFrom: 2026-01-01
    effectiveTo: null
    definition:
      metrics:
        validations: { kind: count, state: validated }
      rules:
        - id: per-order
          kind: fixed_per_order
          label: Per order
          amount: "50.00"
          payment: [{ state: validated, share: "1" }]
        - id: accelerator
          kind: accelerator
          label: Volume accelerator
          metric: validatons
          appliesTo: [per-order]
          bands: [{ from: "0", multiplier: "1" }]
assignments:
  - kinds: [sales_agent]
    effectiveFrom: 2026-01-01
`;

    // Line 20 is "          metric: validatons": 10 spaces and "metric: " put the value at column 19.
    expect(issuesOf(text)).toEqual([
      {
        file: 'plan.yaml',
        line: 20,
        column: 19,
        path: 'versions[0].definition.rules[1].metric',
        message: 'unknown metric "validatons"; define it under metrics (defined: validations)',
      },
    ]);
  });

  it('reports an unknown name in a formula', () => {
    const text = `id: sales-2026
name: Sales 2026
versions:
  - id: sales-2026-v1
    version: 1
    effectiveFrom: 2026-01-01
    effectiveTo: null
    definition:
      metrics:
        validations: { kind: count, state: validated }
      rules:
        - id: volume-bonus
          kind: bonus
          label: Volume bonus
          amount: "100 + 10 * validatons"
assignments:
  - kinds: [sales_agent]
    effectiveFrom: 2026-01-01
`;

    // Line 15: the quote is at column 19 and "100 + 10 * " is 11 characters, so the name starts at
    // 19 + 1 + 11 = 31.
    expect(issuesOf(text)).toEqual([
      {
        file: 'plan.yaml',
        line: 15,
        column: 31,
        path: 'versions[0].definition.rules[0].amount',
        message: 'unknown name "validatons"; known names: validations',
      },
    ]);
  });

  it('reports an unknown attribute', () => {
    const text = `id: sales-2026
name: Sales 2026
versions:
  - id: sales-2026-v1
    version: 1
    effectiveFrom: 2026-01-01
    effectiveTo: null
    definition:
      attributes:
        Customer_Type__c: text
      rules:
        - id: battery
          kind: formula
          label: Battery storage
          categories: [pv]
          amount: "min(attr.Battery_kWh__c * 15, 200)"
          payment: [{ state: commissioned, share: "1" }]
assignments:
  - kinds: [installer]
    effectiveFrom: 2026-01-01
`;

    // Line 16: the quote is at column 19 and "min(" is 4 characters, so attr starts at 19 + 1 + 4 = 24.
    expect(issuesOf(text)).toEqual([
      {
        file: 'plan.yaml',
        line: 16,
        column: 24,
        path: 'versions[0].definition.rules[0].amount',
        message:
          'unknown attribute "Battery_kWh__c"; declare it under attributes in the plan ' +
          '(declared attributes: Customer_Type__c)',
      },
    ]);
  });

  it('reports an unknown parameter placeholder', () => {
    const text = `id: sales-2026
name: Sales 2026
versions:
  - id: sales-2026-v1
    version: 1
    effectiveFrom: 2026-01-01
    effectiveTo: null
    definition:
      parameters:
        amount: { type: amount, default: "50.00" }
      rules:
        - id: per-order
          kind: fixed_per_order
          label: Per order
          amount: "\${amout}"
          payment: [{ state: validated, share: "1" }]
assignments:
  - kinds: [sales_agent]
    effectiveFrom: 2026-01-01
`;

    // Line 15: the value starts with its quote at column 19.
    expect(issuesOf(text)).toEqual([
      {
        file: 'plan.yaml',
        line: 15,
        column: 19,
        path: 'versions[0].definition.rules[0].amount',
        message: 'unknown parameter "amout"; declare it under parameters (declared: amount)',
      },
    ]);
  });
});

describe('formula types and syntax', () => {
  const planWith = (rule: string) => `id: sales-2026
name: Sales 2026
versions:
  - id: sales-2026-v1
    version: 1
    effectiveFrom: 2026-01-01
    effectiveTo: null
    definition:
      attributes:
        Customer_Type__c: text
      rules:
        - id: per-order
          kind: fixed_per_order
          label: Per order
${rule}
          payment: [{ state: validated, share: "1" }]
assignments:
  - kinds: [sales_agent]
    effectiveFrom: 2026-01-01
`;

  it('reports an operator type mismatch', () => {
    const text = planWith('          amount: "50.00"\n          where: attr.Customer_Type__c > 5');

    // Line 16 has the plain where value from column 18, and ">" is its 23rd character: 18 + 22 = 40.
    expect(issuesOf(text)).toEqual([
      {
        file: 'plan.yaml',
        line: 16,
        column: 40,
        path: 'versions[0].definition.rules[0].where',
        message: 'type mismatch: ">" needs numbers, but attr.Customer_Type__c is text',
      },
    ]);
  });

  it('reports a result type mismatch', () => {
    const text = planWith('          amount: "50.00"\n          where: "value * 2"');

    // The message has no position inside the formula, so it points at the value: line 16, column 18.
    expect(issuesOf(text)).toEqual([
      {
        file: 'plan.yaml',
        line: 16,
        column: 18,
        path: 'versions[0].definition.rules[0].where',
        message: 'type mismatch: the formula gives a number, but a boolean is needed here',
      },
    ]);
  });

  it.each([
    // The quote is at column 19 and the second "*" is character 9 of the formula: 19 + 1 + 8 = 28.
    ['quoted', '"value * * 0.05"', 28],
    // The plain value starts at column 19: 19 + 8 = 27.
    ['plain', 'value * * 0.05', 27],
  ])('reports a syntax error column in %s value', (_style, value, column) => {
    const text = planWith(`          where: "true"\n          amount: ${value}`).replace(
      'kind: fixed_per_order',
      'kind: formula',
    );

    expect(issuesOf(text)).toEqual([
      {
        file: 'plan.yaml',
        line: 16,
        column,
        path: 'versions[0].definition.rules[0].amount',
        message: 'syntax error at character 9: Value expected',
      },
    ]);
  });
});

describe('tiers and bands', () => {
  it('reports overlapping tiers', () => {
    const text = `id: sales-2026
name: Sales 2026
versions:
  - id: sales-2026-v1
    version: 1
    effectiveFrom: 2026-01-01
    effectiveTo: null
    definition:
      rules:
        - id: activation-tiers
          kind: tiered
          label: Activation tiers
          countState: supply_active
          mode: marginal
          tiers:
            - { from: 1, to: 20, amount: "30.00" }
            - { from: 20, amount: "40.00" }
assignments:
  - kinds: [sales_agent]
    effectiveFrom: 2026-01-01
`;

    // Line 17: "            - { from: " is 22 characters, so the value 20 is at column 23.
    expect(issuesOf(text)).toEqual([
      {
        file: 'plan.yaml',
        line: 17,
        column: 23,
        path: 'versions[0].definition.rules[0].tiers[1].from',
        message: 'tiers overlap with tier 0 (1-20); start this tier at 21, right after the previous tier ends',
      },
    ]);
  });

  it('reports overlapping bands', () => {
    const text = `id: sales-2026
name: Sales 2026
versions:
  - id: sales-2026-v1
    version: 1
    effectiveFrom: 2026-01-01
    effectiveTo: null
    definition:
      metrics:
        validations: { kind: count, state: validated }
      rules:
        - id: per-order
          kind: fixed_per_order
          label: Per order
          amount: "50.00"
          payment: [{ state: validated, share: "1" }]
        - id: accelerator
          kind: accelerator
          label: Volume accelerator
          metric: validations
          appliesTo: [per-order]
          bands:
            - { from: "0", to: "10", multiplier: "0.9" }
            - { from: "8", to: "20", multiplier: "1.1" }
            - { from: "20", multiplier: "1.2" }
assignments:
  - kinds: [sales_agent]
    effectiveFrom: 2026-01-01
`;

    // Line 24: "            - { from: " is 22 characters, so the quoted "8" starts at column 23.
    expect(issuesOf(text)).toEqual([
      {
        file: 'plan.yaml',
        line: 24,
        column: 23,
        path: 'versions[0].definition.rules[1].bands[1].from',
        message: 'bands overlap with band 0 (0 to 10); start this band at "10"',
      },
    ]);
  });
});

describe('version dates', () => {
  const planWithVersions = (firstEnd: string, secondStart: string) => `id: sales-2026
name: Sales 2026
versions:
  - id: sales-2026-v1
    version: 1
    effectiveFrom: 2026-01-01
    effectiveTo: ${firstEnd}
    definition: ${DEFINITION}
  - id: sales-2026-v2
    version: 2
    effectiveFrom: ${secondStart}
    effectiveTo: null
    definition: ${DEFINITION}
assignments:
  - kinds: [sales_agent]
    effectiveFrom: 2026-01-01
`;

  it('reports a gap between versions', () => {
    // Line 11: "    effectiveFrom: " is 19 characters, so the date is at column 20.
    expect(issuesOf(planWithVersions('2026-06-30', '2026-07-05'))).toEqual([
      {
        file: 'plan.yaml',
        line: 11,
        column: 20,
        path: 'versions[1].effectiveFrom',
        message:
          'gap in effective dates: no version applies from 2026-07-01 to the day before 2026-07-05; ' +
          'start this version on 2026-07-01 or extend versions[0]',
      },
    ]);
  });

  it('reports overlapping versions', () => {
    expect(issuesOf(planWithVersions('2026-07-10', '2026-07-01'))).toEqual([
      {
        file: 'plan.yaml',
        line: 11,
        column: 20,
        path: 'versions[1].effectiveFrom',
        message:
          'overlaps versions[0] (sales-2026-v1, 2026-01-01 until 2026-07-10); end that version on 2026-06-30 ' +
          'or earlier',
      },
    ]);
  });
});

describe('assignments', () => {
  it('reports two group entries for one partner', () => {
    const text = `id: sales-2026
name: Sales 2026
versions:
  - id: sales-2026-v1
    version: 1
    effectiveFrom: 2026-01-01
    effectiveTo: null
    definition: ${DEFINITION}
assignments:
  - kinds: [sales_agent]
    territories: [north, south]
    effectiveFrom: 2026-01-01
  - kinds: [sales_agent, outbound]
    territories: [north]
    effectiveFrom: 2026-11-01
    effectiveTo: 2026-12-31
`;

    // Line 13: the second entry's mapping starts after "  - ", at column 5. Both entries are groups
    // with territories, equally specific, so neither takes precedence.
    expect(issuesOf(text)).toEqual([
      {
        file: 'plan.yaml',
        line: 13,
        column: 5,
        path: 'assignments[1]',
        message:
          'assigns every sales_agent partner in north a second time from 2026-11-01 to 2026-12-31, as ' +
          'assignments[0] does; give the entries separate dates or separate partners',
      },
    ]);
  });

  it('reports a parameter without value', () => {
    const text = `id: sales-2026
name: Sales 2026
versions:
  - id: sales-2026-v1
    version: 1
    effectiveFrom: 2026-01-01
    effectiveTo: null
    definition:
      parameters:
        amount: { type: amount }
      rules:
        - id: per-order
          kind: fixed_per_order
          label: Per order
          amount: "\${amount}"
          payment: [{ state: validated, share: "1" }]
assignments:
  - kinds: [sales_agent]
    effectiveFrom: 2026-01-01
`;

    // The entry has no parameters, so the issue points at the entry: line 18, column 5.
    expect(issuesOf(text)).toEqual([
      {
        file: 'plan.yaml',
        line: 18,
        column: 5,
        path: 'assignments[0].parameters.amount',
        message:
          'with versions[0] (sales-2026-v1): has no default and the assignment gives no value; add "amount" to ' +
          "the assignment's parameters",
      },
    ]);
  });

  it('reports one partner in two files', () => {
    const planFile = (id: string, assignments: string) => `id: ${id}
name: Plan ${id}
versions:
  - id: ${id}-v1
    version: 1
    effectiveFrom: 2026-01-01
    effectiveTo: null
    definition: ${DEFINITION}
assignments:
${assignments}
`;
    const first = planFile('plan-a', '  - partners: [P00001]\n    effectiveFrom: 2026-01-01');
    const second = planFile(
      'plan-b',
      '  - partners: [P00002, P00001]\n    effectiveFrom: 2026-11-01\n    effectiveTo: 2026-11-30',
    );
    const loaded = [
      { file: 'a.plan.yaml', text: first, plan: parsePlanFile(first, 'a.plan.yaml') },
      { file: 'b.plan.yaml', text: second, plan: parsePlanFile(second, 'b.plan.yaml') },
    ];

    // The later file gets the issue, at its entry on line 10, column 5.
    expect(checkPlanSet(loaded)).toEqual([
      {
        file: 'b.plan.yaml',
        line: 10,
        column: 5,
        path: 'assignments[0]',
        message:
          'assigns partner P00001 from 2026-11-01 to 2026-11-30, but plan plan-a assigns them too ' +
          '(its assignments[0]); a partner can have only one plan on a day',
      },
    ]);
  });
});
