/**
 * Shared setup of the API tests: a real embedded PostgreSQL, the app with an in-memory pay period
 * port (Temporal is tested elsewhere), API keys of every role, a log captured in memory, and rows
 * inserted directly with Prisma.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import type { DecisionRecord } from '../../activities/types.js';
import { createApp, type ApiDependencies } from '../../api/app.js';
import type { PayPeriodPort, PayPeriodStatus } from '../../api/ports.js';
import { parseApiKeys, projectRoot } from '../../config/config.js';
import { parseTaxRuleSet } from '../../domain/tax/rates.js';
import type { PrismaClient } from '../../store/prisma.js';
import { recordDecision } from '../../store/decisions.js';
import type { ApproveRequest, RejectRequest } from '../../workflows/messages.js';
import { startTestDatabase, type TestDatabase } from '../support/postgres.js';

export const ADMIN_KEY = 'admin-key-0000000000000001';
export const APPROVER_KEY = 'approver-key-000000000000001';
export const PARTNER_ONE_KEY = 'partner-key-00000000000000001';
export const PARTNER_TWO_KEY = 'partner-key-00000000000000002';

/** API keys of every role, parsed the way INCENTRA_API_KEYS is. */
export const API_KEYS = parseApiKeys(
  `${ADMIN_KEY}=admin:ops,${APPROVER_KEY}=approver:controller,${PARTNER_ONE_KEY}=partner:P00001,${PARTNER_TWO_KEY}=partner:P00002`,
);

/** An error with the name the real pay period client uses, so the API maps it by name. */
export class NamedError extends Error {
  constructor(
    override readonly name: string,
    message: string,
  ) {
    super(message);
  }
}

interface InMemoryPeriod {
  stage: string;
  runNumber: number;
  decisions: DecisionRecord[];
  closeRequestedBy?: string;
}

/**
 * PayPeriodPort over a map of periods. Approvals and rejections are written to approval_decision
 * with the real store function, as the workflow's activity does. `calls` records every call.
 */
export class InMemoryPayPeriods implements PayPeriodPort {
  readonly periods = new Map<string, InMemoryPeriod>();
  readonly calls: { method: string; periodId: string; argument?: unknown }[] = [];
  /** When set, signalEvents throws this error. */
  signalFailure: Error | undefined;

  constructor(private readonly prisma: PrismaClient) {}

  /** Adds a workflow for `periodId` in `stage`. */
  addPeriod(periodId: string, stage: string, runNumber = 1): void {
    this.periods.set(periodId, { stage, runNumber, decisions: [] });
  }

  async signalEvents(periodId: string, eventIds: string[]): Promise<void> {
    this.calls.push({ method: 'signalEvents', periodId, argument: eventIds });
    if (this.signalFailure !== undefined) throw this.signalFailure;
    if (!this.periods.has(periodId)) this.addPeriod(periodId, 'collecting');
  }

  async requestClose(periodId: string, requestedBy: string): Promise<void> {
    this.calls.push({ method: 'requestClose', periodId, argument: requestedBy });
    const period = this.require(periodId);
    if (period.stage !== 'collecting') throw new NamedError('WrongStageError', `period ${periodId} is ${period.stage}`);
    period.closeRequestedBy = requestedBy;
    period.stage = 'calculating';
  }

  async getStatus(periodId: string): Promise<PayPeriodStatus | null> {
    this.calls.push({ method: 'getStatus', periodId });
    const period = this.periods.get(periodId);
    if (period === undefined) return null;
    return {
      periodId,
      workflowId: `pay-period-${periodId}`,
      stage: period.stage as PayPeriodStatus['stage'],
      runNumber: period.runNumber,
      eventsSignalled: 0,
      signalsReceived: 0,
      eventsSignalledAfterClose: 0,
      closesAt: '2026-12-01T00:00:00.000Z',
      decisions: period.decisions,
      steps: {
        posting: { done: 0, skipped: 0, total: 0 },
        rendering: { done: 0, skipped: 0, total: 0 },
        delivering: { done: 0, skipped: 0, total: 0 },
      },
      ...(period.closeRequestedBy === undefined ? {} : { closeRequestedBy: period.closeRequestedBy }),
    };
  }

  async approve(periodId: string, request: ApproveRequest): Promise<DecisionRecord> {
    this.calls.push({ method: 'approve', periodId, argument: request });
    const period = this.decidable(periodId, request.role);
    const record = await recordDecision(
      this.prisma,
      { periodId, runNumber: period.runNumber, decision: 'approved', actor: request.actor, reason: request.comment },
      new Date(),
      () => 'GS',
    );
    period.decisions.push(record);
    period.stage = 'posting';
    return record;
  }

  async reject(periodId: string, request: RejectRequest): Promise<DecisionRecord> {
    this.calls.push({ method: 'reject', periodId, argument: request });
    const period = this.decidable(periodId, request.role);
    const record = await recordDecision(
      this.prisma,
      { periodId, runNumber: period.runNumber, decision: 'rejected', actor: request.actor, reason: request.reason },
      new Date(),
      () => 'GS',
    );
    period.decisions.push(record);
    period.runNumber += 1;
    period.stage = 'calculating';
    return record;
  }

  /** Returns how often `method` was called. */
  count(method: string): number {
    return this.calls.filter((call) => call.method === method).length;
  }

  private require(periodId: string): InMemoryPeriod {
    const period = this.periods.get(periodId);
    if (period === undefined) throw new NamedError('PeriodNotFoundError', `no workflow for pay period ${periodId}`);
    return period;
  }

  private decidable(periodId: string, role: string): InMemoryPeriod {
    if (role !== 'approver') throw new NamedError('ForbiddenError', `role ${role} may not decide`);
    const period = this.require(periodId);
    if (period.stage !== 'awaiting_approval') {
      throw new NamedError('WrongStageError', `period ${periodId} is ${period.stage}, not awaiting_approval`);
    }
    return period;
  }
}

/** A running API test setup. */
export interface ApiTestContext {
  database: TestDatabase;
  prisma: PrismaClient;
  app: ReturnType<typeof createApp>;
  payPeriods: InMemoryPayPeriods;
  /** Every log line written by the app, parsed. */
  logs: Record<string, unknown>[];
  /** Statement ids passed to renderPdf. */
  rendered: string[];
  stop(): Promise<void>;
}

/** Bytes that renderPdf returns in tests: a minimal PDF header and trailer. */
export const RENDERED_PDF = Buffer.from('%PDF-1.7\n% rendered in test\n%%EOF\n', 'latin1');

/** The tax-rate file that the app and `incentra simulate` use when INCENTRA_TAX_RATES_FILE is unset. */
export const TAX_RATES_FILE = path.join(projectRoot(), 'data', 'tax-rates.json');

/** The tax rules of TAX_RATES_FILE, which the test app uses. */
export const TAX_RULES = parseTaxRuleSet(readFileSync(TAX_RATES_FILE, 'utf8'));

/** Starts a database and an app over it. `overrides` replace dependencies such as renderPdf or bodyLimit. */
export async function startApiTestContext(
  overrides: Partial<
    Pick<ApiDependencies, 'renderPdf' | 'onEventsAccepted' | 'bodyLimit' | 'simulationBodyLimit'>
  > = {},
): Promise<ApiTestContext> {
  const database = await startTestDatabase();
  const payPeriods = new InMemoryPayPeriods(database.prisma);
  const logs: Record<string, unknown>[] = [];
  const rendered: string[] = [];
  const logStream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line.trim() !== '') logs.push(JSON.parse(line) as Record<string, unknown>);
      }
      callback();
    },
  });
  const logger = pino({ level: 'debug' }, logStream);

  const app = createApp({
    prisma: database.prisma,
    payPeriods,
    apiKeys: API_KEYS,
    logger,
    taxRules: TAX_RULES,
    renderPdf: async (statementId) => {
      rendered.push(statementId);
      return new Uint8Array(RENDERED_PDF);
    },
    ...overrides,
  });

  return { database, prisma: database.prisma, app, payPeriods, logs, rendered, stop: () => database.stop() };
}

/** Inserts a product and partners P00001 (Agentur Nord, DE) and P00002 (Agenzia Sud, IT). */
export async function insertPartners(prisma: PrismaClient): Promise<void> {
  await prisma.product.create({
    data: { id: '01t000000000001', code: 'ELEC-BASIC', name: 'Strom Basis', category: 'electricity', unit: 'kWh' },
  });
  const partners = [
    { id: 'P00001', name: 'Agentur Nord', country: 'DE', territory: 'DE-NORTH' },
    { id: 'P00002', name: 'Agenzia Sud', country: 'IT', territory: 'IT-SOUTH' },
  ];
  for (const [index, partner] of partners.entries()) {
    await prisma.partner.create({
      data: {
        ...partner,
        salesforceId: `00100000000000${index + 1}`,
        kind: 'agency',
        email: `${partner.id.toLowerCase()}@example.com`,
        sapVendorId: `10000${index + 1}`,
        taxProfile: {},
      },
    });
  }
}

/** Inserts pay period `periodId` in `stage`, as the workflow's recordStage activity would. */
export async function insertPayPeriod(
  prisma: PrismaClient,
  periodId: string,
  stage: string,
  runNumber = 1,
): Promise<void> {
  const [year, month] = periodId.split('-').map(Number) as [number, number];
  await prisma.payPeriod.create({
    data: {
      id: periodId,
      startsAt: new Date(Date.UTC(year, month - 1, 1)),
      endsAt: new Date(Date.UTC(year, month, 1)),
      stage,
      runNumber,
      workflowId: `pay-period-${periodId}`,
    },
  });
}

/**
 * Inserts statement `<periodId>-<partnerId>` with one line per amount. `netCommission` is the sum
 * of the amounts unless given, so a test can also insert a statement whose lines do not add up.
 */
export async function insertStatement(
  prisma: PrismaClient,
  input: { periodId: string; partnerId: string; amounts: string[]; netCommission?: string; invoiceNumber?: string },
): Promise<string> {
  const id = `${input.periodId}-${input.partnerId}`;
  const net = input.netCommission ?? sumCents(input.amounts);
  await prisma.statement.create({
    data: {
      id,
      periodId: input.periodId,
      partnerId: input.partnerId,
      runNumber: 1,
      status: input.invoiceNumber === undefined ? 'draft' : 'approved',
      currency: 'EUR',
      netCommission: net,
      vatAmount: '0.00',
      grossAmount: net,
      withholdingAmount: '0.00',
      contributionAgent: '0.00',
      contributionPrincipal: '0.00',
      payableAmount: net,
      taxes: [{ kind: 'vat', label: 'Umsatzsteuer', base: net, rate: '0', amount: '0.00', note: 'test' }],
      invoiceNumber: input.invoiceNumber ?? null,
      lines: {
        create: input.amounts.map((amount, index) => ({
          lineNumber: index + 1,
          kind: amount.startsWith('-') ? 'reversal' : 'commission',
          planVersionId: 'plan-1-v1',
          ruleId: `rule-${index + 1}`,
          amount,
          description: `Line ${index + 1}`,
          explanation: { formula: `fixed ${amount}`, inputs: { amount } },
        })),
      },
    },
  });
  return id;
}

// Sums decimal strings through integer cents, so the expected value does not share the app's decimal code.
function sumCents(amounts: string[]): string {
  const cents = amounts.reduce((sum, amount) => sum + BigInt(amount.replace('.', '')), 0n);
  const sign = cents < 0n ? '-' : '';
  const absolute = (cents < 0n ? -cents : cents).toString().padStart(3, '0');
  return `${sign}${absolute.slice(0, -2)}.${absolute.slice(-2)}`;
}
