import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config/config.js';
import { formatAmount, parseAmount, sumAmounts } from '../domain/money.js';
import type { PayPeriodStatus } from '../workflows/messages.js';
import type { Services } from './runtime.js';

/** One verification of the run's outputs against the database. */
export interface SummaryCheck {
  name: string;
  ok: boolean;
  detail: string;
}

export interface PeriodSummary {
  periodId: string;
  stage: string;
  partners: number;
  statements: number;
  payableStatements: number;
  lines: number;
  netCommission: string;
  vatAmount: string;
  withholdingAmount: string;
  contributionAgent: string;
  payableAmount: string;
  sapPostings: number;
  documents: number;
  emails: number;
  rejectedEvents: number;
  folders: { documents: string; outbox?: string; sap: string };
  checks: SummaryCheck[];
}

/**
 * Collects the period's figures from the database and checks the outputs. Each statement's total
 * must equal the sum of its lines. Each payable statement must have one SAP record file, one posting
 * and one stored email with a PDF attachment.
 */
export async function collectSummary(
  config: Config,
  services: Services,
  periodId: string,
  status: PayPeriodStatus | null,
): Promise<PeriodSummary> {
  const prisma = services.prisma;
  const statements = await prisma.statement.findMany({
    where: { periodId },
    include: { lines: { select: { amount: true } }, posting: true, document: true, delivery: true },
  });
  const payable = statements.filter((statement) => !statement.payableAmount.isZero());
  const total = (pick: (statement: (typeof statements)[number]) => { toFixed(digits: number): string }) =>
    formatAmount(sumAmounts(statements.map((statement) => parseAmount(pick(statement).toFixed(2), 'amount'))));

  const mismatched = statements.filter((statement) => {
    const lines = sumAmounts(statement.lines.map((line) => parseAmount(line.amount.toFixed(2), 'amount')));
    return !lines.equals(parseAmount(statement.netCommission.toFixed(2), 'netCommission'));
  });

  const sapFiles = await listFiles(config.sap.recordsDir, '.json');
  const sapReferences = new Set<string>();
  for (const file of sapFiles) {
    const record = JSON.parse(await readFile(file, 'utf8')) as {
      parameters?: { HEADERDATA?: { REF_DOC_NO?: string } };
    };
    const reference = record.parameters?.HEADERDATA?.REF_DOC_NO;
    if (reference?.startsWith(`${periodId}-`)) sapReferences.add(reference);
  }
  const missingSap = payable.filter((statement) => !sapReferences.has(statement.id) || !statement.posting);

  const outboxFiles = services.outboxDir ? await listFiles(services.outboxDir, '.eml') : [];
  const emailed = new Set<string>();
  for (const file of outboxFiles) {
    const text = await readFile(file, 'utf8');
    const match = /^Message-ID:\s*<statement\.([^.>]+)\./im.exec(text);
    if (match?.[1]?.startsWith(`${periodId}-`) && /Content-Type: application\/pdf/i.test(text)) emailed.add(match[1]);
  }
  const missingEmail = services.outboxDir ? payable.filter((statement) => !emailed.has(statement.id)) : [];

  const rejectedEvents = await prisma.orderEvent.count({ where: { periodId, status: 'rejected' } });

  return {
    periodId,
    stage: status?.stage ?? 'unknown',
    partners: new Set(statements.map((statement) => statement.partnerId)).size,
    statements: statements.length,
    payableStatements: payable.length,
    lines: statements.reduce((count, statement) => count + statement.lines.length, 0),
    netCommission: total((statement) => statement.netCommission),
    vatAmount: total((statement) => statement.vatAmount),
    withholdingAmount: total((statement) => statement.withholdingAmount),
    contributionAgent: total((statement) => statement.contributionAgent),
    payableAmount: total((statement) => statement.payableAmount),
    sapPostings: statements.filter((statement) => statement.posting).length,
    documents: statements.filter((statement) => statement.document).length,
    emails: statements.filter((statement) => statement.delivery).length,
    rejectedEvents,
    folders: {
      documents: path.join(config.documents.dir, periodId),
      outbox: services.outboxDir,
      sap: config.sap.recordsDir,
    },
    checks: [
      {
        name: 'statement totals equal the sum of their lines',
        ok: mismatched.length === 0,
        detail:
          mismatched.length === 0
            ? `${statements.length} statements`
            : `mismatch: ${mismatched.map((s) => s.id).join(', ')}`,
      },
      {
        name: 'one SAP record per payable statement',
        ok: missingSap.length === 0 && sapReferences.size === payable.length,
        detail: `${sapReferences.size} SAP records for ${payable.length} payable statements`,
      },
      {
        name: 'one email with a PDF per payable statement',
        ok: missingEmail.length === 0,
        detail: services.outboxDir
          ? `${emailed.size} emails in the outbox for ${payable.length} payable statements`
          : 'SMTP_URL is external; the outbox is not checked',
      },
    ],
  };
}

/** Prints the summary block at the end of the demo. */
export function printSummary(
  summary: PeriodSummary,
  context: {
    apiUrl: string;
    temporalUiUrl?: string;
    namespace: string;
    seconds: number;
    generatedKeys?: Record<string, string>;
    keepRunning: boolean;
  },
): void {
  const out = (line = '') => process.stdout.write(`${line}\n`);
  out();
  out(`Pay period ${summary.periodId}: ${summary.stage}`);
  out(`  partners paid        ${summary.partners} (${summary.payableStatements} with a non-zero statement)`);
  out(`  commission lines     ${summary.lines}`);
  out(`  net commission       EUR ${summary.netCommission}`);
  out(`  VAT                  EUR ${summary.vatAmount}`);
  out(`  withholding          EUR ${summary.withholdingAmount}`);
  out(`  agent contributions  EUR ${summary.contributionAgent}`);
  out(`  payable              EUR ${summary.payableAmount}`);
  out(
    `  rejected events      ${summary.rejectedEvents} (GET /api/v1/order-events?status=rejected&period=${summary.periodId})`,
  );
  out();
  out(`  SAP postings         ${summary.sapPostings}, records in ${summary.folders.sap}`);
  out(`  invoice PDFs         ${summary.documents}, in ${summary.folders.documents}`);
  out(
    `  emails               ${summary.emails}${summary.folders.outbox ? `, .eml files in ${summary.folders.outbox}` : ''}`,
  );
  out(`  HTTP API             ${context.apiUrl} (OpenAPI at ${context.apiUrl}/openapi.json)`);
  if (context.temporalUiUrl) {
    out(
      `  Temporal UI          ${context.temporalUiUrl}/namespaces/${context.namespace}/workflows?query=` +
        encodeURIComponent(`IncentraPeriod="${summary.periodId}"`),
    );
    if (!context.keepRunning) {
      out('                       (it stops with this command; add --keep-running to browse it and the API)');
    }
  }
  if (context.generatedKeys) {
    out(`  API keys             admin ${context.generatedKeys.admin}, approver ${context.generatedKeys.approver}`);
  }
  out();
  for (const check of summary.checks) out(`  ${check.ok ? 'ok  ' : 'FAIL'} ${check.name}: ${check.detail}`);
  out(`\nDone in ${context.seconds.toFixed(1)} s.`);
}

async function listFiles(dir: string, extension: string): Promise<string[]> {
  try {
    const names = await readdir(dir);
    return names.filter((name) => name.endsWith(extension)).map((name) => path.join(dir, name));
  } catch {
    return [];
  }
}
