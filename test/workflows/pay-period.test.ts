import { WorkflowFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, type WorkflowBundle } from '@temporalio/worker';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  ForbiddenError,
  InvalidRequestError,
  PayPeriodClient,
  PeriodNotFoundError,
  WrongStageError,
} from '../../client/pay-period-client.js';
import { bundlePayPeriodWorkflows, createWorker, installRuntimeLogger } from '../../worker/worker.js';
import {
  PAY_PERIOD_WORKFLOW_TYPE,
  STATEMENT_STEPS,
  payPeriodWorkflowId,
  periodWindow,
  type PayPeriodStatus,
} from '../../workflows/messages.js';
import { PERIOD_SEARCH_ATTRIBUTE, STAGE_SEARCH_ATTRIBUTE } from '../../workflows/search-attributes.js';
import { RecordingActivities, statementIdsFor, type ActivityName, type SideEffectStep } from './activity-doubles.js';
import { startTimeSkippingEnvironment, testLogger } from './environment.js';

const APPROVER = { actor: 'anna.approver', role: 'approver' } as const;
const STEP_ACTIVITY: Record<SideEffectStep, ActivityName> = {
  posting: 'postStatementsToSap',
  rendering: 'renderStatementDocuments',
  delivering: 'deliverStatements',
};
const FULL_STAGE_SEQUENCE = [
  'collecting',
  'calculating',
  'awaiting_approval',
  'posting',
  'rendering',
  'delivering',
  'closed',
];

let env: TestWorkflowEnvironment;
let bundle: WorkflowBundle;
let taskQueueNumber = 0;
let periodOffset = 0;
const startedWorkflowIds = new Set<string>();

beforeAll(async () => {
  installRuntimeLogger(testLogger());
  env = await startTimeSkippingEnvironment();
  bundle = await bundlePayPeriodWorkflows(testLogger());
});

afterAll(async () => {
  await env?.teardown();
});

// A workflow left collecting keeps a timer, and the next test's time skipping would fire it.
afterEach(async () => {
  for (const workflowId of startedWorkflowIds) {
    const handle = env.client.workflow.getHandle(workflowId);
    const description = await handle.describe().catch(() => undefined);
    if (description?.status.name === 'RUNNING') await handle.terminate('test finished');
  }
  startedWorkflowIds.clear();
});

/**
 * Returns a period that ends at least a year after the test server's current time, and a different one on each
 * call, so that no test reuses another test's workflow id.
 */
async function futurePeriodId(): Promise<string> {
  const now = new Date(await env.currentTimeMs());
  periodOffset += 1;
  const month = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 12 + periodOffset, 1));
  const periodId = `${month.getUTCFullYear()}-${String(month.getUTCMonth() + 1).padStart(2, '0')}`;
  startedWorkflowIds.add(payPeriodWorkflowId(periodId));
  return periodId;
}

interface Harness {
  payPeriods: PayPeriodClient;
  client: Client;
  taskQueue: string;
}

/** Runs `body` while a worker with the given activity doubles polls a task queue of its own. */
async function withWorker<T>(doubles: RecordingActivities, body: (harness: Harness) => Promise<T>): Promise<T> {
  taskQueueNumber += 1;
  const taskQueue = `pay-period-test-${taskQueueNumber}`;
  const worker = await createWorker({
    connection: env.nativeConnection,
    namespace: 'default',
    taskQueue,
    activities: doubles.activities(),
    logger: testLogger(),
    workflowBundle: bundle,
  });
  return worker.runUntil(
    body({ payPeriods: new PayPeriodClient(env.client, taskQueue), client: env.client, taskQueue }),
  );
}

/** Starts a period with events, closes it and waits until it awaits approval. */
async function calculatedPeriod(payPeriods: PayPeriodClient, periodId: string): Promise<PayPeriodStatus> {
  await payPeriods.signalEvents(periodId, ['e1', 'e2', 'e3']);
  await payPeriods.requestClose(periodId, 'ops.team');
  return payPeriods.waitForStage(periodId, ['awaiting_approval'], { timeoutMs: 20_000, pollIntervalMs: 100 });
}

async function acceptedUpdateCount(client: Client, periodId: string): Promise<number> {
  const history = await client.workflow.getHandle(payPeriodWorkflowId(periodId)).fetchHistory();
  return (history.events ?? []).filter((event) => event.workflowExecutionUpdateAcceptedEventAttributes != null).length;
}

/** Returns how many first-attempt calls of the step's activity included each statement. */
function scheduledPerStatement(doubles: RecordingActivities, step: SideEffectStep): Map<string, number> {
  const counts = new Map<string, number>();
  for (const call of doubles.callsOf(STEP_ACTIVITY[step])) {
    if (call.attempt !== 1) continue;
    for (const statementId of (call.input as { statementIds: string[] }).statementIds) {
      counts.set(statementId, (counts.get(statementId) ?? 0) + 1);
    }
  }
  return counts;
}

function expectEveryStatementOnce(doubles: RecordingActivities, step: SideEffectStep): void {
  const scheduled = scheduledPerStatement(doubles, step);
  expect([...scheduled.keys()].sort()).toEqual([...doubles.statementIds].sort());
  expect([...scheduled.values()].every((count) => count === 1)).toBe(true);
  expect([...doubles.effects[step].values()].every((count) => count === 1)).toBe(true);
  expect(doubles.effects[step].size).toBe(doubles.statementIds.length);
}

describe('payPeriod collecting', () => {
  it('closes when the timer reaches the period end', async () => {
    const doubles = new RecordingActivities();
    const periodId = await futurePeriodId();
    await withWorker(doubles, async ({ payPeriods }) => {
      await payPeriods.signalEvents(periodId, ['e1', 'e2']);
      const collecting = await payPeriods.getStatus(periodId);
      expect(collecting?.stage).toBe('collecting');
      expect(collecting?.closesAt).toBe(periodWindow(periodId).endsAt);
      expect(doubles.callsOf('calculatePeriod')).toHaveLength(0);

      const untilClose = Date.parse(periodWindow(periodId).endsAt) - (await env.currentTimeMs());
      await env.sleep(untilClose + 60_000);

      const status = await payPeriods.waitForStage(periodId, ['awaiting_approval'], {
        timeoutMs: 20_000,
        pollIntervalMs: 100,
      });
      expect(status.closeRequestedBy).toBeUndefined();
      expect(status.eventsSignalled).toBe(2);
      expect(status.calculation?.runNumber).toBe(1);
      expect(doubles.callsOf('calculatePeriod').map((call) => call.input)).toEqual([
        { period: periodWindow(periodId), runNumber: 1 },
      ]);
    });
  });

  it('closes at once when the period has ended', async () => {
    const doubles = new RecordingActivities();
    const periodId = '2020-01';
    startedWorkflowIds.add(payPeriodWorkflowId(periodId));
    await withWorker(doubles, async ({ payPeriods }) => {
      const started = await payPeriods.ensureStarted(periodId);
      expect(started).toEqual({ workflowId: 'pay-period-2020-01', alreadyRunning: false });

      const status = await payPeriods.waitForStage(periodId, ['awaiting_approval'], {
        timeoutMs: 20_000,
        pollIntervalMs: 100,
      });
      expect(status.closeRequestedBy).toBeUndefined();
      expect(doubles.recordedStages()).toEqual(['collecting', 'calculating', 'awaiting_approval']);
    });
  });

  it('closes early on a close request and counts events', async () => {
    const doubles = new RecordingActivities();
    const periodId = await futurePeriodId();
    const eventIds = Array.from({ length: 1_200 }, (_, index) => `event-${index}`);
    await withWorker(doubles, async ({ payPeriods }) => {
      await payPeriods.signalEvents(periodId, eventIds);
      const again = await payPeriods.ensureStarted(periodId);
      expect(again.alreadyRunning).toBe(true);

      await payPeriods.requestClose(periodId, 'ops.team');
      const status = await payPeriods.waitForStage(periodId, ['awaiting_approval'], {
        timeoutMs: 20_000,
        pollIntervalMs: 100,
      });
      expect(status.eventsSignalled).toBe(1_200);
      expect(status.signalsReceived).toBe(3);
      expect(status.eventsSignalledAfterClose).toBe(0);
      expect(status.closeRequestedBy).toBe('ops.team');
      expect(status.runNumber).toBe(1);
      expect(doubles.recordedStages()).toEqual(['collecting', 'calculating', 'awaiting_approval']);

      await expect(payPeriods.requestClose(periodId, 'ops.team')).rejects.toBeInstanceOf(WrongStageError);

      await payPeriods.signalEvents(periodId, ['late-1']);
      const late = await payPeriods.getStatus(periodId);
      expect(late?.eventsSignalled).toBe(1_201);
      expect(late?.eventsSignalledAfterClose).toBe(1);
    });
  });

  it('rejects a decision while collecting', async () => {
    const doubles = new RecordingActivities();
    const periodId = await futurePeriodId();
    await withWorker(doubles, async ({ payPeriods, client }) => {
      await payPeriods.ensureStarted(periodId);
      await expect(payPeriods.approve(periodId, APPROVER)).rejects.toBeInstanceOf(WrongStageError);
      await expect(payPeriods.reject(periodId, { ...APPROVER, reason: 'too early' })).rejects.toBeInstanceOf(
        WrongStageError,
      );
      expect(await acceptedUpdateCount(client, periodId)).toBe(0);
    });
  });
});

describe('payPeriod approval', () => {
  it('posts, renders and delivers every batch once, then closes', async () => {
    const doubles = new RecordingActivities({ statementIds: statementIdsFor('2026-11', 60) });
    const periodId = await futurePeriodId();
    await withWorker(doubles, async ({ payPeriods, client }) => {
      await calculatedPeriod(payPeriods, periodId);

      const approval = await payPeriods.approve(periodId, { ...APPROVER, comment: 'checked against the CRM' });
      expect(approval.decision).toBe('approved');
      expect(approval.runNumber).toBe(1);
      expect(approval.actor).toBe('anna.approver');
      expect(approval.reason).toBe('checked against the CRM');

      const result = await payPeriods.result(periodId);
      expect(result.approval).toEqual(approval);
      expect(result.runNumber).toBe(1);
      expect(result.eventsSignalled).toBe(3);
      expect(result.closeRequestedBy).toBe('ops.team');
      for (const step of STATEMENT_STEPS) {
        expect(result.steps[step]).toEqual({ done: 60, skipped: 0, total: 60 });
        expectEveryStatementOnce(doubles, step);
        expect(doubles.callsOf(STEP_ACTIVITY[step])).toHaveLength(3);
      }

      expect(doubles.callsOf('listStatementBatches').map((call) => call.input)).toEqual([{ periodId, batchSize: 25 }]);
      expect(doubles.callsOf('recordDecision')).toHaveLength(1);
      expect(doubles.recordedStages()).toEqual(FULL_STAGE_SEQUENCE);

      // Every posting precedes every rendering, which precedes every delivery.
      const order = doubles.calls
        .map((call) => call.name)
        .filter((name) => Object.values(STEP_ACTIVITY).includes(name));
      expect(order).toEqual([
        ...Array<ActivityName>(3).fill('postStatementsToSap'),
        ...Array<ActivityName>(3).fill('renderStatementDocuments'),
        ...Array<ActivityName>(3).fill('deliverStatements'),
      ]);

      const status = await payPeriods.getStatus(periodId);
      expect(status?.stage).toBe('closed');

      const description = await client.workflow.getHandle(payPeriodWorkflowId(periodId)).describe();
      expect(description.typedSearchAttributes.get(PERIOD_SEARCH_ATTRIBUTE)).toBe(periodId);
      expect(description.typedSearchAttributes.get(STAGE_SEARCH_ATTRIBUTE)).toBe('closed');

      await expect(payPeriods.approve(periodId, APPROVER)).rejects.toBeInstanceOf(WrongStageError);
      await expect(payPeriods.ensureStarted(periodId)).rejects.toBeInstanceOf(WrongStageError);
      await expect(payPeriods.signalEvents(periodId, ['after-close'])).rejects.toBeInstanceOf(WrongStageError);
    });
  });

  it('rejects an approve by a non-approver before history', async () => {
    const doubles = new RecordingActivities();
    const periodId = await futurePeriodId();
    await withWorker(doubles, async ({ payPeriods, client }) => {
      await calculatedPeriod(payPeriods, periodId);

      await expect(payPeriods.approve(periodId, { actor: 'root', role: 'admin' })).rejects.toBeInstanceOf(
        ForbiddenError,
      );
      await expect(payPeriods.approve(periodId, { actor: 'P00001', role: 'partner' })).rejects.toThrow(
        /role "partner" may not approve/,
      );
      await expect(payPeriods.approve(periodId, { actor: ' ', role: 'approver' })).rejects.toBeInstanceOf(
        InvalidRequestError,
      );

      expect(await acceptedUpdateCount(client, periodId)).toBe(0);
      expect(doubles.callsOf('recordDecision')).toHaveLength(0);
      const status = await payPeriods.getStatus(periodId);
      expect(status?.stage).toBe('awaiting_approval');
      expect(status?.decisions).toEqual([]);

      await payPeriods.approve(periodId, APPROVER);
      expect(await acceptedUpdateCount(client, periodId)).toBe(1);
    });
  });

  it('rejects a rejection without a reason', async () => {
    const doubles = new RecordingActivities();
    const periodId = await futurePeriodId();
    await withWorker(doubles, async ({ payPeriods, client }) => {
      await calculatedPeriod(payPeriods, periodId);

      await expect(payPeriods.reject(periodId, { ...APPROVER, reason: '' })).rejects.toBeInstanceOf(
        InvalidRequestError,
      );
      await expect(payPeriods.reject(periodId, { ...APPROVER, reason: '   ' })).rejects.toThrow(/reason is missing/);
      await expect(
        payPeriods.reject(periodId, { actor: 'root', role: 'admin', reason: 'wrong tiers' }),
      ).rejects.toBeInstanceOf(ForbiddenError);

      expect(await acceptedUpdateCount(client, periodId)).toBe(0);
      expect(doubles.callsOf('recordDecision')).toHaveLength(0);
      expect((await payPeriods.getStatus(periodId))?.stage).toBe('awaiting_approval');
    });
  });

  it('recalculates after a rejection, then approves run 2', async () => {
    const doubles = new RecordingActivities({ statementIds: statementIdsFor('2026-11', 10) });
    const periodId = await futurePeriodId();
    await withWorker(doubles, async ({ payPeriods }) => {
      await calculatedPeriod(payPeriods, periodId);

      const rejection = await payPeriods.reject(periodId, { ...APPROVER, reason: 'tier 2 rate is wrong' });
      expect(rejection).toMatchObject({ decision: 'rejected', runNumber: 1, reason: 'tier 2 rate is wrong' });
      await expect(payPeriods.approve(periodId, APPROVER)).rejects.toBeInstanceOf(WrongStageError);

      const recalculated = await payPeriods.waitForStage(periodId, ['awaiting_approval'], {
        timeoutMs: 20_000,
        pollIntervalMs: 100,
      });
      expect(recalculated.runNumber).toBe(2);
      expect(recalculated.calculation?.runNumber).toBe(2);
      expect(doubles.callsOf('calculatePeriod').map((call) => (call.input as { runNumber: number }).runNumber)).toEqual(
        [1, 2],
      );

      const approval = await payPeriods.approve(periodId, APPROVER);
      expect(approval).toMatchObject({ decision: 'approved', runNumber: 2 });

      const result = await payPeriods.result(periodId);
      expect(result.runNumber).toBe(2);
      expect(result.decisions.map((decision) => [decision.decision, decision.runNumber])).toEqual([
        ['rejected', 1],
        ['approved', 2],
      ]);
      expect(doubles.recordedStages()).toEqual([
        'collecting',
        'calculating',
        'awaiting_approval',
        'rejected',
        'calculating',
        'awaiting_approval',
        'posting',
        'rendering',
        'delivering',
        'closed',
      ]);
      const stageRuns = doubles.callsOf('recordStage').map((call) => (call.input as { runNumber: number }).runNumber);
      expect(stageRuns).toEqual([1, 1, 1, 1, 2, 2, 2, 2, 2, 2]);
    });
  });

  it('returns the first approval to a second approve', async () => {
    let releasePosting!: () => void;
    const postingReleased = new Promise<void>((resolve) => {
      releasePosting = resolve;
    });
    const doubles = new RecordingActivities({ holdUntil: { postStatementsToSap: postingReleased } });
    const periodId = await futurePeriodId();
    await withWorker(doubles, async ({ payPeriods }) => {
      await calculatedPeriod(payPeriods, periodId);

      const first = await payPeriods.approve(periodId, APPROVER);
      const second = await payPeriods.approve(periodId, { actor: 'bruno.approver', role: 'approver' });
      expect(second).toEqual(first);
      await expect(payPeriods.reject(periodId, { ...APPROVER, reason: 'too late' })).rejects.toBeInstanceOf(
        WrongStageError,
      );
      await expect(payPeriods.approve(periodId, { actor: 'root', role: 'admin' })).rejects.toBeInstanceOf(
        ForbiddenError,
      );

      releasePosting();
      const result = await payPeriods.result(periodId);
      expect(result.decisions).toEqual([first]);
      expect(doubles.callsOf('recordDecision')).toHaveLength(1);
    });
  });

  it('records one decision for concurrent requests', async () => {
    const doubles = new RecordingActivities({ statementIds: statementIdsFor('2026-11', 5) });
    const periodId = await futurePeriodId();
    await withWorker(doubles, async ({ payPeriods }) => {
      await calculatedPeriod(payPeriods, periodId);

      const [firstApprove, secondApprove, reject] = await Promise.allSettled([
        payPeriods.approve(periodId, APPROVER),
        payPeriods.approve(periodId, { actor: 'bruno.approver', role: 'approver' }),
        payPeriods.reject(periodId, { ...APPROVER, reason: 'second thoughts' }),
      ]);
      expect(doubles.callsOf('recordDecision')).toHaveLength(1);
      const recorded = doubles.decisions[0]!;

      if (recorded.decision === 'approved') {
        // Both approvals return the one record, and the rejection came too late.
        expect(firstApprove).toEqual({ status: 'fulfilled', value: recorded });
        expect(secondApprove).toEqual({ status: 'fulfilled', value: recorded });
        expect(reject.status).toBe('rejected');
        expect((reject as PromiseRejectedResult).reason).toBeInstanceOf(WrongStageError);
      } else {
        // The rejection won, so both approvals met a period that was no longer awaiting approval.
        expect(reject).toEqual({ status: 'fulfilled', value: recorded });
        for (const approve of [firstApprove, secondApprove]) {
          expect(approve.status).toBe('rejected');
          expect((approve as PromiseRejectedResult).reason).toBeInstanceOf(WrongStageError);
        }
        await payPeriods.waitForStage(periodId, ['awaiting_approval'], { timeoutMs: 20_000, pollIntervalMs: 100 });
        await payPeriods.approve(periodId, APPROVER);
      }

      const result = await payPeriods.result(periodId);
      expect(result.decisions[0]).toEqual(recorded);
    });
  });
});

describe('payPeriod activities', () => {
  it('retries a failed attempt without repeating side effects', async () => {
    const doubles = new RecordingActivities({
      statementIds: statementIdsFor('2026-11', 60),
      failFirstAttempt: ['postStatementsToSap', 'deliverStatements'],
    });
    const periodId = await futurePeriodId();
    await withWorker(doubles, async ({ payPeriods }) => {
      await calculatedPeriod(payPeriods, periodId);
      await payPeriods.approve(periodId, APPROVER);
      const result = await payPeriods.result(periodId);

      // The first attempt of the first batch did its work and then failed, so its retry reports 'skipped'.
      expect(result.steps.posting).toEqual({ done: 35, skipped: 25, total: 60 });
      expect(result.steps.rendering).toEqual({ done: 60, skipped: 0, total: 60 });
      expect(result.steps.delivering).toEqual({ done: 35, skipped: 25, total: 60 });

      const postingAttempts = doubles.callsOf('postStatementsToSap').map((call) => call.attempt);
      expect(postingAttempts).toEqual([1, 2, 1, 1]);
      for (const step of STATEMENT_STEPS) expectEveryStatementOnce(doubles, step);
    });
  });

  it('fails the workflow for an invalid workflow id', async () => {
    const doubles = new RecordingActivities();
    await withWorker(doubles, async ({ client, taskQueue }) => {
      const handle = await client.workflow.start(PAY_PERIOD_WORKFLOW_TYPE, {
        taskQueue,
        workflowId: 'not-a-pay-period',
        args: [periodWindow('2026-11')],
      });
      const failure = await handle.result().catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(WorkflowFailedError);
      const cause = (failure as WorkflowFailedError).cause;
      expect(cause).toBeInstanceOf(ApplicationFailure);
      expect((cause as ApplicationFailure).type).toBe('InvalidArgument');
      expect(cause?.message).toMatch(/must be pay-period-2026-11/);
      expect(doubles.calls).toHaveLength(0);
    });
  });

  it('reports a missing period as not found', async () => {
    const doubles = new RecordingActivities();
    await withWorker(doubles, async ({ payPeriods }) => {
      expect(await payPeriods.getStatus('1999-01')).toBeNull();
      await expect(payPeriods.approve('1999-01', APPROVER)).rejects.toBeInstanceOf(PeriodNotFoundError);
      await expect(payPeriods.requestClose('1999-01', 'ops.team')).rejects.toBeInstanceOf(PeriodNotFoundError);
      await expect(payPeriods.getStatus('1999-13')).rejects.toBeInstanceOf(InvalidRequestError);
    });
  });
});

describe('payPeriod replay', () => {
  it('replays the history of a completed run', async () => {
    const doubles = new RecordingActivities({ statementIds: statementIdsFor('2026-11', 30) });
    const periodId = await futurePeriodId();
    const history = await withWorker(doubles, async ({ payPeriods, client }) => {
      await calculatedPeriod(payPeriods, periodId);
      await payPeriods.reject(periodId, { ...APPROVER, reason: 'missing orders' });
      await payPeriods.waitForStage(periodId, ['awaiting_approval'], { timeoutMs: 20_000, pollIntervalMs: 100 });
      await payPeriods.approve(periodId, APPROVER);
      await payPeriods.result(periodId);
      return client.workflow.getHandle(payPeriodWorkflowId(periodId)).fetchHistory();
    });

    expect(history.events?.length).toBeGreaterThan(50);
    await expect(
      Worker.runReplayHistory({ workflowBundle: bundle }, history, payPeriodWorkflowId(periodId)),
    ).resolves.toBeUndefined();
  });
});
