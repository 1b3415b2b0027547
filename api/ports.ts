/**
 * Interfaces through which the API reaches the pay period workflows and the PDF renderer.
 * PayPeriodClient (client/pay-period-client.ts) satisfies PayPeriodPort structurally, and tests
 * pass in-memory implementations.
 */
import type { DecisionRecord } from '../activities/types.js';
import type { ApproveRequest, PayPeriodStatus, RejectRequest } from '../workflows/messages.js';

export type { PayPeriodStatus };

/**
 * The pay period workflows, one per period `YYYY-MM`. Methods throw errors named ForbiddenError,
 * InvalidRequestError, WrongStageError or PeriodNotFoundError, which `fromPayPeriodError` maps to
 * HTTP statuses. Any other error means the workflow service failed.
 */
export interface PayPeriodPort {
  /** Signals the period's workflow that these stored order events were accepted, starting it if needed. */
  signalEvents(periodId: string, eventIds: readonly string[]): Promise<unknown>;
  /** Asks the period's workflow to stop collecting events and calculate. */
  requestClose(periodId: string, requestedBy: string): Promise<unknown>;
  /** Queries the workflow's status. Returns null when no workflow exists for the period. */
  getStatus(periodId: string): Promise<PayPeriodStatus | null>;
  /** Approves the period's current calculation run and returns the recorded decision. */
  approve(periodId: string, request: ApproveRequest): Promise<DecisionRecord>;
  /** Rejects the period's current calculation run and returns the recorded decision. */
  reject(periodId: string, request: RejectRequest): Promise<DecisionRecord>;
}

/**
 * Renders a statement's pro-forma invoice PDF, for statements that have no stored document yet.
 * The production wiring loads the statement with loadStatementForInvoice (store/statements.ts) and
 * passes it to renderStatementPdf (integrations/documents/statement-pdf.ts).
 */
export type RenderStatementPdf = (statementId: string) => Promise<Uint8Array>;

/** Accepted events of one period from one ingestion request, and whether the workflow got the signal. */
export interface AcceptedEventGroup {
  periodId: string;
  eventIds: string[];
  signalled: boolean;
}

/**
 * Called once per ingestion request that accepted at least one event, after the signals were sent.
 * An error it throws is logged and does not change the response.
 */
export type EventsAcceptedHandler = (groups: AcceptedEventGroup[]) => void | Promise<void>;
