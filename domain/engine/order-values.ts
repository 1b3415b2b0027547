import { parseAmount, parseDecimal, type Decimal } from '../money.js';
import type { OrderRecord } from '../model.js';

/** Parses the order value. Throws InvalidAmountError naming the order when it is not an amount string. */
export function parseOrderValue(order: OrderRecord): Decimal {
  return parseAmount(order.value, `order ${order.orderNumber} value`);
}

/** Parses the order quantity. Throws InvalidDecimalError naming the order when it is not a decimal string. */
export function parseOrderQuantity(order: OrderRecord): Decimal {
  return parseDecimal(order.quantity, `order ${order.orderNumber} quantity`);
}
