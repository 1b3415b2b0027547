/**
 * Commission line drafts and their deterministic order on a statement.
 */
import { formatAmount, type Decimal } from '../money.js';
import {
  ORDER_STATES,
  type CommissionLine,
  type CommissionLineExplanation,
  type CommissionLineKind,
  type OrderRecord,
  type OrderState,
} from '../model.js';
import type { PlanRule } from '../plan/definition.js';
import { formatIsoDateTime } from '../time.js';
import type { PlanAssignmentInput } from './types.js';

/** A commission line before numbering, with the keys that order it on the statement. */
export interface LineDraft {
  line: Omit<CommissionLine, 'lineNumber'>;
  /** Position of the plan version among the partner's sorted assignments; retired plans sort last. */
  planIndex: number;
  /** Position of the rule in the plan definition; retired rules sort last. */
  ruleIndex: number;
  stateAt: number;
  /** Orders adjustment lines of one rule, for example the agent id of an override line. */
  sortKey?: string;
}

/** The plan rule a line belongs to, with its positions for sorting. */
export interface RuleReference {
  assignment: PlanAssignmentInput;
  planIndex: number;
  ruleIndex: number;
}

/**
 * Compares order numbers so that digit runs compare by value ("SO-99" before "SO-100"), then by
 * code unit for the rest. Equal numbers with different leading zeros compare by text.
 */
export function compareOrderNumbers(left: string, right: string): number {
  const leftParts = left.match(/\d+|\D+/g) ?? [];
  const rightParts = right.match(/\d+|\D+/g) ?? [];
  const length = Math.min(leftParts.length, rightParts.length);
  for (let index = 0; index < length; index += 1) {
    const result = compareParts(leftParts[index] ?? '', rightParts[index] ?? '');
    if (result !== 0) {
      return result;
    }
  }
  return leftParts.length - rightParts.length || compareText(left, right);
}

function compareParts(left: string, right: string): number {
  const bothDigits = /^\d/.test(left) && /^\d/.test(right);
  if (bothDigits) {
    const leftDigits = left.replace(/^0+(?=\d)/, '');
    const rightDigits = right.replace(/^0+(?=\d)/, '');
    return leftDigits.length - rightDigits.length || compareText(leftDigits, rightDigits);
  }
  return compareText(left, right);
}

/** Compares strings by UTF-16 code units, independent of locale. */
export function compareText(left: string, right: string): number {
  if (left < right) {
    return -1;
  }
  return left > right ? 1 : 0;
}

const KIND_ORDER = { commission: 0, reversal: 1, adjustment: 2 } as const;

function compareAdjustments(left: LineDraft, right: LineDraft): number {
  return (
    left.planIndex - right.planIndex ||
    left.ruleIndex - right.ruleIndex ||
    compareText(left.sortKey ?? '', right.sortKey ?? '') ||
    compareText(left.line.ruleId, right.line.ruleId)
  );
}

/**
 * Orders order lines by order number, order id, plan, rule, state time, kind (commission first),
 * rule id and state, and puts the adjustment lines after them by plan, rule and sort key. States at
 * the same time, such as a state and the earlier states it implies, follow the order of
 * ORDER_STATES, which lists each lifecycle earliest first.
 */
export function compareLineDrafts(left: LineDraft, right: LineDraft): number {
  const leftIsAdjustment = left.line.kind === 'adjustment';
  const rightIsAdjustment = right.line.kind === 'adjustment';
  if (leftIsAdjustment || rightIsAdjustment) {
    return leftIsAdjustment && rightIsAdjustment ? compareAdjustments(left, right) : leftIsAdjustment ? 1 : -1;
  }
  return (
    compareOrderNumbers(left.line.orderNumber ?? '', right.line.orderNumber ?? '') ||
    compareText(left.line.orderId ?? '', right.line.orderId ?? '') ||
    left.planIndex - right.planIndex ||
    left.ruleIndex - right.ruleIndex ||
    left.stateAt - right.stateAt ||
    KIND_ORDER[left.line.kind] - KIND_ORDER[right.line.kind] ||
    compareText(left.line.ruleId, right.line.ruleId) ||
    ORDER_STATES.indexOf(left.line.explanation.state ?? 'signed') -
      ORDER_STATES.indexOf(right.line.explanation.state ?? 'signed')
  );
}

/** Sorts the drafts with compareLineDrafts and numbers them 1..n. */
export function numberLines(drafts: readonly LineDraft[]): CommissionLine[] {
  return [...drafts].sort(compareLineDrafts).map((draft, index) => ({ lineNumber: index + 1, ...draft.line }));
}

/** Fields of a line's explanation that depend on the rule kind. */
export type ExplanationDetails = Omit<CommissionLineExplanation, 'state' | 'stateAt' | 'category'>;

/** Creates the draft of an adjustment line, which belongs to the period rather than to an order. */
export function createAdjustmentDraft(
  identity: RuleIdentity,
  positions: { planIndex: number; ruleIndex: number },
  amount: Decimal,
  description: string,
  details: ExplanationDetails,
  sortKey?: string,
): LineDraft {
  return {
    line: { kind: 'adjustment', ...identity, amount: formatAmount(amount), description, explanation: { ...details } },
    planIndex: positions.planIndex,
    ruleIndex: positions.ruleIndex,
    stateAt: 0,
    ...(sortKey === undefined ? {} : { sortKey }),
  };
}

/** Line fields that identify the plan rule, for a rule that is no longer in any assigned plan version. */
export interface RuleIdentity {
  planId: string;
  planVersionId: string;
  ruleId: string;
  ruleKind: CommissionLine['ruleKind'];
}

/** Creates a line draft. `amount` must already be rounded to cents. */
export function createLineDraft(
  identity: RuleIdentity,
  positions: { planIndex: number; ruleIndex: number },
  order: OrderRecord,
  event: { kind: CommissionLineKind; state: OrderState; at: number },
  amount: Decimal,
  description: string,
  details: ExplanationDetails,
): LineDraft {
  const explanation: CommissionLineExplanation = {
    state: event.state,
    stateAt: formatIsoDateTime(event.at),
    category: order.category,
    ...details,
  };
  return {
    line: {
      kind: event.kind,
      orderId: order.id,
      orderNumber: order.orderNumber,
      ...identity,
      amount: formatAmount(amount),
      description,
      explanation,
    },
    planIndex: positions.planIndex,
    ruleIndex: positions.ruleIndex,
    stateAt: event.at,
  };
}

/** Returns the line identity of a rule of an assigned plan version. */
export function identifyRule(reference: RuleReference, rule: PlanRule): RuleIdentity {
  return {
    planId: reference.assignment.planId,
    planVersionId: reference.assignment.planVersionId,
    ruleId: rule.id,
    ruleKind: rule.kind,
  };
}
