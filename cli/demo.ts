import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { loadConfig, type ApiKey } from '../config/config.js';
import { createLogger, type Logger } from '../config/logger.js';
import { generateDemoData, writeDemoData } from '../demo/generate.js';
import { loadFromSalesforce, readDemoFiles, type LoadResult } from '../demo/load.js';
import {
  createSalesforceConnection,
  SalesforceConnector,
  type FetchProgress,
} from '../integrations/salesforce/connector.js';
import { startLocalSalesforce } from '../integrations/salesforce/local-server.js';
import type { PrismaClient } from '../store/prisma.js';
import { payPeriodWorkflowId, periodWindow } from '../workflows/messages.js';
import { startIncentra, type RunningIncentra } from './serve.js';
import { collectSummary, printSummary } from './summary.js';

export interface DemoOptions {
  period: string;
  seed: number;
  partners: number;
  orders: number;
  keepRunning: boolean;
}

const STEPS = 7;

function step(index: number, text: string): void {
  process.stdout.write(`\n[${index}/${STEPS}] ${text}\n`);
}

function detail(text: string): void {
  process.stdout.write(`      ${text}\n`);
}

/**
 * Runs the main job on the embedded defaults: services, demo data, one pay period to awaiting
 * approval, approval through the HTTP API as an approver, then SAP postings, PDFs and emails.
 * Running it again duplicates nothing: accepted events load as duplicates, the deliberately broken ones
 * are rejected again, and the closed period is reported.
 */
export async function runDemo(options: DemoOptions): Promise<void> {
  const started = Date.now();
  const demoKeys = demoApiKeys();
  const config = loadConfig({
    LOG_LEVEL: 'warn',
    ...process.env,
    INCENTRA_API_KEYS: process.env.INCENTRA_API_KEYS ?? demoKeys.setting,
  });
  const logger = createLogger(config.logLevel);
  const approverKey = config.apiKeys.find((key) => key.role === 'approver');
  if (!approverKey) throw new Error('INCENTRA_API_KEYS has no approver key; the demo approves through the HTTP API');

  process.stdout.write(`Incentra demo: pay period ${options.period}, data in ${config.dataDir}\n`);

  step(1, 'Starting PostgreSQL, Temporal, SMTP outbox, worker and HTTP API');
  const incentra = await startIncentra(config, logger, { worker: true, api: true });
  const stopOnSignal = (signal: NodeJS.Signals) => {
    process.stdout.write(`\n${signal} received; stopping the services\n`);
    void incentra.stop().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  if (!options.keepRunning) {
    process.once('SIGINT', stopOnSignal);
    process.once('SIGTERM', stopOnSignal);
  }
  try {
    const { services } = incentra;
    detail(
      `PostgreSQL  ${services.embedded.postgres ? 'embedded, ' + redactUrl(services.databaseUrl) : 'DATABASE_URL'}`,
    );
    detail(
      `Temporal    ${services.temporalAddress}${services.temporalUiUrl ? `, web UI ${services.temporalUiUrl}` : ''}`,
    );
    detail(`SMTP        ${services.smtpUrl}${services.outboxDir ? ` -> ${services.outboxDir}` : ''}`);
    detail(`HTTP API    ${incentra.apiUrl}`);

    step(2, `Generating demo data (seed ${options.seed}, ${options.partners} partners, ${options.orders} orders)`);
    const demoDir = await ensureDemoData(config.dataDir, options);

    step(3, 'Loading the Salesforce records through jsforce from a local Salesforce server');
    const loaded = await loadThroughLocalSalesforce(services.prisma, demoDir, logger);
    detail(
      `${loaded.partners} partners, ${loaded.products} products, ${loaded.plans} plans; events: ` +
        `${loaded.events.accepted} accepted, ${loaded.events.duplicate} duplicate, ${loaded.events.rejected} rejected`,
    );

    step(4, `Signalling the pay period workflow ${payPeriodWorkflowId(options.period)}`);
    const periodEventIds = loaded.acceptedEventIdsByPeriod[options.period] ?? [];
    const earlierEvents = loaded.events.accepted - periodEventIds.length;
    if (earlierEvents > 0) {
      detail(
        `${earlierEvents} accepted events happened before ${options.period}: they are the orders' history ` +
          '(signing dates, earlier states) that the calculation reads, and no earlier period is run',
      );
    }
    await signalPeriod(incentra, options.period, periodEventIds);

    step(5, 'Calculating commissions, taxes and contributions');
    await incentra.payPeriods.waitForStage(
      options.period,
      ['awaiting_approval', 'posting', 'rendering', 'delivering', 'closed'],
      {
        timeoutMs: 15 * 60_000,
        onProgress: (status) => detail(`stage ${status.stage}`),
      },
    );
    const calculated = await incentra.payPeriods.getStatus(options.period);
    if (calculated?.calculation) {
      const summary = calculated.calculation;
      detail(
        `run ${summary.runNumber}: ${summary.statements} statements, ${summary.lines} lines, ` +
          `net EUR ${summary.netCommission}, payable EUR ${summary.payableAmount}`,
      );
    }

    step(6, `Approving through the HTTP API as "${approverKey.actor}"`);
    const alreadyDecided = calculated?.decisions.some((recorded) => recorded.decision === 'approved') ?? false;
    const decision = await approveOverHttp(incentra.apiUrl!, options.period, approverKey);
    detail(
      `${alreadyDecided ? 'already approved earlier: the API returned the recorded approval of' : decision.decision} ` +
        `run ${decision.runNumber} by ${decision.actor} at ${decision.decidedAt}`,
    );

    step(7, 'Posting supplier invoices to SAP, rendering PDFs and emailing partners');
    const final = await incentra.payPeriods.waitForStage(options.period, ['closed'], {
      timeoutMs: 30 * 60_000,
      onProgress: (status) => {
        const steps = status.steps;
        // The totals are known once the workflow has listed the approved statements.
        if (steps.posting.total === 0 && status.stage === 'posting') return;
        detail(
          `stage ${status.stage}: SAP ${steps.posting.done + steps.posting.skipped}/${steps.posting.total}, ` +
            `PDF ${steps.rendering.done + steps.rendering.skipped}/${steps.rendering.total}, ` +
            `email ${steps.delivering.done + steps.delivering.skipped}/${steps.delivering.total}`,
        );
      },
    });

    const summary = await collectSummary(config, services, options.period, final);
    printSummary(summary, {
      apiUrl: incentra.apiUrl!,
      temporalUiUrl: services.temporalUiUrl,
      namespace: config.temporal.namespace,
      seconds: (Date.now() - started) / 1000,
      // The generated keys are only of use while the API keeps running.
      generatedKeys: options.keepRunning && !process.env.INCENTRA_API_KEYS ? demoKeys.keys : undefined,
      keepRunning: options.keepRunning,
    });
    if (!summary.checks.every((check) => check.ok)) {
      process.exitCode = 1;
    }

    if (options.keepRunning) {
      process.stdout.write('\nServices keep running; press Ctrl+C to stop.\n');
      await new Promise<void>((resolve) => {
        process.once('SIGINT', () => resolve());
        process.once('SIGTERM', () => resolve());
      });
    }
  } finally {
    await incentra.stop();
  }
}

async function ensureDemoData(dataDir: string, options: DemoOptions): Promise<string> {
  const dir = path.join(
    dataDir,
    'demo',
    `${options.period}-seed${options.seed}-${options.partners}p-${options.orders}o`,
  );
  const marker = path.join(dir, 'complete.json');
  if (existsSync(marker)) {
    detail(`reusing ${dir}`);
    return dir;
  }
  const data = generateDemoData({
    seed: options.seed,
    period: options.period,
    partners: options.partners,
    orders: options.orders,
  });
  await mkdir(dir, { recursive: true });
  await writeDemoData(dir, data);
  await writeFile(marker, JSON.stringify({ ...options, generatedAt: new Date().toISOString() }, null, 2));
  const files = (await readdir(dir)).filter((name) => name.endsWith('.json') && name !== 'complete.json');
  detail(`wrote ${files.length} files of Salesforce REST records to ${dir}`);
  return dir;
}

/**
 * Serves the demo files from a local Salesforce server on 127.0.0.1 and loads them through the
 * jsforce connector with the client credentials flow, using a client secret made for this run.
 */
async function loadThroughLocalSalesforce(prisma: PrismaClient, demoDir: string, logger: Logger): Promise<LoadResult> {
  const { plans, ...records } = await readDemoFiles(demoDir);
  const clientId = 'incentra-demo';
  const clientSecret = randomBytes(24).toString('base64url');
  const salesforce = await startLocalSalesforce({
    host: '127.0.0.1',
    port: 0,
    data: records,
    clientId,
    clientSecret,
    logger,
  });
  try {
    detail(`local Salesforce server at ${salesforce.url} (REST API v62.0, OAuth 2.0 client credentials)`);
    const connection = await createSalesforceConnection({ loginUrl: salesforce.url, clientId, clientSecret });
    const connector = new SalesforceConnector(connection);

    // Each object prints a line when it is complete, and before that a running count at most every 2 s.
    let lastFetchReport = Date.now();
    let lastIngestReport = 0;
    const loaded = await loadFromSalesforce(prisma, connector, {
      plans,
      onFetchProgress: (progress: FetchProgress) => {
        if (progress.done || Date.now() - lastFetchReport > 2_000) {
          lastFetchReport = Date.now();
          const total = progress.total === undefined ? '' : `/${progress.total}`;
          detail(`${progress.done ? 'fetched' : 'fetching'} ${progress.sObjectType} ${progress.fetched}${total}`);
        }
      },
      onProgress: (progress) => {
        if (progress.done === progress.total || Date.now() - lastIngestReport > 2_000) {
          lastIngestReport = Date.now();
          detail(`order events ingested ${progress.done}/${progress.total}`);
        }
      },
    });
    detail(`the records came through jsforce from the local Salesforce server, which served the generated files`);
    return loaded;
  } finally {
    await salesforce.close();
  }
}

async function signalPeriod(incentra: RunningIncentra, periodId: string, eventIds: string[]): Promise<void> {
  if (eventIds.length > 0) {
    await incentra.payPeriods.signalEvents(periodId, eventIds);
    detail(`signalled ${eventIds.length} new event ids to ${payPeriodWorkflowId(periodId)}`);
    const window = periodWindow(periodId);
    detail(`the period ended ${window.endsAt}, so its timer fires at once`);
    return;
  }
  const existing = await incentra.payPeriods.getStatus(periodId);
  if (existing) {
    detail(`no new events; the workflow is at stage ${existing.stage}`);
    return;
  }
  await incentra.payPeriods.ensureStarted(periodId);
  detail('no new events; started the workflow for the events already stored');
}

async function approveOverHttp(
  apiUrl: string,
  periodId: string,
  key: ApiKey,
): Promise<{ decision: string; runNumber: number; actor: string; decidedAt: string }> {
  const response = await fetch(`${apiUrl}/api/v1/periods/${periodId}/approve`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key.key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ comment: 'Approved by the Incentra demo' }),
  });
  const body = (await response.json()) as { decision: string; runNumber: number; actor: string; decidedAt: string };
  if (!response.ok) {
    throw new Error(`approval failed with HTTP ${response.status}: ${JSON.stringify(body)}`);
  }
  return body;
}

/** Random admin and approver keys for a demo run without INCENTRA_API_KEYS. */
function demoApiKeys(): { setting: string; keys: Record<string, string> } {
  const admin = `demo-admin-${randomBytes(12).toString('hex')}`;
  const approver = `demo-approver-${randomBytes(12).toString('hex')}`;
  return {
    setting: `${admin}=admin:demo-admin,${approver}=approver:demo-approver`,
    keys: { admin, approver },
  };
}

function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]+@/, '//$1:***@');
}
