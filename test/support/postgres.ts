import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres, type RunningPostgres } from '../../embedded/postgres.js';
import { applyMigrations } from '../../store/migrate.js';
import { createPrismaClient, type PrismaClient } from '../../store/prisma.js';
import { freePort } from './ports.js';

export interface TestDatabase {
  url: string;
  prisma: PrismaClient;
  stop(): Promise<void>;
}

/**
 * Starts a fresh embedded PostgreSQL in a temporary folder on a free port, applies the committed
 * migrations and returns a Prisma client. `stop()` disconnects, stops the server and deletes the folder.
 */
export async function startTestDatabase(): Promise<TestDatabase> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'incentra-test-pg-'));
  await chmod(dir, 0o755);
  const postgres: RunningPostgres = await startEmbeddedPostgres({
    dataDir: path.join(dir, 'data'),
    port: await freePort(),
    database: 'incentra_test',
  });
  await applyMigrations(postgres.url);
  const prisma = createPrismaClient(postgres.url);

  return {
    url: postgres.url,
    prisma,
    async stop() {
      await prisma.$disconnect();
      await postgres.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
