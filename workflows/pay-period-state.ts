/**
 * Pure helpers of the payPeriod workflow: input checks, the initial state and the snapshots returned by the
 * `status` query and as the workflow result. Nothing here touches workflow APIs other than ApplicationFailure.
 */
import { ApplicationFailure } from '@temporalio/workflow';
import type { DecisionRecord, PeriodWindow } from '../activities/types.js';
import {
  PAY_PERIOD_FAILURE_TYPES,
  DEFAULT_BATCH_SIZE,
  MAX_BATCH_SIZE,
  STATEMENT_STEPS,
  isPeriodId,
  payPeriodWorkflowId,
  type PayPeriodCarriedState,
  type PayPeriodInput,
  type PayPeriodResult,
  type PayPeriodStatus,
  type StatementStep,
  type StatementStepCounts,
} from './messages.js';

/** Checked settings of one workflow run, derived from its input. */
export interface PayPeriodSettings {
  period: PeriodWindow;
  workflowId: string;
  /** When collecting ends, in epoch milliseconds: `endsAt` plus the grace period. */
  closesAtMs: number;
  batchSize: number;
}

// An ISO 8601 date-time with a time zone, such as 2026-11-01T00:00:00.000Z or 2026-11-01T01:00:00+01:00.
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

function invalidInput(message: string): ApplicationFailure {
  return ApplicationFailure.create({ type: PAY_PERIOD_FAILURE_TYPES.invalidArgument, message, nonRetryable: true });
}

function parseDateTime(field: string, value: unknown): number {
  const millis = typeof value === 'string' && ISO_DATE_TIME.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(millis)) {
    throw invalidInput(
      `invalid ${field} ${JSON.stringify(value)}; use an ISO 8601 date-time with a time zone, such as "2026-11-01T00:00:00.000Z"`,
    );
  }
  return millis;
}

/**
 * Checks the workflow input and derives the run's settings. `workflowId` must be `payPeriodWorkflowId(periodId)`,
 * so that each period has exactly one workflow. Throws a non-retryable ApplicationFailure of type
 * 'InvalidArgument', which fails the workflow, naming the invalid value.
 */
export function checkPayPeriodInput(input: PayPeriodInput, workflowId: string): PayPeriodSettings {
  if (!isPeriodId(input?.periodId)) {
    throw invalidInput(`invalid periodId ${JSON.stringify(input?.periodId)}; use YYYY-MM, such as "2026-11"`);
  }
  const expectedWorkflowId = payPeriodWorkflowId(input.periodId);
  if (workflowId !== expectedWorkflowId) {
    throw invalidInput(`the workflow id of period ${input.periodId} must be ${expectedWorkflowId}, not ${workflowId}`);
  }

  const startsAtMs = parseDateTime('startsAt', input.startsAt);
  const endsAtMs = parseDateTime('endsAt', input.endsAt);
  if (endsAtMs <= startsAtMs) {
    throw invalidInput(
      `invalid period ${input.periodId}: endsAt ${input.endsAt} must be after startsAt ${input.startsAt}`,
    );
  }

  const closeGraceMs = input.closeGraceMs ?? 0;
  if (typeof closeGraceMs !== 'number' || !Number.isFinite(closeGraceMs) || closeGraceMs < 0) {
    throw invalidInput(`invalid closeGraceMs ${JSON.stringify(input.closeGraceMs)}; use a number of milliseconds >= 0`);
  }

  const batchSize = input.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
    throw invalidInput(
      `invalid batchSize ${JSON.stringify(input.batchSize)}; use an integer from 1 to ${MAX_BATCH_SIZE}`,
    );
  }

  return {
    period: { periodId: input.periodId, startsAt: input.startsAt, endsAt: input.endsAt },
    workflowId,
    closesAtMs: endsAtMs + closeGraceMs,
    batchSize,
  };
}

/** Creates the state of a new pay period: collecting, run 1, nothing counted. */
export function newPayPeriodState(): PayPeriodCarriedState {
  return {
    stage: 'collecting',
    runNumber: 1,
    eventsSignalled: 0,
    signalsReceived: 0,
    eventsSignalledAfterClose: 0,
    decisions: [],
    steps: {
      posting: { nextBatchIndex: 0, done: 0, skipped: 0 },
      rendering: { nextBatchIndex: 0, done: 0, skipped: 0 },
      delivering: { nextBatchIndex: 0, done: 0, skipped: 0 },
    },
  };
}

/** Returns the approval of the period, or undefined while none is recorded. The approve handler records at most one. */
export function approvalOf(state: PayPeriodCarriedState): DecisionRecord | undefined {
  return state.decisions.find((decision) => decision.decision === 'approved');
}

function stepCounts(state: PayPeriodCarriedState): Record<StatementStep, StatementStepCounts> {
  const total = (state.statementBatches ?? []).reduce((sum, batch) => sum + batch.length, 0);
  const counts = {} as Record<StatementStep, StatementStepCounts>;
  for (const step of STATEMENT_STEPS) {
    counts[step] = { done: state.steps[step].done, skipped: state.steps[step].skipped, total };
  }
  return counts;
}

/** Builds the `status` query result. Returns copies, so callers cannot change the workflow's state. */
export function statusOf(state: PayPeriodCarriedState, settings: PayPeriodSettings): PayPeriodStatus {
  return {
    periodId: settings.period.periodId,
    workflowId: settings.workflowId,
    stage: state.stage,
    runNumber: state.runNumber,
    eventsSignalled: state.eventsSignalled,
    signalsReceived: state.signalsReceived,
    eventsSignalledAfterClose: state.eventsSignalledAfterClose,
    ...(state.closeRequestedBy !== undefined ? { closeRequestedBy: state.closeRequestedBy } : {}),
    closesAt: new Date(settings.closesAtMs).toISOString(),
    ...(state.calculation ? { calculation: { ...state.calculation, warnings: [...state.calculation.warnings] } } : {}),
    decisions: state.decisions.map((decision) => ({ ...decision })),
    steps: stepCounts(state),
  };
}

/**
 * Builds the workflow result of a closed period. Throws an ApplicationFailure when the state has no
 * calculation or approval, which the stage order rules out.
 */
export function resultOf(state: PayPeriodCarriedState, settings: PayPeriodSettings, closedAt: string): PayPeriodResult {
  const approval = approvalOf(state);
  if (!state.calculation || !approval) {
    throw ApplicationFailure.nonRetryable(
      `period ${settings.period.periodId} reached closed without a calculation and an approval`,
      'InvalidState',
    );
  }
  return {
    periodId: settings.period.periodId,
    workflowId: settings.workflowId,
    runNumber: state.runNumber,
    eventsSignalled: state.eventsSignalled,
    signalsReceived: state.signalsReceived,
    eventsSignalledAfterClose: state.eventsSignalledAfterClose,
    ...(state.closeRequestedBy !== undefined ? { closeRequestedBy: state.closeRequestedBy } : {}),
    calculation: state.calculation,
    approval,
    decisions: state.decisions,
    steps: stepCounts(state),
    closedAt,
  };
}
