import type { AssignmentEntry } from '../domain/plan/plan-file.js';
import { planFileJsonSchema } from '../domain/plan/plan-file.js';
import { formatPlanFileIssue, readPlanFiles } from '../integrations/plans/plan-file.js';

function describeDays(from: string, to: string | null): string {
  return to === null ? `from ${from}` : `${from} to ${to}`;
}

function describeEntry(entry: AssignmentEntry): string {
  const partners =
    entry.partners === undefined
      ? `${(entry.kinds ?? []).join('/')}${entry.territories === undefined ? '' : ` in ${entry.territories.join('/')}`}`
      : entry.partners.join('/');
  return `${partners} ${describeDays(entry.effectiveFrom, entry.effectiveTo)}`;
}

/**
 * Validates the plan files, each on its own and then together (no partner assigned by two plans
 * on a day), and prints `ok` with each plan's versions and assignments, or every problem with its
 * place. Returns the exit code: 0 when all files are valid, 1 otherwise.
 */
export async function runPlanCheck(files: string[]): Promise<number> {
  const { plans, issues } = await readPlanFiles(files);
  const failedFiles = new Set(issues.map((issue) => issue.file));
  for (const { file, plan } of plans) {
    if (failedFiles.has(file)) continue;
    const versions = plan.versions
      .map((version) => `v${version.version} ${describeDays(version.effectiveFrom, version.effectiveTo)}`)
      .join(', ');
    const assignments = plan.assignments.map(describeEntry).join('; ');
    process.stdout.write(`ok ${file}: plan ${plan.id} (${versions}), assigned to ${assignments}\n`);
  }
  for (const issue of issues) process.stdout.write(`${formatPlanFileIssue(issue)}\n`);
  if (failedFiles.size > 0) process.stdout.write(`${failedFiles.size} of ${files.length} plan files are invalid\n`);
  return failedFiles.size > 0 ? 1 : 0;
}

/** Prints the JSON Schema of plan files. */
export function runPlanSchema(): void {
  process.stdout.write(`${JSON.stringify(planFileJsonSchema(), null, 2)}\n`);
}
