/**
 * What-if runs: the statements of a pay period under draft plans, next to the statements under
 * the active plans, computed from given partners and orders without storing anything. The draft
 * plans replace active plans with the same id, and every partner that a draft plan assigns in the
 * period is calculated with the draft plans only.
 */
import { calculatePeriod } from './engine/calculate.js';
import { toPeriodAssignment, type DatedAssignment } from './engine/period-assignments.js';
import type { PayPeriodWindow, PlanAssignmentInput } from './engine/types.js';
import { formatAmount, parseAmount, sumAmounts } from './money.js';
import type { CalculationWarning, CommissionLine, OrderRecord, Partner, StatementDraft } from './model.js';
import { resolveAssignments, type PlanSetIssue } from './plan/assignments.js';
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

function combine(items: readonly SimulationTotals[], sign: 1 | -1 = 1): SimulationTotals {
  const result: SimulationTotals = { ...ZERO_TOTALS, lines: 0 };
  items.forEach((item, index) => {
    const factor = index === 0 ? 1 : sign;
    result.lines += factor * item.lines;
  });
  for (const key of AMOUNT_KEYS) {
    const values = items.map((item, index) => {
      const amount = parseAmount(item[key], key);
      return index === 0 || sign === 1 ? amount : amount.negated();
    });
    result[key] = formatAmount(sumAmounts(values));
  }
  return result;
}

function planAssignments(
  plans: readonly PlanFile[],
  partners: readonly Partner[],
  period: PayPeriodWindow,
): PlanAssignmentInput[] {
  const { rows, issues } = resolveAssignments(plans, partners);
  if (issues.length > 0) throw new SimulationAssignmentError(issues);
  const versions = new Map(
    plans.flatMap((plan) => plan.versions.map((version) => [version.id, { plan, version }] as const)),
  );
  return rows.flatMap((row) => {
    const found = versions.get(row.planVersionId);
    if (found === undefined) return [];
    const dated: DatedAssignment = {
      ...row,
      planName: found.plan.name,
      definition: found.version.definition,
    };
    const assignment = toPeriodAssignment(dated, period);
    return assignment === undefined ? [] : [assignment];
  });
}

/**
 * Computes the draft and the active statements of the period and their differences, per partner
 * and in total. Throws PlanValidationError when a draft plan's definition is invalid and
 * SimulationAssignmentError when a partner would have two plans on a day.
 */
export function simulatePeriod(input: SimulationInput): SimulationResult {
  const draftIds = new Set(input.draftPlans.map((plan) => plan.id));
  const activePlans = input.activePlans.filter((plan) => !draftIds.has(plan.id));
  const draftAssignments = planAssignments(input.draftPlans, input.partners, input.period);
  const draftPartners = new Set(draftAssignments.map((assignment) => assignment.partnerId));
  const activeAssignments = planAssignments(input.activePlans, input.partners, input.period);
  const activePartners = new Set(activeAssignments.map((assignment) => assignment.partnerId));
  const scenarioAssignments = [
    ...planAssignments(activePlans, input.partners, input.period).filter(
      (assignment) => !draftPartners.has(assignment.partnerId),
    ),
    ...draftAssignments,
  ];

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
      difference: combine([draftTotals, activeTotals], -1),
    };
  });
  const draftTotal = combine(partners.map((partner) => partner.draft));
  const activeTotal = combine(partners.map((partner) => partner.active));
  return {
    period: input.period.id,
    draftPlans: [...draftIds].sort(),
    activePlans: input.activePlans.map((plan) => plan.id).sort(),
    partners,
    totals: { draft: draftTotal, active: activeTotal, difference: combine([draftTotal, activeTotal], -1) },
    // A partner that neither plan set assigns is outside the what-if, so its warning is noise.
    warnings: draft.warnings.filter(
      (warning) =>
        (input.partnerId === undefined || warning.partnerId === input.partnerId) &&
        (warning.code !== 'partner_without_plan' || activePartners.has(warning.partnerId ?? '')),
    ),
  };
}
