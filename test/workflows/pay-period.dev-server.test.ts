// Tests that need the full Temporal dev server: visibility queries on search attributes, and continue-as-new
// with the server's suggestion limit lowered from 4,096 to 40 history events.
import { defaultPayloadConverter, type Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundle } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PayPeriodClient } from '../../client/pay-period-client.js';
import { bundlePayPeriodWorkflows, createWorker, installRuntimeLogger } from '../../worker/worker.js';
import {
  STATEMENT_STEPS,
  payPeriodWorkflowId,
  type PayPeriodInput,
  type PayPeriodStage,
} from '../../workflows/messages.js';
import { PERIOD_SEARCH_ATTRIBUTE, STAGE_SEARCH_ATTRIBUTE } from '../../workflows/search-attributes.js';
import { RecordingActivities, statementIdsFor } from './activity-doubles.js';
import { startDevServerEnvironment, testLogger } from './environment.js';

const SUGGEST_CONTINUE_AS_NEW_AT = 40;
const APPROVER = { actor: 'anna.approver', role: 'approver' } as const;

let env: TestWorkflowEnvironment;
let bundle: WorkflowBundle;
let taskQueueNumber = 0;

beforeAll(async () => {
  installRuntimeLogger(testLogger());
  env = await startDevServerEnvironment([
    '--dynamic-config-value',
    `limit.historyCount.suggestContinueAsNew=${SUGGEST_CONTINUE_AS_NEW_AT}`,
  ]);
  bundle = await bundlePayPeriodWorkflows(testLogger());
});

afterAll(async () => {
  await env?.teardown();
});

async function withWorker<T>(
  doubles: RecordingActivities,
  body: (payPeriods: PayPeriodClient) => Promise<T>,
): Promise<T> {
  taskQueueNumber += 1;
  const taskQueue = `pay-period-dev-${taskQueueNumber}`;
  const worker = await createWorker({
    connection: env.nativeConnection,
    namespace: 'default',
    taskQueue,
    activities: doubles.activities(),
    logger: testLogger(),
    workflowBundle: bundle,
  });
  return worker.runUntil(body(new PayPeriodClient(env.client, taskQueue)));
}

interface RunSummary {
  runId: string;
  /** Stage carried into this run, or undefined for the first run. */
  carriedStage?: PayPeriodStage;
  historyLength: number;
}

/** Follows the continue-as-new chain of a workflow from its first run and describes each run. */
async function runChain(client: Client, workflowId: string): Promise<RunSummary[]> {
  const latest = await client.workflow.getHandle(workflowId).describe();
  const runs: RunSummary[] = [];
  let runId: string | undefined = latest.raw.workflowExecutionInfo?.firstRunId ?? undefined;
  while (runId) {
    const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    const events = history.events ?? [];
    const payload = events[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
    const input = payload ? defaultPayloadConverter.fromPayload<PayPeriodInput>(payload) : undefined;
    runs.push({ runId, carriedStage: input?.carried?.stage, historyLength: events.length });
    runId = events.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
  }
  return runs;
}

describe('payPeriod on the dev server', () => {
  it('sets search attributes visible to list queries', async () => {
    const doubles = new RecordingActivities({ statementIds: statementIdsFor('2026-11', 3) });
    // The dev server runs on the real clock, so 2026-11 has ended and collecting closes at once.
    const periodId = '2026-11';
    await withWorker(doubles, async (payPeriods) => {
      await payPeriods.ensureStarted(periodId);
      await payPeriods.waitForStage(periodId, ['awaiting_approval'], { timeoutMs: 20_000, pollIntervalMs: 100 });

      // Visibility is updated asynchronously, so poll the list query for a few seconds.
      let listed: { workflowId: string; stage: unknown }[] = [];
      for (let poll = 0; poll < 50; poll += 1) {
        listed = [];
        for await (const workflow of env.client.workflow.list({ query: `IncentraPeriod = '${periodId}'` })) {
          listed.push({
            workflowId: workflow.workflowId,
            stage: workflow.typedSearchAttributes.get(STAGE_SEARCH_ATTRIBUTE),
          });
        }
        if (listed[0]?.stage === 'awaiting_approval') break;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(listed).toEqual([{ workflowId: payPeriodWorkflowId(periodId), stage: 'awaiting_approval' }]);

      const description = await env.client.workflow.getHandle(payPeriodWorkflowId(periodId)).describe();
      expect(description.typedSearchAttributes.get(PERIOD_SEARCH_ATTRIBUTE)).toBe(periodId);

      await payPeriods.approve(periodId, APPROVER);
      await payPeriods.result(periodId);
      let closed: string[] = [];
      for (let poll = 0; poll < 50 && closed.length === 0; poll += 1) {
        closed = [];
        const query = `IncentraPeriod = '${periodId}' AND IncentraStage = 'closed'`;
        for await (const workflow of env.client.workflow.list({ query })) closed.push(workflow.workflowId);
        if (closed.length === 0) await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(closed).toEqual([payPeriodWorkflowId(periodId)]);
    });
  });

  it('continues as new and keeps counts and progress', async () => {
    const doubles = new RecordingActivities({ statementIds: statementIdsFor('2027-06', 30) });
    const periodId = '2030-06';
    const signals = 30;
    await withWorker(doubles, async (payPeriods) => {
      await payPeriods.ensureStarted(periodId, { batchSize: 5 });
      // Each signal gets a workflow task of its own (the query waits for it), so the history grows by about four
      // events per signal and passes the limit. Signals sent in a burst would share a few workflow tasks.
      for (let index = 0; index < signals; index += 1) {
        await payPeriods.signalEvents(periodId, [`event-${index}-a`, `event-${index}-b`]);
        const status = await payPeriods.getStatus(periodId);
        expect(status?.eventsSignalled).toBe(2 * (index + 1));
      }

      const collecting = await payPeriods.getStatus(periodId);
      expect(collecting?.stage).toBe('collecting');
      expect(collecting?.eventsSignalled).toBe(2 * signals);
      expect(collecting?.signalsReceived).toBe(signals);
      const collectingRuns = await runChain(env.client, payPeriodWorkflowId(periodId));
      expect(collectingRuns.length).toBeGreaterThan(1);
      expect(collectingRuns.slice(1).every((run) => run.carriedStage === 'collecting')).toBe(true);

      await payPeriods.requestClose(periodId, 'ops.team');
      await payPeriods.waitForStage(periodId, ['awaiting_approval'], { timeoutMs: 30_000, pollIntervalMs: 100 });
      await payPeriods.approve(periodId, APPROVER);
      const result = await payPeriods.result(periodId);

      expect(result.eventsSignalled).toBe(2 * signals);
      expect(result.signalsReceived).toBe(signals);
      expect(result.closeRequestedBy).toBe('ops.team');
      for (const step of STATEMENT_STEPS) {
        expect(result.steps[step]).toEqual({ done: 30, skipped: 0, total: 30 });
        expect([...doubles.effects[step].values()].every((count) => count === 1)).toBe(true);
      }
      // 6 batches of 5 per step, each scheduled once although runs continued as new between batches.
      expect(doubles.callsOf('postStatementsToSap')).toHaveLength(6);
      expect(doubles.callsOf('renderStatementDocuments')).toHaveLength(6);
      expect(doubles.callsOf('deliverStatements')).toHaveLength(6);
      expect(doubles.callsOf('listStatementBatches')).toHaveLength(1);
      expect(doubles.callsOf('calculatePeriod')).toHaveLength(1);

      const runs = await runChain(env.client, payPeriodWorkflowId(periodId));
      const carriedStages = new Set(runs.map((run) => run.carriedStage));
      expect(
        [...carriedStages].some((stage) => stage === 'posting' || stage === 'rendering' || stage === 'delivering'),
      ).toBe(true);
    });
  });
});
