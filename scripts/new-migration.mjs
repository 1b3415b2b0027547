// Writes prisma/migrations/<timestamp>_<name>/migration.sql with the SQL that brings a database at the
// latest committed migration to prisma/schema.prisma. Development tool; needs the npm registry.
//
// Prisma 7's `migrate` commands need a native schema engine that is downloaded from Prisma's own
// server, which is not always reachable. Prisma 6.19 with a driver adapter (`engine: 'js'`) runs
// `migrate diff` on its WASM engine instead, so this script installs it into .tools/prisma6 and diffs
// the datamodel kept with the latest migration (its schema.prisma) against prisma/schema.prisma. The
// adapter needs a reachable database, so the script starts a scratch embedded PostgreSQL and checks
// there that the committed migrations apply.
//
// Usage: node scripts/new-migration.mjs <name>     (run `npm run build` first)
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, mkdtempSync, readFileSync, writeFileSync, chmodSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error('usage: node scripts/new-migration.mjs <name>   (name: lower-case letters, digits and _)');
  process.exit(2);
}

const tools = path.join(root, '.tools', 'prisma6');
if (!existsSync(path.join(tools, 'node_modules', 'prisma'))) {
  mkdirSync(tools, { recursive: true });
  writeFileSync(path.join(tools, 'package.json'), '{"private":true}\n');
  execFileSync('npm', ['install', '--no-audit', '--no-fund', 'prisma@6.19', '@prisma/adapter-pg@6.19'], {
    cwd: tools,
    stdio: 'inherit',
  });
}

const { startEmbeddedPostgres } = await import(path.join(root, 'dist', 'embedded', 'postgres.js'));
const { applyMigrations } = await import(path.join(root, 'dist', 'store', 'migrate.js'));

const scratch = mkdtempSync(path.join(os.tmpdir(), 'incentra-migration-'));
chmodSync(scratch, 0o755);
const postgres = await startEmbeddedPostgres({ dataDir: path.join(scratch, 'pg'), port: 54_399, database: 'diff' });
try {
  await applyMigrations(postgres.url);

  // Prisma 6 wants the URL in the schema and the old generator name; the models are unchanged.
  const schema = readFileSync(path.join(root, 'prisma', 'schema.prisma'), 'utf8')
    .replace(
      /generator client \{[^}]*\}/s,
      'generator client {\n  provider = "prisma-client-js"\n  previewFeatures = ["driverAdapters"]\n  engineType = "client"\n}',
    )
    .replace(/datasource db \{[^}]*\}/s, 'datasource db {\n  provider = "postgresql"\n  url = env("DATABASE_URL")\n}');
  writeFileSync(path.join(tools, 'schema.prisma'), schema);
  writeFileSync(
    path.join(tools, 'prisma.config.ts'),
    `import { defineConfig } from 'prisma/config';
export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: 'schema.prisma',
  async adapter() {
    const { PrismaPg } = await import('@prisma/adapter-pg');
    return new PrismaPg({ connectionString: process.env.DATABASE_URL });
  },
});
`,
  );

  // Each migration folder keeps the datamodel it produced (schema.prisma, a copy in Prisma 6 form),
  // which is the starting point of the next diff. Prisma 6 cannot replay migrations on a shadow
  // database through a driver adapter, so this snapshot replaces `--from-migrations`.
  const committed = readdirSync(path.join(root, 'prisma', 'migrations'))
    .filter((entry) => /^\d{14}_/.test(entry))
    .sort();
  const latest = committed.at(-1);
  const fromArguments = latest
    ? ['--from-schema-datamodel', path.join(root, 'prisma', 'migrations', latest, 'schema.prisma')]
    : ['--from-empty'];
  const diff = spawnSync(
    process.execPath,
    [
      path.join(tools, 'node_modules', 'prisma', 'build', 'index.js'),
      'migrate',
      'diff',
      ...fromArguments,
      '--to-schema-datamodel',
      'schema.prisma',
      '--script',
    ],
    { cwd: tools, env: { ...process.env, DATABASE_URL: postgres.url, CHECKPOINT_DISABLE: '1' }, encoding: 'utf8' },
  );
  if (diff.status !== 0) {
    console.error(diff.stderr);
    process.exit(1);
  }
  if (diff.stdout.includes('This is an empty migration') || diff.stdout.trim() === '') {
    console.log('the schema matches the migrations; nothing to write');
  } else {
    const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
    const dir = path.join(root, 'prisma', 'migrations', `${stamp}_${name}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'migration.sql'), diff.stdout);
    writeFileSync(path.join(dir, 'schema.prisma'), schema);
    console.log(`wrote ${path.relative(root, dir)}/migration.sql`);
  }
} finally {
  await postgres.stop();
}
