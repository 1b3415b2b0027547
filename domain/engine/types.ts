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

/** A plan version assigned to a partner for the pay period. `definition` comes from parsePlanDefinition. */
export interface PlanAssignmentInput {
  partnerId: string;
  planId: string;
  planVersionId: string;
  planName: string;
  definition: PlanDefinition;
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
