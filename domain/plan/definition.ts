/**
 * Plan definitions: the rules of one plan version as stored in `plan_version.definition`, their
 * zod schema and `parsePlanDefinition`, which reports every problem with its path.
 *
 * A definition is a template: amounts, rates and thresholds may be "${parameter}" placeholders,
 * declared under `parameters` with a type and an optional default, and each plan assignment gives
 * its own values. Formulas read parameters, metrics, order fields and the CRM attributes declared
 * under `attributes` by name. `parsePlanDefinition` checks the template, fills in the values and
 * checks the result again, so the engine only ever gets a complete definition.
 */
import { z } from 'zod';

import { PlanValidationError, type ValidationIssue } from '../errors.js';
import type { FormulaType } from '../formula/formula.js';
import { parseJsonText, validateWithSchema } from '../validation.js';
import { checkCapAboveFloor, checkUniqueRuleIds } from './checks.js';
import { checkDefinitionReferences } from './references.js';
import { metricsSchema, type MetricDefinition } from './metrics.js';
import { planRuleSchema, type PlanRule } from './rules.js';
import { amountSchema, labelSchema, nameSchema, placeholderName, unknownValueMessage } from './values.js';

export * from './rules.js';
export { ORDER_FIELDS } from './references.js';
export type { MetricDefinition } from './metrics.js';

export const PARAMETER_TYPES = ['amount', 'rate', 'decimal', 'text'] as const;
/** `amount`: euros with at most two decimals; `rate`: 0 to 1; `decimal`: a non-negative number. */
export type ParameterType = (typeof PARAMETER_TYPES)[number];

/** A template parameter that plan assignments give a value for. */
export interface ParameterDeclaration {
  type: ParameterType;
  default?: string | undefined;
  description?: string | undefined;
}

export const ATTRIBUTE_TYPES = ['number', 'text', 'boolean'] as const;

/** Plan-wide bounds on the sum of all of the plan's lines in the period. */
export interface PeriodLimits {
  periodCap?: string | undefined;
  periodFloor?: string | undefined;
}

/** Rules of one plan version. */
export interface PlanDefinition {
  /**
   * Days after the order's signed (or assigned) state within which a cancellation voids the order:
   * no line in the period and a reversal of earlier payments. The period ends at the end of the
   * UTC calendar day `coolingOffDays` days after the signing day. Default 14.
   */
  coolingOffDays: number;
  /**
   * Months after supply_active (commissioned for installations, signed or assigned when the order
   * never got there) within which a cancellation reverses every payment for the order. Default 6.
   */
  clawbackMonths: number;
  parameters: Record<string, ParameterDeclaration>;
  /** CRM custom fields (order attributes) that formulas read, by API name, with their types. */
  attributes: Record<string, FormulaType>;
  metrics: Record<string, MetricDefinition>;
  rules: PlanRule[];
  limits?: PeriodLimits | undefined;
}

const PARAMETER_PATTERNS: Record<ParameterType, { pattern: RegExp; example: string }> = {
  amount: { pattern: /^\d+(\.\d{1,2})?$/, example: '"80.00"' },
  rate: { pattern: /^(0(\.\d+)?|1(\.0+)?)$/, example: '"0.05"' },
  decimal: { pattern: /^\d+(\.\d+)?$/, example: '"40"' },
  text: { pattern: /^.+$/s, example: '"DE-NORTH"' },
};

/** Returns why `value` is not a valid value of a parameter of `type`, or undefined when it is. */
export function checkParameterValue(type: ParameterType, value: unknown): string | undefined {
  const { pattern, example } = PARAMETER_PATTERNS[type];
  if (typeof value !== 'string' || !pattern.test(value)) {
    const article = type === 'amount' ? 'an' : 'a';
    return `must be ${article} ${type} written as a string, such as ${example}, not ${JSON.stringify(value)}`;
  }
  return undefined;
}

const parameterSchema = z
  .strictObject({
    type: z.enum(PARAMETER_TYPES, { error: unknownValueMessage('parameter type', PARAMETER_TYPES) }),
    default: z.string().optional(),
    description: labelSchema.optional(),
  })
  .superRefine((parameter, context) => {
    if (parameter.default === undefined) return;
    const problem = checkParameterValue(parameter.type, parameter.default);
    if (problem !== undefined) context.addIssue({ code: 'custom', path: ['default'], message: problem });
  });

const dayCountSchema = z
  .number()
  .int({ error: 'must be a whole number of days' })
  .min(0, { error: 'must not be negative' });
const monthCountSchema = z
  .number()
  .int({ error: 'must be a whole number of months' })
  .min(0, { error: 'must not be negative' });

/** Schema of a plan definition template. Parsing fills in the defaults of the optional members. */
export const planDefinitionSchema = z
  .strictObject({
    coolingOffDays: dayCountSchema.default(14),
    clawbackMonths: monthCountSchema.default(6),
    parameters: z.record(nameSchema, parameterSchema).default({}),
    attributes: z
      .record(
        z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, { error: 'must be a CRM field API name, such as Campaign__c' }),
        z.enum(ATTRIBUTE_TYPES, { error: unknownValueMessage('attribute type', ATTRIBUTE_TYPES) }),
      )
      .default({}),
    metrics: metricsSchema.default({}),
    rules: z.array(planRuleSchema).min(1, { error: 'must list at least one rule' }).superRefine(checkUniqueRuleIds),
    limits: z
      .strictObject({ periodCap: amountSchema.optional(), periodFloor: amountSchema.optional() })
      .superRefine((limits, context) => checkCapAboveFloor(limits, [['periodCap', 'periodFloor']], context))
      .optional(),
  })
  .superRefine(checkDefinitionReferences);

// Compile-time check that the schema produces exactly the documented PlanDefinition shape.
const _schemaMatchesType: z.ZodType<PlanDefinition, z.input<typeof planDefinitionSchema>> = planDefinitionSchema;

/** A definition as written, before parsing fills in the defaults of its optional members. */
export type PlanDefinitionInput = z.input<typeof planDefinitionSchema>;

/** Parameter values of one plan assignment, by parameter name. */
export type ParameterValues = Readonly<Record<string, string>>;

/**
 * Returns the values of every declared parameter: the assignment's value, else the default. Lists
 * a problem for each missing value, invalid value and value of an undeclared parameter.
 */
export function resolveParameterValues(
  parameters: Readonly<Record<string, ParameterDeclaration>>,
  values: ParameterValues,
): { values: Record<string, string>; issues: ValidationIssue[] } {
  const resolved: Record<string, string> = {};
  const issues: ValidationIssue[] = [];
  for (const [name, declaration] of Object.entries(parameters)) {
    const value = Object.hasOwn(values, name) ? values[name] : declaration.default;
    if (value === undefined) {
      issues.push({
        path: `parameters.${name}`,
        message: `has no default and the assignment gives no value; add "${name}" to the assignment's parameters`,
      });
      continue;
    }
    const problem = checkParameterValue(declaration.type, value);
    if (problem !== undefined) {
      issues.push({ path: `parameters.${name}`, message: `value from the assignment ${problem}` });
      continue;
    }
    resolved[name] = value;
  }
  for (const name of Object.keys(values)) {
    if (!Object.hasOwn(parameters, name)) {
      const known = Object.keys(parameters).join(', ') || 'none';
      issues.push({
        path: `parameters.${name}`,
        message: `the assignment gives a value for "${name}", which the plan does not declare; declared: ${known}`,
      });
    }
  }
  return { values: resolved, issues };
}

/** Replaces every "${name}" string anywhere in `value` with the parameter's value. */
function fillPlaceholders(value: unknown, values: Readonly<Record<string, string>>): unknown {
  const name = placeholderName(value);
  if (name !== undefined) {
    return Object.hasOwn(values, name) ? values[name] : value;
  }
  if (Array.isArray(value)) {
    return value.map((item) => fillPlaceholders(item, values));
  }
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, fillPlaceholders(item, values)]));
  }
  return value;
}

function toJsonInput(json: unknown): unknown {
  if (typeof json !== 'string') return json;
  const parsed = parseJsonText(json);
  if (!parsed.success) {
    throw new PlanValidationError([parsed.issue]);
  }
  return parsed.data;
}

/**
 * Validates a plan definition template without filling in parameters. Returns the template with
 * defaults filled in, or every problem with its path.
 */
export function validatePlanTemplate(
  json: unknown,
): { success: true; data: PlanDefinition } | { success: false; issues: ValidationIssue[] } {
  return validateWithSchema(planDefinitionSchema, json);
}

/**
 * Validates a plan definition, given as parsed JSON or as JSON text, fills in the assignment's
 * parameter values and the defaults, and returns the complete definition. Throws
 * PlanValidationError listing every problem with its path, for example `rules[2].tiers[1].from:
 * tiers overlap with tier 0 (1-20); start this tier at 21, right after the previous tier ends`.
 */
export function parsePlanDefinition(json: unknown, parameterValues: ParameterValues = {}): PlanDefinition {
  const template = validatePlanTemplate(toJsonInput(json));
  if (!template.success) {
    throw new PlanValidationError(template.issues);
  }
  const parameters = resolveParameterValues(template.data.parameters, parameterValues);
  if (parameters.issues.length > 0) {
    throw new PlanValidationError(parameters.issues);
  }
  if (Object.keys(parameters.values).length === 0) {
    return template.data;
  }
  const filled = validateWithSchema(planDefinitionSchema, fillPlaceholders(template.data, parameters.values));
  if (!filled.success) {
    const given = Object.entries(parameters.values)
      .map(([name, value]) => `${name}=${value}`)
      .join(', ');
    throw new PlanValidationError(
      filled.issues.map((issue) => ({ ...issue, message: `${issue.message} (with the parameters ${given})` })),
    );
  }
  return filled.data;
}
