/**
 * The plan file: a plan with its effective-dated versions and its effective-dated assignments to
 * partners or groups of partners, as business users write it in YAML or JSON.
 * `docs/plan.schema.json` is generated from this schema.
 */
import { z } from 'zod';

import type { ValidationIssue } from '../errors.js';
import { addDays } from '../time.js';
import { PARTNER_KINDS } from '../model.js';
import { checkAssignmentEntries } from './assignments.js';
import { planDefinitionSchema } from './definition.js';
import { dateSchema, idSchema, labelSchema, unknownValueMessage } from './values.js';

const planVersionSchema = z.strictObject({
  id: idSchema,
  version: z.number().int({ error: 'must be a whole number' }).min(1, { error: 'must be 1 or more' }),
  effectiveFrom: dateSchema,
  effectiveTo: dateSchema.nullable().describe('Last day the version applies (inclusive), or null for an open end.'),
  definition: planDefinitionSchema,
});

/**
 * An assignment entry: the partners a plan applies to, and from when. An entry names partners by id, or a group by partner kinds and
 * optionally territories. For a partner named by id, the group entries of the same plan do not
 * apply, so one entry can give a single partner its own parameter values.
 */
export const assignmentEntrySchema = z
  .strictObject({
    partners: z.array(idSchema).min(1, { error: 'must list at least one partner id' }).optional(),
    kinds: z
      .array(z.enum(PARTNER_KINDS, { error: unknownValueMessage('partner kind', PARTNER_KINDS) }))
      .min(1, { error: 'must list at least one partner kind' })
      .optional(),
    territories: z.array(labelSchema).min(1, { error: 'must list at least one territory' }).optional(),
    effectiveFrom: dateSchema,
    effectiveTo: dateSchema.nullable().default(null).describe('Last day (inclusive), or null for an open end.'),
    parameters: z
      .record(z.string(), z.string({ error: 'must be a string such as "40" or "80.00"' }))
      .default({})
      .describe('Values of the template parameters that the versions declare.'),
  })
  .superRefine((entry, context) => {
    if ((entry.partners === undefined) === (entry.kinds === undefined)) {
      context.addIssue({
        code: 'custom',
        message: 'must name either partners (by id) or kinds (a group, optionally narrowed by territories)',
      });
    }
    if (entry.partners !== undefined && entry.territories !== undefined) {
      context.addIssue({
        code: 'custom',
        path: ['territories'],
        message: 'applies only to a group by kinds; remove it from an entry that names partners',
      });
    }
    if (entry.effectiveTo !== null && entry.effectiveTo < entry.effectiveFrom) {
      context.addIssue({
        code: 'custom',
        path: ['effectiveTo'],
        message: `ends on ${entry.effectiveTo}, before it starts on ${entry.effectiveFrom}`,
      });
    }
  });

export type AssignmentEntry = z.infer<typeof assignmentEntrySchema>;

function addIssues(
  context: z.RefinementCtx,
  issues: readonly (ValidationIssue & { pathSegments: (string | number)[] })[],
) {
  for (const issue of issues) {
    context.addIssue({ code: 'custom', path: issue.pathSegments, message: issue.message });
  }
}

/** Reports duplicate version ids and numbers, and versions that overlap or leave a gap between them. */
function checkVersions(
  plan: { versions: { id: string; version: number; effectiveFrom: string; effectiveTo: string | null }[] },
  context: z.RefinementCtx,
) {
  const seenIds = new Map<string, number>();
  const seenNumbers = new Map<number, number>();
  plan.versions.forEach((version, index) => {
    const firstId = seenIds.get(version.id);
    if (firstId !== undefined) {
      context.addIssue({
        code: 'custom',
        path: ['versions', index, 'id'],
        message: `duplicate version id ${version.id}, also at versions[${firstId}]; give each version its own id`,
      });
    }
    seenIds.set(version.id, firstId ?? index);
    const firstNumber = seenNumbers.get(version.version);
    if (firstNumber !== undefined) {
      context.addIssue({
        code: 'custom',
        path: ['versions', index, 'version'],
        message: `duplicate version number ${version.version}, also at versions[${firstNumber}]`,
      });
    }
    seenNumbers.set(version.version, firstNumber ?? index);
    if (version.effectiveTo !== null && version.effectiveTo < version.effectiveFrom) {
      context.addIssue({
        code: 'custom',
        path: ['versions', index, 'effectiveTo'],
        message: `ends on ${version.effectiveTo}, before it starts on ${version.effectiveFrom}`,
      });
    }
  });

  const byStart = plan.versions
    .map((version, index) => ({ version, index }))
    .sort((left, right) => (left.version.effectiveFrom < right.version.effectiveFrom ? -1 : 1));
  for (let position = 1; position < byStart.length; position += 1) {
    const previous = byStart[position - 1] as (typeof byStart)[number];
    const current = byStart[position] as (typeof byStart)[number];
    const previousEnd = previous.version.effectiveTo;
    const path = ['versions', current.index, 'effectiveFrom'];
    if (previousEnd === null || previousEnd >= current.version.effectiveFrom) {
      const until = previousEnd === null ? 'with no end' : `until ${previousEnd}`;
      context.addIssue({
        code: 'custom',
        path,
        message:
          `overlaps versions[${previous.index}] (${previous.version.id}, ${previous.version.effectiveFrom} ${until}); ` +
          `end that version on ${addDays(current.version.effectiveFrom, -1)} or earlier`,
      });
    } else if (addDays(previousEnd, 1) !== current.version.effectiveFrom) {
      context.addIssue({
        code: 'custom',
        path,
        message:
          `gap in effective dates: no version applies from ${addDays(previousEnd, 1)} to the day before ` +
          `${current.version.effectiveFrom}; start this version on ${addDays(previousEnd, 1)} or extend versions[${previous.index}]`,
      });
    }
  }
}

/** Schema of a plan file. */
export const planFileSchema = z
  .strictObject({
    id: idSchema,
    name: labelSchema,
    versions: z.array(planVersionSchema).min(1, { error: 'must list at least one version' }),
    assignments: z.array(assignmentEntrySchema).min(1, { error: 'must list at least one assignment' }),
  })
  .superRefine((plan, context) => {
    checkVersions(plan, context);
    addIssues(context, checkAssignmentEntries(plan));
  });

/** A validated plan file, with the defaults of each definition filled in. */
export type PlanFile = z.infer<typeof planFileSchema>;
/** A plan file as written, before parsing fills in defaults. */
export type PlanFileInput = z.input<typeof planFileSchema>;

/** Returns the JSON Schema (draft 2020-12) of plan files, for editors that validate and complete them. */
export function planFileJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(planFileSchema, { io: 'input' }),
    $id: 'https://incentra.dev/schemas/plan.schema.json',
    title: 'Incentra plan file',
  };
}
