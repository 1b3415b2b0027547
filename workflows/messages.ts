/**
 * Messages of the payPeriod workflow (signals, queries, updates) and the types they carry. Clients and the
 * workflow both import this file, so it must stay free of Node.js and I/O imports.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { CalculationSummary, DecisionRecord } from '../activities/types.js';
import type { ApiRole } from '../config/config.js';

/** Stages of a pay period, in the order the workflow passes through them. `rejected` leads back to `calculating`. */
export type PayPeriodStage =
  'collecting' | 'calculating' | 'awaiting_approval' | 'rejected' | 'posting' | 'rendering' | 'delivering' | 'closed';

/** Side-effect steps that run after approval, once per batch of statements, in this order. */
export const STATEMENT_STEPS = ['posting', 'rendering', 'delivering'] as const;

/** One of the side-effect steps after approval. */
export type StatementStep = (typeof STATEMENT_STEPS)[number];

/** Statement counts of one side-effect step. `skipped` counts statements an earlier attempt had already handled. */
export interface StatementStepCounts {
  done: number;
  skipped: number;
  /** Number of statements to handle in this step; 0 until the batches are listed after approval. */
  total: number;
}

/** Progress of one side-effect step, carried across continue-as-new so that no finished batch runs again. */
export interface StatementStepCheckpoint {
  /** Index of the first batch not yet handled by this step. */
  nextBatchIndex: number;
  done: number;
  skipped: number;
}

/** State that one run of the workflow hands to the next one when it continues as new. */
export interface PayPeriodCarriedState {
  stage: PayPeriodStage;
  runNumber: number;
  eventsSignalled: number;
  signalsReceived: number;
  eventsSignalledAfterClose: number;
  closeRequestedBy?: string;
  calculation?: CalculationSummary;
  decisions: DecisionRecord[];
  /** Statement ids per batch, listed once after approval. */
  statementBatches?: string[][];
  steps: Record<StatementStep, StatementStepCheckpoint>;
}

/** Input of the payPeriod workflow. */
export interface PayPeriodInput {
  /** The pay period, `YYYY-MM`. */
  periodId: string;
  /** Start of the period, ISO 8601, inclusive. */
  startsAt: string;
  /** End of the period, ISO 8601, exclusive. */
  endsAt: string;
  /** Time after `endsAt` during which events are still collected, in milliseconds. Default 0. */
  closeGraceMs?: number;
  /** Number of statements per side-effect activity call. Default {@link DEFAULT_BATCH_SIZE}. */
  batchSize?: number;
  /** State of the previous run; set only by continue-as-new. */
  carried?: PayPeriodCarriedState;
}

/** Workflow type name under which the worker registers the payPeriod workflow. */
export const PAY_PERIOD_WORKFLOW_TYPE = 'payPeriod';

/** Default number of statements per side-effect activity call. */
export const DEFAULT_BATCH_SIZE = 25;

/**
 * Maximum batch size the workflow accepts, because a side-effect activity must handle its whole batch within
 * its 2-minute timeout. NOTE: 500 is an estimate, not measured against SAP or the mail server.
 */
export const MAX_BATCH_SIZE = 500;

/** Payload of the `orderEvents` signal: ids of events already stored in PostgreSQL. */
export interface OrderEventsSignal {
  eventIds: string[];
}

/** Payload of the `closePeriod` signal. */
export interface ClosePeriodSignal {
  /** Name of the person or service that requests the early close, shown in the status. */
  requestedBy: string;
}

/** Request of the `approve` update. Only the role `approver` may approve. */
export interface ApproveRequest {
  actor: string;
  role: ApiRole;
  comment?: string;
}

/** Request of the `reject` update. Only the role `approver` may reject, and `reason` must not be blank. */
export interface RejectRequest {
  actor: string;
  role: ApiRole;
  reason: string;
}

/** Snapshot returned by the `status` query. */
export interface PayPeriodStatus {
  periodId: string;
  workflowId: string;
  stage: PayPeriodStage;
  /** Calculation run, starting at 1 and increased by each rejection. */
  runNumber: number;
  /** Event ids received through `orderEvents`, duplicates included. */
  eventsSignalled: number;
  /** Number of `orderEvents` signals received. */
  signalsReceived: number;
  /**
   * Event ids received after collecting ended. The calculation run in progress or done at that time does not
   * include them. A recalculation after a rejection does, because it reads every stored event.
   */
  eventsSignalledAfterClose: number;
  /** Requester of an early close through `closePeriod`; unset when the timer closed the period. */
  closeRequestedBy?: string;
  /** When the close timer fires: `endsAt` plus the grace period, ISO 8601. */
  closesAt: string;
  /** Totals of the latest calculation run. */
  calculation?: CalculationSummary;
  /** Approvals and rejections, oldest first. */
  decisions: DecisionRecord[];
  steps: Record<StatementStep, StatementStepCounts>;
}

/** Value the payPeriod workflow returns once the period is closed. */
export interface PayPeriodResult {
  periodId: string;
  workflowId: string;
  /** Calculation run that was approved. */
  runNumber: number;
  eventsSignalled: number;
  signalsReceived: number;
  eventsSignalledAfterClose: number;
  closeRequestedBy?: string;
  calculation: CalculationSummary;
  approval: DecisionRecord;
  decisions: DecisionRecord[];
  steps: Record<StatementStep, StatementStepCounts>;
  /** Workflow time at which the period closed, ISO 8601. */
  closedAt: string;
}

/**
 * ApplicationFailure types of the payPeriod workflow: the `approve` and `reject` updates reject requests with
 * them, and an invalid workflow input fails the workflow with 'InvalidArgument'. Clients map them to typed errors.
 */
export const PAY_PERIOD_FAILURE_TYPES = {
  /** The caller's role may not decide. */
  forbidden: 'Forbidden',
  /** The request is incomplete, for example a rejection without a reason. */
  invalidArgument: 'InvalidArgument',
  /** The period is not awaiting approval. */
  wrongStage: 'WrongStage',
} as const;

/** Signal carrying ids of stored order events; counted while collecting and afterwards. */
export const orderEventsSignal = defineSignal<[OrderEventsSignal]>('orderEvents');

/** Signal that ends collecting before the close timer fires. Ignored after collecting ended. */
export const closePeriodSignal = defineSignal<[ClosePeriodSignal]>('closePeriod');

/** Query returning the workflow's {@link PayPeriodStatus}. */
export const statusQuery = defineQuery<PayPeriodStatus>('status');

/**
 * Update approving the current calculation run. Returns the recorded approval; after an approval, a further
 * approve by an approver returns the first approval unchanged.
 */
export const approveUpdate = defineUpdate<DecisionRecord, [ApproveRequest]>('approve');

/** Update rejecting the current calculation run, which starts a recalculation. Returns the recorded rejection. */
export const rejectUpdate = defineUpdate<DecisionRecord, [RejectRequest]>('reject');

/** Raised by {@link periodWindow} when a period id is not `YYYY-MM`. */
export class InvalidPeriodIdError extends Error {
  override readonly name = 'InvalidPeriodIdError';

  constructor(readonly periodId: unknown) {
    super(
      `invalid pay period id ${JSON.stringify(periodId)}; use YYYY-MM with a year from 1000 and a month from 01 to 12, such as "2026-11"`,
    );
  }
}

// Years start at 1000 because Date.UTC maps years 0 to 99 onto 1900 to 1999.
const PERIOD_ID_PATTERN = /^([1-9]\d{3})-(0[1-9]|1[0-2])$/;

/** Returns true when `periodId` is a valid `YYYY-MM` pay period id. */
export function isPeriodId(periodId: unknown): periodId is string {
  return typeof periodId === 'string' && PERIOD_ID_PATTERN.test(periodId);
}

/** Returns the workflow id of a pay period, `pay-period-YYYY-MM`. Throws InvalidPeriodIdError for an invalid id. */
export function payPeriodWorkflowId(periodId: string): string {
  if (!isPeriodId(periodId)) throw new InvalidPeriodIdError(periodId);
  return `pay-period-${periodId}`;
}

/**
 * Computes the UTC calendar month of a pay period as a half-open interval:
 * '2026-11' gives startsAt 2026-11-01T00:00:00.000Z and endsAt 2026-12-01T00:00:00.000Z.
 * Throws InvalidPeriodIdError when `periodId` is not `YYYY-MM`.
 */
export function periodWindow(periodId: string): { periodId: string; startsAt: string; endsAt: string } {
  const match = typeof periodId === 'string' ? PERIOD_ID_PATTERN.exec(periodId) : null;
  if (!match) throw new InvalidPeriodIdError(periodId);

  const year = Number(match[1]);
  const monthIndex = Number(match[2]) - 1;
  // Date.UTC rolls month 12 over into January of the next year.
  const startsAt = new Date(Date.UTC(year, monthIndex, 1)).toISOString();
  const endsAt = new Date(Date.UTC(year, monthIndex + 1, 1)).toISOString();
  return { periodId, startsAt, endsAt };
}
