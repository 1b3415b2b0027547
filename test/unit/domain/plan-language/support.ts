/**
 * Builders for the plan-language tests: orders with territories and CRM attributes, agencies with
 * agents, plan templates and line lookups. Dates are UTC. November 2026 starts on a Sunday, so its
 * Mondays are the 2nd, 9th, 16th, 23rd and 30th.
 */
import { calculatePeriod } from '../../../../domain/engine/calculate.js';
import type {
  CalculationInput,
  CalculationResult,
  PayPeriodWindow,
  PlanAssignmentInput,
} from '../../../../domain/engine/types.js';
import { PlanValidationError } from '../../../../domain/errors.js';
import type { CommissionLine, OrderRecord, Partner, StatementDraft } from '../../../../domain/model.js';
import { validatePlanTemplate, type PlanDefinition } from '../../../../domain/plan/definition.js';
import { parsePlanFile, PlanFileError, type PlanFileIssue } from '../../../../integrations/plans/plan-file.js';
import { buildInput, buildOrder, buildPartner, type OrderOptions } from '../builders.js';

export const PARTNER_ID = 'P00001';

export const DECEMBER_2026: PayPeriodWindow = {
  id: '2026-12',
  startsAt: '2026-12-01T00:00:00.000Z',
  endsAt: '2027-01-01T00:00:00.000Z',
};

/** Returns the ISO date-time of a day in November 2026, at 09:00 UTC unless `time` (HH:MM) is given. */
export function november(day: number, time = '09:00'): string {
  return `2026-11-${String(day).padStart(2, '0')}T${time}:00.000Z`;
}

export interface PlanOrderOptions extends OrderOptions {
  territory?: string;
  attributes?: Record<string, unknown>;
}

/** Builds an order like buildOrder, with a territory ("north" by default) and CRM attributes. */
export function buildPlanOrder(orderNumber: string, options: PlanOrderOptions): OrderRecord {
  const { territory, attributes, ...orderOptions } = options;
  return { ...buildOrder(orderNumber, orderOptions), territory: territory ?? 'north', attributes: attributes ?? {} };
}

/** Builds an electricity order signed on 2026-10-20 and validated at `validatedAt`. */
export function buildValidatedOrder(
  orderNumber: string,
  validatedAt: string,
  options: Omit<PlanOrderOptions, 'history'> = {},
): OrderRecord {
  return buildPlanOrder(orderNumber, {
    ...options,
    history: [
      ['signed', '2026-10-20T09:00:00.000Z'],
      ['validated', validatedAt],
    ],
  });
}

/** Builds a partner of `kind` in `territory`, with the German standard VAT profile. */
export function buildPlanPartner(
  id: string,
  options: { kind?: Partner['kind']; territory?: string; parentId?: string } = {},
): Partner {
  return {
    ...buildPartner(id),
    kind: options.kind ?? 'sales_agent',
    territory: options.territory ?? 'north',
    ...(options.parentId === undefined ? {} : { parentId: options.parentId }),
  };
}

/** Builds an agency and its agents, whose parentId is the agency. */
export function buildAgency(agencyId: string, agentIds: readonly string[]): Partner[] {
  return [
    buildPlanPartner(agencyId, { kind: 'agency' }),
    ...agentIds.map((agentId) => buildPlanPartner(agentId, { parentId: agencyId })),
  ];
}

/**
 * Validates a plan template without filling in its parameters, as plan versions are stored, so
 * that calculatePeriod fills them in from each assignment. Throws PlanValidationError.
 */
export function parseTemplate(definition: unknown): PlanDefinition {
  const result = validatePlanTemplate(definition);
  if (!result.success) {
    throw new PlanValidationError(result.issues);
  }
  return result.data;
}

/** Builds the assignment of plan version plan-sales-v1 ("Sales partners") to a partner. */
export function buildPlanAssignment(
  partnerId: string,
  definition: unknown,
  extra: Partial<Omit<PlanAssignmentInput, 'definition'>> = {},
): PlanAssignmentInput {
  return {
    partnerId,
    planId: 'plan-sales',
    planVersionId: 'plan-sales-v1',
    planName: 'Sales partners',
    definition: parseTemplate(definition),
    ...extra,
  };
}

/** Calculates November 2026 for partner P00001 under one plan. `overrides` replaces any other input. */
export function calculatePlan(
  definition: unknown,
  orders: OrderRecord[],
  overrides: Partial<CalculationInput> = {},
): CalculationResult {
  return calculatePeriod(
    buildInput({ assignments: [buildPlanAssignment(PARTNER_ID, definition)], orders, ...overrides }),
  );
}

/** Returns the statement of a partner, failing the test when there is none. */
export function statementOf(result: CalculationResult, partnerId: string = PARTNER_ID): StatementDraft {
  const statement = result.statements.find((candidate) => candidate.partnerId === partnerId);
  if (statement === undefined) {
    const found = result.statements.map((candidate) => candidate.partnerId).join(', ') || 'none';
    throw new Error(`expected a statement for partner ${partnerId}, found statements for: ${found}`);
  }
  return statement;
}

/** Returns the lines of one rule, in line order. */
export function linesOf(statement: StatementDraft, ruleId: string): CommissionLine[] {
  return statement.lines.filter((line) => line.ruleId === ruleId);
}

/** Returns the only line of a rule, failing the test when the rule has none or several. */
export function onlyLineOf(statement: StatementDraft, ruleId: string): CommissionLine {
  const lines = linesOf(statement, ruleId);
  if (lines.length !== 1 || lines[0] === undefined) {
    throw new Error(`expected exactly one line of rule ${ruleId}, got ${lines.length}`);
  }
  return lines[0];
}

/** Returns [order number, amount] of each line, in line order. Adjustment lines have no order number. */
export function orderAmounts(statement: StatementDraft): [string | undefined, string][] {
  return statement.lines.map((line) => [line.orderNumber, line.amount]);
}

/** Returns every issue of a plan file that must be invalid, failing the test when it is valid. */
export function issuesOf(text: string): PlanFileIssue[] {
  try {
    parsePlanFile(text, 'plan.yaml');
  } catch (error) {
    if (error instanceof PlanFileError) return error.issues;
    throw error;
  }
  throw new Error('expected PlanFileError, but the plan file was accepted');
}
