/**
 * Partner-facing descriptions and formulas of commission lines. Descriptions are English sentences
 * with UTC calendar dates, for example "Electricity contract 8001234 activated on 2026-11-12: 60% of
 * EUR 80.00 (supply_active share)".
 *
 * NOTE: dates are UTC calendar dates, so an event shortly after local midnight in Germany or Italy
 * shows the previous day.
 */
import { formatAmount, formatPercent, parseDecimal, roundToCents, type Decimal } from '../money.js';
import type { OrderRecord, OrderState, ProductCategory } from '../model.js';
import { formatIsoDate } from '../time.js';

const ORDER_NOUNS: Record<ProductCategory, string> = {
  electricity: 'Electricity contract',
  gas: 'Gas contract',
  emobility: 'E-mobility order',
  pv: 'PV installation',
  heating: 'Heating installation',
  cooling: 'Cooling installation',
};

/** Verb phrases of the order states, for example "activated" for supply_active. */
export const STATE_PHRASES: Record<OrderState, string> = {
  signed: 'signed',
  validated: 'validated',
  supply_active: 'activated',
  first_bill_paid: 'had its first bill paid',
  rejected: 'rejected',
  assigned: 'assigned',
  installed: 'installed',
  commissioned: 'commissioned',
  accepted: 'accepted',
  cancelled: 'cancelled',
};

/** Describes an order event, for example "Electricity contract 8001234 activated on 2026-11-12". */
export function describeOrderEvent(order: OrderRecord, state: OrderState, at: number): string {
  return `${ORDER_NOUNS[order.category]} ${order.orderNumber} ${STATE_PHRASES[state]} on ${formatIsoDate(at)}`;
}

/**
 * Describes the event that made a state due. For a state implied by a later recorded state it
 * names the recorded event: "Gas contract 8001234 activated on 2026-11-12, which implies validated".
 */
export function describeStateEvent(
  order: OrderRecord,
  state: OrderState,
  at: number,
  impliedBy: OrderState | undefined,
): string {
  if (impliedBy === undefined) {
    return describeOrderEvent(order, state, at);
  }
  return `${describeOrderEvent(order, impliedBy, at)}, which implies ${state}`;
}

/** Formats an amount for a description, for example "EUR 80.00". */
export function describeAmount(amount: Decimal): string {
  return `EUR ${formatAmount(amount)}`;
}

/** Formats a rate or share string as a percentage, for example "0.40" as "40%". */
export function describeRate(rate: string): string {
  return formatPercent(parseDecimal(rate, 'rate'));
}

/**
 * Prefixes a payment share to a commission phrase when the rule splits its commission:
 * "60% of EUR 80.00 (supply_active share)". A share of 1 leaves the phrase unchanged.
 */
export function describeShare(phrase: string, share: string | undefined, state: OrderState): string {
  if (share === undefined) {
    return phrase;
  }
  return `${describeRate(share)} of ${phrase} (${state} share)`;
}

/**
 * Writes the arithmetic of a line: "80.00 × 0.60 = 48.00", or with rounding
 * "1234.56 × 0.05 × 0.40 = 24.6912, rounded to 24.69".
 */
export function formatProduct(terms: readonly string[], exact: Decimal): string {
  const rounded = roundToCents(exact);
  const expression = terms.join(' × ');
  if (rounded.equals(exact)) {
    return `${expression} = ${formatAmount(rounded)}`;
  }
  return `${expression} = ${exact.toFixed()}, rounded to ${formatAmount(rounded)}`;
}
