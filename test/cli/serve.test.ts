import { spawn } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../config/config.js';
import { freePort } from '../support/ports.js';

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

async function waitForHealth(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${url}/health`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`${url}/health did not answer within ${timeoutMs} ms`);
}

describe('incentra serve', () => {
  let dir: string | undefined;

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('stops every embedded server on SIGTERM', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'incentra-serve-'));
    await chmod(dir, 0o755);
    const ports = {
      HTTP_PORT: await freePort(),
      TEMPORAL_PORT: await freePort(),
      TEMPORAL_UI_PORT: await freePort(),
      EMBEDDED_POSTGRES_PORT: await freePort(),
      EMBEDDED_SMTP_PORT: await freePort(),
    };
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(projectRoot(), 'cli', 'main.ts'), 'serve'], {
      env: {
        ...process.env,
        ...Object.fromEntries(Object.entries(ports).map(([name, port]) => [name, String(port)])),
        INCENTRA_DATA_DIR: dir,
        LOG_LEVEL: 'warn',
      },
      cwd: projectRoot(),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

    await waitForHealth(`http://127.0.0.1:${ports.HTTP_PORT}`, 120_000);
    child.kill('SIGTERM');
    const code = await exited;

    expect(stderr).not.toContain('IllegalStateError');
    expect(code).toBe(0);
    for (const [name, port] of Object.entries(ports)) {
      expect(await portIsFree(port), `${name} ${port}`).toBe(true);
    }
  }, 180_000);
});
