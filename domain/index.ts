/**
 * Public API of the domain: the shared model, money helpers, plan definitions, the commission
 * engine and the tax calculation. Everything here is pure and deterministic.
 */
export * from './model.js';
export * from './errors.js';
export {
  ZERO,
  addAmounts,
  formatAmount,
  formatDecimal,
  formatPercent,
  multiplyByRate,
  parseAmount,
  parseDecimal,
  roundToCents,
  sumAmounts,
  type Decimal,
} from './money.js';
export {
  RULE_KINDS,
  TIER_MODES,
  parsePlanDefinition,
  planDefinitionSchema,
  type FixedPerOrderRule,
  type FixedPerUnitRule,
  type PaymentShare,
  type PercentageOfValueRule,
  type PlanDefinition,
  type PlanRule,
  type RuleKind,
  type Tier,
  type TierMode,
  type TieredRule,
} from './plan/definition.js';
export { calculatePeriod } from './engine/calculate.js';
export type { CalculationInput, CalculationResult, PayPeriodWindow, PlanAssignmentInput } from './engine/types.js';
export { calculateTaxes } from './tax/calculate-taxes.js';
export {
  ENASARCO_SETTINGS,
  TAX_COUNTRIES,
  VAT_REGIMES,
  WITHHOLDING_SETTINGS,
  parseTaxProfile,
  taxProfileSchema,
} from './tax/profile.js';
export { parseTaxRuleSet, selectRates, taxRuleSetSchema } from './tax/rates.js';
export type * from './tax/types.js';
