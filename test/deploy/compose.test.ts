import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../config/config.js';

/** `docker compose` (plugin) or `docker-compose` (standalone), whichever parses files on this machine. */
function composeCommand(): string[] | undefined {
  for (const command of [['docker', 'compose'], ['docker-compose']]) {
    const probe = spawnSync(command[0]!, [...command.slice(1), 'version'], { encoding: 'utf8' });
    if (probe.status === 0) return command;
  }
  return undefined;
}

const compose = composeCommand();

describe('docker-compose.yml', () => {
  it.runIf(compose)('parses with the compose tool', () => {
    const result = spawnSync(
      compose![0]!,
      [...compose!.slice(1), '-f', path.join(projectRoot(), 'docker-compose.yml'), 'config'],
      {
        encoding: 'utf8',
        env: { ...process.env, INCENTRA_API_KEYS: 'compose-admin-key-0123=admin' },
      },
    );

    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    for (const service of ['postgres', 'temporal', 'temporal-ui', 'mailpit', 'api', 'worker']) {
      expect(result.stdout).toContain(`  ${service}:`);
    }
  });

  it.runIf(compose)('refuses to start without API keys', () => {
    const environment = { ...process.env };
    delete environment.INCENTRA_API_KEYS;
    const result = spawnSync(
      compose![0]!,
      [...compose!.slice(1), '-f', path.join(projectRoot(), 'docker-compose.yml'), 'config'],
      {
        encoding: 'utf8',
        env: environment,
      },
    );

    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('INCENTRA_API_KEYS');
  });
});
