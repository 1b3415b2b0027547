/**
 * Classification of an order's cancellation in the pay period by the plan's cooling-off period and
 * clawback window.
 */
import type { OrderState } from '../model.js';
import type { PlanDefinition } from '../plan/definition.js';
import { addCalendarMonths, endOfUtcDay, MILLISECONDS_PER_DAY } from '../time.js';
import { findRecordedTime, type OrderTimeline } from './order-timeline.js';
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

/**
 * Returns the first of `states` that the history records. Implied states are skipped, because the
 * order reached them at an unknown time before the recorded state that implies them.
 */
function findAnchor(
  timeline: OrderTimeline,
  states: readonly OrderState[],
): { state: OrderState; at: number } | undefined {
  for (const state of states) {
    const at = findRecordedTime(timeline, state);
    if (at !== undefined) {
      return { state, at };
    }
  }
  return undefined;
}

/**
 * Returns the last instant of the cooling-off period, which is the end (23:59:59.999 UTC) of the
 * calendar day `coolingOffDays` days after the anchor's day. A customer who signed on 1 November at
 * 10:00 UTC may withdraw within 14 days until 15 November 23:59:59.999 UTC. With 0 days the period
 * ends with the signing day.
 *
 * NOTE: days are UTC calendar days, and the local time zones (Europe/Berlin, Europe/Rome) are not
 * applied. The period therefore ends at 00:59:59.999 (winter time) or 01:59:59.999 (summer time)
 * local time on the following day, and a signing shortly after local midnight counts from the
 * previous day.
 */
export function computeCoolingOffEnd(anchorAt: number, coolingOffDays: number): number {
  // UTC has no daylight saving time, so adding whole days of 24 hours moves the date by that many days.
  return endOfUtcDay(anchorAt + coolingOffDays * MILLISECONDS_PER_DAY);
}

/**
 * Classifies the order's cancellation if it happened within the period, or returns undefined.
 *
 * Cooling-off: cancelled at most until the end of the UTC calendar day `coolingOffDays` days after
 * the order was signed (or assigned). Clawback: cancelled at most `clawbackMonths` calendar months
 * (UTC) after the order reached supply_active, else commissioned, else signed or assigned, else its
 * first state change. Both bounds are inclusive. Only states recorded in the history anchor a
 * window, never implied ones.
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
    const coolingOffEndsAt = computeCoolingOffEnd(coolingOffAnchor.at, definition.coolingOffDays);
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
