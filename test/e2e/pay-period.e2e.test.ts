/**
 * End to end on real components: embedded PostgreSQL, the Temporal dev server, the embedded SMTP
 * outbox, the worker with the real activities and the HTTP API, over a small generated data set.
 */
import { execFileSync } from 'node:child_process';
import { chmod, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadStatementForInvoice } from '../../store/statements.js';
import { startIncentra, type RunningIncentra } from '../../cli/serve.js';
import { companyFor, loadCompanies, toPrincipal } from '../../config/companies.js';
import { loadConfig, type Config } from '../../config/config.js';
import { createLogger } from '../../config/logger.js';
import { generateDemoData, writeDemoData } from '../../demo/generate.js';
import { loadDemoData } from '../../demo/load.js';
import { Prisma } from '../../store/prisma.js';
import { formatEuro, documentLocale } from '../../integrations/statement-view.js';
import { payPeriodWorkflowId } from '../../workflows/messages.js';
import { freePort } from '../support/ports.js';

const PERIOD = '2026-11';
const ADMIN_KEY = 'e2e-admin-key-0123456789';
const APPROVER_KEY = 'e2e-approver-key-0123456789';

function hasPdftotext(): boolean {
  try {
    execFileSync('pdftotext', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('pay period end to end', () => {
  let dir: string;
  let config: Config;
  let incentra: RunningIncentra;
  let apiUrl: string;
  let firstLoadRejected = 0;

  const api = async (method: string, route: string, key: string, body?: unknown) => {
    const response = await fetch(`${apiUrl}${route}`, {
      method,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'incentra-e2e-'));
    await chmod(dir, 0o755);
    config = loadConfig({
      INCENTRA_DATA_DIR: dir,
      EMBEDDED_POSTGRES_PORT: String(await freePort()),
      TEMPORAL_PORT: String(await freePort()),
      TEMPORAL_UI_PORT: String(await freePort()),
      EMBEDDED_SMTP_PORT: String(await freePort()),
      HTTP_PORT: String(await freePort()),
      TEMPORAL_TASK_QUEUE: 'incentra-e2e',
      INCENTRA_API_KEYS: `${ADMIN_KEY}=admin:e2e-admin,${APPROVER_KEY}=approver:e2e-approver`,
      LOG_LEVEL: 'silent',
    });
    incentra = await startIncentra(config, createLogger('silent'), { worker: true, api: true });
    apiUrl = incentra.apiUrl!;

    const data = generateDemoData({ seed: 7, period: PERIOD, partners: 40, orders: 1_500 });
    const demoDir = path.join(dir, 'demo');
    await writeDemoData(demoDir, data);
    const loaded = await loadDemoData(incentra.services.prisma, demoDir);
    expect(loaded.events.rejected).toBeGreaterThan(0);
    firstLoadRejected = loaded.events.rejected;
    await incentra.payPeriods.signalEvents(PERIOD, loaded.acceptedEventIdsByPeriod[PERIOD] ?? []);
  }, 240_000);

  afterAll(async () => {
    await incentra?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('rejects a malformed event naming the field', async () => {
    const before = await incentra.services.prisma.orderEvent.count();
    const response = await api('POST', '/api/v1/order-events', ADMIN_KEY, {
      events: [{ sourceEventId: 'e2e-bad-1', source: 'api', orderId: 'x', state: 'signed', occurredAt: 'yesterday' }],
    });

    expect(response.status).toBe(400);
    expect(JSON.stringify(response.body)).toContain('events[0].occurredAt');
    expect(await incentra.services.prisma.orderEvent.count()).toBe(before);
  });

  it('answers duplicate for an event stored before', async () => {
    const stored = await incentra.services.prisma.orderEvent.findFirstOrThrow({
      where: { status: 'accepted', periodId: PERIOD },
    });
    const response = await api('POST', '/api/v1/order-events', ADMIN_KEY, {
      events: [
        {
          sourceEventId: stored.sourceEventId,
          source: 'salesforce',
          orderId: stored.orderId,
          state: stored.state,
          occurredAt: stored.occurredAt.toISOString(),
        },
      ],
    });

    expect(response.status).toBe(200);
    expect((response.body.results as Array<{ status: string }>)[0]?.status).toBe('duplicate');
  });

  it('lists rejected events with their reason', async () => {
    const response = await api('GET', '/api/v1/order-events?status=rejected', ADMIN_KEY);
    const events = response.body.events as Array<{ status: string; rejectionReason: string }>;

    expect(response.status).toBe(200);
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((event) => event.status === 'rejected' && event.rejectionReason.length > 0)).toBe(true);
  });

  it('runs reject, recalculation and approval', async () => {
    await incentra.payPeriods.waitForStage(PERIOD, ['awaiting_approval'], { timeoutMs: 120_000 });

    const withoutReason = await api('POST', `/api/v1/periods/${PERIOD}/reject`, APPROVER_KEY, {});
    expect(withoutReason.status).toBe(400);

    const rejected = await api('POST', `/api/v1/periods/${PERIOD}/reject`, APPROVER_KEY, {
      reason: 'Check the outbound tiers again',
    });
    expect(rejected.status).toBe(200);
    expect(rejected.body.decision).toBe('rejected');

    const recalculated = await incentra.payPeriods.waitForStage(PERIOD, ['awaiting_approval'], { timeoutMs: 120_000 });
    expect(recalculated.runNumber).toBe(2);

    const byAdmin = await api('POST', `/api/v1/periods/${PERIOD}/approve`, ADMIN_KEY, {});
    expect(byAdmin.status).toBe(403);

    const approved = await api('POST', `/api/v1/periods/${PERIOD}/approve`, APPROVER_KEY, { comment: 'ok' });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ decision: 'approved', runNumber: 2, actor: 'e2e-approver' });

    const again = await api('POST', `/api/v1/periods/${PERIOD}/approve`, APPROVER_KEY, {});
    expect(again.status).toBe(200);
    expect(again.body).toEqual(approved.body);

    const closed = await incentra.payPeriods.waitForStage(PERIOD, ['closed'], { timeoutMs: 180_000 });
    expect(closed.steps.delivering.total).toBeGreaterThan(0);
  }, 420_000);

  it('keeps every statement total equal to its lines', async () => {
    const statements = await incentra.services.prisma.statement.findMany({
      where: { periodId: PERIOD },
      include: { lines: true },
    });
    expect(statements.length).toBeGreaterThan(10);

    for (const statement of statements) {
      const sum = statement.lines.reduce((total, line) => total.plus(line.amount), new Prisma.Decimal(0));
      expect(sum.toFixed(2), statement.id).toBe(statement.netCommission.toFixed(2));
      expect(statement.runNumber).toBe(2);
    }
  });

  it('posts one SAP record per payable statement', async () => {
    const payable = await incentra.services.prisma.statement.findMany({
      where: { periodId: PERIOD, NOT: { payableAmount: 0 } },
      include: { posting: true, partner: true },
    });
    const files = (await readdir(config.sap.recordsDir)).filter((name) => name.endsWith('.json'));
    const records = await Promise.all(
      files.map(async (name) => JSON.parse(await readFile(path.join(config.sap.recordsDir, name), 'utf8'))),
    );
    const byReference = new Map(records.map((record) => [record.parameters.HEADERDATA.REF_DOC_NO, record]));

    expect(records).toHaveLength(payable.length);
    expect(new Set(payable.map((statement) => statement.partner.country))).toEqual(new Set(['DE', 'IT']));
    for (const statement of payable) {
      const record = byReference.get(statement.id);
      expect(record, statement.id).toBeDefined();
      expect(record.function).toBe('BAPI_INCOMINGINVOICE_CREATE1');
      expect(record.parameters.HEADERDATA.GROSS_AMOUNT).toBe(statement.grossAmount.abs().toFixed(2));
      expect(record.parameters.HEADERDATA.INVOICE_IND).toBe(statement.grossAmount.isNegative() ? '' : 'X');
      expect(statement.posting?.documentNumber).toBe(record.result.INVOICEDOCNUMBER);
      // Each national company pays the partners of its country (data/companies.json).
      expect(record.parameters.HEADERDATA.COMP_CODE).toBe(statement.partner.country === 'IT' ? '2000' : '1000');
    }
  });

  it('emails each payable partner its PDF', async () => {
    const payable = await incentra.services.prisma.statement.findMany({
      where: { periodId: PERIOD, NOT: { payableAmount: 0 } },
      include: { partner: true, document: true, delivery: true },
    });
    const outbox = config.mail.outboxDir;
    const files = (await readdir(outbox)).filter((name) => name.endsWith('.eml'));
    expect(files).toHaveLength(payable.length);

    const sample = payable[0]!;
    const emlName = files.find((name) => name.includes(sample.id));
    expect(emlName).toBeDefined();
    const message = await simpleParser(await readFile(path.join(outbox, emlName!)));
    const pdf = await readFile(sample.document!.path);

    const recipients = Array.isArray(message.to) ? message.to : [message.to];
    expect(recipients.map((address) => address?.text ?? '').join(', ')).toContain(sample.partner.email);
    expect(message.attachments).toHaveLength(1);
    expect(message.attachments[0]?.contentType).toBe('application/pdf');
    expect(Buffer.compare(message.attachments[0]!.content, pdf)).toBe(0);
    expect(sample.delivery?.messageId).toBe(message.messageId);
  });

  it.runIf(hasPdftotext())('prints partner name and payable on the PDF', async () => {
    const statement = await incentra.services.prisma.statement.findFirstOrThrow({
      where: { periodId: PERIOD, payableAmount: { gt: 0 } },
      include: { document: true },
    });
    const companies = await loadCompanies(config.companiesFile);
    const view = await loadStatementForInvoice(incentra.services.prisma, statement.id, (partner) =>
      toPrincipal(companyFor(companies, partner)),
    );
    const text = execFileSync('pdftotext', ['-layout', statement.document!.path, '-'], { encoding: 'utf8' });

    expect(text).toContain(view.partner.name);
    expect(text).toContain(view.invoiceNumber!);
    expect(text).toContain(formatEuro(view.payableAmount, documentLocale(view.partner)));
  });

  it('shows the period in Temporal visibility', async () => {
    const query = `IncentraPeriod = '${PERIOD}' AND IncentraStage = 'closed'`;
    let found: string[] = [];
    for (let attempt = 0; attempt < 20 && found.length === 0; attempt++) {
      found = [];
      for await (const workflow of incentra.services.temporalClient.workflow.list({ query })) {
        found.push(workflow.workflowId);
      }
      if (found.length === 0) await new Promise((resolve) => setTimeout(resolve, 500));
    }

    expect(found).toContain(payPeriodWorkflowId(PERIOD));
  });

  it('stores nothing new when the data loads again', async () => {
    const before = await incentra.services.prisma.orderEvent.count();
    const loaded = await loadDemoData(incentra.services.prisma, path.join(dir, 'demo'));

    // Accepted events come back as duplicates; rejected ones are checked again and stay rejected.
    expect(loaded.events.accepted).toBe(0);
    expect(loaded.events.rejected).toBe(firstLoadRejected);
    expect(await incentra.services.prisma.orderEvent.count()).toBe(before);
  });
});
