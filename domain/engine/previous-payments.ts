/**
 * Lookups over the amounts paid in approved earlier periods.
 */
import { formatAmount, parseAmount, sumAmounts } from '../money.js';
import type { CalculationWarning, PreviousPayment } from '../model.js';
import type { LineDraft } from './lines.js';

/** Groups previous payments by order id, keeping their input order. */
export function groupPaymentsByOrder(payments: readonly PreviousPayment[]): Map<string, PreviousPayment[]> {
  const byOrder = new Map<string, PreviousPayment[]>();
  for (const payment of payments) {
    const list = byOrder.get(payment.orderId) ?? [];
    list.push(payment);
    byOrder.set(payment.orderId, list);
  }
  return byOrder;
}

/**
 * Returns true when the previous payment is for the line's rule and state. Rule ids are unique
 * only within a plan, so a payment that names its plan must name the line's plan. A payment
 * without planId matches the rule id in any plan.
 */
function isPaymentForLine(payment: PreviousPayment, line: LineDraft['line']): boolean {
  return (
    payment.ruleId === line.ruleId &&
    payment.state === line.explanation.state &&
    (payment.planId === undefined || payment.planId === line.planId)
  );
}

/**
 * Removes commission lines for an order, plan, rule and state that an earlier period already paid
 * (a positive net of previous payments), so inconsistent histories cannot pay a state twice. Adds
 * a `state_already_paid` warning for each removed line.
 */
export function dropAlreadyPaidLines(
  drafts: readonly LineDraft[],
  paymentsByOrder: ReadonlyMap<string, readonly PreviousPayment[]>,
  partnerId: string,
  warnings: CalculationWarning[],
): LineDraft[] {
  return drafts.filter((draft) => {
    const { orderId, orderNumber, ruleId, explanation } = draft.line;
    if (orderId === undefined || draft.line.kind !== 'commission') {
      return true;
    }
    const matching = (paymentsByOrder.get(orderId) ?? []).filter((payment) => isPaymentForLine(payment, draft.line));
    const alreadyPaid = sumAmounts(
      matching.map((payment) => parseAmount(payment.amount, `previous payment of order ${orderNumber} rule ${ruleId}`)),
    );
    if (!alreadyPaid.greaterThan(0)) {
      return true;
    }
    warnings.push({
      code: 'state_already_paid',
      partnerId,
      orderIds: [orderId],
      ruleId,
      message:
        `Order ${orderNumber} reached ${explanation.state ?? 'a state'} in this period, but rule ${ruleId} already paid ` +
        `EUR ${formatAmount(alreadyPaid)} for that state in an earlier period, so no line was created. ` +
        'Check the order history for a repeated or re-dated state change.',
    });
    return false;
  });
}
