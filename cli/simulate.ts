/**
 * `incentra simulate`: a what-if run of draft plans over an orders file, printed as JSON or as a
 * table. It needs no server and stores nothing.
 */
import { readFile } from 'node:fs/promises';

import { loadConfig } from '../config/config.js';
import {
  DuplicateOrderError,
  InvalidAmountError,
  InvalidDateTimeError,
  InvalidDecimalError,
  InvalidTaxProfileError,
  PlanValidationError,
  TaxRatesNotFoundError,
} from '../domain/errors.js';
import { InvalidOrderEventError } from '../domain/orders/order-event-schema.js';
import { SimulationAssignmentError, type SimulationResult, type SimulationTotals } from '../domain/simulation.js';
import { DuplicateReferenceIdError, UnknownParentPartnerError } from '../store/reference-data.js';
import { InvalidPeriodIdError } from '../workflows/messages.js';
import { parseTaxRuleSet } from '../domain/tax/rates.js';
import { formatPlanFileIssue, PlanFileError } from '../integrations/plans/plan-file.js';
import { SalesforceMappingError } from '../integrations/salesforce/mapping.js';
import { readSalesforceRecordsFile, SalesforceRecordsFileError } from '../integrations/salesforce/records-file.js';
import { runWhatIf, type PlanSource } from '../integrations/simulation/what-if.js';

/** Errors that invalid input files cause; they get their message without a stack trace. */
const INPUT_ERRORS = [
  SalesforceRecordsFileError,
  SalesforceMappingError,
  DuplicateReferenceIdError,
  UnknownParentPartnerError,
  InvalidTaxProfileError,
  InvalidOrderEventError,
  DuplicateOrderError,
  InvalidAmountError,
  InvalidDecimalError,
  InvalidDateTimeError,
  InvalidPeriodIdError,
  SimulationAssignmentError,
  PlanValidationError,
  TaxRatesNotFoundError,
] as const;

export interface SimulateOptions {
  plan: string[];
  orders: string;
  period: string;
  active: string[];
  partner?: string;
  format: 'json' | 'table';
}

async function readSources(files: readonly string[]): Promise<PlanSource[]> {
  return Promise.all(
    files.map(async (file) => {
      try {
        return { file, text: await readFile(file, 'utf8') };
      } catch (error) {
        throw new PlanFileError([
          { file, line: 1, column: 1, path: '', message: `cannot read the file: ${(error as Error).message}` },
        ]);
      }
    }),
  );
}

function pad(text: string, width: number, alignRight = false): string {
  return alignRight ? text.padStart(width) : text.padEnd(width);
}

function totalsRow(
  label: string,
  name: string,
  draft: SimulationTotals,
  active: SimulationTotals,
  difference: SimulationTotals,
): string {
  return [
    pad(label, 14),
    pad(name.slice(0, 28), 28),
    pad(String(draft.lines), 6, true),
    pad(draft.netCommission, 13, true),
    pad(active.netCommission, 13, true),
    pad(difference.netCommission, 12, true),
    pad(draft.payableAmount, 13, true),
    pad(difference.payableAmount, 12, true),
  ].join(' ');
}

/** Formats the result as a table: one row per partner and a total, and the lines for one partner. */
export function formatSimulationTable(result: SimulationResult, showLines: boolean): string {
  const out: string[] = [];
  const active = result.activePlans.length === 0 ? 'no active plans' : `active ${result.activePlans.join(', ')}`;
  out.push(`Pay period ${result.period}: draft ${result.draftPlans.join(', ')} against ${active}`);
  out.push('');

  out.push(
    [
      pad('partner', 14),
      pad('name', 28),
      pad('lines', 6, true),
      pad('net draft', 13, true),
      pad('net active', 13, true),
      pad('net change', 12, true),
      pad('payable draft', 13, true),
      pad('payable chg.', 12, true),
    ].join(' '),
  );

  for (const partner of result.partners) {
    out.push(totalsRow(partner.partnerId, partner.name, partner.draft, partner.active, partner.difference));
    if (showLines) {
      for (const line of partner.lines) {
        const order = line.orderNumber ?? '(period)';
        out.push(
          `    ${pad(String(line.lineNumber), 4, true)}  ${pad(order, 12)} ${pad(line.amount, 10, true)}  ${line.description}`,
        );
      }
    }
  }

  const { draft, active: activeTotals, difference } = result.totals;
  const count = result.partners.length;
  out.push(totalsRow('total', `${count} partner${count === 1 ? '' : 's'}`, draft, activeTotals, difference));

  for (const warning of result.warnings) out.push(`warning ${warning.code}: ${warning.message}`);
  for (const note of result.notes) out.push(`note: ${note}`);
  return `${out.join('\n')}\n`;
}

/**
 * Runs the simulation and prints it. Returns the exit code: 0 when it ran, 1 for invalid input
 * files, 2 when no draft plan is named.
 */
export async function runSimulate(options: SimulateOptions): Promise<number> {
  if (options.plan.length === 0) {
    process.stderr.write('incentra: name at least one draft plan file with --plan\n');
    return 2;
  }
  const config = loadConfig();
  const taxRules = parseTaxRuleSet(await readFile(config.taxRatesFile, 'utf8'));
  try {
    const [drafts, active, records] = await Promise.all([
      readSources(options.plan),
      readSources(options.active),
      readSalesforceRecordsFile(options.orders),
    ]);
    const result = runWhatIf({ drafts, active, records, period: options.period, partnerId: options.partner, taxRules });
    if (options.partner !== undefined && result.partners.length === 0) {
      process.stderr.write(
        `incentra: partner ${options.partner} has no statement in ${options.period} under either plan set\n`,
      );
    }
    process.stdout.write(
      options.format === 'json'
        ? `${JSON.stringify(result, null, 2)}\n`
        : formatSimulationTable(result, options.partner !== undefined),
    );
    return 0;
  } catch (error) {
    if (error instanceof PlanFileError) {
      for (const issue of error.issues) process.stderr.write(`${formatPlanFileIssue(issue)}\n`);
      process.stderr.write('incentra: the plan files are invalid; nothing was simulated\n');
      return 1;
    }
    if (INPUT_ERRORS.some((type) => error instanceof type)) {
      process.stderr.write(`incentra: ${(error as Error).message}\n`);
      process.stderr.write('incentra: nothing was simulated\n');
      return 1;
    }
    throw error;
  }
}
