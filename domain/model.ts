/**
 * Shared vocabulary of the domain: partners, products, orders and their states, plans and the
 * statements the engine returns. Amounts cross layer boundaries as decimal strings with two
 * fraction digits ("1234.50", euros), never as JavaScript numbers.
 */
import type { RuleKind } from './plan/definition.js';

/** A decimal amount in euros as a string with exactly two fraction digits, for example "80.00". */
export type AmountString = string;

/** Dates cross boundaries as ISO 8601 strings in UTC, for example "2026-11-12T09:30:00.000Z". */
export type IsoDateTime = string;

export const PARTNER_KINDS = ['agency', 'sales_agent', 'outbound', 'installer', 'technician'] as const;
export type PartnerKind = (typeof PARTNER_KINDS)[number];

export const PRODUCT_CATEGORIES = ['electricity', 'gas', 'emobility', 'pv', 'heating', 'cooling'] as const;
export type ProductCategory = (typeof PRODUCT_CATEGORIES)[number];

/**
 * Order states. Supply contracts move signed -> validated -> supply_active -> first_bill_paid and
 * may end in rejected or cancelled; installations move assigned -> installed -> commissioned ->
 * accepted and may end in cancelled.
 */
export const ORDER_STATES = [
  'signed',
  'validated',
  'supply_active',
  'first_bill_paid',
  'rejected',
  'assigned',
  'installed',
  'commissioned',
  'accepted',
  'cancelled',
] as const;
export type OrderState = (typeof ORDER_STATES)[number];

/** VAT treatment of the partner's invoices. */
export type VatRegime =
  | 'standard' // VAT at the country's standard rate
  | 'reverse_charge' // partner established abroad, VAT owed by the recipient (§13b UStG)
  | 'small_business' // German Kleinunternehmer (§19 UStG), no VAT
  | 'forfettario'; // Italian flat-rate regime, no VAT and no withholding

/** Tax and contribution profile of a partner, as stored with the partner. */
export interface TaxProfile {
  country: 'DE' | 'IT';
  vatRegime: VatRegime;
  /** VAT identification number, if the partner has one. */
  vatId?: string;
  /** National tax number (Steuernummer, codice fiscale). */
  taxNumber?: string;
  /** Italian agents only: withholding (ritenuta d'acconto) applies. */
  withholding?: 'standard' | 'with_employees' | 'none';
  /** Italian agents only: ENASARCO contributions. */
  enasarco?: 'individual_single_mandate' | 'individual_multi_mandate' | 'company' | 'none';
  address: PostalAddress;
}

export interface PostalAddress {
  street: string;
  postalCode: string;
  city: string;
  country: string;
}

export interface Partner {
  id: string;
  name: string;
  kind: PartnerKind;
  parentId?: string;
  territory: string;
  email: string;
  sapVendorId: string;
  taxProfile: TaxProfile;
}

/** One accepted state change of an order. */
export interface OrderStateChange {
  state: OrderState;
  at: IsoDateTime;
  sourceEventId: string;
}

/** An order with its full accepted state history, oldest first. */
export interface OrderRecord {
  id: string;
  orderNumber: string;
  partnerId: string;
  productId: string;
  productName: string;
  category: ProductCategory;
  territory: string;
  /** Order value in euros (yearly contract value for supply, price for equipment). */
  value: AmountString;
  /** Units in the product's unit (kWh per year, kWp, units, jobs). */
  quantity: string;
  unit: string;
  attributes: Record<string, unknown>;
  history: OrderStateChange[];
}

/**
 * Amount paid for one order, rule and state in an approved earlier pay period. Reversals are
 * negative and carry the state `cancelled`. `planId` and `planVersionId` identify the plan version
 * that paid the amount; when absent, the engine looks the rule up by id in the partner's plans.
 */
export interface PreviousPayment {
  orderId: string;
  ruleId: string;
  state: OrderState;
  amount: AmountString;
  planId?: string;
  planVersionId?: string;
}

/**
 * `commission` and `reversal` lines belong to an order. `adjustment` lines belong to the period:
 * bonuses, accelerators, caps and floors, agency overrides and withheld commission of a failed gate.
 */
export type CommissionLineKind = 'commission' | 'reversal' | 'adjustment';

/** Inputs and arithmetic of one commission line, stored with the line so that it can be recomputed. */
export interface CommissionLineExplanation {
  /** State that made the amount due; `cancelled` for a reversal. Absent on adjustment lines. */
  state?: OrderState;
  stateAt?: IsoDateTime;
  category?: ProductCategory;
  /**
   * Euro amount the formula starts from: the order value for rates, the fixed amount, the amount per
   * unit, or for a reversal the total paid that it reverses.
   */
  baseAmount: AmountString;
  /** Payment share of the state, for example "0.40", when the rule splits its commission. */
  share?: string;
  rate?: string;
  /** Tier that set the amount, with its index in the plan's tier table. */
  tier?: { index: number; from: number; to?: number };
  /** Period count that chose the tier: the order's rank (marginal) or the period total (retroactive). */
  metricValue?: number;
  /** Arithmetic with the values filled in, for example "80.00 × 0.60 = 48.00". */
  formula: string;
  /** Metrics the line depends on, by name, with their values, for example { activations: "41" }. */
  metrics?: Record<string, string>;
  inputs: Record<string, string>;
}

/**
 * One line of a statement. `ruleKind` is `unknown` only on a reversal of a rule that none of the
 * partner's current plan versions contains, and `limit` on a line of the plan's period cap or floor.
 * Adjustment lines have no order.
 */
export interface CommissionLine {
  lineNumber: number;
  kind: CommissionLineKind;
  orderId?: string;
  orderNumber?: string;
  planId: string;
  planVersionId: string;
  ruleId: string;
  ruleKind: RuleKind | 'unknown' | 'limit';
  amount: AmountString;
  /** Sentence for the partner, for example "Electricity contract 8001234 activated on 2026-11-12: …". */
  description: string;
  explanation: CommissionLineExplanation;
}

export type TaxItemKind = 'vat' | 'withholding' | 'contribution_agent' | 'contribution_principal';

/**
 * One tax or contribution on a statement. `amount` is `base` × `rate` rounded once to cents. The
 * principal's contribution is shown but not deducted from the payable amount.
 */
export interface TaxItem {
  kind: TaxItemKind;
  label: string;
  base: AmountString;
  rate: string;
  amount: AmountString;
  /** Legal note printed on the self-billing invoice, for example the reverse-charge wording. */
  note?: string;
}

/** Statement of one partner for one pay period, before approval. */
export interface StatementDraft {
  periodId: string;
  partnerId: string;
  currency: 'EUR';
  /** Plan versions assigned to the partner or referenced by a line, sorted. */
  planVersionIds: string[];
  /** Lines numbered 1..n, ordered by order number, plan, rule, state time and kind. */
  lines: CommissionLine[];
  /** Exact sum of the line amounts. */
  netCommission: AmountString;
  taxes: TaxItem[];
  vatAmount: AmountString;
  /** netCommission + vatAmount. */
  grossAmount: AmountString;
  withholdingAmount: AmountString;
  contributionAgent: AmountString;
  contributionPrincipal: AmountString;
  /** netCommission + vatAmount − withholdingAmount − contributionAgent. */
  payableAmount: AmountString;
}

export type CalculationWarningCode =
  | 'partner_without_plan'
  | 'unknown_partner'
  | 'order_not_covered'
  | 'state_already_paid'
  | 'reversal_rule_not_in_plan'
  | 'formula_failed';

/** A problem the calculation worked around; the period can still be calculated. */
export interface CalculationWarning {
  code: CalculationWarningCode;
  message: string;
  partnerId?: string;
  orderIds?: string[];
  ruleId?: string;
}
