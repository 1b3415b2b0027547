/**
 * Classification of an order's cancellation in the pay period by the plan's cooling-off period and
 * clawback window.
 */
import type { OrderState } from '../model.js';
import type { PlanDefinition } from '../plan/definition.js';
import { addCalendarMonths, MILLISECONDS_PER_DAY } from '../time.js';
import type { OrderTimeline } from './order-timeline.js';
import { isWithinPeriod, type ParsedPeriod } from './period.js';

/**
 * `cooling_off`: the order is void, nothing is paid for it in the period and earlier payments are
 * reversed. `clawback`: every payment, in earlier periods and in this one, is reversed.
 * `after_clawback_window`: nothing is reversed.
 */
export type CancellationOutcome = 'cooling_off' | 'clawback' | 'after_clawback_window';

export interface CancellationInPeriod {
  cancelledAt: number;
  outcome: CancellationOutcome;
  /** State the decisive window starts from, for example signed for cooling-off. */
  anchorState: OrderState;
  /** Last instant of the decisive window (inclusive): cooling-off end, or clawback window end. */
  windowEndsAt: number;
}

const COOLING_OFF_ANCHORS: readonly OrderState[] = ['signed', 'assigned'];
const CLAWBACK_ANCHORS: readonly OrderState[] = ['supply_active', 'commissioned', 'signed', 'assigned'];

function findAnchor(
  timeline: OrderTimeline,
  states: readonly OrderState[],
): { state: OrderState; at: number } | undefined {
  for (const state of states) {
    const at = timeline.reachedAt.get(state);
    if (at !== undefined) {
      return { state, at };
    }
  }
  return undefined;
}

/**
 * Classifies the order's cancellation if it happened within the period, or returns undefined.
 *
 * Cooling-off: cancelled at most `coolingOffDays` × 24 hours after the order was signed (or
 * assigned). Clawback: cancelled at most `clawbackMonths` calendar months (UTC) after the order
 * reached supply_active, else commissioned, else signed or assigned, else its first state change.
 * Both bounds are inclusive.
 */
export function classifyCancellation(
  timeline: OrderTimeline,
  definition: PlanDefinition,
  period: ParsedPeriod,
): CancellationInPeriod | undefined {
  const cancelledAt = timeline.reachedAt.get('cancelled');
  if (!isWithinPeriod(period, cancelledAt)) {
    return undefined;
  }

  const coolingOffAnchor = findAnchor(timeline, COOLING_OFF_ANCHORS);
  if (coolingOffAnchor !== undefined) {
    const coolingOffEndsAt = coolingOffAnchor.at + definition.coolingOffDays * MILLISECONDS_PER_DAY;
    if (cancelledAt <= coolingOffEndsAt) {
      return {
        cancelledAt,
        outcome: 'cooling_off',
        anchorState: coolingOffAnchor.state,
        windowEndsAt: coolingOffEndsAt,
      };
    }
  }

  const clawbackAnchor = findAnchor(timeline, CLAWBACK_ANCHORS) ??
    timeline.firstChange ?? {
      state: 'cancelled',
      at: cancelledAt,
    };
  const clawbackEndsAt = addCalendarMonths(clawbackAnchor.at, definition.clawbackMonths);
  const outcome = cancelledAt <= clawbackEndsAt ? 'clawback' : 'after_clawback_window';
  return { cancelledAt, outcome, anchorState: clawbackAnchor.state, windowEndsAt: clawbackEndsAt };
}
