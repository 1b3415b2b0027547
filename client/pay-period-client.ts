/**
 * Client of the payPeriod workflows, used by the HTTP API, the CLI and the event ingestion. It turns
 * Temporal errors into the typed errors below, which the API maps to HTTP statuses by their `name`.
 */
import {
  ApplicationFailure,
  Client,
  Connection,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type WorkflowExecutionDescription,
  type WorkflowHandle,
} from '@temporalio/client';
import type { DecisionRecord } from '../activities/types.js';
import {
  PAY_PERIOD_FAILURE_TYPES,
  PAY_PERIOD_WORKFLOW_TYPE,
  approveUpdate,
  closePeriodSignal,
  isPeriodId,
  orderEventsSignal,
  payPeriodWorkflowId,
  periodWindow,
  rejectUpdate,
  statusQuery,
  type ApproveRequest,
  type PayPeriodInput,
  type PayPeriodResult,
  type PayPeriodStage,
  type PayPeriodStatus,
  type RejectRequest,
} from '../workflows/messages.js';
import type { payPeriod } from '../workflows/pay-period.js';
import { STAGE_SEARCH_ATTRIBUTE } from '../workflows/search-attributes.js';

/** Maximum number of event ids that {@link PayPeriodClient.signalEvents} sends in one signal. */
export const MAX_EVENT_IDS_PER_SIGNAL = 500;

/** Raised when a period has no workflow. */
export class PeriodNotFoundError extends Error {
  override readonly name = 'PeriodNotFoundError';

  constructor(readonly periodId: string) {
    super(
      `pay period ${periodId} not found: no workflow ${payPeriodWorkflowId(periodId)} exists; send its events first`,
    );
  }
}

/** Raised when the caller's role may not make the request, for example an approval by a non-approver. */
export class ForbiddenError extends Error {
  override readonly name = 'ForbiddenError';

  constructor(
    readonly periodId: string,
    message: string,
  ) {
    super(`pay period ${periodId}: ${message}`);
  }
}

/** Raised when a request is invalid, for example a rejection without a reason or an invalid period id. */
export class InvalidRequestError extends Error {
  override readonly name = 'InvalidRequestError';

  constructor(
    readonly periodId: string,
    message: string,
  ) {
    super(`pay period ${periodId}: ${message}`);
  }
}

/** Raised when the period is in a stage that does not allow the request, including a closed period. */
export class WrongStageError extends Error {
  override readonly name = 'WrongStageError';

  constructor(
    readonly periodId: string,
    message: string,
  ) {
    super(`pay period ${periodId}: ${message}`);
  }
}

/** Raised by {@link PayPeriodClient.waitForStage} when the period has not reached a stage in time. */
export class StageWaitTimeoutError extends Error {
  override readonly name = 'StageWaitTimeoutError';

  constructor(
    readonly periodId: string,
    readonly stages: readonly PayPeriodStage[],
    readonly lastStage: PayPeriodStage,
    readonly timeoutMs: number,
  ) {
    super(
      `pay period ${periodId} did not reach ${stages.join(' or ')} within ${timeoutMs} ms; it is in stage ${lastStage}`,
    );
  }
}

/** Raised by {@link PayPeriodClient.waitForStage} when the workflow ended (failed, terminated, ...) before the stage. */
export class PeriodWorkflowEndedError extends Error {
  override readonly name = 'PeriodWorkflowEndedError';

  constructor(
    readonly periodId: string,
    readonly workflowStatus: string,
    readonly lastStage: PayPeriodStage,
  ) {
    super(
      `the workflow of pay period ${periodId} is ${workflowStatus} in stage ${lastStage}; ` +
        `see its history with: temporal workflow show --workflow-id ${payPeriodWorkflowId(periodId)}`,
    );
  }
}

/** Settings of a new period workflow; unset fields use the workflow's defaults. */
export interface PayPeriodStartOptions {
  /** Time after the period's end during which events are still collected, in milliseconds. */
  closeGraceMs?: number;
  /** Statements per side-effect activity call. */
  batchSize?: number;
}

/** Options of {@link PayPeriodClient.waitForStage}. */
export interface WaitForStageOptions {
  /** Maximum time to wait, in milliseconds. */
  timeoutMs: number;
  /** Called with the status whenever it differs from the previous poll, including the final one. */
  onProgress?: (status: PayPeriodStatus) => void;
  /** Time between two status queries, in milliseconds. Default 1000. */
  pollIntervalMs?: number;
}

/** Options of {@link connectTemporal}. */
export interface ConnectTemporalOptions {
  /** Temporal frontend, `host:port`. */
  address: string;
  namespace: string;
}

/**
 * Connects to the Temporal frontend at `address` and returns a client for `namespace`.
 * Close it with `client.connection.close()`. Throws when the server cannot be reached.
 */
export async function connectTemporal(options: ConnectTemporalOptions): Promise<Client> {
  const connection = await Connection.connect({ address: options.address });
  return new Client({ connection, namespace: options.namespace });
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let index = 0; index < items.length; index += size) chunks.push(items.slice(index, index + size));
  return chunks;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Starts, signals, queries and updates the payPeriod workflows, one per period `YYYY-MM` with the id
 * `pay-period-YYYY-MM`. A new run is allowed only after a failed, terminated, cancelled or timed-out run, so a
 * closed period is never started again. Methods throw PeriodNotFoundError, ForbiddenError, InvalidRequestError
 * or WrongStageError for the cases their documentation names, and the Temporal client's error otherwise.
 */
export class PayPeriodClient {
  /**
   * @param client connected Temporal client
   * @param taskQueue task queue of the worker that runs the workflows
   * @param defaults settings of workflows this client starts, unless `ensureStarted` overrides them
   */
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
    private readonly defaults: PayPeriodStartOptions = {},
  ) {}

  /**
   * Signals the ids of order events, already stored in PostgreSQL, to the period's workflow, starting it when
   * it does not run. Sends at most {@link MAX_EVENT_IDS_PER_SIGNAL} ids per signal and does nothing for an
   * empty list. Throws InvalidRequestError for an invalid period id and WrongStageError when the period is closed.
   */
  async signalEvents(periodId: string, eventIds: readonly string[]): Promise<void> {
    const input = this.workflowInput(periodId, this.defaults);
    for (const batch of chunk(eventIds, MAX_EVENT_IDS_PER_SIGNAL)) {
      try {
        await this.client.workflow.signalWithStart<typeof payPeriod, [{ eventIds: string[] }]>(
          PAY_PERIOD_WORKFLOW_TYPE,
          {
            ...this.startOptions(periodId, input),
            signal: orderEventsSignal,
            signalArgs: [{ eventIds: batch }],
          },
        );
      } catch (error) {
        if (error instanceof WorkflowExecutionAlreadyStartedError) throw this.closedError(periodId);
        throw error;
      }
    }
  }

  /**
   * Starts the period's workflow unless it runs already; `options` apply only to a new workflow.
   * Returns `alreadyRunning: true` when it was running. Throws InvalidRequestError for an invalid period id
   * and WrongStageError when the period is closed.
   */
  async ensureStarted(
    periodId: string,
    options: PayPeriodStartOptions = {},
  ): Promise<{ workflowId: string; alreadyRunning: boolean }> {
    const input = this.workflowInput(periodId, { ...this.defaults, ...options });
    const workflowId = payPeriodWorkflowId(periodId);
    try {
      await this.client.workflow.start<typeof payPeriod>(PAY_PERIOD_WORKFLOW_TYPE, this.startOptions(periodId, input));
      return { workflowId, alreadyRunning: false };
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    }

    const description = await this.handle(periodId).describe();
    if (description.status.name !== 'RUNNING') throw this.closedError(periodId, description.status.name);
    return { workflowId, alreadyRunning: true };
  }

  /**
   * Asks the period's workflow to stop collecting and calculate now. Throws InvalidRequestError for a blank
   * `requestedBy`, PeriodNotFoundError when no workflow exists, and WrongStageError when collecting has ended or
   * the period is closed.
   */
  async requestClose(periodId: string, requestedBy: string): Promise<void> {
    if (typeof requestedBy !== 'string' || requestedBy.trim() === '') {
      throw new InvalidRequestError(periodId, 'requestedBy is missing or blank; name who closes the period');
    }
    // describe() needs no worker, unlike the status query, and the stage search attribute follows every change.
    let description: WorkflowExecutionDescription;
    try {
      description = await this.handle(periodId).describe();
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) throw new PeriodNotFoundError(periodId);
      throw error;
    }
    if (description.status.name !== 'RUNNING') throw this.closedError(periodId, description.status.name);
    const stage = description.typedSearchAttributes.get(STAGE_SEARCH_ATTRIBUTE);
    if (stage !== undefined && stage !== 'collecting') {
      throw new WrongStageError(periodId, `collecting has already ended; the period is in stage ${stage}`);
    }

    try {
      await this.handle(periodId).signal(closePeriodSignal, { requestedBy });
    } catch (error) {
      throw await this.translateError(periodId, error);
    }
  }

  /**
   * Returns the status of the period's workflow, running or completed, or null when no workflow exists.
   * Throws InvalidRequestError for an invalid period id.
   */
  async getStatus(periodId: string): Promise<PayPeriodStatus | null> {
    try {
      return await this.handle(periodId).query(statusQuery);
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return null;
      throw error;
    }
  }

  /**
   * Approves the period's current calculation run and returns the recorded approval. After an approval,
   * an approver's further approve returns that first approval while the workflow runs. Throws ForbiddenError
   * for a role other than approver, InvalidRequestError for a blank actor, WrongStageError when the period is
   * not awaiting approval (or is closed), and PeriodNotFoundError when no workflow exists.
   */
  async approve(periodId: string, request: ApproveRequest): Promise<DecisionRecord> {
    try {
      return await this.handle(periodId).executeUpdate(approveUpdate, { args: [request] });
    } catch (error) {
      throw await this.translateError(periodId, error);
    }
  }

  /**
   * Rejects the period's current calculation run, which starts a recalculation, and returns the recorded
   * rejection. Throws ForbiddenError for a role other than approver, InvalidRequestError for a blank actor or
   * reason, WrongStageError when the period is not awaiting approval, and PeriodNotFoundError when no workflow exists.
   */
  async reject(periodId: string, request: RejectRequest): Promise<DecisionRecord> {
    try {
      return await this.handle(periodId).executeUpdate(rejectUpdate, { args: [request] });
    } catch (error) {
      throw await this.translateError(periodId, error);
    }
  }

  /**
   * Polls the status query until the period is in one of `stages` and returns that status.
   * Throws StageWaitTimeoutError after `timeoutMs`, PeriodNotFoundError when no workflow exists, and
   * PeriodWorkflowEndedError when the workflow ended in another stage.
   */
  async waitForStage(
    periodId: string,
    stages: readonly PayPeriodStage[],
    options: WaitForStageOptions,
  ): Promise<PayPeriodStatus> {
    const deadline = Date.now() + options.timeoutMs;
    const pollIntervalMs = options.pollIntervalMs ?? 1_000;
    let previous: string | undefined;

    for (;;) {
      const status = await this.getStatus(periodId);
      if (status === null) throw new PeriodNotFoundError(periodId);

      const serialized = JSON.stringify(status);
      if (serialized !== previous) options.onProgress?.(status);
      previous = serialized;
      if (stages.includes(status.stage)) return status;

      const description = await this.handle(periodId).describe();
      if (description.status.name !== 'RUNNING') {
        throw new PeriodWorkflowEndedError(periodId, description.status.name, status.stage);
      }

      const remainingMs = deadline - Date.now();
      if (remainingMs <= 0) throw new StageWaitTimeoutError(periodId, stages, status.stage, options.timeoutMs);
      await sleep(Math.min(pollIntervalMs, remainingMs));
    }
  }

  /**
   * Waits for the period's workflow to complete and returns its result, following continue-as-new.
   * Throws PeriodNotFoundError when no workflow exists and the client's WorkflowFailedError when it failed.
   */
  async result(periodId: string): Promise<PayPeriodResult> {
    try {
      return await this.handle(periodId).result();
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) throw new PeriodNotFoundError(periodId);
      throw error;
    }
  }

  private handle(periodId: string): WorkflowHandle<typeof payPeriod> {
    if (!isPeriodId(periodId)) {
      throw new InvalidRequestError(String(periodId), 'invalid period id; use YYYY-MM, such as "2026-11"');
    }
    return this.client.workflow.getHandle<typeof payPeriod>(payPeriodWorkflowId(periodId));
  }

  private workflowInput(periodId: string, options: PayPeriodStartOptions): PayPeriodInput {
    if (!isPeriodId(periodId)) {
      throw new InvalidRequestError(String(periodId), 'invalid period id; use YYYY-MM, such as "2026-11"');
    }
    return {
      ...periodWindow(periodId),
      ...(options.closeGraceMs !== undefined ? { closeGraceMs: options.closeGraceMs } : {}),
      ...(options.batchSize !== undefined ? { batchSize: options.batchSize } : {}),
    };
  }

  private startOptions(periodId: string, input: PayPeriodInput) {
    return {
      taskQueue: this.taskQueue,
      workflowId: payPeriodWorkflowId(periodId),
      args: [input] as [PayPeriodInput],
      workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY' as const,
    };
  }

  private closedError(periodId: string, workflowStatus = 'COMPLETED'): WrongStageError {
    return new WrongStageError(periodId, `the period is closed: its workflow is ${workflowStatus}`);
  }

  // Maps the failure types of the approve and reject updates to typed errors. A signal or update to a
  // completed workflow fails with WorkflowNotFoundError, so describe() distinguishes a closed period from a missing one.
  private async translateError(periodId: string, error: unknown): Promise<unknown> {
    if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure) {
      const message = error.cause.message;
      switch (error.cause.type) {
        case PAY_PERIOD_FAILURE_TYPES.forbidden:
          return new ForbiddenError(periodId, message);
        case PAY_PERIOD_FAILURE_TYPES.invalidArgument:
          return new InvalidRequestError(periodId, message);
        case PAY_PERIOD_FAILURE_TYPES.wrongStage:
          return new WrongStageError(periodId, message);
      }
      return error;
    }

    if (error instanceof WorkflowNotFoundError) {
      try {
        const description = await this.handle(periodId).describe();
        if (description.status.name !== 'RUNNING') return this.closedError(periodId, description.status.name);
      } catch (describeError) {
        if (!(describeError instanceof WorkflowNotFoundError)) throw describeError;
      }
      return new PeriodNotFoundError(periodId);
    }
    return error;
  }
}
