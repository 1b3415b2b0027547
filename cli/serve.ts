import { createActivities } from '../activities/index.js';
import { createApp } from '../api/app.js';
import { startApiServer } from '../api/server.js';
import { PayPeriodClient } from '../client/pay-period-client.js';
import { loadConfig, type Config } from '../config/config.js';
import { createLogger, type Logger } from '../config/logger.js';
import { renderStatementPdf } from '../integrations/documents/statement-pdf.js';
import { startEmbeddedPostgres } from '../embedded/postgres.js';
import { applyMigrations } from '../store/migrate.js';
import { loadStatementForInvoice } from '../store/statements.js';
import { createWorker, installRuntimeLogger } from '../worker/worker.js';
import { companyFor, loadCompanies, toPrincipal } from '../config/companies.js';
import { createActivityDependencies } from './context.js';
import { connectWorker, startServices, type Services } from './runtime.js';

export interface RunningIncentra {
  services: Services;
  apiUrl?: string;
  payPeriods: PayPeriodClient;
  /** Stops the API, the worker and the services this process started. */
  stop(): Promise<void>;
}

/**
 * Starts the services (embedded where not configured), the worker and the HTTP API in this process.
 * Throws ConfigError for invalid settings; on any start-up failure, stops what was started.
 */
export async function startIncentra(
  config: Config,
  logger: Logger,
  parts: { worker: boolean; api: boolean },
): Promise<RunningIncentra> {
  const services = await startServices(config, logger);
  const stops: Array<() => Promise<void>> = [() => services.stop()];
  const stop = async () => {
    // Every step runs even when an earlier one fails, so no embedded server is left behind.
    for (const step of stops.reverse()) {
      await step().catch((error: unknown) => logger.error({ err: error }, 'a shutdown step failed'));
    }
  };

  try {
    const payPeriods = new PayPeriodClient(services.temporalClient, config.temporal.taskQueue);
    const dependencies = await createActivityDependencies(config, services, logger);
    stops.push(async () => dependencies.mailer.close());

    if (parts.worker) {
      // Routes the Temporal SDK's own logs through pino; it must run before the first NativeConnection.
      installRuntimeLogger(logger);
      const connection = await connectWorker(services.temporalAddress);
      const worker = await createWorker({
        connection,
        namespace: config.temporal.namespace,
        taskQueue: config.temporal.taskQueue,
        activities: createActivities(dependencies),
        logger,
      });
      const running = worker.run();
      stops.push(async () => {
        // The SDK's runtime may have begun the shutdown itself on SIGINT or SIGTERM.
        if (worker.getState() === 'RUNNING') worker.shutdown();
        await running;
        await connection.close();
      });
      logger.info({ taskQueue: config.temporal.taskQueue }, 'worker started');
    }

    let apiUrl: string | undefined;
    if (parts.api) {
      const companies = await loadCompanies(config.companiesFile);
      const app = createApp({
        prisma: services.prisma,
        payPeriods,
        apiKeys: config.apiKeys,
        logger,
        taxRules: dependencies.taxRules,
        renderPdf: async (statementId: string) =>
          renderStatementPdf(
            await loadStatementForInvoice(services.prisma, statementId, (partner) =>
              toPrincipal(companyFor(companies, partner)),
            ),
          ),
      });
      const server = await startApiServer({ app, host: config.http.host, port: config.http.port, logger });
      stops.push(() => server.close());
      apiUrl = server.url;
    }

    return { services, apiUrl, payPeriods, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Runs the worker and/or the API until SIGINT or SIGTERM. */
export async function runServe(parts: { worker: boolean; api: boolean }): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  if (parts.api && config.apiKeys.length === 0) {
    logger.warn('INCENTRA_API_KEYS is not set: every API request except /health and /openapi.json gets 401');
  }
  const running = await startIncentra(config, logger, parts);
  logger.info(
    { apiUrl: running.apiUrl, temporalUi: running.services.temporalUiUrl, temporal: running.services.temporalAddress },
    'incentra is running; press Ctrl+C to stop',
  );
  await waitForSignal();
  logger.info('stopping');
  await running.stop();
}

/** Applies pending migrations to the configured database and exits. */
export async function runMigrate(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  if (config.database.url) {
    const applied = await applyMigrations(config.database.url, logger);
    logger.info({ applied }, 'migrations applied');
    return;
  }
  const postgres = await startEmbeddedPostgres({
    dataDir: config.database.embeddedDir,
    port: config.database.embeddedPort,
    logger,
  });
  try {
    const applied = await applyMigrations(postgres.url, logger);
    logger.info({ applied }, 'migrations applied to the embedded PostgreSQL');
  } finally {
    await postgres.stop();
  }
}

function waitForSignal(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}
