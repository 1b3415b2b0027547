/**
 * The worked examples of docs/plans.md: each demo plan over its hand-made orders file in
 * examples/orders, for pay period 2026-11. Every line amount, description and total is written
 * here as computed by hand, and every `incentra simulate` command in the guide must print exactly
 * the table shown below it, so the guide cannot drift from the engine.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

import { formatSimulationTable } from '../../cli/simulate.js';
import { projectRoot } from '../../config/config.js';
import type { SimulationResult } from '../../domain/simulation.js';
import { parseTaxRuleSet } from '../../domain/tax/rates.js';
import type { TaxRuleSet } from '../../domain/tax/types.js';
import { buildOrdersFromRecords } from '../../integrations/salesforce/offline-orders.js';
import { readSalesforceRecordsFile } from '../../integrations/salesforce/records-file.js';
import { runWhatIf } from '../../integrations/simulation/what-if.js';

const PERIOD = '2026-11';
const GUIDE = path.join(projectRoot(), 'docs', 'plans.md');

/** The arguments of one `incentra simulate` run, with paths relative to the repository root. */
interface SimulateArguments {
  plans: string[];
  active: string[];
  orders: string;
  period: string;
  partnerId?: string | undefined;
}

interface ExpectedLine {
  /** Undefined for an adjustment line of the period. */
  orderNumber?: string;
  amount: string;
  description: string;
}

interface ExpectedStatement {
  partnerId: string;
  lines: ExpectedLine[];
  netCommission: string;
  vatAmount: string;
  payableAmount: string;
}

interface Example {
  name: string;
  plans: string[];
  orders: string;
  statements: ExpectedStatement[];
}

const AGENCY_PLANS = ['examples/plans/agencies.plan.yaml', 'examples/plans/sales-agents.plan.yaml'];

const EXAMPLES: Example[] = [
  {
    name: 'agency with agents',
    plans: AGENCY_PLANS,
    orders: 'examples/orders/agency.json',
    statements: [
      {
        partnerId: 'P00100',
        lines: [
          {
            orderNumber: '00010001',
            amount: '32.00', // 80.00 × 0.40
            description: 'Electricity contract 00010001 validated on 2026-11-05: 40% of EUR 80.00 (validated share)',
          },
          {
            orderNumber: '00010001',
            amount: '48.00', // 80.00 − 32.00
            description:
              'Electricity contract 00010001 activated on 2026-11-19: 60% of EUR 80.00 (supply_active share)',
          },
          {
            orderNumber: '00010002',
            amount: '58.00', // 1450.00 × 0.04
            description: 'E-mobility order 00010002 validated on 2026-11-10: 4% of order value EUR 1450.00',
          },
          {
            amount: '3.60', // 72.00 × 0.05
            description: "Override on agents' commission: 5% of EUR 72.00 earned by agent Jonas Becker (P00101)",
          },
          {
            amount: '11.40', // 228.00 × 0.05
            description: "Override on agents' commission: 5% of EUR 228.00 earned by agent Sara Krüger (P00102)",
          },
        ],
        // The team bonus is 0 with 3 team activations below the target of 25, so it has no line.
        netCommission: '153.00',
        vatAmount: '29.07', // 153.00 × 0.19
        payableAmount: '182.07',
      },
      {
        partnerId: 'P00101',
        lines: [
          {
            orderNumber: '00010003',
            amount: '48.00', // 80.00 − 32.00, because October paid the validated share
            description:
              'Electricity contract 00010003 activated on 2026-11-04: 60% of EUR 80.00 (supply_active share)',
          },
          {
            orderNumber: '00010004',
            amount: '24.00', // 60.00 × 0.40
            description: 'Gas contract 00010004 validated on 2026-11-12: 40% of EUR 60.00 (validated share)',
          },
        ],
        netCommission: '72.00',
        vatAmount: '13.68', // 72.00 × 0.19
        payableAmount: '85.68',
      },
      {
        partnerId: 'P00102',
        lines: [
          {
            orderNumber: '00010005',
            amount: '130.00', // 2600.00 × 0.05
            description: 'Cooling installation 00010005 validated on 2026-11-16: 5% of order value EUR 2600.00',
          },
          {
            orderNumber: '00010006',
            amount: '32.00', // 80.00 × 0.40
            description: 'Electricity contract 00010006 validated on 2026-11-16: 40% of EUR 80.00 (validated share)',
          },
          {
            orderNumber: '00010006',
            amount: '48.00', // 80.00 − 32.00
            description:
              'Electricity contract 00010006 activated on 2026-11-27: 60% of EUR 80.00 (supply_active share)',
          },
          {
            orderNumber: '00010006',
            amount: '18.00', // min(1800 × 0.01, 40)
            description:
              'Electricity contract 00010006 activated on 2026-11-27: Business customer bonus, 1% of the contract value up to EUR 40, EUR 18.00 (min(value * 0.01, 40) with value = 1800)',
          },
        ],
        netCommission: '228.00',
        vatAmount: '43.32', // 228.00 × 0.19
        payableAmount: '271.32',
      },
    ],
  },
  {
    name: 'sales agent',
    plans: ['examples/plans/sales-agents.plan.yaml'],
    orders: 'examples/orders/sales-agent.json',
    statements: [
      {
        partnerId: 'P00200',
        lines: [
          {
            orderNumber: '00020001',
            amount: '48.00', // 80.00 − 32.00
            description:
              'Electricity contract 00020001 activated on 2026-11-03: 60% of EUR 80.00 (supply_active share)',
          },
          {
            orderNumber: '00020001',
            amount: '24.00', // min(2400 × 0.01, 40)
            description:
              'Electricity contract 00020001 activated on 2026-11-03: Business customer bonus, 1% of the contract value up to EUR 40, EUR 24.00 (min(value * 0.01, 40) with value = 2400)',
          },
          {
            orderNumber: '00020002',
            amount: '48.00', // 80.00 − 32.00
            description:
              'Electricity contract 00020002 activated on 2026-11-05: 60% of EUR 80.00 (supply_active share)',
          },
          {
            orderNumber: '00020003',
            amount: '36.00', // 60.00 − 24.00
            description: 'Gas contract 00020003 activated on 2026-11-10: 60% of EUR 60.00 (supply_active share)',
          },
          {
            orderNumber: '00020004',
            amount: '24.00', // 60.00 × 0.40
            description: 'Gas contract 00020004 validated on 2026-11-04: 40% of EUR 60.00 (validated share)',
          },
          {
            orderNumber: '00020004',
            amount: '36.00', // 60.00 − 24.00
            description: 'Gas contract 00020004 activated on 2026-11-20: 60% of EUR 60.00 (supply_active share)',
          },
          {
            orderNumber: '00020004',
            amount: '40.00', // min(5200 × 0.01, 40)
            description:
              'Gas contract 00020004 activated on 2026-11-20: Business customer bonus, 1% of the contract value up to EUR 40, EUR 40.00 (min(value * 0.01, 40) with value = 5200)',
          },
          {
            orderNumber: '00020005',
            amount: '32.00', // 80.00 × 0.40, validated implied by supply_active
            description:
              'Electricity contract 00020005 activated on 2026-11-18, which implies validated: 40% of EUR 80.00 (validated share)',
          },
          {
            orderNumber: '00020005',
            amount: '48.00', // 80.00 − 32.00
            description:
              'Electricity contract 00020005 activated on 2026-11-18: 60% of EUR 80.00 (supply_active share)',
          },
          {
            orderNumber: '00020006',
            amount: '32.00', // 80.00 × 0.40
            description: 'Electricity contract 00020006 validated on 2026-11-09: 40% of EUR 80.00 (validated share)',
          },
          {
            orderNumber: '00020006',
            amount: '48.00', // 80.00 − 32.00
            description:
              'Electricity contract 00020006 activated on 2026-11-25: 60% of EUR 80.00 (supply_active share)',
          },
          {
            orderNumber: '00020008',
            amount: '392.00', // 9800.00 × 0.04
            description: 'PV installation 00020008 validated on 2026-11-17: 4% of order value EUR 9800.00',
          },
          {
            // Attainment 6 ÷ 6 = 1 is in the band from 1 to below 1.5.
            // The supply lines sum to 352.00, and 352.00 × (1.1 − 1) = 35.20.
            amount: '35.20',
            description:
              "Activation accelerator: activation target reached 100% (6 supply contracts activated, target 6) raises the period's EUR 352.00 by the factor 1.1 (band 1 to below 1.5)",
          },
        ],
        netCommission: '843.20',
        vatAmount: '160.21', // 843.20 × 0.19 = 160.208
        payableAmount: '1003.41',
      },
    ],
  },
  {
    name: 'outbound call centre',
    plans: ['examples/plans/outbound.plan.yaml'],
    orders: 'examples/orders/outbound.json',
    statements: [
      {
        partnerId: 'P00300',
        lines: [
          {
            orderNumber: '00030001',
            amount: '40.00', // 4 validated contracts, retroactive tier 1-50
            description:
              'Electricity contract 00030001 validated on 2026-11-04: EUR 40.00, tier 1-50 (4 orders in the period)',
          },
          {
            orderNumber: '00030002',
            amount: '40.00',
            description:
              'Electricity contract 00030002 validated on 2026-11-05: EUR 40.00, tier 1-50 (4 orders in the period)',
          },
          {
            orderNumber: '00030003',
            amount: '40.00',
            description: 'Gas contract 00030003 validated on 2026-11-09: EUR 40.00, tier 1-50 (4 orders in the period)',
          },
          {
            orderNumber: '00030004',
            amount: '40.00',
            description: 'Gas contract 00030004 validated on 2026-11-02: EUR 40.00, tier 1-50 (4 orders in the period)',
          },
          {
            orderNumber: '00030006',
            amount: '25.00',
            description: 'E-mobility order 00030006 validated on 2026-11-13: EUR 25.00',
          },
          {
            // 1 of the 4 supply contracts signed in November was cancelled: 25% > 10%
            amount: '0.00',
            description:
              'Quality bonus, EUR 3 per validated contract: not paid, because the condition "cancellation rate at most 10%" is not met (cancellation rate 25% (1 of 4 orders))',
          },
        ],
        netCommission: '185.00',
        vatAmount: '35.15', // 185.00 × 0.19
        payableAmount: '220.15',
      },
    ],
  },
  {
    name: 'installer',
    plans: ['examples/plans/installers.plan.yaml'],
    orders: 'examples/orders/installer.json',
    statements: [
      {
        partnerId: 'P00400',
        lines: [
          {
            orderNumber: '00040001',
            amount: '250.00',
            description: 'PV installation 00040001 commissioned on 2026-11-10: EUR 250.00',
          },
          {
            orderNumber: '00040001',
            amount: '240.00', // 9.6 × 25.00
            description: 'PV installation 00040001 commissioned on 2026-11-10: 9.6 kWp × EUR 25.00',
          },
          {
            orderNumber: '00040002',
            amount: '250.00',
            description: 'PV installation 00040002 commissioned on 2026-11-20: EUR 250.00',
          },
          {
            orderNumber: '00040002',
            amount: '300.00', // 14 × 25.00 = 350.00, capped at 300.00
            description:
              'PV installation 00040002 commissioned on 2026-11-20: 14 kWp × EUR 25.00, capped at EUR 300.00 per order',
          },
          {
            orderNumber: '00040003',
            amount: '380.00',
            description: 'Heating installation 00040003 commissioned on 2026-11-16: EUR 380.00',
          },
          {
            orderNumber: '00040004',
            amount: '150.00',
            description: 'E-mobility order 00040004 commissioned on 2026-11-26: EUR 150.00',
          },
          {
            // 2 of 4 jobs within the SLA is 0.5, in the band from 0 to below 0.7.
            // The four job lines sum to 1030.00, and 1030.00 × (0.95 − 1) = −51.50.
            amount: '-51.50',
            description:
              "SLA adjustment: jobs installed within 10 working days 50% (2 of 4 jobs within 10 working days) lowers the period's EUR 1030.00 by the factor 0.95 (band 0 to below 0.7)",
          },
        ],
        netCommission: '1518.50',
        vatAmount: '288.52', // 1518.50 × 0.19 = 288.515
        payableAmount: '1807.02',
      },
    ],
  },
  {
    name: 'technician',
    plans: ['examples/plans/technicians.plan.yaml'],
    orders: 'examples/orders/technician.json',
    statements: [
      {
        partnerId: 'P00500',
        lines: [
          {
            // 00050002 is commissioned but not accepted, so holdUntil keeps it off the statement.
            orderNumber: '00050001',
            amount: '120.00',
            description:
              'Heating installation 00050001 commissioned on 2026-11-02, paid once accepted on 2026-11-04: EUR 120.00',
          },
          {
            amount: '30.00', // 2 jobs commissioned × 15, with 2 of 2 jobs installed within the SLA
            description: 'SLA bonus, EUR 15 per commissioned job: EUR 30.00 (2 jobs commissioned)',
          },
          {
            amount: '50.00', // 200.00 − (120.00 + 30.00)
            description: 'Technicians 2026: raised to the minimum of EUR 200.00 per period from EUR 150.00',
          },
        ],
        netCommission: '200.00',
        vatAmount: '38.00', // 200.00 × 0.19
        payableAmount: '238.00',
      },
    ],
  },
];

let taxRules: TaxRuleSet;

beforeAll(async () => {
  taxRules = parseTaxRuleSet(await readFile(path.join(projectRoot(), 'data', 'tax-rates.json'), 'utf8'));
});

async function readPlanSources(files: readonly string[]) {
  return Promise.all(
    files.map(async (file) => ({ file, text: await readFile(path.join(projectRoot(), file), 'utf8') })),
  );
}

async function simulate(run: SimulateArguments): Promise<SimulationResult> {
  return runWhatIf({
    drafts: await readPlanSources(run.plans),
    active: await readPlanSources(run.active),
    records: await readSalesforceRecordsFile(path.join(projectRoot(), run.orders)),
    period: run.period,
    partnerId: run.partnerId,
    taxRules,
  });
}

/** A documented command and the output block that follows it in the guide. */
interface DocumentedRun {
  command: string;
  arguments: SimulateArguments;
  output: string;
}

/** Parses the options of a documented `incentra simulate` command. Throws on options that the test does not run. */
function parseSimulateCommand(command: string): SimulateArguments {
  const [program, subcommand, ...tokens] = command.split(/\s+/).filter((token) => token !== '');
  if (program !== 'incentra' || subcommand !== 'simulate') {
    throw new Error(`not an incentra simulate command: ${command}`);
  }
  const parsed: SimulateArguments = { plans: [], active: [], orders: '', period: '' };
  for (let index = 0; index < tokens.length; index += 2) {
    const option = tokens[index];
    const value = tokens[index + 1];
    if (value === undefined) throw new Error(`option ${option} has no value in: ${command}`);
    switch (option) {
      case '--plan':
        parsed.plans.push(value);
        break;
      case '--active':
        parsed.active.push(value);
        break;
      case '--orders':
        parsed.orders = value;
        break;
      case '--period':
        parsed.period = value;
        break;
      case '--partner':
        parsed.partnerId = value;
        break;
      default:
        throw new Error(
          `unsupported option ${option} in: ${command}; use --plan, --active, --orders, --period or --partner`,
        );
    }
  }
  return parsed;
}

/**
 * Returns each `sh` block of the guide that runs `incentra simulate`, with the `text` block that
 * must follow it. Lines ending in a backslash continue on the next line, as in a shell.
 */
function extractDocumentedRuns(markdown: string): DocumentedRun[] {
  const blocks = [...markdown.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map((match) => ({
    language: match[1] ?? '',
    content: match[2] ?? '',
  }));
  const runs: DocumentedRun[] = [];
  blocks.forEach((block, index) => {
    if (block.language !== 'sh' || !block.content.startsWith('incentra simulate')) return;
    const command = block.content.replace(/\\\n/g, ' ').trim();
    const next = blocks[index + 1];
    if (next?.language !== 'text') {
      throw new Error(`the command "${command}" in docs/plans.md is not followed by a text block with its output`);
    }
    runs.push({ command, arguments: parseSimulateCommand(command), output: next.content });
  });
  return runs;
}

describe('plan guide examples', () => {
  it.each(EXAMPLES)('$name orders map without rejected events', async (example) => {
    const records = await readSalesforceRecordsFile(path.join(projectRoot(), example.orders));

    expect(buildOrdersFromRecords(records).rejected).toEqual([]);
  });

  it.each(EXAMPLES)('$name pays the hand-computed lines', async (example) => {
    const result = await simulate({ plans: example.plans, active: [], orders: example.orders, period: PERIOD });

    expect(result.warnings).toEqual([]);
    expect(result.partners.map((partner) => partner.partnerId)).toEqual(
      example.statements.map((statement) => statement.partnerId),
    );
    for (const expected of example.statements) {
      const partner = result.partners.find((candidate) => candidate.partnerId === expected.partnerId);
      const lines = partner?.lines.map((line) => ({
        ...(line.orderNumber === undefined ? {} : { orderNumber: line.orderNumber }),
        amount: line.amount,
        description: line.description,
      }));

      expect(lines, expected.partnerId).toEqual(expected.lines);
      expect(partner?.draft.lines, expected.partnerId).toBe(expected.lines.length);
      expect(partner?.draft.netCommission, expected.partnerId).toBe(expected.netCommission);
      expect(partner?.draft.vatAmount, expected.partnerId).toBe(expected.vatAmount);
      expect(partner?.draft.payableAmount, expected.partnerId).toBe(expected.payableAmount);
      expect(partner?.active.netCommission, expected.partnerId).toBe('0.00');
    }
  });

  it('hand-computed nets equal the sums of their lines', () => {
    for (const example of EXAMPLES) {
      for (const statement of example.statements) {
        const cents = statement.lines.reduce((sum, line) => sum + Math.round(Number(line.amount) * 100), 0);

        expect((cents / 100).toFixed(2), statement.partnerId).toBe(statement.netCommission);
      }
    }
  });

  it('agency example totals over all partners', async () => {
    const result = await simulate({
      plans: AGENCY_PLANS,
      active: [],
      orders: 'examples/orders/agency.json',
      period: PERIOD,
    });

    expect(result.totals.draft.lines).toBe(11);
    expect(result.totals.draft.netCommission).toBe('453.00'); // 153.00 + 72.00 + 228.00
    expect(result.totals.draft.payableAmount).toBe('539.07'); // 182.07 + 85.68 + 271.32
  });

  it('draft technician minimum against the active plan', async () => {
    const result = await simulate({
      plans: ['examples/drafts/technicians.plan.yaml'],
      active: ['examples/plans/technicians.plan.yaml'],
      orders: 'examples/orders/technician.json',
      period: PERIOD,
      partnerId: 'P00500',
    });
    const [partner] = result.partners;

    expect(result.partners).toHaveLength(1);
    expect(partner?.lines.at(-1)?.amount).toBe('100.00'); // 250.00 − 150.00
    expect(partner?.draft.netCommission).toBe('250.00');
    expect(partner?.active.netCommission).toBe('200.00');
    expect(partner?.difference.netCommission).toBe('50.00');
    expect(partner?.difference.payableAmount).toBe('59.50'); // 50.00 × 1.19
  });

  describe('docs/plans.md', () => {
    let runs: DocumentedRun[];

    beforeAll(async () => {
      runs = extractDocumentedRuns(await readFile(GUIDE, 'utf8'));
    });

    it('shows a command for every example statement', () => {
      for (const example of EXAMPLES) {
        for (const statement of example.statements) {
          const hasCommand = runs.some(
            (run) =>
              run.arguments.orders === example.orders &&
              run.arguments.partnerId === statement.partnerId &&
              run.arguments.active.length === 0 &&
              [...run.arguments.plans].sort().join() === [...example.plans].sort().join(),
          );

          expect(hasCommand, `${example.name}, partner ${statement.partnerId}`).toBe(true);
        }
      }
    });

    it('shows the output each command prints', async () => {
      expect(runs.length).toBeGreaterThan(0);
      for (const run of runs) {
        const result = await simulate(run.arguments);
        const printed = formatSimulationTable(result, run.arguments.partnerId !== undefined);

        expect(run.output, run.command).toBe(printed);
      }
    });
  });
});
