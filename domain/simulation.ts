/**
 * What-if runs: the statements of a pay period under draft plans, next to the statements under
 * the active plans, computed from given partners and orders without storing anything. A draft plan
 * replaces the active plan with the same id, and on the days a draft plan assigns a partner it
 * replaces that partner's other active plans too, with a note, because storing it would be rejected.
 */
import { calculatePeriod } from './engine/calculate.js';
import { toPeriodAssignment, type DatedAssignment } from './engine/period-assignments.js';
import type { PayPeriodWindow, PlanAssignmentInput } from './engine/types.js';
import { formatAmount, parseAmount, sumAmounts } from './money.js';
import type { CalculationWarning, CommissionLine, OrderRecord, Partner, StatementDraft } from './model.js';
import { resolveAssignments, subtractDays, type PlanSetIssue } from './plan/assignments.js';
import type { PlanFile } from './plan/plan-file.js';
import type { TaxRuleSet } from './tax/types.js';

/** Amounts of a statement, or of all statements, that a what-if run compares. */
export interface SimulationTotals {
  lines: number;
  netCommission: string;
  vatAmount: string;
  withholdingAmount: string;
  contributionAgent: string;
  payableAmount: string;
}

/** One partner's simulated statement and its difference to the active plans. */
export interface PartnerSimulation {
  partnerId: string;
  name: string;
  kind: Partner['kind'];
  /** Plan versions of the draft run. */
  planVersionIds: string[];
  /** Lines of the draft run, each with its explanation. */
  lines: CommissionLine[];
  draft: SimulationTotals;
  /** Totals under the active plans; zero when the partner has no statement there. */
  active: SimulationTotals;
  /** draft − active. */
  difference: SimulationTotals;
}

export interface SimulationResult {
  period: string;
  draftPlans: string[];
  activePlans: string[];
  partners: PartnerSimulation[];
  totals: { draft: SimulationTotals; active: SimulationTotals; difference: SimulationTotals };
  /** Warnings of the draft run. */
  warnings: CalculationWarning[];
  /**
   * Assumptions the run made and facts it could not check. An example is a draft plan that replaces
   * an active plan of another id for some partners, which storing the draft would reject.
   */
  notes: string[];
}

export interface SimulationInput {
  period: PayPeriodWindow;
  partners: Partner[];
  /** Orders with at least one state change in the period, each with its full history. */
  orders: OrderRecord[];
  draftPlans: PlanFile[];
  activePlans: PlanFile[];
  taxRules: TaxRuleSet;
  /** Limits the result to one partner; the calculation still reads every partner, for agency roll-ups. */
  partnerId?: string | undefined;
}

/** Raised when the plans give a partner of the orders file two plans on one day. */
export class SimulationAssignmentError extends Error {
  override readonly name = 'SimulationAssignmentError';

  constructor(readonly issues: readonly PlanSetIssue[]) {
    super(issues.map((issue) => `plan ${issue.planId} ${issue.path}: ${issue.message}`).join('\n'));
  }
}

const ZERO_TOTALS: SimulationTotals = {
  lines: 0,
  netCommission: '0.00',
  vatAmount: '0.00',
  withholdingAmount: '0.00',
  contributionAgent: '0.00',
  payableAmount: '0.00',
};

const AMOUNT_KEYS = ['netCommission', 'vatAmount', 'withholdingAmount', 'contributionAgent', 'payableAmount'] as const;

function totalsOf(statement: StatementDraft | undefined): SimulationTotals {
  if (statement === undefined) return ZERO_TOTALS;
  return {
    lines: statement.lines.length,
    netCommission: statement.netCommission,
    vatAmount: statement.vatAmount,
    withholdingAmount: statement.withholdingAmount,
    contributionAgent: statement.contributionAgent,
    payableAmount: statement.payableAmount,
  };
}

/** Returns the field-by-field sum of the totals. */
function sumTotals(items: readonly SimulationTotals[]): SimulationTotals {
  const result: SimulationTotals = { ...ZERO_TOTALS, lines: items.reduce((count, item) => count + item.lines, 0) };
  for (const key of AMOUNT_KEYS) {
    result[key] = formatAmount(sumAmounts(items.map((item) => parseAmount(item[key], key))));
  }
  return result;
}

/** Returns `draft` − `active`, field by field. */
function subtractTotals(draft: SimulationTotals, active: SimulationTotals): SimulationTotals {
  const result: SimulationTotals = { ...ZERO_TOTALS, lines: draft.lines - active.lines };
  for (const key of AMOUNT_KEYS) {
    result[key] = formatAmount(parseAmount(draft[key], key).minus(parseAmount(active[key], key)));
  }
  return result;
}

function datedRows(plans: readonly PlanFile[], partners: readonly Partner[]): DatedAssignment[] {
  const { rows, issues } = resolveAssignments(plans, partners);
  if (issues.length > 0) throw new SimulationAssignmentError(issues);
  const versions = new Map(
    plans.flatMap((plan) => plan.versions.map((version) => [version.id, { plan, version }] as const)),
  );
  return rows.flatMap((row) => {
    const found = versions.get(row.planVersionId);
    return found === undefined ? [] : [{ ...row, planName: found.plan.name, definition: found.version.definition }];
  });
}

function forPeriod(rows: readonly DatedAssignment[], period: PayPeriodWindow): PlanAssignmentInput[] {
  return rows.flatMap((row) => {
    const assignment = toPeriodAssignment(row, period);
    return assignment === undefined ? [] : [assignment];
  });
}

function describePartners(ids: readonly string[]): string {
  const listed = ids.slice(0, 5).join(', ');
  return ids.length === 1 ? `partner ${listed}` : `${ids.length} partners (${listed}${ids.length > 5 ? ', …' : ''})`;
}

/**
 * Returns the active rows with the days removed on which a draft row assigns the same partner, so
 * that the draft replaces an active plan only where it applies. Adds a note per pair of plans with
 * different ids that both assign a partner on some day.
 */
function replaceByDrafts(
  activeRows: readonly DatedAssignment[],
  draftRows: readonly DatedAssignment[],
  notes: string[],
): DatedAssignment[] {
  const clashes = new Map<string, string[]>();
  const kept = activeRows.flatMap((row) => {
    const covering = draftRows.filter((draft) => draft.partnerId === row.partnerId);
    const pieces = subtractDays(
      { from: row.effectiveFrom, to: row.effectiveTo },
      covering.map((draft) => ({ from: draft.effectiveFrom, to: draft.effectiveTo })),
    );
    const isCut = pieces.length !== 1 || pieces[0]?.from !== row.effectiveFrom || pieces[0]?.to !== row.effectiveTo;
    if (isCut) {
      for (const draft of covering) {
        const key = JSON.stringify([draft.planId, row.planId]);
        const ids = clashes.get(key) ?? [];
        if (!ids.includes(row.partnerId)) ids.push(row.partnerId);
        clashes.set(key, ids);
      }
    }
    return pieces.map((days) => ({ ...row, effectiveFrom: days.from, effectiveTo: days.to }));
  });
  for (const [key, ids] of clashes) {
    const [draftPlan, activePlan] = JSON.parse(key) as [string, string];
    notes.push(
      `draft plan ${draftPlan} replaces active plan ${activePlan} for ${describePartners(ids)} on the days both ` +
        `assign them; storing ${draftPlan} as it is would be rejected, because a partner can have only one plan ` +
        `on a day, so make the change a version of plan ${activePlan} or end its assignment first`,
    );
  }
  return kept;
}

/** Adds a note for each attribute that a draft plan declares but no order of the period carries. */
function noteMissingAttributes(plans: readonly PlanFile[], orders: readonly OrderRecord[], notes: string[]): void {
  for (const plan of plans) {
    const declared = new Set(plan.versions.flatMap((version) => Object.keys(version.definition.attributes)));
    for (const attribute of [...declared].sort()) {
      if (!orders.some((order) => Object.hasOwn(order.attributes, attribute))) {
        notes.push(
          `plan ${plan.id} declares the attribute ${attribute}, but none of the ${orders.length} orders of the ` +
            "period has it; check the spelling against the CRM field's API name",
        );
      }
    }
  }
}

/**
 * Computes the draft and the active statements of the period and their differences, per partner
 * and in total. Throws PlanValidationError when a draft plan's definition is invalid and
 * SimulationAssignmentError when a partner would have two plans on a day.
 */
export function simulatePeriod(input: SimulationInput): SimulationResult {
  const notes: string[] = [];
  const draftIds = new Set(input.draftPlans.map((plan) => plan.id));
  const otherActivePlans = input.activePlans.filter((plan) => !draftIds.has(plan.id));
  const draftRows = datedRows(input.draftPlans, input.partners);
  const activeAssignments = forPeriod(datedRows(input.activePlans, input.partners), input.period);
  const activePartners = new Set(activeAssignments.map((assignment) => assignment.partnerId));
  const scenarioAssignments = forPeriod(
    [...replaceByDrafts(datedRows(otherActivePlans, input.partners), draftRows, notes), ...draftRows],
    input.period,
  );
  if (!draftRows.some((row) => toPeriodAssignment(row, input.period) !== undefined)) {
    notes.push(`no draft plan assigns any partner of the orders in ${input.period.id}`);
  }
  noteMissingAttributes(input.draftPlans, input.orders, notes);

  const common = {
    period: input.period,
    partners: input.partners,
    orders: input.orders,
    previousPayments: [],
    taxRules: input.taxRules,
    yearToDateCommissions: {},
  };
  const draft = calculatePeriod({ ...common, assignments: scenarioAssignments });
  const active = calculatePeriod({ ...common, assignments: activeAssignments });

  const draftByPartner = new Map(draft.statements.map((statement) => [statement.partnerId, statement]));
  const activeByPartner = new Map(active.statements.map((statement) => [statement.partnerId, statement]));
  const partnersById = new Map(input.partners.map((partner) => [partner.id, partner]));
  const partnerIds = [...new Set([...draftByPartner.keys(), ...activeByPartner.keys()])]
    .filter((id) => input.partnerId === undefined || id === input.partnerId)
    .sort();

  const partners = partnerIds.map((partnerId): PartnerSimulation => {
    const partner = partnersById.get(partnerId) as Partner;
    const draftStatement = draftByPartner.get(partnerId);
    const draftTotals = totalsOf(draftStatement);
    const activeTotals = totalsOf(activeByPartner.get(partnerId));
    return {
      partnerId,
      name: partner.name,
      kind: partner.kind,
      planVersionIds: draftStatement?.planVersionIds ?? [],
      lines: draftStatement?.lines ?? [],
      draft: draftTotals,
      active: activeTotals,
      difference: subtractTotals(draftTotals, activeTotals),
    };
  });
  const draftTotal = sumTotals(partners.map((partner) => partner.draft));
  const activeTotal = sumTotals(partners.map((partner) => partner.active));
  return {
    period: input.period.id,
    draftPlans: [...draftIds].sort(),
    activePlans: input.activePlans.map((plan) => plan.id).sort(),
    partners,
    totals: { draft: draftTotal, active: activeTotal, difference: subtractTotals(draftTotal, activeTotal) },
    // A partner that neither plan set assigns is outside the what-if, so its warning is noise.
    warnings: draft.warnings.filter(
      (warning) =>
        (input.partnerId === undefined || warning.partnerId === input.partnerId) &&
        (warning.code !== 'partner_without_plan' || activePartners.has(warning.partnerId ?? '')),
    ),
    notes,
  };
}
