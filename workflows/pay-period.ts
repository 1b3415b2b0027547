/**
 * The payPeriod workflow: one execution per monthly pay period, with the workflow id `pay-period-YYYY-MM`.
 * It counts order events while collecting, runs the calculation, waits for an approval (a rejection
 * recalculates), then posts, renders and delivers the approved statements batch by batch.
 */
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  log,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
  type ActivityOptions,
} from '@temporalio/workflow';
import type { PayPeriodActivities, StatementStepResult } from '../activities/types.js';
import { validateApprove, validateReject, wrongStageFailure } from './decision-validators.js';
import {
  approveUpdate,
  closePeriodSignal,
  orderEventsSignal,
  rejectUpdate,
  statusQuery,
  type PayPeriodInput,
  type PayPeriodResult,
  type PayPeriodStage,
  type StatementStep,
} from './messages.js';
import { approvalOf, checkPayPeriodInput, newPayPeriodState, resultOf, statusOf } from './pay-period-state.js';
import { PERIOD_SEARCH_ATTRIBUTE, STAGE_SEARCH_ATTRIBUTE } from './search-attributes.js';

/**
 * Error types (the `name` of the error an activity throws) that no retry can fix, because the stored data is
 * invalid. An activity failing with one of them fails at once instead of retrying, and the workflow fails.
 * A workflow started again after such a failure requests run 1 again. The calculation activity then continues
 * the run count that the earlier workflow recorded, so no decision is reused.
 */
export const NON_RETRYABLE_ACTIVITY_ERRORS = [
  'InvalidArgument',
  'InvalidAmountError',
  'InvalidDecimalError',
  'UnroundedAmountError',
  'InvalidDateTimeError',
  'InvalidPeriodError',
  'PlanValidationError',
  'TaxRuleSetValidationError',
  'TaxRatesNotFoundError',
  'InvalidTaxProfileError',
  'StatementsAlreadyApprovedError',
  'StaleCalculationError',
  'DecisionConflictError',
  'RunMismatchError',
  'InvalidStatementError',
  'InvalidSapFieldError',
  'SapTaxCodeNotFoundError',
];

/** Options of the calculation activity: one long call without heartbeats, retried with backoff. */
export const CALCULATION_ACTIVITY_OPTIONS: ActivityOptions = {
  startToCloseTimeout: '10 minutes',
  retry: {
    initialInterval: '5 seconds',
    backoffCoefficient: 2,
    maximumInterval: '5 minutes',
    nonRetryableErrorTypes: NON_RETRYABLE_ACTIVITY_ERRORS,
  },
};

/**
 * Options of the bookkeeping activities (stage, decisions, batch listing). They retry without an attempt
 * limit, because each one is idempotent and a database outage must not fail the period.
 */
export const SIDE_EFFECT_ACTIVITY_OPTIONS: ActivityOptions = {
  startToCloseTimeout: '2 minutes',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '5 minutes',
    // maximumAttempts is left unset, which means no limit.
    nonRetryableErrorTypes: NON_RETRYABLE_ACTIVITY_ERRORS,
  },
};

/**
 * Options of the per-statement steps (SAP, documents, email). The activities heartbeat after each statement
 * and stop at the next statement once cancelled, so an attempt that lost its heartbeat does not keep working
 * beside its retry. A SAP rejection is retried too: it clears once the vendor master data is corrected.
 */
export const STATEMENT_STEP_ACTIVITY_OPTIONS: ActivityOptions = {
  ...SIDE_EFFECT_ACTIVITY_OPTIONS,
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '1 minute',
};

const { calculatePeriod } = proxyActivities<Pick<PayPeriodActivities, 'calculatePeriod'>>(CALCULATION_ACTIVITY_OPTIONS);

type StepActivityName = 'postStatementsToSap' | 'renderStatementDocuments' | 'deliverStatements';

const { recordStage, recordDecision, listStatementBatches } =
  proxyActivities<Pick<PayPeriodActivities, 'recordStage' | 'recordDecision' | 'listStatementBatches'>>(
    SIDE_EFFECT_ACTIVITY_OPTIONS,
  );

const { postStatementsToSap, renderStatementDocuments, deliverStatements } = proxyActivities<
  Pick<PayPeriodActivities, StepActivityName>
>(STATEMENT_STEP_ACTIVITY_OPTIONS);

const STEP_ACTIVITIES: Record<StatementStep, (input: { statementIds: string[] }) => Promise<StatementStepResult[]>> = {
  posting: postStatementsToSap,
  rendering: renderStatementDocuments,
  delivering: deliverStatements,
};

const STAGE_AFTER_STEP: Record<StatementStep, PayPeriodStage> = {
  posting: 'rendering',
  rendering: 'delivering',
  delivering: 'closed',
};

/**
 * Runs one pay period from collecting to closed and returns its summary. Signals: `orderEvents`,
 * `closePeriod`. Query: `status`. Updates: `approve`, `reject`. Continues as new while collecting, while
 * awaiting approval and between statement batches when the server suggests it, carrying all counts and the
 * next batch index of each step in `input.carried`. Fails with an ApplicationFailure of type 'InvalidArgument'
 * when the input is invalid, and with the activity's failure when an activity fails with a non-retryable error.
 */
export async function payPeriod(input: PayPeriodInput): Promise<PayPeriodResult> {
  const settings = checkPayPeriodInput(input, workflowInfo().workflowId);
  const { period } = settings;
  const state = input.carried ?? newPayPeriodState();
  let decisionInProgress = false;

  setHandler(orderEventsSignal, (signal) => {
    const eventIds: unknown = signal?.eventIds;
    if (!Array.isArray(eventIds)) {
      log.warn('ignored an orderEvents signal without an eventIds array', { periodId: period.periodId });
      return;
    }
    state.signalsReceived += 1;
    state.eventsSignalled += eventIds.length;
    if (state.stage !== 'collecting') state.eventsSignalledAfterClose += eventIds.length;
  });

  setHandler(closePeriodSignal, (signal) => {
    if (state.stage !== 'collecting' || state.closeRequestedBy !== undefined) {
      log.info('ignored a closePeriod signal because collecting has already ended', {
        periodId: period.periodId,
        stage: state.stage,
      });
      return;
    }
    const requestedBy = signal?.requestedBy;
    state.closeRequestedBy = typeof requestedBy === 'string' && requestedBy.trim() !== '' ? requestedBy : 'unknown';
  });

  setHandler(statusQuery, () => statusOf(state, settings));

  // Decisions run one at a time: a handler waits until the previous one has recorded its decision, then checks
  // the stage again, because the validator of a concurrent request ran before that decision existed.
  // Several handlers can wake up from the same condition, so each one checks the flag again before taking it.
  async function startDecision(): Promise<void> {
    while (decisionInProgress) await condition(() => !decisionInProgress);
    decisionInProgress = true;
  }

  setHandler(
    approveUpdate,
    async (request) => {
      await startDecision();
      try {
        const approval = approvalOf(state);
        if (approval) return approval;
        if (state.stage !== 'awaiting_approval') throw wrongStageFailure(state, 'approve');

        const record = await recordDecision({
          periodId: period.periodId,
          runNumber: state.runNumber,
          decision: 'approved',
          actor: request.actor,
          ...(request.comment !== undefined ? { reason: request.comment } : {}),
        });
        state.decisions.push(record);
        return record;
      } finally {
        decisionInProgress = false;
      }
    },
    { validator: (request) => validateApprove(state, request) },
  );

  setHandler(
    rejectUpdate,
    async (request) => {
      await startDecision();
      try {
        if (state.stage !== 'awaiting_approval' || approvalOf(state)) throw wrongStageFailure(state, 'reject');

        const record = await recordDecision({
          periodId: period.periodId,
          runNumber: state.runNumber,
          decision: 'rejected',
          actor: request.actor,
          reason: request.reason,
        });
        state.decisions.push(record);
        // The main loop records the stage change; setting it here makes later validators reject at once.
        state.stage = 'rejected';
        return record;
      } finally {
        decisionInProgress = false;
      }
    },
    { validator: (request) => validateReject(state, request) },
  );

  async function recordCurrentStage(): Promise<void> {
    log.info('pay period stage changed', { periodId: period.periodId, stage: state.stage, runNumber: state.runNumber });
    await recordStage({ period, workflowId: settings.workflowId, stage: state.stage, runNumber: state.runNumber });
  }

  /** Publishes the current stage in the search attribute and the period row. */
  async function publishStage(): Promise<void> {
    upsertSearchAttributes([{ key: STAGE_SEARCH_ATTRIBUTE, value: state.stage }]);
    await recordCurrentStage();
  }

  async function enterStage(stage: PayPeriodStage): Promise<void> {
    state.stage = stage;
    await publishStage();
  }

  async function continueAsNewWithState(): Promise<never> {
    await condition(allHandlersFinished);
    log.info('pay period continues as new', {
      periodId: period.periodId,
      stage: state.stage,
      historyLength: workflowInfo().historyLength,
    });
    return continueAsNew<typeof payPeriod>({ ...input, carried: state });
  }

  async function collect(): Promise<void> {
    const remainingMs = settings.closesAtMs - Date.now();
    const closeRequested = () => state.closeRequestedBy !== undefined;
    if (remainingMs > 0 && !closeRequested()) {
      // condition() returns false when its durable timer fires at closesAt.
      const interrupted = await condition(() => closeRequested() || workflowInfo().continueAsNewSuggested, remainingMs);
      if (interrupted && !closeRequested()) {
        await continueAsNewWithState();
      }
    }
    await enterStage('calculating');
  }

  async function calculate(): Promise<void> {
    state.calculation = await calculatePeriod({ period, runNumber: state.runNumber });
    // The activity continues the run count of an earlier workflow of the same period, if one recorded runs.
    state.runNumber = state.calculation.runNumber;
    await enterStage('awaiting_approval');
  }

  async function awaitDecision(): Promise<void> {
    const decided = () => approvalOf(state) !== undefined || state.stage === 'rejected';
    for (;;) {
      await condition(() => decided() || workflowInfo().continueAsNewSuggested);
      if (decided()) break;
      // A decision may be in progress; once every handler has finished, the state to carry is final.
      await condition(allHandlersFinished);
      if (decided()) break;
      await continueAsNewWithState();
    }

    if (state.stage === 'rejected') {
      await publishStage();
    } else {
      await enterStage('posting');
    }
  }

  async function runStatementStep(step: StatementStep): Promise<void> {
    state.statementBatches ??= await listStatementBatches({ periodId: period.periodId, batchSize: settings.batchSize });
    const batches = state.statementBatches;
    const checkpoint = state.steps[step];

    while (checkpoint.nextBatchIndex < batches.length) {
      if (workflowInfo().continueAsNewSuggested) await continueAsNewWithState();

      const batch = batches[checkpoint.nextBatchIndex]!;
      const results = await STEP_ACTIVITIES[step]({ statementIds: batch });
      for (const result of results) {
        if (result.outcome === 'done') checkpoint.done += 1;
        else checkpoint.skipped += 1;
      }
      if (results.length !== batch.length) {
        log.warn('a statement step returned a result count that differs from its batch size', {
          periodId: period.periodId,
          step,
          batchIndex: checkpoint.nextBatchIndex,
          batchSize: batch.length,
          results: results.length,
        });
      }
      checkpoint.nextBatchIndex += 1;
    }
    await enterStage(STAGE_AFTER_STEP[step]);
  }

  // Every run sets both attributes, so a run after continue-as-new does not depend on the server copying them.
  upsertSearchAttributes([
    { key: PERIOD_SEARCH_ATTRIBUTE, value: period.periodId },
    { key: STAGE_SEARCH_ATTRIBUTE, value: state.stage },
  ]);
  if (input.carried === undefined) await recordCurrentStage();

  for (;;) {
    switch (state.stage) {
      case 'collecting':
        await collect();
        break;
      case 'calculating':
        await calculate();
        break;
      case 'awaiting_approval':
        await awaitDecision();
        break;
      case 'rejected':
        state.runNumber += 1;
        await enterStage('calculating');
        break;
      case 'posting':
      case 'rendering':
      case 'delivering':
        await runStatementStep(state.stage);
        break;
      case 'closed':
        // Lets a concurrent idempotent approve return before the workflow completes.
        await condition(allHandlersFinished);
        return resultOf(state, settings, new Date().toISOString());
    }
  }
}
