/**
 * Assembly of a partner's statement: numbered lines, net commission and taxes.
 */
import { InvalidTaxProfileError } from '../errors.js';
import { formatAmount, parseAmount, sumAmounts } from '../money.js';
import type { AmountString, Partner, StatementDraft } from '../model.js';
import { calculateTaxes } from '../tax/calculate-taxes.js';
import type { TaxCalculationResult, TaxRuleSet } from '../tax/types.js';
import { compareText, numberLines, type LineDraft } from './lines.js';
import type { ParsedPeriod } from './period.js';
import type { PlanAssignmentInput } from './types.js';

export interface StatementInput {
  period: ParsedPeriod;
  partner: Partner;
  assignments: readonly PlanAssignmentInput[];
  drafts: readonly LineDraft[];
  yearToDate: AmountString;
  taxRules: TaxRuleSet;
}

function collectPlanVersionIds(input: StatementInput, lineVersionIds: readonly string[]): string[] {
  const ids = new Set([...input.assignments.map((assignment) => assignment.planVersionId), ...lineVersionIds]);
  ids.delete('');
  return [...ids].sort(compareText);
}

function calculateStatementTaxes(input: StatementInput, net: AmountString): TaxCalculationResult {
  try {
    return calculateTaxes({
      net,
      profile: input.partner.taxProfile,
      yearToDate: input.yearToDate,
      periodEndsAt: input.period.endsAtIso,
      rules: input.taxRules,
    });
  } catch (error) {
    if (error instanceof InvalidTaxProfileError) {
      throw error.withPartner(input.partner.id);
    }
    throw error;
  }
}

/**
 * Builds the statement: lines sorted and numbered 1..n, netCommission as the exact sum of the line
 * amounts, and the taxes on that net. Throws InvalidTaxProfileError naming the partner when the
 * tax profile cannot be applied, and the other errors of calculateTaxes.
 */
export function buildStatement(input: StatementInput): StatementDraft {
  const lines = numberLines(input.drafts);
  const net = sumAmounts(lines.map((line) => parseAmount(line.amount, `line ${line.lineNumber} amount`)));
  const netCommission = formatAmount(net);
  const taxes = calculateStatementTaxes(input, netCommission);
  return {
    periodId: input.period.id,
    partnerId: input.partner.id,
    currency: 'EUR',
    planVersionIds: collectPlanVersionIds(
      input,
      lines.map((line) => line.planVersionId),
    ),
    lines,
    netCommission,
    taxes: taxes.items,
    vatAmount: taxes.vatAmount,
    grossAmount: taxes.grossAmount,
    withholdingAmount: taxes.withholdingAmount,
    contributionAgent: taxes.contributionAgent,
    contributionPrincipal: taxes.contributionPrincipal,
    payableAmount: taxes.payableAmount,
  };
}
