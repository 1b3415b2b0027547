/**
 * The what-if run behind `incentra simulate` and `POST /api/v1/simulations`: plan file texts and
 * Salesforce records in, the simulated statements and their differences to the active plans out.
 * Both entry points call `runWhatIf`, so the same inputs give the same result.
 */
import { periodWindow } from '../../workflows/messages.js';
import { simulatePeriod, type SimulationResult } from '../../domain/simulation.js';
import type { PlanFile } from '../../domain/plan/plan-file.js';
import type { TaxRuleSet } from '../../domain/tax/types.js';
import {
  checkPlanSet,
  parsePlanFile,
  PlanFileError,
  type LoadedPlanFile,
  type PlanFileIssue,
} from '../plans/plan-file.js';
import { buildOrdersFromRecords, selectPeriodOrders } from '../salesforce/offline-orders.js';
import type { SalesforceRecords } from '../../demo/files.js';

/** A plan file's text and the name its errors use. */
export interface PlanSource {
  file: string;
  text: string;
}

export interface WhatIfInput {
  /** Draft plan files; they replace active plans with the same id. */
  drafts: readonly PlanSource[];
  /** Active plans, as plan files or already parsed (for example from the database). */
  active: readonly PlanSource[] | readonly PlanFile[];
  records: SalesforceRecords;
  /** Pay period `YYYY-MM`. */
  period: string;
  partnerId?: string | undefined;
  taxRules: TaxRuleSet;
}

/** Parses plan file texts, then checks them together. Throws PlanFileError listing every problem. */
export function parsePlanSources(sources: readonly PlanSource[]): LoadedPlanFile[] {
  const loaded: LoadedPlanFile[] = [];
  const issues: PlanFileIssue[] = [];
  for (const source of sources) {
    try {
      loaded.push({ ...source, plan: parsePlanFile(source.text, source.file) });
    } catch (error) {
      if (!(error instanceof PlanFileError)) throw error;
      issues.push(...error.issues);
    }
  }
  issues.push(...checkPlanSet(loaded));
  if (issues.length > 0) throw new PlanFileError(issues);
  return loaded;
}

function isSource(value: PlanSource | PlanFile): value is PlanSource {
  return 'text' in value;
}

/**
 * Computes the period's statements under the draft plans and under the active plans from the
 * records alone, without storing anything. Throws PlanFileError for invalid plan files,
 * InvalidPeriodIdError for a malformed period, SimulationAssignmentError when a partner of the
 * records would have two plans on a day, and what `buildOrdersFromRecords` throws for records
 * that cannot be mapped.
 */
export function runWhatIf(input: WhatIfInput): SimulationResult {
  const window = periodWindow(input.period);
  const drafts = parsePlanSources(input.drafts).map((loaded) => loaded.plan);
  const activeSources = input.active as readonly (PlanSource | PlanFile)[];
  const active = activeSources.every(isSource)
    ? parsePlanSources(activeSources).map((loaded) => loaded.plan)
    : (activeSources as PlanFile[]);
  const offline = buildOrdersFromRecords(input.records);
  // The partners with orders in the period and their agencies, as a stored calculation reads them.
  const { partners, orders } = selectPeriodOrders(offline, window);
  return simulatePeriod({
    period: { id: window.periodId, startsAt: window.startsAt, endsAt: window.endsAt },
    partners,
    orders,
    draftPlans: drafts,
    activePlans: active,
    taxRules: input.taxRules,
    partnerId: input.partnerId,
  });
}
