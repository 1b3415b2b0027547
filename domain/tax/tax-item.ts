import { formatAmount, multiplyByRate, parseDecimal, roundToCents, type Decimal } from '../money.js';
import type { TaxItem, TaxItemKind } from '../model.js';

/**
 * Builds a tax item whose amount is `base` × `rate` rounded once to cents (ROUND_HALF_UP). `base`
 * must already be rounded to cents.
 */
export function buildTaxItem(kind: TaxItemKind, label: string, base: Decimal, rate: string, note?: string): TaxItem {
  const amount = roundToCents(multiplyByRate(base, parseDecimal(rate, `${kind} rate`)));
  const item: TaxItem = { kind, label, base: formatAmount(base), rate, amount: formatAmount(amount) };
  if (note !== undefined) {
    item.note = note;
  }
  return item;
}
