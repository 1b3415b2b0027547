/**
 * Adjustment lines of one plan assignment for the period: commission withheld by a failed gate,
 * rule caps and floors, accelerators, bonuses, agency overrides and the plan's period cap and
 * floor. They are applied in that order, so each step reads the result of the one before.
 */
import { formatAmount, parseAmount, parseDecimal, roundToCents, sumAmounts, ZERO, type Decimal } from '../money.js';
import type { CommissionLine, Partner } from '../model.js';
import type { AcceleratorRule, Band, BonusRule, Gate, OrderRule, OverrideRule, PlanRule } from '../plan/definition.js';
import { isOrderRule } from '../plan/definition.js';
import { isInRange, narrowToWindow, type AssignmentEvaluation } from './evaluation.js';
import { describeAmount, describeRate } from './explain.js';
import { compareText, createAdjustmentDraft, identifyRule, type LineDraft, type RuleIdentity } from './lines.js';
import { describeRatio } from './metrics.js';

/** An agent's lines of the period, which the overrides of its agency read. */
export interface AgentResult {
  partner: Partner;
  lines: readonly Omit<CommissionLine, 'lineNumber'>[];
}

/** Facts beyond its own lines that the adjustment lines of one assignment read. */
export interface AdjustmentScope {
  /** Orders of the partner with a reversal line in the period, in any of its assignments. */
  reversedOrderIds: ReadonlySet<string>;
  /** Whether this assignment is the part of its plan that ends last in the period. */
  ownsPeriodLines: boolean;
}

function isReversed(draft: LineDraft, scope: AdjustmentScope): boolean {
  return draft.line.orderId !== undefined && scope.reversedOrderIds.has(draft.line.orderId);
}

function sumLines(drafts: readonly LineDraft[]): Decimal {
  return sumAmounts(drafts.map((draft) => parseAmount(draft.line.amount, 'line amount')));
}

function positions(evaluation: AssignmentEvaluation, planIndex: number, rule: PlanRule) {
  return { planIndex, ruleIndex: evaluation.definition.rules.indexOf(rule) };
}

/**
 * Describes the metrics a formula reads, for example "activations 41, cancellation rate 5%". A
 * formula metric that fails on this period's values is described as not computed and left out of
 * `metrics`.
 */
function describeFormulaMetrics(
  evaluation: AssignmentEvaluation,
  source: string,
): {
  text: string;
  metrics: Record<string, string>;
} {
  const names = evaluation
    .formula(source, 'period')
    .variables.filter((name) => Object.hasOwn(evaluation.definition.metrics, name));
  const results = names.map((name) => ({ name, result: evaluation.metricIfComputable(name) }));
  const metrics: Record<string, string> = {};
  for (const { name, result } of results) {
    if (result !== undefined) metrics[name] = result.value.toFixed();
  }
  const figures = results.map(({ name, result }) => result?.description ?? `${name} could not be computed`);
  // Parameters are listed too, so that a partner can read the threshold a gate compared with.
  const parameters = evaluation
    .formula(source, 'period')
    .variables.filter((name) => Object.hasOwn(evaluation.definition.parameters, name))
    .map((name) => {
      const value = evaluation.parameters[name];
      return `${name} ${typeof value === 'object' ? value.toFixed() : String(value)}`;
    });
  return { text: [...figures, ...parameters].join(', '), metrics };
}

/** Evaluates a rule's gate. Returns undefined when the rule has no gate or it passes, else the reason. */
export function checkGate(
  evaluation: AssignmentEvaluation,
  rule: PlanRule,
): { gate: Gate; reason: string; metrics: Record<string, string> } | undefined {
  if (rule.gate === undefined) return undefined;
  const value = evaluation.evaluateForPeriod(rule.gate.when, rule.id);
  if (value === true) return undefined;
  const figures = describeFormulaMetrics(evaluation, rule.gate.when);
  const condition = rule.gate.label ?? rule.gate.when;
  const reason =
    value === undefined
      ? `the condition "${condition}" could not be evaluated`
      : `the condition "${condition}" is not met${figures.text === '' ? '' : ` (${figures.text})`}`;
  return { gate: rule.gate, reason, metrics: figures.metrics };
}

/**
 * Removes the commission lines of order rules whose gate fails and adds one adjustment line of
 * 0.00 per such rule that states how much was withheld and why.
 */
export function applyOrderRuleGates(
  evaluation: AssignmentEvaluation,
  planIndex: number,
  drafts: readonly LineDraft[],
): LineDraft[] {
  let kept = [...drafts];
  const withheld: LineDraft[] = [];
  for (const rule of evaluation.definition.rules.filter(isOrderRule)) {
    const ruleDrafts = kept.filter((draft) => draft.line.ruleId === rule.id && draft.line.kind === 'commission');
    if (ruleDrafts.length === 0) continue;
    const failure = checkGate(evaluation, rule);
    if (failure === undefined) continue;
    kept = kept.filter((draft) => !ruleDrafts.includes(draft));
    const total = sumLines(ruleDrafts);
    withheld.push(
      createAdjustmentDraft(
        identifyRule({ assignment: evaluation.assignment, planIndex, ruleIndex: 0 }, rule),
        positions(evaluation, planIndex, rule),
        ZERO,
        `${rule.label}: ${describeAmount(total)} from ${ruleDrafts.length} line(s) not paid, because ${failure.reason}`,
        {
          baseAmount: formatAmount(total),
          formula: `${formatAmount(total)} withheld = 0.00`,
          inputs: { gate: failure.gate.when, withheld: formatAmount(total), lines: String(ruleDrafts.length) },
          metrics: failure.metrics,
        },
      ),
    );
  }
  return [...kept, ...withheld];
}

/** A cap or floor on a sum of lines: its amount, and the names and wording its line uses. */
interface Bound {
  cap?: string | undefined;
  floor?: string | undefined;
  /** Names of the inputs, for example ["ruleCap", "ruleFloor", "ruleTotal"]. */
  names: [cap: string, floor: string, total: string];
  subject: string;
}

/**
 * Returns the adjustment line that brings `total` down to the cap or up to the floor, or undefined
 * when it lies between them.
 */
function buildBoundLine(
  identity: RuleIdentity,
  at: { planIndex: number; ruleIndex: number },
  total: Decimal,
  bound: Bound,
): LineDraft | undefined {
  const [capName, floorName, totalName] = bound.names;
  const cap = bound.cap === undefined ? undefined : parseAmount(bound.cap, capName);
  const floor = bound.floor === undefined ? undefined : parseAmount(bound.floor, floorName);
  let limit: { value: Decimal; name: string; text: string } | undefined;
  if (cap !== undefined && total.greaterThan(cap)) {
    limit = {
      value: cap,
      name: capName,
      text: `cap of ${describeAmount(cap)} per period reached with ${describeAmount(total)}`,
    };
  } else if (floor !== undefined && total.lessThan(floor)) {
    limit = {
      value: floor,
      name: floorName,
      text: `raised to the minimum of ${describeAmount(floor)} per period from ${describeAmount(total)}`,
    };
  }
  if (limit === undefined) return undefined;
  const amount = limit.value.minus(total);
  return createAdjustmentDraft(identity, at, amount, `${bound.subject}: ${limit.text}`, {
    baseAmount: formatAmount(total),
    formula: `${formatAmount(limit.value)} − ${formatAmount(total)} = ${formatAmount(amount)}`,
    inputs: { [limit.name]: formatAmount(limit.value), [totalName]: formatAmount(total) },
  });
}

/** Returns the adjustment line of a rule's ruleCap or ruleFloor, when the rule's sum is outside them. */
function buildRuleLimitLine(
  evaluation: AssignmentEvaluation,
  planIndex: number,
  rule: OrderRule,
  drafts: readonly LineDraft[],
  scope: AdjustmentScope,
): LineDraft | undefined {
  const limits = rule.limits;
  if (limits?.ruleCap === undefined && limits?.ruleFloor === undefined) return undefined;
  // The lines of orders reversed in the period are left out, because their reversal takes them back.
  const ruleDrafts = drafts.filter(
    (draft) => draft.line.ruleId === rule.id && draft.line.kind === 'commission' && !isReversed(draft, scope),
  );
  if (ruleDrafts.length === 0) return undefined;
  return buildBoundLine(
    identifyRule({ assignment: evaluation.assignment, planIndex, ruleIndex: 0 }, rule),
    positions(evaluation, planIndex, rule),
    sumLines(ruleDrafts),
    { cap: limits.ruleCap, floor: limits.ruleFloor, names: ['ruleCap', 'ruleFloor', 'ruleTotal'], subject: rule.label },
  );
}

function findBand(bands: readonly Band[], value: Decimal): Band | undefined {
  return bands.find(
    (band) =>
      value.greaterThanOrEqualTo(parseDecimal(band.from, 'band from')) &&
      (band.to === undefined || value.lessThan(parseDecimal(band.to, 'band to'))),
  );
}

function buildAcceleratorLine(
  evaluation: AssignmentEvaluation,
  planIndex: number,
  rule: AcceleratorRule,
  drafts: readonly LineDraft[],
  scope: AdjustmentScope,
): LineDraft | undefined {
  // Orders whose payments a cancellation in the period reverses do not raise the others' pay, as
  // in tiers: their commission leaves the base together with their reversal.
  const applied = drafts.filter(
    (draft) =>
      rule.appliesTo.includes(draft.line.ruleId) && draft.line.kind !== 'reversal' && !isReversed(draft, scope),
  );
  const base = sumLines(applied);
  if (base.isZero()) return undefined;

  // A formula metric can fail on this period's values. evaluateForPeriod then adds a warning, and
  // the accelerator is skipped like a bonus whose formula fails.
  if (evaluation.evaluateForPeriod(rule.metric, rule.id) === undefined) return undefined;
  const metric = evaluation.metric(rule.metric);
  const band = findBand(rule.bands, metric.value);
  if (band === undefined) return undefined;
  const multiplier = parseDecimal(band.multiplier, `rule ${rule.id} multiplier`);
  if (multiplier.equals(1)) return undefined;

  const exact = base.times(multiplier.minus(1));
  const amount = roundToCents(exact);
  const direction = multiplier.greaterThan(1) ? 'raises' : 'lowers';
  const range = band.to === undefined ? `${band.from} or more` : `${band.from} to below ${band.to}`;
  return createAdjustmentDraft(
    identifyRule({ assignment: evaluation.assignment, planIndex, ruleIndex: 0 }, rule),
    positions(evaluation, planIndex, rule),
    amount,
    `${rule.label}: ${metric.description} ${direction} the period's ${describeAmount(base)} ` +
      `by the factor ${multiplier.toFixed()} (band ${range})`,
    {
      baseAmount: formatAmount(base),
      formula:
        `${formatAmount(base)} × (${multiplier.toFixed()} − 1) = ${exact.toFixed()}` +
        (amount.equals(exact) ? '' : `, rounded to ${formatAmount(amount)}`),
      inputs: { multiplier: multiplier.toFixed(), appliesTo: rule.appliesTo.join(', '), bandFrom: band.from },
      metrics: { [rule.metric]: metric.value.toFixed() },
    },
  );
}

function buildBonusLine(evaluation: AssignmentEvaluation, planIndex: number, rule: BonusRule): LineDraft | undefined {
  const window = narrowToWindow(evaluation.range, rule.window);
  if (window.endsAt <= window.startsAt) return undefined;
  const value = evaluation.evaluateForPeriod(rule.amount, rule.id);
  if (value === undefined) return undefined;
  const exact = value as Decimal;
  const amount = roundToCents(exact);
  if (amount.isZero()) return undefined;
  const figures = describeFormulaMetrics(evaluation, rule.amount);
  return createAdjustmentDraft(
    identifyRule({ assignment: evaluation.assignment, planIndex, ruleIndex: 0 }, rule),
    positions(evaluation, planIndex, rule),
    amount,
    `${rule.label}: ${describeAmount(amount)}${figures.text === '' ? '' : ` (${figures.text})`}`,
    {
      baseAmount: formatAmount(amount),
      formula:
        `${rule.amount} = ${exact.toFixed()}` + (amount.equals(exact) ? '' : `, rounded to ${formatAmount(amount)}`),
      inputs: { formula: rule.amount },
      metrics: figures.metrics,
    },
  );
}

function buildOverrideLines(
  evaluation: AssignmentEvaluation,
  planIndex: number,
  rule: OverrideRule,
  agents: readonly AgentResult[],
  scope: AdjustmentScope,
): LineDraft[] {
  const rate = parseDecimal(rule.rate, `rule ${rule.id} rate`);
  const identity: RuleIdentity = identifyRule({ assignment: evaluation.assignment, planIndex, ruleIndex: 0 }, rule);
  const drafts: LineDraft[] = [];
  // An agent's order lines belong to the part of a split month that covers their date, and its
  // adjustment lines to the part that ends last, so no agent line counts twice.
  const belongsHere = (line: AgentResult['lines'][number]): boolean =>
    line.explanation.stateAt === undefined
      ? scope.ownsPeriodLines
      : isInRange(evaluation.range, Date.parse(line.explanation.stateAt));
  for (const agent of [...agents].sort((left, right) => compareText(left.partner.id, right.partner.id))) {
    const lines = agent.lines.filter(
      (line) => (rule.appliesTo === undefined || rule.appliesTo.includes(line.ruleId)) && belongsHere(line),
    );
    if (lines.length === 0) continue;
    const base = sumAmounts(lines.map((line) => parseAmount(line.amount, 'line amount')));
    const exact = base.times(rate);
    const amount = roundToCents(exact);
    if (amount.isZero()) continue;
    drafts.push(
      createAdjustmentDraft(
        identity,
        positions(evaluation, planIndex, rule),
        amount,
        `${rule.label}: ${describeRate(rule.rate)} of ${describeAmount(base)} earned by agent ${agent.partner.name} (${agent.partner.id})`,
        {
          baseAmount: formatAmount(base),
          rate: rule.rate,
          formula:
            `${formatAmount(base)} × ${rule.rate} = ${exact.toFixed()}` +
            (amount.equals(exact) ? '' : `, rounded to ${formatAmount(amount)}`),
          inputs: { agentId: agent.partner.id, agentLines: String(lines.length) },
        },
        agent.partner.id,
      ),
    );
  }
  return drafts;
}

function withheldLine(evaluation: AssignmentEvaluation, planIndex: number, rule: PlanRule): LineDraft | undefined {
  const failure = checkGate(evaluation, rule);
  if (failure === undefined) return undefined;
  return createAdjustmentDraft(
    identifyRule({ assignment: evaluation.assignment, planIndex, ruleIndex: 0 }, rule),
    positions(evaluation, planIndex, rule),
    ZERO,
    `${rule.label}: not paid, because ${failure.reason}`,
    { baseAmount: '0.00', formula: '0.00', inputs: { gate: failure.gate.when }, metrics: failure.metrics },
  );
}

function buildPeriodLimitLine(
  evaluation: AssignmentEvaluation,
  planIndex: number,
  drafts: readonly LineDraft[],
  scope: AdjustmentScope,
): LineDraft | undefined {
  const limits = evaluation.definition.limits;
  // The limits apply to months with earned commission that stays: a month with only reversals,
  // reversed orders or withheld gate lines is not raised to the floor.
  const earns = drafts.some((draft) => draft.line.kind === 'commission' && !isReversed(draft, scope));
  if (limits === undefined || !earns) return undefined;
  const { planId, planVersionId, planName } = evaluation.assignment;
  const total = sumLines(drafts);
  // An assignment that covers part of the period gets the same part of the cap and the floor, so a
  // month split between two assignments is not capped or raised twice in full.
  const factor = evaluation.prorationFactor;
  const prorate = (limit: string | undefined, name: string): string | undefined =>
    limit === undefined ? undefined : formatAmount(roundToCents(parseAmount(limit, name).times(factor)));
  const cap = prorate(limits.periodCap, 'periodCap');
  const isCapped = cap !== undefined && total.greaterThan(parseAmount(cap, 'periodCap'));
  const share = factor.equals(1) ? '' : ` (prorated to ${describeRatio(factor)} of the period)`;
  return buildBoundLine(
    { planId, planVersionId, ruleId: isCapped ? 'periodCap' : 'periodFloor', ruleKind: 'limit' },
    { planIndex, ruleIndex: evaluation.definition.rules.length },
    total,
    {
      cap,
      floor: prorate(limits.periodFloor, 'periodFloor'),
      names: ['periodCap', 'periodFloor', 'planTotal'],
      subject: `${planName}${share}`,
    },
  );
}

/**
 * Returns the adjustment lines of one assignment. `drafts` are the assignment's commission and
 * reversal lines after gates; the result does not repeat them.
 */
export function buildAdjustmentLines(
  evaluation: AssignmentEvaluation,
  planIndex: number,
  drafts: readonly LineDraft[],
  agents: readonly AgentResult[],
  scope: AdjustmentScope,
): LineDraft[] {
  const lines = [...drafts];
  const adjustments: LineDraft[] = [];
  const add = (draft: LineDraft | undefined): void => {
    if (draft === undefined) return;
    lines.push(draft);
    adjustments.push(draft);
  };
  for (const rule of evaluation.definition.rules.filter(isOrderRule)) {
    add(buildRuleLimitLine(evaluation, planIndex, rule, lines, scope));
  }
  for (const rule of evaluation.definition.rules) {
    if (rule.kind !== 'accelerator' && rule.kind !== 'bonus' && rule.kind !== 'override') continue;
    const withheld = withheldLine(evaluation, planIndex, rule);
    if (withheld !== undefined) {
      add(withheld);
      continue;
    }
    if (rule.kind === 'accelerator') add(buildAcceleratorLine(evaluation, planIndex, rule, lines, scope));
    if (rule.kind === 'bonus') add(buildBonusLine(evaluation, planIndex, rule));
    if (rule.kind === 'override') buildOverrideLines(evaluation, planIndex, rule, agents, scope).forEach(add);
  }
  add(buildPeriodLimitLine(evaluation, planIndex, lines, scope));
  return adjustments;
}
