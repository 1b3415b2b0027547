/**
 * Temporal test environments for the workflow tests, started from the binaries that scripts/setup.sh installs
 * (the SDK's own download needs internet access), with Incentra's search attributes registered.
 */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { pino, type Logger } from 'pino';
import { findTemporalBinary } from '../../embedded/temporal.js';
import {
  PERIOD_SEARCH_ATTRIBUTE,
  SEARCH_ATTRIBUTES,
  STAGE_SEARCH_ATTRIBUTE,
} from '../../workflows/search-attributes.js';

// IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD of the Temporal API.
const KEYWORD = 2;

/**
 * Starts the time-skipping test server and registers the search attributes, which its workflows cannot
 * upsert otherwise.
 */
export async function startTimeSkippingEnvironment(): Promise<TestWorkflowEnvironment> {
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: findTemporalBinary('temporal-test-server') } },
  });
  await env.connection.operatorService.addSearchAttributes({
    namespace: 'default',
    searchAttributes: Object.fromEntries(Object.keys(SEARCH_ATTRIBUTES).map((name) => [name, KEYWORD])),
  });
  return env;
}

/** Starts the Temporal CLI dev server on 127.0.0.1 with the search attributes and any extra CLI arguments. */
export async function startDevServerEnvironment(extraArgs: string[] = []): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: findTemporalBinary('temporal') },
      ip: '127.0.0.1',
      searchAttributes: [PERIOD_SEARCH_ATTRIBUTE, STAGE_SEARCH_ATTRIBUTE],
      extraArgs,
    },
  });
}

/** Logger for workers under test; set TEST_LOG_LEVEL=debug to see their output. */
export function testLogger(): Logger {
  return pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
}
