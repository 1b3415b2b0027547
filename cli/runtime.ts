import { mkdir } from 'node:fs/promises';
import { NativeConnection } from '@temporalio/worker';
import type { Worker } from '@temporalio/worker';
import { Client, Connection } from '@temporalio/client';
import type { Config } from '../config/config.js';
import type { Logger } from '../config/logger.js';
import { startEmbeddedPostgres } from '../embedded/postgres.js';
import { startTemporalDevServer } from '../embedded/temporal.js';
import { applyMigrations } from '../store/migrate.js';
import { createPrismaClient, type PrismaClient } from '../store/prisma.js';

/** Connections to the services Incentra runs on, embedded or external. */
export interface Services {
  databaseUrl: string;
  prisma: PrismaClient;
  temporalAddress: string;
  /** Web UI address, when this process started the Temporal dev server. */
  temporalUiUrl?: string;
  temporalClient: Client;
  /** SMTP URL the mailer sends to. */
  smtpUrl: string;
  /** Folder of received messages, when this process started the embedded SMTP server. */
  outboxDir?: string;
  embedded: { postgres: boolean; temporal: boolean; smtp: boolean };
  /** Stops what this process started, in reverse order. */
  stop(): Promise<void>;
}

/**
 * Connects to PostgreSQL, Temporal and SMTP, starting the embedded default of each one that the
 * configuration leaves unset (DATABASE_URL, TEMPORAL_ADDRESS, SMTP_URL), and applies pending migrations.
 * On failure, stops whatever it had started before rethrowing.
 */
export async function startServices(config: Config, logger: Logger): Promise<Services> {
  const stops: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) {
      await stop().catch((error: unknown) => logger.error({ err: error }, 'failed to stop a service'));
    }
  };

  try {
    await mkdir(config.dataDir, { recursive: true });

    let databaseUrl = config.database.url;
    if (!databaseUrl) {
      const postgres = await startEmbeddedPostgres({
        dataDir: config.database.embeddedDir,
        port: config.database.embeddedPort,
        logger,
      });
      stops.push(() => postgres.stop());
      databaseUrl = postgres.url;
    }
    const applied = await applyMigrations(databaseUrl, logger);
    logger.info({ applied: applied.length }, 'database schema is up to date');
    const prisma = createPrismaClient(databaseUrl);
    stops.push(() => prisma.$disconnect());

    let temporalAddress = config.temporal.address;
    let temporalUiUrl: string | undefined;
    if (!temporalAddress) {
      const temporal = await startTemporalDevServer({
        cliPath: config.temporal.cliPath,
        port: config.temporal.port,
        uiPort: config.temporal.uiPort,
        dbFile: config.temporal.dbFile,
        namespace: config.temporal.namespace,
        logger,
      });
      stops.push(() => temporal.stop());
      temporalAddress = temporal.address;
      temporalUiUrl = temporal.uiUrl;
    }
    const connection = await Connection.connect({ address: temporalAddress });
    stops.push(() => connection.close());
    const temporalClient = new Client({ connection, namespace: config.temporal.namespace });

    let smtpUrl = config.mail.smtpUrl;
    let outboxDir: string | undefined;
    if (!smtpUrl) {
      const { startOutboxServer } = await import('../integrations/mail/outbox-server.js');
      const outbox = await startOutboxServer({
        host: '127.0.0.1',
        port: config.mail.embeddedPort,
        dir: config.mail.outboxDir,
      });
      stops.push(() => outbox.close());
      smtpUrl = `smtp://127.0.0.1:${outbox.port}`;
      outboxDir = config.mail.outboxDir;
      logger.info({ port: outbox.port, outboxDir }, 'embedded SMTP outbox started');
    }

    return {
      databaseUrl,
      prisma,
      temporalAddress,
      temporalUiUrl,
      temporalClient,
      smtpUrl,
      outboxDir,
      embedded: { postgres: !config.database.url, temporal: !config.temporal.address, smtp: !config.mail.smtpUrl },
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** Opens the worker's own connection to Temporal (workers need a NativeConnection). */
export function connectWorker(address: string): Promise<NativeConnection> {
  return NativeConnection.connect({ address });
}

export type { Worker };
