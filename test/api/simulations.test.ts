import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../config/config.js';
import type { SalesforceRecords } from '../../demo/files.js';
import { generateDemoData, writeDemoData } from '../../demo/generate.js';
import { loadDemoData } from '../../demo/load.js';
import type { PartnerSimulation, SimulationResult } from '../../domain/simulation.js';
import { readSalesforceRecordsFile } from '../../integrations/salesforce/records-file.js';
import {
  ADMIN_KEY,
  APPROVER_KEY,
  PARTNER_ONE_KEY,
  startApiTestContext,
  TAX_RATES_FILE,
  type ApiTestContext,
} from './support.js';

const execFileAsync = promisify(execFile);

const PERIOD = '2026-11';
const PLAN_DIR = path.join(projectRoot(), 'examples', 'plans');
const GAS_AMOUNT_LINE = "gasAmount: { type: amount, default: '60.00'";

type ErrorDetail = { path: string; message: string };

/** Converts an amount string such as "-4.00" into integer cents, so sums need no decimal library. */
function toCents(amount: string): number {
  const match = /^(-?)(\d+)\.(\d{2})$/.exec(amount);
  if (match === null) throw new Error(`not an amount: ${amount}`);
  const cents = Number(match[2]) * 100 + Number(match[3]);
  return match[1] === '-' ? -cents : cents;
}

/** Returns a one-rule plan file that names `partnerId` by id, so it clashes with a plan for the partner's kind. */
function promotionPlan(partnerId: string): string {
  return `id: promo-gas
name: Gas promotion
versions:
  - id: promo-gas-v1
    version: 1
    effectiveFrom: 2026-11-01
    effectiveTo: 2026-11-30
    definition:
      rules:
        - id: gas-bonus
          kind: fixed_per_order
          label: Gas contract bonus
          categories: [gas]
          amount: "5.00"
          payment:
            - state: validated
              share: "1"
assignments:
  - partners: [${partnerId}]
    effectiveFrom: 2026-11-01
    effectiveTo: 2026-11-30
`;
}

describe('simulations API', () => {
  let context: ApiTestContext;
  let dir: string;
  let records: SalesforceRecords;
  let activeFiles: string[];
  let draftFile: string;
  let draftSource: string;
  let cliResult: SimulationResult;

  const simulate = (key: string, body: object) =>
    request(context.app).post('/api/v1/simulations').set('X-API-Key', key).send(body);

  beforeAll(async () => {
    context = await startApiTestContext();
    dir = await mkdtemp(path.join(os.tmpdir(), 'incentra-simulations-'));
    const recordsDir = path.join(dir, 'records');
    await writeDemoData(recordsDir, generateDemoData({ seed: 7, partners: 40, orders: 600 }));
    records = await readSalesforceRecordsFile(recordsDir);
    await loadDemoData(context.prisma, recordsDir);

    activeFiles = (await readdir(PLAN_DIR))
      .filter((name) => name.endsWith('.plan.yaml'))
      .sort()
      .map((name) => path.join(PLAN_DIR, name));
    for (const file of activeFiles) {
      const upload = await request(context.app)
        .post('/api/v1/plans')
        .set('X-API-Key', ADMIN_KEY)
        .send({ source: await readFile(file, 'utf8'), fileName: path.basename(file) });
      expect(upload.status, `${file}: ${JSON.stringify(upload.body)}`).toBe(200);
    }

    const original = await readFile(path.join(PLAN_DIR, 'sales-agents.plan.yaml'), 'utf8');
    expect(original).toContain(GAS_AMOUNT_LINE);
    draftSource = original.replace(GAS_AMOUNT_LINE, 'gasAmount: { type: amount, default: "70.00"');
    draftFile = path.join(dir, 'sales-agents-draft.plan.yaml');
    await writeFile(draftFile, draftSource);

    const { stdout } = await execFileAsync(
      process.execPath,
      [
        '--import',
        'tsx',
        path.join(projectRoot(), 'cli', 'main.ts'),
        'simulate',
        '--plan',
        draftFile,
        '--orders',
        recordsDir,
        '--period',
        PERIOD,
        ...activeFiles.flatMap((file) => ['--active', file]),
        '--format',
        'json',
      ],
      {
        cwd: projectRoot(),
        env: { ...process.env, INCENTRA_TAX_RATES_FILE: TAX_RATES_FILE, LOG_LEVEL: 'warn' },
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    cliResult = JSON.parse(stdout) as SimulationResult;
  });

  afterAll(async () => {
    await context?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('equals the CLI with stored plans', async () => {
    const response = await simulate(ADMIN_KEY, {
      plans: [{ source: draftSource, fileName: 'sales-agents-draft.plan.yaml' }],
      records,
      period: PERIOD,
    });

    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body).toEqual(cliResult);
    expect(cliResult.partners.length).toBeGreaterThan(0);
    expect(cliResult.draftPlans).toEqual(['sales-agents-2026']);
    expect(cliResult.activePlans).toEqual([
      'agencies-2026',
      'installers-2026',
      'outbound-2026',
      'sales-agents-2026',
      'technicians-2026',
    ]);
    expect(cliResult.totals.difference.netCommission).not.toBe('0.00');
    expect(cliResult.totals.difference.payableAmount).not.toBe('0.00');
  });

  it('equals the CLI with active files', async () => {
    const active = await Promise.all(
      activeFiles.map(async (file) => ({ source: await readFile(file, 'utf8'), fileName: path.basename(file) })),
    );
    const response = await simulate(APPROVER_KEY, {
      plans: [{ source: draftSource }],
      active,
      records,
      period: PERIOD,
    });

    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body).toEqual(cliResult);
  });

  it('changes gas lines by the share of 10.00', () => {
    const agents = cliResult.partners.filter((partner) => partner.kind === 'sales_agent');
    const gasLines = (partner: PartnerSimulation) => partner.lines.filter((line) => line.ruleId === 'supply-gas');
    // A non-zero accelerator line also changes with the gas amount, and a reversal depends on earlier
    // payments, so partners with either are not checked here.
    const hasOtherEffects = (partner: PartnerSimulation) =>
      partner.lines.some(
        (line) => line.kind === 'reversal' || (line.ruleId === 'activation-accelerator' && toCents(line.amount) !== 0),
      );
    const checked = agents.filter((partner) => gasLines(partner).length > 0 && !hasOtherEffects(partner));

    expect(checked.length).toBeGreaterThan(0);
    for (const partner of checked) {
      let expectedCents = 0;
      for (const line of gasLines(partner)) {
        const shareHundredths = toCents(line.explanation.share ?? 'missing');
        expect(toCents(line.amount), `${partner.partnerId} line ${line.lineNumber}`).toBe(70 * shareHundredths);
        expectedCents += 10 * shareHundredths;
      }
      expect(toCents(partner.difference.netCommission), partner.partnerId).toBe(expectedCents);
      expect(toCents(partner.active.netCommission), partner.partnerId).toBe(
        toCents(partner.draft.netCommission) - expectedCents,
      );
    }
    for (const partner of agents.filter((agent) => gasLines(agent).length === 0 && !hasOtherEffects(agent))) {
      expect(partner.difference.netCommission, partner.partnerId).toBe('0.00');
    }
  });

  it('limits the result to one partner', async () => {
    const partnerId = cliResult.partners.find((partner) => partner.kind === 'sales_agent')?.partnerId;
    const response = await simulate(ADMIN_KEY, {
      plans: [{ source: draftSource }],
      records,
      period: PERIOD,
      partnerId,
    });

    expect(response.status).toBe(200);
    expect(response.body.partners).toEqual(cliResult.partners.filter((partner) => partner.partnerId === partnerId));
  });

  it('rejects a malformed draft with line:column', async () => {
    const broken = draftSource.replace('default: "70.00"', 'default: "seventy"');
    const lines = broken.split('\n');
    const lineIndex = lines.findIndex((line) => line.includes('"seventy"'));
    const column = lines[lineIndex]!.indexOf('"seventy"') + 1;

    const response = await simulate(ADMIN_KEY, {
      plans: [{ source: broken, fileName: 'draft.plan.yaml' }],
      records,
      period: PERIOD,
    });

    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('invalid_request');
    expect(response.body.error.message).toContain('nothing was simulated');
    const details = response.body.error.details as ErrorDetail[];
    expect(details.map((detail) => detail.path)).toEqual([
      `draft.plan.yaml:${lineIndex + 1}:${column} versions[0].definition.parameters.gasAmount.default`,
    ]);
  });

  it('names an unnamed draft by its place', async () => {
    const response = await simulate(ADMIN_KEY, {
      plans: [{ source: draftSource }, { source: 'id: [unclosed' }],
      records,
      period: PERIOD,
    });

    expect(response.status).toBe(400);
    const details = response.body.error.details as ErrorDetail[];
    expect(details.length).toBeGreaterThan(0);
    for (const detail of details) expect(detail.path).toMatch(/^plans\[1\]:1:\d+/);
  });

  it('rejects an invalid body', async () => {
    const { orderHistories: _omitted, ...withoutHistories } = records;
    const response = await simulate(ADMIN_KEY, {
      plans: [],
      records: { ...withoutHistories, orders: [1] },
      period: '2026-13',
    });

    expect(response.status).toBe(400);
    const paths = (response.body.error.details as ErrorDetail[]).map((detail) => detail.path);
    expect(paths).toContain('plans');
    expect(paths).toContain('records.orderHistories');
    expect(paths).toContain('records.orders[0]');
    expect(paths).toContain('period');
  });

  it('rejects unmappable records with 422', async () => {
    const [first, ...rest] = records.accounts;
    const accounts = [{ ...first, Partner_Kind__c: 'Astronaut' }, ...rest];
    const response = await simulate(ADMIN_KEY, {
      plans: [{ source: draftSource }],
      records: { ...records, accounts },
      period: PERIOD,
    });

    expect(response.status).toBe(422);
    expect(response.body.error.code).toBe('invalid_records');
    expect(response.body.error.message).toContain('Partner_Kind__c');
    expect(response.body.error.message).toContain('Astronaut');
  });

  it('rejects a double assignment with 409', async () => {
    const agent = cliResult.partners.find((partner) => partner.kind === 'sales_agent');
    expect(agent).toBeDefined();

    const response = await simulate(ADMIN_KEY, {
      plans: [{ source: draftSource }, { source: promotionPlan(agent!.partnerId) }],
      records,
      period: PERIOD,
    });

    expect(response.status).toBe(409);
    expect(response.body.error.code).toBe('plan_conflict');
    const details = response.body.error.details as ErrorDetail[];
    expect(details.length).toBeGreaterThan(0);
    expect(details.some((detail) => detail.message.includes(agent!.partnerId))).toBe(true);
  });

  it('accepts a body over the default limit', async () => {
    const response = await simulate(ADMIN_KEY, {
      plans: [{ source: draftSource }],
      records,
      period: PERIOD,
      padding: 'x'.repeat(6 * 1024 * 1024),
    });

    // The default limit is 5 MB, so a 400 for the unknown member shows that the route's own limit applied.
    expect(response.status).toBe(400);
    expect((response.body.error.details as ErrorDetail[]).map((detail) => detail.path)).toEqual(['padding']);
  });

  it('lets only admins and approvers simulate', async () => {
    const response = await simulate(PARTNER_ONE_KEY, { plans: [{ source: draftSource }], records, period: PERIOD });

    expect(response.status).toBe(403);
    expect(response.body.error.code).toBe('forbidden');
  });
});
