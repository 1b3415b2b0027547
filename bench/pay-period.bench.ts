/**
 * Benchmark of the calculation path on real PostgreSQL: demo data generation, ingestion of the
 * order events, loading the calculation input, the engine, storing the statements, and rendering
 * the largest statement's PDF, and a what-if run of a changed sales-agent plan against the five
 * demo plans from the same records (`incentra simulate`). Prints one row per data-set size. Run with `npm run bench`;
 * `--sizes 22000,66000` sets the order counts.
 */
import { chmod, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { projectRoot } from '../config/config.js';
import { companyFor, loadCompanies, toPrincipal } from '../config/companies.js';
import { generateDemoData, writeDemoData } from '../demo/generate.js';
import { loadDemoData } from '../demo/load.js';
import { calculatePeriod } from '../domain/engine/calculate.js';
import { parseTaxRuleSet } from '../domain/tax/rates.js';
import { startEmbeddedPostgres } from '../embedded/postgres.js';
import { renderStatementPdf } from '../integrations/documents/statement-pdf.js';
import { runWhatIf, type PlanSource } from '../integrations/simulation/what-if.js';
import { loadCalculationInput } from '../store/calculation-input.js';
import { applyMigrations } from '../store/migrate.js';
import { createPrismaClient } from '../store/prisma.js';
import { loadStatementForInvoice, replaceDraftStatements } from '../store/statements.js';

const PERIOD = { periodId: '2026-11', startsAt: '2026-11-01T00:00:00.000Z', endsAt: '2026-12-01T00:00:00.000Z' };

interface Row {
  orders: number;
  partners: number;
  events: number;
  generateSeconds: number;
  ingestSeconds: number;
  eventsPerSecond: number;
  loadInputSeconds: number;
  engineSeconds: number;
  storeSeconds: number;
  lines: number;
  pdfMilliseconds: number;
  pdfLines: number;
  whatIfSeconds: number;
  peakRssMiB: number;
}

/** Reads the demo plan files, and a draft of the sales-agent plan with a higher gas amount. */
async function readPlanSources(): Promise<{ active: PlanSource[]; draft: PlanSource }> {
  const dir = path.join(projectRoot(), 'examples', 'plans');
  const names = (await readdir(dir)).filter((name) => name.endsWith('.plan.yaml')).sort();
  const active = await Promise.all(
    names.map(async (name) => ({ file: path.join(dir, name), text: await readFile(path.join(dir, name), 'utf8') })),
  );
  const salesAgents = active.find((source) => source.file.endsWith('sales-agents.plan.yaml'))!;
  const text = salesAgents.text.replace(/(gasAmount: \{ type: amount, default: )'60.00'/, "$1'70.00'");
  if (text === salesAgents.text) throw new Error('the sales-agent plan has no gasAmount default of 60.00 to change');
  return { active, draft: { file: 'draft.plan.yaml', text } };
}

function seconds(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

let peakRss = 0;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 50);

async function measure(orders: number, port: number): Promise<Row> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'incentra-bench-'));
  await chmod(dir, 0o755);
  const postgres = await startEmbeddedPostgres({ dataDir: path.join(dir, 'pg'), port, database: 'bench' });
  const prisma = createPrismaClient(postgres.url);
  try {
    await applyMigrations(postgres.url);
    const partners = Math.max(40, Math.round((orders / 22_000) * 320));

    let start = process.hrtime.bigint();
    const data = generateDemoData({ seed: 1, period: PERIOD.periodId, partners, orders });
    const generateSeconds = seconds(start);
    await writeDemoData(path.join(dir, 'demo'), data);

    start = process.hrtime.bigint();
    const loaded = await loadDemoData(prisma, path.join(dir, 'demo'));
    const ingestSeconds = seconds(start);
    const events = loaded.events.accepted + loaded.events.rejected;

    const taxRules = parseTaxRuleSet(await readFile(path.join(projectRoot(), 'data', 'tax-rates.json'), 'utf8'));
    start = process.hrtime.bigint();
    const input = await loadCalculationInput(prisma, PERIOD, taxRules);
    const loadInputSeconds = seconds(start);

    start = process.hrtime.bigint();
    const result = calculatePeriod(input);
    const engineSeconds = seconds(start);

    start = process.hrtime.bigint();
    await prisma.payPeriod.create({
      data: {
        id: PERIOD.periodId,
        startsAt: new Date(PERIOD.startsAt),
        endsAt: new Date(PERIOD.endsAt),
        stage: 'calculating',
        workflowId: 'bench',
      },
    });
    await replaceDraftStatements(prisma, PERIOD.periodId, 1, result, new Date());
    const storeSeconds = seconds(start);

    const largest = [...result.statements].sort((a, b) => b.lines.length - a.lines.length)[0]!;
    const companies = await loadCompanies(path.join(projectRoot(), 'data', 'companies.json'));
    const view = await loadStatementForInvoice(prisma, `${PERIOD.periodId}-${largest.partnerId}`, (partner) =>
      toPrincipal(companyFor(companies, partner)),
    );
    start = process.hrtime.bigint();
    await renderStatementPdf({ ...view, invoiceNumber: 'GS-2026-999999' });
    const pdfMilliseconds = seconds(start) * 1000;

    const plans = await readPlanSources();
    start = process.hrtime.bigint();
    runWhatIf({ drafts: [plans.draft], active: plans.active, records: data, period: PERIOD.periodId, taxRules });
    const whatIfSeconds = seconds(start);

    return {
      orders,
      partners,
      events,
      generateSeconds,
      ingestSeconds,
      eventsPerSecond: events / ingestSeconds,
      loadInputSeconds,
      engineSeconds,
      storeSeconds,
      lines: result.statements.reduce((count, statement) => count + statement.lines.length, 0),
      pdfMilliseconds,
      pdfLines: largest.lines.length,
      whatIfSeconds,
      peakRssMiB: peakRss / 2 ** 20,
    };
  } finally {
    await prisma.$disconnect();
    await postgres.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

const { values } = parseArgs({ options: { sizes: { type: 'string', default: '22000,66000' } } });
const sizes = values.sizes.split(',').map((size) => {
  const orders = Number(size);
  if (!Number.isInteger(orders) || orders < 100)
    throw new Error(`--sizes: ${size} is not a whole number of at least 100`);
  return orders;
});

process.stdout.write(`Incentra pay period benchmark on Node ${process.version}, ${os.cpus().length} cores\n`);
const rows: Row[] = [];
for (const [index, orders] of sizes.entries()) {
  process.stdout.write(`measuring ${orders} orders...\n`);
  rows.push(await measure(orders, 54_500 + index));
}
clearInterval(sampler);

const header = [
  'orders',
  'partners',
  'events',
  'generate s',
  'ingest s',
  'events/s',
  'load input s',
  'engine s',
  'store s',
  'lines',
  'PDF ms (lines)',
  'what-if s',
  'peak RSS MiB',
];
process.stdout.write(`\n| ${header.join(' | ')} |\n|${header.map(() => ' --- ').join('|')}|\n`);
for (const row of rows) {
  const cells = [
    row.orders,
    row.partners,
    row.events,
    row.generateSeconds.toFixed(2),
    row.ingestSeconds.toFixed(2),
    Math.round(row.eventsPerSecond),
    row.loadInputSeconds.toFixed(2),
    row.engineSeconds.toFixed(2),
    row.storeSeconds.toFixed(2),
    row.lines,
    `${row.pdfMilliseconds.toFixed(0)} (${row.pdfLines})`,
    row.whatIfSeconds.toFixed(2),
    row.peakRssMiB.toFixed(0),
  ];
  process.stdout.write(`| ${cells.join(' | ')} |\n`);
}
