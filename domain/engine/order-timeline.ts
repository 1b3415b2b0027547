import type { OrderRecord, OrderState } from '../model.js';
import { parseIsoDateTime } from '../time.js';

const TERMINAL_STATES: ReadonlySet<OrderState> = new Set(['cancelled', 'rejected']);

/** Progress states of each order lifecycle, earliest first. Terminal states belong to none. */
const LIFECYCLES: readonly (readonly OrderState[])[] = [
  ['signed', 'validated', 'supply_active', 'first_bill_paid'],
  ['assigned', 'installed', 'commissioned', 'accepted'],
];

/** An order with the first time it reached each state, as epoch milliseconds. */
export interface OrderTimeline {
  order: OrderRecord;
  /**
   * First time the order reached each state. Changes after the first terminal state (cancelled or
   * rejected) are ignored, because an ended order earns nothing more. Contains the implied states
   * of `impliedBy` as well as the recorded ones.
   */
  reachedAt: ReadonlyMap<OrderState, number>;
  /**
   * Progress states missing from the history, each mapped to the later recorded state of the same
   * lifecycle that implies it and whose time it takes in `reachedAt`.
   */
  impliedBy: ReadonlyMap<OrderState, OrderState>;
  /** First state change of the history, the clawback anchor of last resort. */
  firstChange: { state: OrderState; at: number } | undefined;
}

/**
 * Builds the timeline of an order from its history, sorted by time with the given order kept for
 * equal times. Throws InvalidDateTimeError for a malformed `at`.
 *
 * Ingestion accepts skipped states, such as signed -> supply_active without validated. An order
 * cannot reach a progress state without passing the earlier ones of its lifecycle, so each earlier
 * progress state missing from the history counts as reached at the time of the earliest recorded
 * later state. Terminal states are never implied.
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
  const impliedBy = addImpliedStates(reachedAt);
  return { order, reachedAt, impliedBy, firstChange: changes[0] };
}

/**
 * Adds to `reachedAt` each progress state that is missing but followed by a recorded later state
 * of its lifecycle, and returns the implied states with the state that implies each. The earliest
 * later state wins, and of two at the same time the one closer to the missing state.
 */
function addImpliedStates(reachedAt: Map<OrderState, number>): Map<OrderState, OrderState> {
  const impliedBy = new Map<OrderState, OrderState>();
  for (const lifecycle of LIFECYCLES) {
    lifecycle.forEach((state, index) => {
      if (reachedAt.has(state)) {
        return;
      }
      const implying = findEarliestRecorded(lifecycle.slice(index + 1), reachedAt);
      if (implying !== undefined) {
        impliedBy.set(state, implying.state);
      }
    });
  }
  // The times are set after the search, so the search finds only recorded states.
  for (const [state, implyingState] of impliedBy) {
    reachedAt.set(state, reachedAt.get(implyingState) as number);
  }
  return impliedBy;
}

function findEarliestRecorded(
  states: readonly OrderState[],
  reachedAt: ReadonlyMap<OrderState, number>,
): { state: OrderState; at: number } | undefined {
  let earliest: { state: OrderState; at: number } | undefined;
  for (const state of states) {
    const at = reachedAt.get(state);
    if (at !== undefined && (earliest === undefined || at < earliest.at)) {
      earliest = { state, at };
    }
  }
  return earliest;
}

/** Returns the time the order reached `state` according to its history, ignoring implied states. */
export function findRecordedTime(timeline: OrderTimeline, state: OrderState): number | undefined {
  return timeline.impliedBy.has(state) ? undefined : timeline.reachedAt.get(state);
}
