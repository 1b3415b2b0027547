import { defineConfig } from 'prisma/config';

// Only `prisma generate`, `validate` and `format` run through this file; migrations are applied by
// `incentra migrate` (store/migrate.ts), which runs the committed SQL through the pg driver.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost:5432/incentra' },
});
