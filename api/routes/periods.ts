/**
 * Pay period routes: read a period's stored row and workflow status, close it early, and approve or
 * reject its calculation. Approvals and rejections go through the period's workflow (PayPeriodPort),
 * which records the decision in approval_decision.
 */
import { z } from 'zod';
import type { DecisionRecord } from '../../activities/types.js';
import type { PrismaClient } from '../../store/prisma.js';
import { fromPayPeriodError, NotFoundError } from '../errors.js';
import { defineOperation, type ApiOperation } from '../operation.js';
import type { PayPeriodPort, PayPeriodStatus } from '../ports.js';

/** Pattern of a pay period id: `YYYY-MM` with a year from 1000 and a month from 01 to 12, as workflows/messages.ts accepts it. */
export const PERIOD_ID_PATTERN = /^[1-9]\d{3}-(0[1-9]|1[0-2])$/;

/** Path parameters of every route under `/api/v1/periods/:periodId`. */
export const periodParams = z.object({
  periodId: z
    .string()
    .regex(PERIOD_ID_PATTERN, 'must be a pay period YYYY-MM with a month from 01 to 12, for example 2026-11')
    .describe('Pay period, YYYY-MM.'),
});

const approveBody = z
  .strictObject({
    comment: z.string().trim().max(2000).optional().describe('Recorded with the approval; at most 2000 characters.'),
  })
  .meta({ id: 'ApproveRequest' });

const rejectBody = z
  .strictObject({
    reason: z
      .string({ error: 'is required: say why the calculation is rejected (3 to 2000 characters)' })
      .trim()
      .min(3, 'must be at least 3 characters after trimming')
      .max(2000, 'must be at most 2000 characters')
      .describe('Why the calculation is rejected. The workflow recalculates the period afterwards.'),
  })
  .meta({ id: 'RejectRequest' });

const decisionRecord = z
  .object({
    periodId: z.string(),
    runNumber: z.number().int().describe('Calculation run the decision applies to.'),
    decision: z.enum(['approved', 'rejected']),
    actor: z.string().describe('The actor of the API key that decided.'),
    reason: z.string().optional().describe('Rejection reason, or the approval comment.'),
    decidedAt: z.iso.datetime(),
  })
  .meta({ id: 'DecisionRecord' });

const payPeriodRow = z
  .object({
    id: z.string(),
    startsAt: z.iso.datetime(),
    endsAt: z.iso.datetime(),
    stage: z.string().describe('Stage the workflow last recorded, for example collecting or awaiting_approval.'),
    runNumber: z.number().int(),
    workflowId: z.string(),
    closedAt: z.iso.datetime().nullable(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'PayPeriod' });

// Documents the main fields of PayPeriodStatus (workflows/messages.ts). The query result is passed on whole.
const workflowStatus = z
  .looseObject({
    periodId: z.string(),
    workflowId: z.string(),
    stage: z
      .string()
      .describe('collecting, calculating, awaiting_approval, rejected, posting, rendering, delivering or closed.'),
    runNumber: z.number().int(),
    eventsSignalled: z.number().int(),
    signalsReceived: z.number().int(),
    closesAt: z.iso.datetime(),
    calculation: z.record(z.string(), z.unknown()).optional().describe('Totals of the latest calculation run.'),
    decisions: z.array(decisionRecord),
  })
  .meta({ id: 'PayPeriodWorkflowStatus' });

const periodResponse = z
  .object({
    period: payPeriodRow
      .nullable()
      .describe('The stored pay_period row; null before the workflow first records a stage.'),
    workflow: workflowStatus.nullable().describe('The workflow status; null when no workflow exists for the period.'),
  })
  .meta({ id: 'PeriodStatus' });

const closeResponse = z
  .object({
    periodId: z.string(),
    closeRequestedBy: z.string(),
  })
  .meta({ id: 'CloseRequested' });

/** Dependencies of the period routes. */
export interface PeriodRouteDependencies {
  prisma: PrismaClient;
  payPeriods: PayPeriodPort;
}

/** Returns the period operations: status, close, approve and reject. */
export function periodOperations(deps: PeriodRouteDependencies): ApiOperation[] {
  const { prisma, payPeriods } = deps;

  return [
    defineOperation({
      method: 'get',
      path: '/api/v1/periods/:periodId',
      operationId: 'getPeriod',
      tag: 'periods',
      summary: "Read a pay period's stored row and its workflow status",
      access: ['admin', 'approver'],
      params: periodParams,
      responses: {
        200: { description: 'The period row, the workflow status, or both.', schema: periodResponse },
        404: { description: 'Neither a stored period nor a workflow exists.' },
      },
      async handle({ params }) {
        const [row, workflow] = await Promise.all([
          prisma.payPeriod.findUnique({ where: { id: params.periodId } }),
          readWorkflowStatus(payPeriods, params.periodId),
        ]);
        if (row === null && workflow === null) {
          throw new NotFoundError(`pay period ${params.periodId} not found: no stored period and no workflow`);
        }

        const period =
          row === null
            ? null
            : {
                id: row.id,
                startsAt: row.startsAt.toISOString(),
                endsAt: row.endsAt.toISOString(),
                stage: row.stage,
                runNumber: row.runNumber,
                workflowId: row.workflowId,
                closedAt: row.closedAt?.toISOString() ?? null,
                updatedAt: row.updatedAt.toISOString(),
              };
        return { status: 200, body: { period, workflow } };
      },
    }),

    defineOperation({
      method: 'post',
      path: '/api/v1/periods/:periodId/close',
      operationId: 'closePeriod',
      tag: 'periods',
      summary: 'Stop collecting events for a period and start its calculation',
      description:
        'Sends the close request to the period workflow and returns at once; the calculation runs afterwards. ' +
        'Poll GET /api/v1/periods/{periodId} for the stage.',
      access: ['admin'],
      params: periodParams,
      responses: {
        202: { description: 'The workflow received the close request.', schema: closeResponse },
        404: { description: 'No workflow exists for the period.' },
        409: { description: 'The period is no longer collecting events.' },
      },
      async handle({ params, apiKey }) {
        await callWorkflow(() => payPeriods.requestClose(params.periodId, apiKey.actor));
        return { status: 202, body: { periodId: params.periodId, closeRequestedBy: apiKey.actor } };
      },
    }),

    defineOperation({
      method: 'post',
      path: '/api/v1/periods/:periodId/approve',
      operationId: 'approvePeriod',
      tag: 'periods',
      summary: "Approve a period's calculation",
      description:
        'Only approver keys may approve; admin keys get 403. When an approval of the period is already ' +
        'recorded, the recorded approval is returned unchanged and the workflow is not called again.',
      access: ['approver'],
      params: periodParams,
      body: approveBody,
      responses: {
        200: { description: 'The recorded approval.', schema: decisionRecord },
        404: { description: 'No workflow exists for the period.' },
        409: { description: 'The period is not awaiting approval.' },
      },
      async handle({ params, body, apiKey }) {
        const recorded = await findRecordedApproval(prisma, params.periodId);
        if (recorded !== undefined) return { status: 200, body: recorded };

        const comment = body.comment === undefined || body.comment === '' ? {} : { comment: body.comment };
        const decision = await callWorkflow(() =>
          payPeriods.approve(params.periodId, { actor: apiKey.actor, role: apiKey.role, ...comment }),
        );
        return { status: 200, body: decision };
      },
    }),

    defineOperation({
      method: 'post',
      path: '/api/v1/periods/:periodId/reject',
      operationId: 'rejectPeriod',
      tag: 'periods',
      summary: "Reject a period's calculation, which starts a recalculation",
      access: ['approver'],
      params: periodParams,
      body: rejectBody,
      responses: {
        200: { description: 'The recorded rejection.', schema: decisionRecord },
        404: { description: 'No workflow exists for the period.' },
        409: { description: 'The period is not awaiting approval.' },
      },
      async handle({ params, body, apiKey }) {
        const decision = await callWorkflow(() =>
          payPeriods.reject(params.periodId, { actor: apiKey.actor, role: apiKey.role, reason: body.reason }),
        );
        return { status: 200, body: decision };
      },
    }),
  ];
}

/** Runs a workflow call and converts the client's typed errors into HTTP errors. Other errors propagate unchanged. */
async function callWorkflow<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw fromPayPeriodError(error) ?? error;
  }
}

/** Returns the workflow status, or null when no workflow exists for the period. */
async function readWorkflowStatus(payPeriods: PayPeriodPort, periodId: string): Promise<PayPeriodStatus | null> {
  try {
    return await payPeriods.getStatus(periodId);
  } catch (error) {
    if (error instanceof Error && error.name === 'PeriodNotFoundError') return null;
    throw fromPayPeriodError(error) ?? error;
  }
}

/** Returns the latest approval recorded for the period, or undefined when none is. */
async function findRecordedApproval(prisma: PrismaClient, periodId: string): Promise<DecisionRecord | undefined> {
  const row = await prisma.approvalDecision.findFirst({
    where: { periodId, decision: 'approved' },
    orderBy: { runNumber: 'desc' },
  });
  if (row === null) return undefined;

  return {
    periodId: row.periodId,
    runNumber: row.runNumber,
    decision: row.decision,
    actor: row.actor,
    ...(row.reason ? { reason: row.reason } : {}),
    decidedAt: row.decidedAt.toISOString(),
  };
}
