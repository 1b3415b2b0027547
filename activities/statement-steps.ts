import { Context } from '@temporalio/activity';
import type { StatementStepResult } from './types.js';

/**
 * Runs `handle` for each statement in order, heartbeating after each one with the count done. Before
 * each statement it checks for cancellation (delivered on a heartbeat, for example after a heartbeat
 * timeout) and stops by throwing, so an attempt the server has given up on does not work beside its retry.
 * NOTE: the statement in progress when the cancellation arrives still completes; the idempotency checks of
 * the next attempt then skip it.
 */
export async function forEachStatement(
  statementIds: readonly string[],
  handle: (statementId: string) => Promise<StatementStepResult>,
): Promise<StatementStepResult[]> {
  const context = Context.current();
  const results: StatementStepResult[] = [];
  for (const statementId of statementIds) {
    context.cancellationSignal.throwIfAborted();
    results.push(await handle(statementId));
    context.heartbeat({ done: results.length, last: statementId });
  }
  return results;
}
