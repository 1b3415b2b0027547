/**
 * The real activities against a real PostgreSQL, the local SAP gateway and a real SMTP server:
 * calculation, approval, and retries of every side effect, including a crash between SAP's commit
 * and our own record of the posting.
 */
import { chmod, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../activities/index.js';
import type { ActivityDependencies } from '../../activities/dependencies.js';
import type { PayPeriodActivities } from '../../activities/types.js';
import { loadCompanies } from '../../config/companies.js';
import { projectRoot } from '../../config/config.js';
import { createLogger } from '../../config/logger.js';
import { DEMO_PLANS } from '../../demo/plans.js';
import { parseTaxRuleSet } from '../../domain/tax/rates.js';
import { createMailer } from '../../integrations/mail/mailer.js';
import { startOutboxServer, type OutboxServer } from '../../integrations/mail/outbox-server.js';
import { LocalSupplierInvoiceGateway } from '../../integrations/sap/local-gateway.js';
import type { SupplierInvoiceGateway } from '../../integrations/sap/gateway.js';
import { ingestOrderEvents, type OrderEventInput } from '../../store/order-events.js';
import { upsertPlans } from '../../store/plans.js';
import { upsertPartners, upsertProducts } from '../../store/reference-data.js';
import { startTestDatabase, type TestDatabase } from '../support/postgres.js';

const PERIOD = { periodId: '2026-11', startsAt: '2026-11-01T00:00:00.000Z', endsAt: '2026-12-01T00:00:00.000Z' };
const PRODUCT = '01t000000000001AAA';

/** Gateway whose first post reaches SAP and then fails, as when the worker dies after SAP's commit. */
class CrashAfterPostGateway implements SupplierInvoiceGateway {
  crashes = 1;
  constructor(private readonly inner: SupplierInvoiceGateway) {}
  findByReference: SupplierInvoiceGateway['findByReference'] = (query) => this.inner.findByReference(query);
  post: SupplierInvoiceGateway['post'] = async (invoice) => {
    const posted = await this.inner.post(invoice);
    if (this.crashes-- > 0) throw new Error('connection reset after commit');
    return posted;
  };
}

function signed(orderId: string, partnerId: string, at: string): OrderEventInput {
  return {
    sourceEventId: `${orderId}-signed`,
    source: 'api',
    orderId,
    state: 'signed',
    occurredAt: at,
    order: { orderNumber: `N-${orderId}`, partnerId, productId: PRODUCT, value: '950.00', quantity: '3200' },
  };
}

function state(orderId: string, value: OrderEventInput['state'], at: string): OrderEventInput {
  return { sourceEventId: `${orderId}-${value}`, source: 'api', orderId, state: value, occurredAt: at };
}

describe('pay period activities', () => {
  let database: TestDatabase;
  let dir: string;
  let outbox: OutboxServer;
  let gateway: CrashAfterPostGateway;
  let activities: PayPeriodActivities;
  const run = <T>(call: () => Promise<T>): Promise<T> => new MockActivityEnvironment().run(call) as Promise<T>;

  beforeAll(async () => {
    database = await startTestDatabase();
    dir = await mkdtemp(path.join(os.tmpdir(), 'incentra-activities-'));
    await chmod(dir, 0o755);
    outbox = await startOutboxServer({ host: '127.0.0.1', port: 0, dir: path.join(dir, 'outbox') });

    const taxProfile = {
      country: 'DE' as const,
      vatRegime: 'standard' as const,
      vatId: 'DE123456789',
      address: { street: 'Hafenstraße 1', postalCode: '20457', city: 'Hamburg', country: 'DE' },
    };
    await upsertProducts(database.prisma, [
      { id: PRODUCT, code: 'EL-BASIC', name: 'Strom Basis', category: 'electricity', unit: 'kWh' },
    ]);
    await upsertPartners(
      database.prisma,
      ['P00001', 'P00002'].map((id, index) => ({
        id,
        salesforceId: `00100000000000${index}AAA`,
        name: `Vertrieb Nord ${index + 1} GmbH`,
        kind: 'sales_agent' as const,
        territory: 'DE-NORTH',
        email: `partner${index + 1}@example.test`,
        sapVendorId: `10000${index + 1}`,
        taxProfile,
      })),
    );
    await upsertPlans(
      database.prisma,
      DEMO_PLANS.filter((plan) => plan.id === 'sales-agents-2026'),
    );
    await ingestOrderEvents(database.prisma, [
      signed('801A', 'P00001', '2026-10-20T09:00:00Z'),
      state('801A', 'validated', '2026-11-03T09:00:00Z'),
      state('801A', 'supply_active', '2026-11-20T09:00:00Z'),
      signed('801B', 'P00002', '2026-11-02T09:00:00Z'),
      state('801B', 'validated', '2026-11-10T09:00:00Z'),
    ]);

    gateway = new CrashAfterPostGateway(new LocalSupplierInvoiceGateway({ dir: path.join(dir, 'sap') }));
    const deps: ActivityDependencies = {
      prisma: database.prisma,
      sapGateway: gateway,
      mailer: createMailer({
        host: '127.0.0.1',
        port: outbox.port,
        ignoreTLS: true,
        from: 'Incentra <a@incentra.test>',
      }),
      messageIdDomain: 'incentra.test',
      documentsDir: path.join(dir, 'documents'),
      companies: await loadCompanies(path.join(projectRoot(), 'data', 'companies.json')),
      taxRules: parseTaxRuleSet(await readFile(path.join(projectRoot(), 'data', 'tax-rates.json'), 'utf8')),
      logger: createLogger('silent'),
      now: () => new Date('2026-12-02T08:00:00Z'),
    };
    activities = createActivities(deps);
  }, 120_000);

  afterAll(async () => {
    await outbox?.close();
    await database?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('calculates statements from stored events', async () => {
    await run(() =>
      activities.recordStage({ period: PERIOD, workflowId: 'pay-period-2026-11', stage: 'calculating', runNumber: 1 }),
    );
    const summary = await run(() => activities.calculatePeriod({ period: PERIOD, runNumber: 1 }));

    // P00001: electricity 80.00 × 0.40 validated + 80.00 × 0.60 supply_active = 80.00.
    // P00002: 80.00 × 0.40 validated = 32.00. Net 112.00, VAT 19 % = 21.28, payable 133.28.
    expect(summary.statements).toBe(2);
    expect(summary.netCommission).toBe('112.00');
    expect(summary.vatAmount).toBe('21.28');
    expect(summary.payableAmount).toBe('133.28');
  });

  it('continues the run count of a failed workflow', async () => {
    await run(() =>
      activities.recordDecision({
        periodId: '2026-11',
        runNumber: 1,
        decision: 'rejected',
        actor: 'alice',
        reason: 'x',
      }),
    );
    // A workflow started again after a failure requests run 1, which is already decided.
    const summary = await run(() => activities.calculatePeriod({ period: PERIOD, runNumber: 1 }));
    const runs = await database.prisma.statement.findMany({ select: { runNumber: true }, distinct: ['runNumber'] });

    expect(summary.runNumber).toBe(2);
    expect(runs).toEqual([{ runNumber: 2 }]);
    expect(summary.netCommission).toBe('112.00');
  });

  it('records an approval once and numbers invoices', async () => {
    const input = { periodId: '2026-11', runNumber: 2, decision: 'approved' as const, actor: 'alice' };
    const first = await run(() => activities.recordDecision(input));
    const second = await run(() => activities.recordDecision({ ...input, actor: 'bob' }));
    const statements = await database.prisma.statement.findMany({ orderBy: { id: 'asc' } });

    expect(second).toEqual(first);
    expect(statements.map((statement) => statement.invoiceNumber)).toEqual(['GS-2026-000001', 'GS-2026-000002']);
    expect(statements.every((statement) => statement.status === 'approved')).toBe(true);
  });

  it('refuses to recalculate an approved period', async () => {
    await expect(run(() => activities.calculatePeriod({ period: PERIOD, runNumber: 3 }))).rejects.toThrow(
      /approved period is not recalculated/,
    );
  });

  it('posts once when SAP committed before a crash', async () => {
    const [batch] = await run(() => activities.listStatementBatches({ periodId: '2026-11', batchSize: 25 }));
    expect(batch).toEqual(['2026-11-P00001', '2026-11-P00002']);

    await expect(run(() => activities.postStatementsToSap({ statementIds: batch! }))).rejects.toThrow(
      'connection reset after commit',
    );
    const retried = await run(() => activities.postStatementsToSap({ statementIds: batch! }));
    const again = await run(() => activities.postStatementsToSap({ statementIds: batch! }));
    const records = await readdir(path.join(dir, 'sap'));

    // The first statement reached SAP before the crash: the retry finds it by reference.
    expect(retried.map((result) => result.outcome)).toEqual(['skipped', 'done']);
    expect(again.map((result) => result.outcome)).toEqual(['skipped', 'skipped']);
    expect(records.filter((name) => name.endsWith('.json'))).toHaveLength(2);
    expect(await database.prisma.sapPosting.count()).toBe(2);
  });

  it('renders and emails each statement once', async () => {
    const statementIds = ['2026-11-P00001', '2026-11-P00002'];
    const rendered = await run(() => activities.renderStatementDocuments({ statementIds }));
    const renderedAgain = await run(() => activities.renderStatementDocuments({ statementIds }));
    const sent = await run(() => activities.deliverStatements({ statementIds }));
    const sentAgain = await run(() => activities.deliverStatements({ statementIds }));
    const messages = (await readdir(path.join(dir, 'outbox'))).filter((name) => name.endsWith('.eml'));

    expect(rendered.map((result) => result.outcome)).toEqual(['done', 'done']);
    expect(renderedAgain.map((result) => result.outcome)).toEqual(['skipped', 'skipped']);
    expect(sent.map((result) => result.outcome)).toEqual(['done', 'done']);
    expect(sentAgain.map((result) => result.outcome)).toEqual(['skipped', 'skipped']);
    expect(messages).toHaveLength(2);
    expect(await database.prisma.statement.count({ where: { status: 'delivered' } })).toBe(2);
  });

  it('waits for an earlier unapproved period', async () => {
    await database.prisma.payPeriod.create({
      data: {
        id: '2026-10',
        startsAt: new Date('2026-10-01T00:00:00Z'),
        endsAt: new Date('2026-11-01T00:00:00Z'),
        stage: 'awaiting_approval',
        workflowId: 'pay-period-2026-10',
      },
    });

    await expect(run(() => activities.calculatePeriod({ period: PERIOD, runNumber: 3 }))).rejects.toThrow(
      'pay period 2026-11 is calculated after 2026-10 (awaiting_approval) is approved',
    );
  });
});
