/**
 * Contract between the payPeriod workflow and its activities. The workflow imports only these types
 * (never the implementations), so this file must stay free of runtime imports.
 */

/** Totals of one calculation run. Amounts are decimal strings in euros; the workflow never does arithmetic on them. */
export interface CalculationSummary {
  periodId: string;
  runNumber: number;
  eventsAccepted: number;
  eventsRejected: number;
  orders: number;
  partners: number;
  statements: number;
  lines: number;
  netCommission: string;
  vatAmount: string;
  withholdingAmount: string;
  payableAmount: string;
  warnings: string[];
}

export type DecisionKind = 'approved' | 'rejected';

/** An approval or rejection as recorded in the database. */
export interface DecisionRecord {
  periodId: string;
  runNumber: number;
  decision: DecisionKind;
  actor: string;
  reason?: string;
  decidedAt: string;
}

export interface RecordDecisionInput {
  periodId: string;
  runNumber: number;
  decision: DecisionKind;
  actor: string;
  /** Reason of a rejection, or the optional comment of an approval (the decision table has one free-text column). */
  reason?: string;
}

/** Outcome of one side effect for one statement; `skipped` means an earlier attempt already did it. */
export interface StatementStepResult {
  statementId: string;
  outcome: 'done' | 'skipped';
  /** SAP document number, document path or email Message-ID. */
  reference: string;
}

export interface PeriodWindow {
  periodId: string;
  startsAt: string;
  endsAt: string;
}

/**
 * Activities of the payPeriod workflow. Every one is safe to retry after an earlier attempt ended: each
 * side effect is checked against its idempotency key first. The per-statement steps also stop once
 * cancelled, so an attempt that lost its heartbeat does not keep running beside its retry.
 */
export interface PayPeriodActivities {
  /** Creates or updates the period row with the workflow's stage and run number. */
  recordStage(input: { period: PeriodWindow; workflowId: string; stage: string; runNumber: number }): Promise<void>;
  /**
   * Runs the commission engine over the period's stored events and replaces the period's draft statements.
   * The summary's runNumber is the run actually stored: higher than requested when an earlier workflow of the
   * period recorded runs (see effectiveRunNumber in activities/calculation.ts).
   */
  calculatePeriod(input: { period: PeriodWindow; runNumber: number }): Promise<CalculationSummary>;
  /** Stores an approval or rejection; on approval assigns invoice numbers and marks statements approved. Idempotent per run. */
  recordDecision(input: RecordDecisionInput): Promise<DecisionRecord>;
  /** Returns the ids of the period's approved statements with a non-zero payable amount, in batches. */
  listStatementBatches(input: { periodId: string; batchSize: number }): Promise<string[][]>;
  /** Posts one supplier invoice per statement to SAP; looks each reference up first so nothing posts twice. */
  postStatementsToSap(input: { statementIds: string[] }): Promise<StatementStepResult[]>;
  /** Renders the pro-forma invoice PDF of each statement, once. */
  renderStatementDocuments(input: { statementIds: string[] }): Promise<StatementStepResult[]>;
  /** Emails each partner its document, once per statement. */
  deliverStatements(input: { statementIds: string[] }): Promise<StatementStepResult[]>;
}
