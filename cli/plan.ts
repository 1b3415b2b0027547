import { planFileJsonSchema } from '../domain/plan/plan-file.js';
import { formatPlanFileIssue, PlanFileError, readPlanFile } from '../integrations/plans/plan-file.js';

/**
 * Validates each plan file and prints `ok` with its versions, or every problem with its place.
 * Returns the exit code: 0 when all files are valid, 1 otherwise.
 */
export async function runPlanCheck(files: string[]): Promise<number> {
  let failed = 0;
  for (const file of files) {
    try {
      const plan = await readPlanFile(file);
      const versions = plan.versions.map((version) => `v${version.version} from ${version.effectiveFrom}`).join(', ');
      process.stdout.write(`ok ${file}: plan ${plan.id} (${versions}), assigned to ${plan.assignTo.join(', ')}\n`);
    } catch (error) {
      if (!(error instanceof PlanFileError)) throw error;
      failed += 1;
      for (const issue of error.issues) process.stdout.write(`${formatPlanFileIssue(issue)}\n`);
    }
  }
  if (failed > 0) process.stdout.write(`${failed} of ${files.length} plan files are invalid\n`);
  return failed > 0 ? 1 : 0;
}

/** Prints the JSON Schema of plan files. */
export function runPlanSchema(): void {
  process.stdout.write(`${JSON.stringify(planFileJsonSchema(), null, 2)}\n`);
}
