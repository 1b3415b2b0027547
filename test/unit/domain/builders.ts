/**
 * Builders for domain tests: partners, orders, plans and calculation inputs with readable defaults.
 * Dates are UTC; the default pay period is November 2026.
 */
import { readFileSync } from 'node:fs';

import type {
  CalculationInput,
  CalculationResult,
  PayPeriodWindow,
  PlanAssignmentInput,
} from '../../../domain/engine/types.js';
import type {
  OrderRecord,
  OrderState,
  Partner,
  PreviousPayment,
  ProductCategory,
  StatementDraft,
  TaxProfile,
} from '../../../domain/model.js';
import { parsePlanDefinition, type PlanDefinition } from '../../../domain/plan/definition.js';
import { parseTaxRuleSet } from '../../../domain/tax/rates.js';
import type { TaxRuleSet } from '../../../domain/tax/types.js';

export const OCTOBER_2026: PayPeriodWindow = {
  id: '2026-10',
  startsAt: '2026-10-01T00:00:00.000Z',
  endsAt: '2026-11-01T00:00:00.000Z',
};

export const NOVEMBER_2026: PayPeriodWindow = {
  id: '2026-11',
  startsAt: '2026-11-01T00:00:00.000Z',
  endsAt: '2026-12-01T00:00:00.000Z',
};

/** Reads and parses data/tax-rates.json with parseTaxRuleSet, as production callers do. */
export function loadTaxRules(): TaxRuleSet {
  const text = readFileSync(new URL('../../../data/tax-rates.json', import.meta.url), 'utf8');
  return parseTaxRuleSet(text);
}

export const GERMAN_STANDARD_PROFILE: TaxProfile = {
  country: 'DE',
  vatRegime: 'standard',
  vatId: 'DE123456789',
  address: { street: 'Hauptstraße 1', postalCode: '10115', city: 'Berlin', country: 'DE' },
};

export function buildPartner(id: string, taxProfile: TaxProfile = GERMAN_STANDARD_PROFILE): Partner {
  return {
    id,
    name: `Partner ${id}`,
    kind: 'sales_agent',
    territory: 'north',
    email: `${id.toLowerCase()}@partners.example`,
    sapVendorId: `V${id}`,
    taxProfile,
  };
}

export interface OrderOptions {
  id?: string;
  partnerId?: string;
  category?: ProductCategory;
  value?: string;
  quantity?: string;
  unit?: string;
  /** State changes as [state, ISO date-time], oldest first. */
  history: [OrderState, string][];
}

export function buildOrder(orderNumber: string, options: OrderOptions): OrderRecord {
  const id = options.id ?? `order-${orderNumber}`;
  return {
    id,
    orderNumber,
    partnerId: options.partnerId ?? 'P00001',
    productId: 'product-1',
    productName: 'Product',
    category: options.category ?? 'electricity',
    territory: 'north',
    value: options.value ?? '1000.00',
    quantity: options.quantity ?? '1',
    unit: options.unit ?? 'contract',
    attributes: {},
    history: options.history.map(([state, at], index) => ({ state, at, sourceEventId: `${id}-event-${index}` })),
  };
}

/** Parses a plan definition with only `rules` and optional plan-level terms. */
export function buildPlan(definition: Record<string, unknown>): PlanDefinition {
  return parsePlanDefinition(definition);
}

export function buildAssignment(
  partnerId: string,
  definition: PlanDefinition,
  planVersionId = 'plan-sales-v1',
): PlanAssignmentInput {
  return { partnerId, planId: 'plan-sales', planVersionId, planName: 'Sales partners', definition };
}

export function buildPayment(
  orderId: string,
  ruleId: string,
  state: OrderState,
  amount: string,
  planVersionId = 'plan-sales-v1',
): PreviousPayment {
  return { orderId, ruleId, state, amount, planId: 'plan-sales', planVersionId };
}

/** Builds a calculation input for November 2026 with partner P00001 (German, standard VAT) unless overridden. */
export function buildInput(overrides: Partial<CalculationInput> & Pick<CalculationInput, 'orders'>): CalculationInput {
  return {
    period: NOVEMBER_2026,
    partners: [buildPartner('P00001')],
    assignments: [],
    previousPayments: [],
    taxRules: loadTaxRules(),
    yearToDateCommissions: {},
    ...overrides,
  };
}

/** Electricity rule: 5% of the order value, 40% when validated and 60% when supply_active. */
export const PERCENTAGE_RULE = {
  id: 'electricity-commission',
  kind: 'percentage_of_value',
  label: 'Electricity commission',
  categories: ['electricity'],
  rate: '0.05',
  payment: [
    { state: 'validated', share: '0.40' },
    { state: 'supply_active', share: '0.60' },
  ],
};

/** Gas rule: EUR 80.00 per order, 40% when validated and 60% when supply_active. */
export const FIXED_SPLIT_RULE = {
  id: 'gas-bonus',
  kind: 'fixed_per_order',
  label: 'Gas contract bonus',
  categories: ['gas'],
  amount: '80.00',
  payment: [
    { state: 'validated', share: '0.40' },
    { state: 'supply_active', share: '0.60' },
  ],
};

/** Returns the only statement of a result, failing the test when there is not exactly one. */
export function onlyStatement(result: CalculationResult): StatementDraft {
  if (result.statements.length !== 1 || result.statements[0] === undefined) {
    throw new Error(`expected exactly one statement, got ${result.statements.length}`);
  }
  return result.statements[0];
}

/** Returns the amounts of a statement's lines, in line order. */
export function lineAmounts(statement: StatementDraft): string[] {
  return statement.lines.map((line) => line.amount);
}
