/**
 * Plan routes: upload a plan file and list the stored plans. An uploaded file is validated before
 * anything is stored, so a malformed plan never reaches a calculation and the versions in force
 * stay as they are.
 */
import { z } from 'zod';
import { parsePlanFile, PlanFileError } from '../../integrations/plans/plan-file.js';
import type { PrismaClient } from '../../store/prisma.js';
import {
  DoubleAssignmentError,
  OverlappingPlanVersionsError,
  PlanVersionInUseError,
  upsertPlans,
} from '../../store/plans.js';
import { ConflictError, InvalidRequestError, type ErrorDetail } from '../errors.js';
import { defineOperation, type ApiOperation } from '../operation.js';

/** A plan file's text with an optional name for its error messages, as the plan and simulation routes accept it. */
export const planSourceSchema = z.strictObject({
  source: z
    .string({ error: 'is required: the text of the plan file, YAML or JSON' })
    .min(1, 'must not be empty')
    .max(1_000_000, 'must be at most 1,000,000 characters')
    .describe('The plan file as written, YAML or JSON, so that errors can name its lines.'),
  fileName: z.string().trim().min(1).max(200).optional().describe('Name used in error messages; default "plan".'),
});

const uploadBody = planSourceSchema.meta({ id: 'PlanUpload' });

/**
 * Converts the issues of a PlanFileError into error details whose path is `line:column` and the
 * path inside the plan, with `file:` in front when `withFile` is set, for requests with several files.
 */
export function planFileIssueDetails(error: PlanFileError, withFile = false): ErrorDetail[] {
  return error.issues.map((issue) => {
    const place = withFile ? `${issue.file}:${issue.line}:${issue.column}` : `${issue.line}:${issue.column}`;
    return { path: issue.path === '' ? place : `${place} ${issue.path}`, message: issue.message };
  });
}

const planVersionSummary = z.object({
  id: z.string(),
  version: z.number().int(),
  effectiveFrom: z.string().describe('YYYY-MM-DD.'),
  effectiveTo: z.string().nullable().describe('YYYY-MM-DD, inclusive; null for an open end.'),
  usedAt: z.iso.datetime().nullable().describe('When a calculation first used the version; it is immutable since.'),
});

const planSummary = z
  .object({
    id: z.string(),
    name: z.string(),
    versions: z.array(planVersionSummary),
  })
  .meta({ id: 'Plan' });

const uploadResponse = z
  .object({
    planId: z.string(),
    versions: z.number().int().describe('Versions in the file.'),
    assignments: z
      .number()
      .int()
      .describe('Assignment rows of all stored plans after the upload: one per partner, plan version and date range.'),
  })
  .meta({ id: 'PlanUploaded' });

/** Dependencies of the plan routes. */
export interface PlanRouteDependencies {
  prisma: PrismaClient;
}

/** Returns the plan operations: upload a plan file, list plans. */
export function planOperations(deps: PlanRouteDependencies): ApiOperation[] {
  const { prisma } = deps;

  return [
    defineOperation({
      method: 'post',
      path: '/api/v1/plans',
      operationId: 'uploadPlan',
      tag: 'plans',
      summary: 'Upload a plan file (YAML or JSON) with its versions',
      description:
        'Validates the file and stores the plan, its versions and their assignments in one transaction. ' +
        'An invalid file gets 400 with every problem, its line and column; nothing is stored then, and the ' +
        'versions in force stay unchanged. Versions whose dates overlap, a change to a version that a ' +
        'calculation has used, or an assignment that gives a partner a second plan on a day get 409.',
      access: ['admin'],
      body: uploadBody,
      responses: {
        200: { description: 'The plan is stored.', schema: uploadResponse },
        400: { description: 'The file is invalid; `details` lists each problem with `line:column` in its path.' },
        409: { description: 'Overlapping versions, a change to a version already used, or a double assignment.' },
      },
      async handle({ body, log }) {
        const fileName = body.fileName ?? 'plan';
        let plan;
        try {
          plan = parsePlanFile(body.source, fileName);
        } catch (error) {
          if (!(error instanceof PlanFileError)) throw error;
          throw new InvalidRequestError(
            `plan file ${fileName} is invalid (${error.issues.length} problems); nothing was stored`,
            planFileIssueDetails(error),
          );
        }

        try {
          const stored = await upsertPlans(prisma, [plan]);
          log.info({ planId: plan.id, versions: plan.versions.length }, 'plan uploaded');
          return {
            status: 200,
            body: { planId: plan.id, versions: plan.versions.length, assignments: stored.assignments },
          };
        } catch (error) {
          if (error instanceof DoubleAssignmentError) {
            throw new ConflictError(
              `plan ${plan.id} would give ${error.issues.length === 1 ? 'a partner' : 'partners'} two plans on one ` +
                'day; nothing was stored',
              'plan_conflict',
              error.issues.map((issue) => ({ path: `plan ${issue.planId} ${issue.path}`, message: issue.message })),
            );
          }
          if (error instanceof OverlappingPlanVersionsError || error instanceof PlanVersionInUseError) {
            throw new ConflictError(`${error.message}; nothing was stored`, 'plan_conflict');
          }
          throw error;
        }
      },
    }),

    defineOperation({
      method: 'get',
      path: '/api/v1/plans',
      operationId: 'listPlans',
      tag: 'plans',
      summary: 'List the stored plans and their versions',
      access: ['admin', 'approver'],
      responses: {
        200: { description: 'Plans by id, versions by number.', schema: z.object({ plans: z.array(planSummary) }) },
      },
      async handle() {
        const plans = await prisma.plan.findMany({
          include: { versions: { orderBy: { version: 'asc' } } },
          orderBy: { id: 'asc' },
        });
        return {
          status: 200,
          body: {
            plans: plans.map((plan) => ({
              id: plan.id,
              name: plan.name,
              versions: plan.versions.map((version) => ({
                id: version.id,
                version: version.version,
                effectiveFrom: version.effectiveFrom.toISOString().slice(0, 10),
                effectiveTo: version.effectiveTo?.toISOString().slice(0, 10) ?? null,
                usedAt: version.usedAt?.toISOString() ?? null,
              })),
            })),
          },
        };
      },
    }),
  ];
}
