import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseApiKeys, projectRoot } from '../../config/config.js';

function configError(environment: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(environment);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('loadConfig accepted an invalid environment');
}

describe('loadConfig', () => {
  it('uses embedded defaults when nothing is set', () => {
    const config = loadConfig({});

    expect(config.database.url).toBeUndefined();
    expect(config.temporal.address).toBeUndefined();
    expect(config.mail.smtpUrl).toBeUndefined();
    expect(config.temporal.taskQueue).toBe('incentra');
    expect(config.http.port).toBe(3000);
    expect(config.apiKeys).toEqual([]);
  });

  it.each([
    ['DATABASE_URL', 'mysql://db/incentra'],
    ['TEMPORAL_ADDRESS', 'http://temporal:7233'],
    ['SMTP_URL', 'mail.example.com:25'],
    ['HTTP_PORT', '70000'],
    ['SAP_GATEWAY', 'rfc'],
    ['LOG_LEVEL', 'verbose'],
  ])('names %s when it is invalid', (setting, value) => {
    const error = configError({ [setting]: value });

    expect(error.setting).toBe(setting);
    expect(error.message).toContain(setting);
    expect(error.message).toContain(value);
  });
});

describe('parseApiKeys', () => {
  it('reads roles, actors and partner ids', () => {
    const keys = parseApiKeys(
      'admin-key-0123456789=admin,approver-key-0123456=approver:alice,partner-key-01234567=partner:P00042',
    );

    expect(keys).toEqual([
      { key: 'admin-key-0123456789', role: 'admin', actor: 'admin' },
      { key: 'approver-key-0123456', role: 'approver', actor: 'alice' },
      { key: 'partner-key-01234567', role: 'partner', actor: 'P00042', partnerId: 'P00042' },
    ]);
  });

  it.each([
    ['short=admin', 'shorter than 16 characters'],
    ['approver-key-0123456=auditor', 'entry 1 is invalid'],
    ['partner-key-01234567=partner', 'without a partner id'],
    ['admin-key-0123456789=admin,admin-key-0123456789=approver', 'appears twice'],
  ])('rejects %s', (value, message) => {
    expect(() => parseApiKeys(value)).toThrow(message);
  });
});

describe('incentra command', () => {
  it('stops with the invalid setting named', () => {
    const tsx = path.join(projectRoot(), 'node_modules', '.bin', 'tsx');
    const result = spawnSync(tsx, [path.join(projectRoot(), 'cli', 'main.ts'), 'migrate'], {
      env: { ...process.env, DATABASE_URL: 'mysql://db/incentra' },
      encoding: 'utf8',
      timeout: 60_000,
    });

    expect(result.status).toBe(2);
    expect(result.stderr).toContain('DATABASE_URL');
    expect(result.stderr).toContain('postgresql://');
  });
});

describe('configuration errors', () => {
  it('hide the password of an invalid URL', () => {
    const error = configError({ DATABASE_URL: 'postgress://incentra:s3cret@db:5432/incentra' });

    expect(error.message).toContain('postgress://incentra:***@db:5432/incentra');
    expect(error.message).not.toContain('s3cret');
  });
});
