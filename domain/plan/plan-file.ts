/**
 * The plan file: a plan with its effective-dated versions and the partner kinds it is assigned to,
 * as business users write it in YAML or JSON. `docs/plan.schema.json` is generated from this schema.
 */
import { z } from 'zod';

import { PARTNER_KINDS } from '../model.js';
import { planDefinitionSchema } from './definition.js';

const dateSchema = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, { error: 'must be a date as YYYY-MM-DD, e.g. 2026-12-01' });

const planVersionSchema = z.strictObject({
  id: z.string().trim().min(1, { error: 'must not be empty' }).max(64, { error: 'must be at most 64 characters' }),
  version: z.number().int({ error: 'must be a whole number' }).min(1, { error: 'must be 1 or more' }),
  effectiveFrom: dateSchema,
  effectiveTo: dateSchema.nullable().describe('Last day the version applies (inclusive), or null for an open end.'),
  definition: planDefinitionSchema,
});

/** Schema of a plan file. Version ids and numbers are unique, and each version ends no earlier than it starts. */
export const planFileSchema = z
  .strictObject({
    id: z.string().trim().min(1, { error: 'must not be empty' }).max(64, { error: 'must be at most 64 characters' }),
    name: z.string().trim().min(1, { error: 'must not be empty' }),
    assignTo: z
      .array(z.enum(PARTNER_KINDS, { error: `must be one of ${PARTNER_KINDS.join(', ')}` }))
      .min(1, { error: 'must name at least one partner kind' }),
    versions: z.array(planVersionSchema).min(1, { error: 'must list at least one version' }),
  })
  .superRefine((plan, context) => {
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
  });

/** A validated plan file, with the defaults of each definition filled in. */
export type PlanFile = z.infer<typeof planFileSchema>;

/** Returns the JSON Schema (draft 2020-12) of plan files, for editors that validate and complete them. */
export function planFileJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(planFileSchema, { io: 'input' }),
    $id: 'https://incentra.dev/schemas/plan.schema.json',
    title: 'Incentra plan file',
  };
}
