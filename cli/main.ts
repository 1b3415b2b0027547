#!/usr/bin/env node
import { Command, InvalidArgumentError } from 'commander';
import { ConfigError } from '../config/config.js';

const program = new Command()
  .name('incentra')
  .description('Incentive compensation for energy utility sales and field-force partners, on Temporal.')
  .showHelpAfterError();

function positiveInteger(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed <= 0) throw new InvalidArgumentError('must be a positive whole number');
  return parsed;
}

function periodId(value: string): string {
  if (!/^20\d{2}-(0[1-9]|1[0-2])$/.test(value))
    throw new InvalidArgumentError('must be a month as YYYY-MM, e.g. 2026-11');
  return value;
}

program
  .command('demo')
  .description(
    'Run the main job on the embedded defaults: generate and load demo data, run one pay period to ' +
      'awaiting approval, approve it through the HTTP API, then post to SAP, render PDFs and send emails.',
  )
  .option('--period <YYYY-MM>', 'pay period to run', periodId, '2026-11')
  .option('--seed <n>', 'seed of the demo data generator', positiveInteger, 20_261)
  .option('--partners <n>', 'number of partners to generate', positiveInteger, 320)
  .option('--orders <n>', 'number of orders to generate', positiveInteger, 22_000)
  .option('--keep-running', 'keep the services, API and Temporal UI running after the period closes', false)
  .action(async (options) => {
    const { runDemo } = await import('./demo.js');
    await runDemo(options);
  });

program
  .command('serve')
  .description('Start the worker and the HTTP API, with embedded PostgreSQL, Temporal and SMTP where not configured.')
  .action(async () => {
    const { runServe } = await import('./serve.js');
    await runServe({ worker: true, api: true });
  });

program
  .command('worker')
  .description('Start only the Temporal worker (needs DATABASE_URL, TEMPORAL_ADDRESS and SMTP_URL in production).')
  .action(async () => {
    const { runServe } = await import('./serve.js');
    await runServe({ worker: true, api: false });
  });

program
  .command('api')
  .description('Start only the HTTP API.')
  .action(async () => {
    const { runServe } = await import('./serve.js');
    await runServe({ worker: false, api: true });
  });

const plan = program.command('plan').description('Check plan files and print their JSON Schema.');

plan
  .command('check')
  .description('Validate plan files (YAML or JSON); prints each problem as file:line:column: path: message.')
  .argument('<files...>', 'plan files to check')
  .action(async (files: string[]) => {
    const { runPlanCheck } = await import('./plan.js');
    process.exitCode = await runPlanCheck(files);
  });

plan
  .command('schema')
  .description('Print the JSON Schema of plan files (the same as docs/plan.schema.json).')
  .action(async () => {
    const { runPlanSchema } = await import('./plan.js');
    runPlanSchema();
  });

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function outputFormat(value: string): 'json' | 'table' {
  if (value !== 'json' && value !== 'table') throw new InvalidArgumentError('must be json or table');
  return value;
}

program
  .command('simulate')
  .description(
    'What-if run: compute the statements of a pay period under draft plan files from an orders file ' +
      '(Salesforce records), compare them with the active plans, and store nothing. Needs no server.',
  )
  .requiredOption('--plan <file>', 'draft plan file (YAML or JSON); repeat for several', collect, [])
  .requiredOption('--orders <file>', 'Salesforce records: one JSON file, or a folder written by the demo')
  .requiredOption('--period <YYYY-MM>', 'pay period to simulate', periodId)
  .option('--active <file>', 'plan file in force to compare against; repeat for several', collect, [])
  .option('--partner <id>', 'show only this partner, with its lines')
  .option('--format <format>', 'json or table', outputFormat, 'table')
  .action(async (options) => {
    const { runSimulate } = await import('./simulate.js');
    process.exitCode = await runSimulate(options);
  });

program
  .command('migrate')
  .description('Apply pending database migrations to DATABASE_URL (or the embedded PostgreSQL).')
  .action(async () => {
    const { runMigrate } = await import('./serve.js');
    await runMigrate();
  });

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof ConfigError) {
    process.stderr.write(`incentra: invalid configuration: ${error.message}\n`);
    process.exit(2);
  }
  if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    process.stderr.write(
      `incentra: ${(error as Error).message}. Another program uses this port: stop it, or choose other ports ` +
        'with HTTP_PORT, TEMPORAL_PORT, TEMPORAL_UI_PORT, EMBEDDED_POSTGRES_PORT or EMBEDDED_SMTP_PORT.\n',
    );
    process.exit(1);
  }
  process.stderr.write(`incentra: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
}
