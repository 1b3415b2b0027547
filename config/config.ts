import path from 'node:path';
import { z } from 'zod';

/** Roles an API key can carry. A partner key is bound to one partner id. */
export const API_ROLES = ['admin', 'approver', 'partner'] as const;
export type ApiRole = (typeof API_ROLES)[number];

export interface ApiKey {
  key: string;
  role: ApiRole;
  /** Actor recorded with approvals: the name after the role, or the role itself. */
  actor: string;
  /** Partner id, for partner keys only. */
  partnerId?: string;
}

/** Raised when a setting is missing or invalid; the message names the setting and the fix. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly setting: string,
    message: string,
  ) {
    super(`${setting}: ${message}`);
  }
}

const port = z.coerce.number().int().min(0).max(65_535);
// The embedded PostgreSQL and Temporal build their addresses from the setting, so 0 (any free port) is not allowed.
const fixedPort = z.coerce.number().int().min(1).max(65_535);

const environmentSchema = z.object({
  INCENTRA_DATA_DIR: z.string().min(1).default('.incentra'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// connection URL')
    .optional(),
  EMBEDDED_POSTGRES_PORT: fixedPort.default(54_329),
  TEMPORAL_ADDRESS: z
    .string()
    .regex(/^[^:/\s]+:\d+$/, 'must be host:port, for example 127.0.0.1:7233')
    .optional(),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('incentra'),
  TEMPORAL_CLI_PATH: z.string().min(1).optional(),
  TEMPORAL_PORT: fixedPort.default(7233),
  TEMPORAL_UI_PORT: fixedPort.default(8233),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
    .optional(),
  EMBEDDED_SMTP_PORT: port.default(2525),
  MAIL_FROM: z.string().min(3).default('Incentra Statements <statements@incentra.local>'),
  SAP_GATEWAY: z
    .enum(['local'], { message: "must be 'local' (the RFC and OData gateways are not built yet)" })
    .default('local'),
  HTTP_HOST: z.string().min(1).default('127.0.0.1'),
  HTTP_PORT: port.default(3000),
  INCENTRA_API_KEYS: z.string().optional(),
  INCENTRA_COMPANIES_FILE: z.string().optional(),
  INCENTRA_TAX_RATES_FILE: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export interface Config {
  dataDir: string;
  database: { url?: string; embeddedPort: number; embeddedDir: string };
  temporal: {
    address?: string;
    namespace: string;
    taskQueue: string;
    cliPath?: string;
    port: number;
    uiPort: number;
    dbFile: string;
  };
  mail: { smtpUrl?: string; embeddedPort: number; outboxDir: string; from: string };
  sap: { gateway: 'local'; recordsDir: string };
  documents: { dir: string };
  http: { host: string; port: number };
  apiKeys: ApiKey[];
  companiesFile: string;
  taxRatesFile: string;
  logLevel: z.infer<typeof environmentSchema>['LOG_LEVEL'];
}

/** Project root: two levels above this file, both from `config/` in the sources and `dist/config/`. */
export function projectRoot(): string {
  const here = path.dirname(new URL(import.meta.url).pathname);
  const parent = path.resolve(here, '..');
  return path.basename(parent) === 'dist' ? path.resolve(parent, '..') : parent;
}

/**
 * Parses `INCENTRA_API_KEYS`: comma-separated entries `key=role[:name]`, where a partner entry
 * names its partner id (`k3=partner:P00001`). Keys must be at least 16 characters.
 * Throws ConfigError naming the entry that is invalid.
 */
export function parseApiKeys(value: string | undefined): ApiKey[] {
  if (value === undefined || value.trim() === '') return [];

  const keys: ApiKey[] = [];
  for (const [index, entry] of value.split(',').entries()) {
    const match = /^\s*([^=\s]+)=(admin|approver|partner)(?::([^\s,]+))?\s*$/.exec(entry);
    if (!match) {
      throw new ConfigError(
        'INCENTRA_API_KEYS',
        `entry ${index + 1} is invalid; write key=role[:name] with role admin, approver or partner`,
      );
    }
    const [, key = '', role, name] = match;
    if (key.length < 16) {
      throw new ConfigError('INCENTRA_API_KEYS', `entry ${index + 1} has a key shorter than 16 characters`);
    }
    if (role === 'partner' && !name) {
      throw new ConfigError(
        'INCENTRA_API_KEYS',
        `entry ${index + 1} is a partner key without a partner id (key=partner:P00001)`,
      );
    }
    keys.push({ key, role: role as ApiRole, actor: name ?? role!, ...(role === 'partner' ? { partnerId: name } : {}) });
  }

  const seen = new Set<string>();
  for (const apiKey of keys) {
    if (seen.has(apiKey.key)) throw new ConfigError('INCENTRA_API_KEYS', 'the same key appears twice');
    seen.add(apiKey.key);
  }
  return keys;
}

/** Replaces the password of a URL-like value (`scheme://user:password@host`) with `***`. */
function redactPassword(value: string | undefined): string | undefined {
  return value?.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@\s]*):[^@/\s]*@/i, '$1:***@');
}

/**
 * Reads and validates the configuration from environment variables. Unset optional services
 * (DATABASE_URL, TEMPORAL_ADDRESS, SMTP_URL) mean the embedded default is used.
 * Throws ConfigError naming the first invalid setting.
 */
export function loadConfig(environment: NodeJS.ProcessEnv = process.env): Config {
  const parsed = environmentSchema.safeParse(environment);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const setting = String(issue.path[0] ?? 'environment');
    throw new ConfigError(
      setting,
      `${issue.message} (value: ${JSON.stringify(redactPassword(environment[setting]) ?? null)})`,
    );
  }
  const settings = parsed.data;
  const root = projectRoot();
  const dataDir = path.resolve(settings.INCENTRA_DATA_DIR);

  return {
    dataDir,
    database: {
      url: settings.DATABASE_URL,
      embeddedPort: settings.EMBEDDED_POSTGRES_PORT,
      embeddedDir: path.join(dataDir, 'postgres'),
    },
    temporal: {
      address: settings.TEMPORAL_ADDRESS,
      namespace: settings.TEMPORAL_NAMESPACE,
      taskQueue: settings.TEMPORAL_TASK_QUEUE,
      cliPath: settings.TEMPORAL_CLI_PATH,
      port: settings.TEMPORAL_PORT,
      uiPort: settings.TEMPORAL_UI_PORT,
      dbFile: path.join(dataDir, 'temporal', 'temporal.db'),
    },
    mail: {
      smtpUrl: settings.SMTP_URL,
      embeddedPort: settings.EMBEDDED_SMTP_PORT,
      outboxDir: path.join(dataDir, 'outbox'),
      from: settings.MAIL_FROM,
    },
    sap: { gateway: settings.SAP_GATEWAY, recordsDir: path.join(dataDir, 'sap') },
    documents: { dir: path.join(dataDir, 'documents') },
    http: { host: settings.HTTP_HOST, port: settings.HTTP_PORT },
    apiKeys: parseApiKeys(settings.INCENTRA_API_KEYS),
    companiesFile: path.resolve(settings.INCENTRA_COMPANIES_FILE ?? path.join(root, 'data', 'companies.json')),
    taxRatesFile: path.resolve(settings.INCENTRA_TAX_RATES_FILE ?? path.join(root, 'data', 'tax-rates.json')),
    logLevel: settings.LOG_LEVEL,
  };
}
