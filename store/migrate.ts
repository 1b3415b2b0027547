import { createHash, randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import type { Logger } from '../config/logger.js';
import { projectRoot } from '../config/config.js';

/** Folder of the committed migrations, in Prisma's layout `<timestamp>_<name>/migration.sql`. */
export const MIGRATIONS_DIR = path.join(projectRoot(), 'prisma', 'migrations');

/** Arbitrary constant key of the PostgreSQL advisory lock that serialises concurrent migrators. */
const MIGRATION_LOCK_KEY = 72_707_001;

/** Raised when a migration that was applied earlier has changed on disk since. */
export class MigrationChecksumError extends Error {
  override readonly name = 'MigrationChecksumError';
  constructor(readonly migration: string) {
    super(`migration ${migration} was changed after it was applied; restore the file and add a new migration instead`);
  }
}

/**
 * Applies every migration in `prisma/migrations` that the database has not recorded yet, each in its
 * own transaction, and records it in `_prisma_migrations` the way `prisma migrate deploy` does, so
 * both tools agree on the state. Returns the names of the migrations applied now.
 * Throws MigrationChecksumError when an applied migration's SQL differs from the file.
 */
export async function applyMigrations(databaseUrl: string, logger?: Logger, dir = MIGRATIONS_DIR): Promise<string[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    await ensureMigrationsTable(client);

    const applied = await client.query<{ migration_name: string; checksum: string }>(
      'SELECT migration_name, checksum FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
    );
    const appliedChecksums = new Map(applied.rows.map((row) => [row.migration_name, row.checksum]));

    const names = (await readdir(dir, { withFileTypes: true }))
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();

    const appliedNow: string[] = [];
    for (const name of names) {
      const sql = await readFile(path.join(dir, name, 'migration.sql'), 'utf8');
      const checksum = createHash('sha256').update(sql).digest('hex');
      const known = appliedChecksums.get(name);
      if (known !== undefined) {
        if (known !== checksum) throw new MigrationChecksumError(name);
        continue;
      }

      logger?.info({ migration: name }, 'applying migration');
      await applyOne(client, name, sql, checksum);
      appliedNow.push(name);
    }
    return appliedNow;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await client.end();
  }
}

async function ensureMigrationsTable(client: pg.Client): Promise<void> {
  // Same columns as the table `prisma migrate deploy` creates.
  await client.query(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id" VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum" VARCHAR(64) NOT NULL,
    "finished_at" TIMESTAMPTZ,
    "migration_name" VARCHAR(255) NOT NULL,
    "logs" TEXT,
    "rolled_back_at" TIMESTAMPTZ,
    "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count" INTEGER NOT NULL DEFAULT 0
  )`);
}

async function applyOne(client: pg.Client, name: string, sql: string, checksum: string): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query(sql);
    await client.query(
      `INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, started_at, applied_steps_count)
       VALUES ($1, $2, now(), $3, now(), 1)`,
      [randomUUID(), checksum, name],
    );
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw new Error(`migration ${name} failed and was rolled back: ${(error as Error).message}`, { cause: error });
  }
}
