/**
 * Creates the Temporal worker that runs the payPeriod workflow and its activities.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LogLevel, LogMetadata, Logger as SdkLogger } from '@temporalio/common';
import {
  Runtime,
  Worker,
  bundleWorkflowCode,
  type BundleOptions,
  type NativeConnection,
  type WorkflowBundle,
} from '@temporalio/worker';
import type { PayPeriodActivities } from '../activities/types.js';
import type { Logger } from '../config/logger.js';

/** Options of {@link createWorker}. */
export interface CreateWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  activities: PayPeriodActivities;
  /** Receives the worker's start-up and bundling messages. */
  logger: Logger;
  /** A bundle from {@link bundlePayPeriodWorkflows}, reused to skip bundling; the workflows are bundled when unset. */
  workflowBundle?: WorkflowBundle;
}

/**
 * Returns the path of the workflows entry module next to this module: `workflows/index.ts` when running from
 * the TypeScript sources (vitest, tsx), `dist/workflows/index.js` after `tsc`.
 * Throws when neither exists.
 */
export function payPeriodWorkflowsPath(): string {
  const workflowsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'workflows');
  const candidates = [path.join(workflowsDir, 'index.ts'), path.join(workflowsDir, 'index.js')];
  const found = candidates.find((candidate) => existsSync(candidate));
  if (!found) throw new Error(`the workflows entry module was not found (searched: ${candidates.join(', ')})`);
  return found;
}

/**
 * Adds `resolve.extensionAlias` to the webpack configuration of the workflow bundler, so that the `.js`
 * suffixes of ESM imports resolve to `.ts` sources first and to compiled `.js` files otherwise.
 */
export const webpackConfigHook: NonNullable<BundleOptions['webpackConfigHook']> = (config) => ({
  ...config,
  resolve: {
    ...config.resolve,
    extensionAlias: { ...config.resolve?.extensionAlias, '.js': ['.ts', '.js'] },
  },
});

/**
 * Bundles the workflows with webpack. Pass the result to {@link createWorker} or `Worker.runReplayHistory` to
 * bundle once for several workers.
 */
export async function bundlePayPeriodWorkflows(logger?: Logger): Promise<WorkflowBundle> {
  return bundleWorkflowCode({
    workflowsPath: payPeriodWorkflowsPath(),
    webpackConfigHook,
    ...(logger ? { logger: createSdkLogger(logger.child({ component: 'workflow-bundler' })) } : {}),
  });
}

const PINO_METHODS = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' } as const;

/**
 * Adapts a pino logger to the Temporal SDK's Logger interface. An `error` field holding an Error is passed to
 * pino as `err`, so that pino's error serializer records its message and stack.
 */
export function createSdkLogger(logger: Logger): SdkLogger {
  const write = (level: LogLevel, message: string, meta?: LogMetadata): void => {
    const fields: Record<string, unknown> = { ...meta };
    if (fields.error instanceof Error) {
      fields.err = fields.error;
      delete fields.error;
    }
    logger[PINO_METHODS[level]](fields, message);
  };
  return {
    log: write,
    trace: (message, meta) => write('TRACE', message, meta),
    debug: (message, meta) => write('DEBUG', message, meta),
    info: (message, meta) => write('INFO', message, meta),
    warn: (message, meta) => write('WARN', message, meta),
    error: (message, meta) => write('ERROR', message, meta),
  };
}

/**
 * Installs the Temporal runtime with `logger`, so that SDK messages, workflow `log` calls, activity
 * `Context.log` calls and the native core's warnings and errors go through pino. The runtime is created once
 * per process, by the first NativeConnection or by this call, so call it before connecting.
 * Returns false, and changes nothing, when the runtime exists.
 */
export function installRuntimeLogger(logger: Logger): boolean {
  if (Runtime.instantiator !== undefined) return false;
  Runtime.install({
    logger: createSdkLogger(logger.child({ component: 'temporal' })),
    telemetryOptions: { logging: { filter: { core: 'WARN', other: 'ERROR' }, forward: {} } },
  });
  return true;
}

/**
 * Creates a worker for the payPeriod workflow and the given activities on `taskQueue`. Bundles the workflows
 * unless `workflowBundle` is given. The caller runs it with `worker.run()` and stops it with `worker.shutdown()`.
 * Messages of the SDK itself go to the Temporal runtime's logger, which is pino only after
 * {@link installRuntimeLogger}; otherwise the SDK's default logger writes them to stderr.
 */
export async function createWorker(options: CreateWorkerOptions): Promise<Worker> {
  const { connection, namespace, taskQueue, activities, logger } = options;
  if (Runtime.instantiator !== 'install') {
    logger.debug('the Temporal runtime was not installed with installRuntimeLogger; SDK messages go to stderr');
  }

  const workflowBundle = options.workflowBundle ?? (await bundlePayPeriodWorkflows(logger));
  const worker = await Worker.create({ connection, namespace, taskQueue, activities, workflowBundle });
  logger.info({ namespace, taskQueue }, 'Temporal worker created');
  return worker;
}
