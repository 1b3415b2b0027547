/**
 * The demo incentive plans: the plan files in examples/plans, one per partner kind. The amounts
 * are illustrative values in plausible ranges for an energy retailer: 40-120 € per supply contract,
 * 3-6% of the value of equipment, 150-400 € per installation job. They are not any company's rates.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { parsePlanFile } from '../integrations/plans/plan-file.js';
import type { PlanInput } from '../store/plans.js';

/** A demo plan, as its plan file writes it. */
export type DemoPlan = PlanInput;

/** Returns the repository's examples/plans folder, from the source tree or from dist/. */
export function demoPlanDirectory(): string {
  let directory = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = path.join(directory, 'examples', 'plans');
    if (existsSync(candidate)) return candidate;
    const parent = path.dirname(directory);
    if (parent === directory) throw new Error('examples/plans was not found above the demo module; reinstall Incentra');
    directory = parent;
  }
}

/**
 * Reads and validates every `*.plan.yaml` file of the folder, sorted by file name. Throws
 * PlanFileError naming the file, line and column of the first invalid file.
 */
export function readPlanDirectory(directory: string): DemoPlan[] {
  return readdirSync(directory)
    .filter((name) => name.endsWith('.plan.yaml'))
    .sort()
    .map((name) => {
      const file = path.join(directory, name);
      // The validated plan has its defaults filled in, which upsertPlans accepts as well.
      return parsePlanFile(readFileSync(file, 'utf8'), file) as DemoPlan;
    });
}

/** The five demo plans: agencies, sales agents, outbound call centres, installers and technicians. */
export const DEMO_PLANS: readonly DemoPlan[] = readPlanDirectory(demoPlanDirectory());
