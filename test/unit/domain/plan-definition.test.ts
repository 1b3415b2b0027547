import { describe, expect, it } from 'vitest';

import { PlanValidationError } from '../../../domain/errors.js';
import { parsePlanDefinition } from '../../../domain/plan/definition.js';
import { FIXED_SPLIT_RULE, PERCENTAGE_RULE } from './builders.js';

const TIERED_RULE = {
  id: 'activation-tiers',
  kind: 'tiered',
  label: 'Activation tiers',
  categories: ['electricity', 'gas'],
  countState: 'supply_active',
  mode: 'marginal',
  tiers: [
    { from: 1, to: 20, amount: '30.00' },
    { from: 21, to: 50, amount: '40.00' },
    { from: 51, amount: '55.00' },
  ],
};

const INSTALLER_RULE = {
  id: 'pv-per-kwp',
  kind: 'fixed_per_unit',
  label: 'PV per kWp',
  categories: ['pv'],
  amountPerUnit: '0.50',
  payment: [{ state: 'commissioned', share: '1' }],
};

/** Returns the issues of a definition that must be invalid. */
function issuesOf(definition: unknown): { path: string; message: string }[] {
  try {
    parsePlanDefinition(definition);
  } catch (error) {
    if (error instanceof PlanValidationError) {
      return [...error.issues];
    }
    throw error;
  }
  throw new Error('expected PlanValidationError, but the definition was accepted');
}

describe('parsePlanDefinition valid plans', () => {
  it('fills in cooling-off and clawback defaults', () => {
    const plan = parsePlanDefinition({ rules: [PERCENTAGE_RULE] });
    expect(plan.coolingOffDays).toBe(14);
    expect(plan.clawbackMonths).toBe(6);
  });

  it('accepts every rule kind', () => {
    const plan = parsePlanDefinition({
      coolingOffDays: 10,
      clawbackMonths: 12,
      rules: [PERCENTAGE_RULE, FIXED_SPLIT_RULE, INSTALLER_RULE, TIERED_RULE],
    });
    expect(plan.rules.map((rule) => rule.kind)).toEqual([
      'percentage_of_value',
      'fixed_per_order',
      'fixed_per_unit',
      'tiered',
    ]);
    expect(plan.coolingOffDays).toBe(10);
  });

  it('accepts JSON text', () => {
    expect(parsePlanDefinition(JSON.stringify({ rules: [INSTALLER_RULE] })).rules).toHaveLength(1);
  });

  it('accepts tiers paid as a rate', () => {
    const rule = {
      ...TIERED_RULE,
      tiers: [
        { from: 1, to: 10, rate: '0.02' },
        { from: 11, rate: '0.03' },
      ],
    };
    expect(parsePlanDefinition({ rules: [rule] }).rules[0]).toMatchObject({
      tiers: [{ rate: '0.02' }, { rate: '0.03' }],
    });
  });
});

describe('parsePlanDefinition errors', () => {
  it('rejects shares that do not sum to 1', () => {
    const rule = {
      ...FIXED_SPLIT_RULE,
      payment: [
        { state: 'validated', share: '0.40' },
        { state: 'supply_active', share: '0.50' },
      ],
    };
    expect(issuesOf({ rules: [PERCENTAGE_RULE, rule] })).toEqual([
      {
        path: 'rules[1].payment',
        message: 'shares sum to 0.9, not 1; make the shares of a rule add up to exactly 1',
      },
    ]);
  });

  it('rejects overlapping tiers at the later tier', () => {
    const rule = {
      ...TIERED_RULE,
      tiers: [
        { from: 1, to: 20, amount: '30.00' },
        { from: 20, amount: '40.00' },
      ],
    };
    expect(issuesOf({ rules: [PERCENTAGE_RULE, FIXED_SPLIT_RULE, rule] })).toEqual([
      {
        path: 'rules[2].tiers[1].from',
        message: 'tiers overlap with tier 0 (1-20); start this tier at 21, right after the previous tier ends',
      },
    ]);
  });

  it('rejects a gap between tiers', () => {
    const rule = {
      ...TIERED_RULE,
      tiers: [
        { from: 1, to: 20, amount: '30.00' },
        { from: 25, amount: '40.00' },
      ],
    };
    const [issue] = issuesOf({ rules: [rule] });
    expect(issue?.path).toBe('rules[0].tiers[1].from');
    expect(issue?.message).toMatch(/^counts 21-24 have no tier/);
  });

  it('rejects a first tier that does not start at 1', () => {
    const rule = { ...TIERED_RULE, tiers: [{ from: 5, amount: '30.00' }] };
    expect(issuesOf({ rules: [rule] }).map((issue) => issue.path)).toEqual(['rules[0].tiers[0].from']);
  });

  it('rejects a closed last tier', () => {
    const rule = { ...TIERED_RULE, tiers: [{ from: 1, to: 20, amount: '30.00' }] };
    expect(issuesOf({ rules: [rule] }).map((issue) => issue.path)).toEqual(['rules[0].tiers[0].to']);
  });

  it('rejects a tier with both amount and rate', () => {
    const rule = { ...TIERED_RULE, tiers: [{ from: 1, amount: '30.00', rate: '0.01' }] };
    expect(issuesOf({ rules: [rule] })).toEqual([
      { path: 'rules[0].tiers[0]', message: 'has both amount and rate; keep one of them' },
    ]);
  });

  it('rejects an unknown category and lists the valid ones', () => {
    const rule = { ...PERCENTAGE_RULE, categories: ['electricity', 'water'] };
    expect(issuesOf({ rules: [rule] })).toEqual([
      {
        path: 'rules[0].categories[1]',
        message: 'unknown product category "water"; use one of electricity, gas, emobility, pv, heating, cooling',
      },
    ]);
  });

  it('rejects an unknown rule kind', () => {
    const [issue] = issuesOf({ rules: [{ ...PERCENTAGE_RULE, kind: 'bonus_pool' }] });
    expect(issue?.path).toBe('rules[0].kind');
    expect(issue?.message).toMatch(/^unknown rule kind "bonus_pool"; use one of percentage_of_value/);
  });

  it('rejects a rate written as a number', () => {
    const [issue] = issuesOf({ rules: [{ ...PERCENTAGE_RULE, rate: 0.05 }] });
    expect(issue?.path).toBe('rules[0].rate');
    expect(issue?.message).toMatch(/^must be a string, not the number 0.05/);
  });

  it('rejects paying on a terminal state', () => {
    const rule = { ...INSTALLER_RULE, payment: [{ state: 'cancelled', share: '1' }] };
    expect(issuesOf({ rules: [rule] }).map((issue) => issue.path)).toEqual(['rules[0].payment[0].state']);
  });

  it('rejects duplicate rule ids and payment states', () => {
    const rule = {
      ...FIXED_SPLIT_RULE,
      id: PERCENTAGE_RULE.id,
      payment: [
        { state: 'validated', share: '0.5' },
        { state: 'validated', share: '0.5' },
      ],
    };
    expect(issuesOf({ rules: [PERCENTAGE_RULE, rule] }).map((issue) => issue.path)).toEqual([
      'rules[1].payment[1].state',
      'rules[1].id',
    ]);
  });

  it('rejects a misspelt field', () => {
    const { amountPerUnit, ...rest } = INSTALLER_RULE;
    const issues = issuesOf({ rules: [{ ...rest, amountPerUnt: amountPerUnit }] });
    expect(issues).toEqual([
      { path: 'rules[0].amountPerUnit', message: 'is missing' },
      { path: 'rules[0].amountPerUnt', message: 'unknown field; remove it or correct its spelling' },
    ]);
  });

  it('lists every problem in the message', () => {
    const badShares = { ...FIXED_SPLIT_RULE, payment: [{ state: 'validated', share: '0.4' }] };
    const badCategory = { ...INSTALLER_RULE, categories: ['solar'] };
    const definition = { coolingOffDays: -1, rules: [badShares, badCategory] };
    expect(() => parsePlanDefinition(definition)).toThrow(
      [
        'invalid plan definition (3 problems):',
        'coolingOffDays: must not be negative',
        'rules[0].payment: shares sum to 0.4, not 1; make the shares of a rule add up to exactly 1',
        'rules[1].categories[0]: unknown product category "solar"; use one of electricity, gas, emobility, pv, heating, cooling',
      ].join('\n'),
    );
  });

  it('rejects malformed JSON text', () => {
    expect(issuesOf('{"rules": [')).toEqual([{ path: '', message: expect.stringMatching(/^is not valid JSON/) }]);
  });
});
