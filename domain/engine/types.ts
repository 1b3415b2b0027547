/**
 * Input and result of `calculatePeriod`.
 */
import type {
  AmountString,
  CalculationWarning,
  IsoDateTime,
  OrderRecord,
  Partner,
  PreviousPayment,
  StatementDraft,
} from '../model.js';
import type { PlanDefinition } from '../plan/definition.js';
import type { TaxRuleSet } from '../tax/types.js';

/** A pay period, half-open: state changes at or after `startsAt` and before `endsAt` belong to it. */
export interface PayPeriodWindow {
  id: string;
  startsAt: IsoDateTime;
  endsAt: IsoDateTime;
}

/**
 * A plan version assigned to a partner for the pay period. `definition` is the version's template
 * as parsePlanDefinition or the database returns it, and `parameters` are the assignment's values
 * of its template parameters.
 */
export interface PlanAssignmentInput {
  partnerId: string;
  planId: string;
  planVersionId: string;
  planName: string;
  definition: PlanDefinition;
  parameters?: Record<string, string>;
  /**
   * First instant the assignment covers, when it starts after the period does. Only state changes
   * from then on count for its rules and metrics, and prorated targets shrink accordingly.
   */
  activeFrom?: IsoDateTime;
  /** End (exclusive) of the assignment, when it ends before the period does. */
  activeUntil?: IsoDateTime;
}

export interface CalculationInput {
  period: PayPeriodWindow;
  partners: Partner[];
  /** Orders with at least one state change in the period, each with its full history. */
  orders: OrderRecord[];
  /** Plan versions effective for the period; a partner may have several. */
  assignments: PlanAssignmentInput[];
  /** Amounts paid in approved earlier periods, including reversals as negative amounts. */
  previousPayments: PreviousPayment[];
  taxRules: TaxRuleSet;
  /** Partner id to commissions approved earlier in the same calendar year; a missing partner counts as "0.00". */
  yearToDateCommissions: Record<string, AmountString>;
}

export interface CalculationResult {
  /** One statement per partner with at least one line, sorted by partner id. */
  statements: StatementDraft[];
  /** Sorted by code, partner id and rule id. */
  warnings: CalculationWarning[];
}
