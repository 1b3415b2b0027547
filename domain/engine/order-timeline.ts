import type { OrderRecord, OrderState } from '../model.js';
import { parseIsoDateTime } from '../time.js';

const TERMINAL_STATES: ReadonlySet<OrderState> = new Set(['cancelled', 'rejected']);

/** An order with the first time it reached each state, as epoch milliseconds. */
export interface OrderTimeline {
  order: OrderRecord;
  /**
   * First time the order reached each state. Changes after the first terminal state (cancelled or
   * rejected) are ignored, because an ended order earns nothing more.
   */
  reachedAt: ReadonlyMap<OrderState, number>;
  /** First state change of the history, the clawback anchor of last resort. */
  firstChange: { state: OrderState; at: number } | undefined;
}

/**
 * Builds the timeline of an order from its history, sorted by time with the given order kept for
 * equal times. Throws InvalidDateTimeError for a malformed `at`.
 */
export function buildOrderTimeline(order: OrderRecord): OrderTimeline {
  const changes = order.history
    .map((change, index) => ({
      state: change.state,
      at: parseIsoDateTime(change.at, `order ${order.orderNumber} history[${index}].at`),
    }))
    .sort((left, right) => left.at - right.at);

  const reachedAt = new Map<OrderState, number>();
  for (const change of changes) {
    if (!reachedAt.has(change.state)) {
      reachedAt.set(change.state, change.at);
    }
    if (TERMINAL_STATES.has(change.state)) {
      break;
    }
  }
  return { order, reachedAt, firstChange: changes[0] };
}
