import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../config/config.js';
import { DEMO_PLANS } from '../../demo/plans.js';
import { planFileJsonSchema } from '../../domain/plan/plan-file.js';
import { parsePlanFile, PlanFileError, readPlanFile, type PlanFileIssue } from '../../integrations/plans/plan-file.js';
import { WALLBOX_PLAN_YAML } from '../support/plan-files.js';

function issuesOf(text: string): PlanFileIssue[] {
  try {
    parsePlanFile(text, 'plan.yaml');
  } catch (error) {
    if (error instanceof PlanFileError) return error.issues;
    throw error;
  }
  throw new Error('the plan file was accepted');
}

const VALID = WALLBOX_PLAN_YAML;

describe('plan files', () => {
  it('reads every demo plan', () => {
    expect(DEMO_PLANS.map((plan) => plan.id)).toEqual([
      'agencies-2026',
      'installers-2026',
      'outbound-2026',
      'sales-agents-2026',
      'technicians-2026',
    ]);
  });

  it('publishes the current JSON Schema', async () => {
    const committed = JSON.parse(await readFile(path.join(projectRoot(), 'docs', 'plan.schema.json'), 'utf8'));

    // Regenerate with: node dist/cli/main.js plan schema > docs/plan.schema.json
    expect(committed).toEqual(planFileJsonSchema());
  });

  it('reads a valid plan and fills defaults', () => {
    const plan = parsePlanFile(VALID, 'plan.yaml');

    expect(plan.versions[0]?.definition.coolingOffDays).toBe(14);
    expect(plan.versions[0]?.definition.clawbackMonths).toBe(6);
    expect(plan.versions[0]?.effectiveTo).toBe('2026-11-21');
  });

  it('reads the same plan written as JSON', () => {
    const plan = parsePlanFile(JSON.stringify(parsePlanFile(VALID, 'a.yaml')), 'plan.json');

    expect(plan.id).toBe('promo-wallbox');
  });

  it('places a wrong value on its line', () => {
    const [issue, ...rest] = issuesOf(VALID.replace('amount: "25.00"', 'amount: "25.001"'));

    expect(rest).toEqual([]);
    expect(issue?.path).toBe('versions[0].definition.rules[0].amount');
    expect(issue?.line).toBe(15);
  });

  it('places an unknown field on its own line', () => {
    const [issue] = issuesOf(VALID.replace('    version: 1\n', '    version: 1\n    effectiveFromm: 2026-11-01\n'));

    expect(issue?.line).toBe(7);
    expect(issue?.path).toBe('versions[0].effectiveFromm');
  });

  it('places a missing field at its object', () => {
    const [issue] = issuesOf(VALID.replace('name: Wallbox promotion\n', ''));

    expect(issue?.path).toBe('name');
    expect(issue?.line).toBe(1);
  });

  it('lists every problem at once', () => {
    const issues = issuesOf(
      VALID.replace('share: "1"', 'share: "0.5"').replace('effectiveTo: 2026-11-21', 'effectiveTo: 2026-10-21'),
    );
    const paths = issues.map((issue) => issue.path);

    expect(paths).toContain('versions[0].effectiveTo');
    expect(paths.some((found) => found.startsWith('versions[0].definition.rules[0].payment'))).toBe(true);
  });

  it('reports YAML syntax errors with their line', () => {
    const [issue] = issuesOf(VALID.replace('partners: [P00002, P00003]', 'partners: [P00002, P00003'));

    expect(issue?.message).toMatch(/^invalid YAML/);
    expect(issue?.line).toBeGreaterThanOrEqual(21);
  });

  it('rejects duplicate version numbers', () => {
    const [head, rest] = VALID.split('assignments:\n') as [string, string];
    const second = head.split('versions:\n')[1]!.replace('promo-wallbox-v1', 'promo-wallbox-v2');
    const issues = issuesOf(`${head}${second}assignments:\n${rest}`);

    expect(issues.map((issue) => issue.message)).toContain('duplicate version number 1, also at versions[0]');
  });

  it('reports an unreadable file as an issue', async () => {
    await expect(readPlanFile('/nonexistent/plan.yaml')).rejects.toThrow(/plan\.yaml:1:1: cannot read the file/);
  });
});
