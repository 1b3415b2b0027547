/**
 * In-memory test doubles of PayPeriodActivities. They record every call with its attempt number and count
 * the side effects per statement, so tests can check that nothing was posted, rendered or delivered twice.
 */
import { Context } from '@temporalio/activity';
import type {
  CalculationSummary,
  DecisionRecord,
  PayPeriodActivities,
  RecordDecisionInput,
  StatementStepResult,
} from '../../activities/types.js';

/** Name of an activity of the payPeriod workflow. */
export type ActivityName = keyof PayPeriodActivities;

/** One call of an activity double. */
export interface ActivityCall {
  name: ActivityName;
  input: unknown;
  attempt: number;
}

/** Side-effect steps of the doubles, keyed like the workflow's steps. */
export type SideEffectStep = 'posting' | 'rendering' | 'delivering';

/** Options of {@link RecordingActivities}. */
export interface RecordingActivitiesOptions {
  /** Ids of the approved statements that listStatementBatches returns. */
  statementIds?: string[];
  /**
   * Side-effect activities whose first call throws, once per doubles instance. The call throws after doing its
   * work, like a process that crashes before it can report success, so the retry finds every statement done.
   */
  failFirstAttempt?: ActivityName[];
  /** Activities that wait for the given promise before doing anything, so a test can act while they are pending. */
  holdUntil?: Partial<Record<ActivityName, Promise<unknown>>>;
}

/** Test double of the payPeriod activities that keeps everything in memory. */
export class RecordingActivities {
  readonly calls: ActivityCall[] = [];
  readonly decisions: DecisionRecord[] = [];
  /**
   * Number of times each statement's side effect was performed, per step. The doubles are idempotent like the
   * real activities, so a repeated call reports 'skipped' and leaves the count at 1; tests check the calls too.
   */
  readonly effects: Record<SideEffectStep, Map<string, number>> = {
    posting: new Map(),
    rendering: new Map(),
    delivering: new Map(),
  };
  readonly statementIds: string[];
  private readonly failFirstAttempt: Set<ActivityName>;
  private readonly holdUntil: Partial<Record<ActivityName, Promise<unknown>>>;

  constructor(options: RecordingActivitiesOptions = {}) {
    this.statementIds = options.statementIds ?? statementIdsFor('2026-11', 60);
    this.failFirstAttempt = new Set(options.failFirstAttempt ?? []);
    this.holdUntil = options.holdUntil ?? {};
  }

  /** Returns the calls of one activity, in call order. */
  callsOf(name: ActivityName): ActivityCall[] {
    return this.calls.filter((call) => call.name === name);
  }

  /** Returns the stages passed to recordStage, in call order. */
  recordedStages(): string[] {
    return this.callsOf('recordStage').map((call) => (call.input as { stage: string }).stage);
  }

  /** Builds the activity functions to register with a worker. */
  activities(): PayPeriodActivities {
    return {
      recordStage: async (input) => {
        this.record('recordStage', input);
      },
      calculatePeriod: async (input) => {
        this.record('calculatePeriod', input);
        const summary: CalculationSummary = {
          periodId: input.period.periodId,
          runNumber: input.runNumber,
          eventsAccepted: 10,
          eventsRejected: 0,
          orders: 10,
          partners: this.statementIds.length,
          statements: this.statementIds.length,
          lines: 10,
          netCommission: '1000.00',
          vatAmount: '190.00',
          withholdingAmount: '0.00',
          payableAmount: '1190.00',
          warnings: [],
        };
        return summary;
      },
      recordDecision: async (input) => {
        this.record('recordDecision', input);
        return this.storeDecision(input);
      },
      listStatementBatches: async (input) => {
        this.record('listStatementBatches', input);
        const batches: string[][] = [];
        for (let index = 0; index < this.statementIds.length; index += input.batchSize) {
          batches.push(this.statementIds.slice(index, index + input.batchSize));
        }
        return batches;
      },
      postStatementsToSap: async (input) => {
        await this.holdUntil.postStatementsToSap;
        return this.sideEffect('postStatementsToSap', 'posting', input.statementIds);
      },
      renderStatementDocuments: async (input) => {
        await this.holdUntil.renderStatementDocuments;
        return this.sideEffect('renderStatementDocuments', 'rendering', input.statementIds);
      },
      deliverStatements: async (input) => {
        await this.holdUntil.deliverStatements;
        return this.sideEffect('deliverStatements', 'delivering', input.statementIds);
      },
    };
  }

  private record(name: ActivityName, input: unknown): number {
    const attempt = Context.current().info.attempt;
    this.calls.push({ name, input: structuredClone(input), attempt });
    return attempt;
  }

  // Idempotent per period and run, like the real activity: a repeated call returns the stored decision.
  private storeDecision(input: RecordDecisionInput): DecisionRecord {
    const stored = this.decisions.find(
      (decision) => decision.periodId === input.periodId && decision.runNumber === input.runNumber,
    );
    if (stored) return stored;
    const record: DecisionRecord = {
      periodId: input.periodId,
      runNumber: input.runNumber,
      decision: input.decision,
      actor: input.actor,
      ...(input.reason !== undefined ? { reason: input.reason } : {}),
      decidedAt: new Date().toISOString(),
    };
    this.decisions.push(record);
    return record;
  }

  private sideEffect(name: ActivityName, step: SideEffectStep, statementIds: string[]): StatementStepResult[] {
    const attempt = this.record(name, { statementIds });
    const effects = this.effects[step];
    const results = statementIds.map((statementId): StatementStepResult => {
      const done = effects.has(statementId);
      if (!done) effects.set(statementId, 1);
      return { statementId, outcome: done ? 'skipped' : 'done', reference: `${step}-${statementId}` };
    });
    if (attempt === 1 && this.failFirstAttempt.delete(name)) {
      throw new Error(`${name} failed on its first call after doing its work (test double)`);
    }
    return results;
  }
}

/** Returns `count` statement ids of a period, `<period>-P00001` onwards. */
export function statementIdsFor(periodId: string, count: number): string[] {
  return Array.from({ length: count }, (_, index) => `${periodId}-P${String(index + 1).padStart(5, '0')}`);
}
