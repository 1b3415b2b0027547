import { describe, expect, it } from 'vitest';

import { issuesOf } from './support.js';

/** Builds a plan file around `definition` lines (indented by six spaces) and `entry` lines of its one assignment. */
function planFile(definition: string, entry = ''): string {
  return `id: tech
name: Tech
versions:
  - id: tech-v1
    version: 1
    effectiveFrom: 2026-01-01
    effectiveTo: null
    definition:
${definition}
assignments:
  - kinds: [technician]
    effectiveFrom: 2026-01-01
${entry}`;
}

const JOB_RULE = `      rules:
        - { id: job, kind: fixed_per_order, label: Job, amount: '\${jobAmount}', payment: [{ state: commissioned, share: '1' }] }`;

describe('parameter values in their fields', () => {
  it('reports a default that does not fit', () => {
    const text = planFile(`      parameters: { jobAmount: { type: decimal, default: '120.005' } }\n${JOB_RULE}`);

    // The decimal default is valid as a decimal but not as the rule's amount. The entry on line 13
    // gives no parameters, so the problem is placed at the entry.
    expect(issuesOf(text)).toEqual([
      {
        file: 'plan.yaml',
        line: 13,
        column: 5,
        path: 'assignments[0].parameters',
        message:
          'with versions[0] (tech-v1): rules[0].amount: must be a non-negative amount with at most two fraction ' +
          'digits, such as "30.00", or a "${parameter}" (with the parameters jobAmount=120.005)',
      },
    ]);
  });

  it('reports an entry value that does not fit', () => {
    const text = planFile(
      `      parameters: { jobAmount: { type: decimal } }\n${JOB_RULE}`,
      "    parameters: { jobAmount: '7.125' }\n",
    );

    expect(issuesOf(text).map((issue) => issue.path)).toEqual(['assignments[0].parameters']);
  });
});

describe('dates and limits', () => {
  it('reports a day that does not exist', () => {
    const text = planFile(`      rules:
        - { id: bonus, kind: bonus, label: Bonus, amount: '10', window: { from: 2026-11-01, to: 2026-11-31 } }`);

    expect(issuesOf(text)).toEqual([
      {
        file: 'plan.yaml',
        line: 10,
        column: 97,
        path: 'versions[0].definition.rules[0].window.to',
        message: '"2026-11-31" is not a day of the calendar; check the day of the month',
      },
    ]);
  });

  it('reports a cap below its floor', () => {
    const text = planFile(`${JOB_RULE.replace("'${jobAmount}'", "'50.00'")}
      limits: { periodCap: '100.00', periodFloor: '200.00' }`);

    expect(issuesOf(text)).toEqual([
      {
        file: 'plan.yaml',
        line: 11,
        column: 28,
        path: 'versions[0].definition.limits.periodCap',
        message: 'periodCap 100.00 is below periodFloor 200.00; a cap must be at least the floor',
      },
    ]);
  });
});
