/**
 * Checks of a plan definition that follow names from one place to another: formulas and the
 * names they read, metrics that other metrics and rules refer to, rule ids in `appliesTo`, and
 * "${parameter}" placeholders. Each problem is reported with the path of the value that names
 * the missing or mistyped thing, and formula problems also with their character offset.
 */
import type { z } from 'zod';

import { compileFormula, type FormulaEnvironment, type FormulaType } from '../formula/formula.js';
import type { MetricDefinition } from './metrics.js';
import type { PlanRule } from './rules.js';
import { placeholderName } from './values.js';

/** The parts of a definition these checks read, as the schema produced them. */
interface DefinitionShape {
  parameters: Record<string, { type: string }>;
  attributes: Record<string, FormulaType>;
  metrics: Record<string, MetricDefinition>;
  rules: PlanRule[];
}

type Context = z.RefinementCtx;
type Path = (string | number)[];

/** Order fields every formula over an order can read, with their types. */
export const ORDER_FIELDS: Readonly<Record<string, FormulaType>> = {
  value: 'number',
  quantity: 'number',
  category: 'text',
  territory: 'text',
  unit: 'text',
  productId: 'text',
  orderNumber: 'text',
};

const RESERVED_NAMES = new Set([...Object.keys(ORDER_FIELDS), 'attr']);

function parameterTypes(definition: DefinitionShape): Record<string, FormulaType> {
  return Object.fromEntries(
    Object.entries(definition.parameters).map(([name, parameter]) => [
      name,
      parameter.type === 'text' ? 'text' : 'number',
    ]),
  );
}

function metricTypes(definition: DefinitionShape, except?: string): Record<string, FormulaType> {
  return Object.fromEntries(
    Object.keys(definition.metrics)
      .filter((name) => name !== except)
      .map((name) => [name, 'number' as const]),
  );
}

/**
 * The place a formula is evaluated in. `order` is an order rule (order fields, attributes,
 * parameters and metrics). `metricWhere` is a metric's order filter, without metrics because they
 * would depend on each other. `period` is a gate, bonus or formula metric (parameters and metrics).
 */
export type FormulaContext = 'order' | 'metricWhere' | 'period';

/**
 * Returns the names a formula may read in a context, with their types. `exceptMetric` leaves out a
 * formula metric's own name.
 */
export function formulaEnvironment(
  definition: DefinitionShape,
  context: FormulaContext,
  exceptMetric?: string,
): FormulaEnvironment {
  const parameters = parameterTypes(definition);
  switch (context) {
    case 'order':
      return {
        variables: { ...ORDER_FIELDS, ...parameters, ...metricTypes(definition) },
        attributes: definition.attributes,
      };
    case 'metricWhere':
      return { variables: { ...ORDER_FIELDS, ...parameters }, attributes: definition.attributes };
    case 'period':
      return { variables: { ...parameters, ...metricTypes(definition, exceptMetric) }, attributes: {} };
  }
}

function checkFormula(
  source: string,
  environment: FormulaEnvironment,
  expected: FormulaType,
  path: Path,
  context: Context,
): void {
  const placeholder = /\$\{([A-Za-z][A-Za-z0-9_]*)\}/.exec(source);
  if (placeholder !== null) {
    context.addIssue({
      code: 'custom',
      path,
      message: `formulas read parameters by name: write ${placeholder[1]} instead of \${${placeholder[1]}}`,
      params: { offset: placeholder.index },
    });
    return;
  }
  const result = compileFormula(source, environment, expected);
  if (result.ok) return;
  for (const issue of result.issues) {
    const attribute = /^unknown attribute "([^"]+)"/.exec(issue.message)?.[1];
    const isOrderOnly = attribute !== undefined && Object.keys(environment.attributes).length === 0;
    context.addIssue({
      code: 'custom',
      path,
      message: isOrderOnly
        ? `attr.${attribute} is an order attribute, which this formula cannot read because it is computed ` +
          "once per period; use it in an order rule's where or amount, or in a metric's where"
        : issue.message,
      ...(issue.position === undefined ? {} : { params: { offset: issue.position } }),
    });
  }
}

function checkNames(definition: DefinitionShape, context: Context): void {
  for (const name of Object.keys(definition.parameters)) {
    if (RESERVED_NAMES.has(name)) {
      context.addIssue({
        code: 'custom',
        path: ['parameters', name],
        message: `"${name}" is the name of an order field; choose another parameter name`,
      });
    }
  }
  for (const name of Object.keys(definition.metrics)) {
    if (RESERVED_NAMES.has(name)) {
      context.addIssue({
        code: 'custom',
        path: ['metrics', name],
        message: `"${name}" is the name of an order field; choose another metric name`,
      });
    } else if (Object.hasOwn(definition.parameters, name)) {
      context.addIssue({
        code: 'custom',
        path: ['metrics', name],
        message: `"${name}" is also a parameter; formulas could not tell them apart, so rename one`,
      });
    }
  }
}

function unknownMetricMessage(name: string, definition: DefinitionShape): string {
  const known = Object.keys(definition.metrics);
  const list = known.length === 0 ? 'the plan defines no metrics' : `defined: ${known.join(', ')}`;
  return `unknown metric "${name}"; define it under metrics (${list})`;
}

/** Reports metrics that depend on themselves through attainment and formula metrics. */
function checkMetricCycles(definition: DefinitionShape, context: Context): void {
  const dependencies = new Map<string, string[]>();
  for (const [name, metric] of Object.entries(definition.metrics)) {
    if (metric.kind === 'attainment') {
      dependencies.set(name, [metric.metric]);
    } else if (metric.kind === 'formula') {
      const compiled = compileFormula(metric.formula, formulaEnvironment(definition, 'period'));
      dependencies.set(name, compiled.ok ? compiled.formula.variables : []);
    }
  }
  for (const start of dependencies.keys()) {
    const seen = new Set<string>();
    const stack = [...(dependencies.get(start) ?? [])];
    while (stack.length > 0) {
      const next = stack.pop() as string;
      if (next === start) {
        context.addIssue({
          code: 'custom',
          path: ['metrics', start],
          message: `metric "${start}" depends on itself through other metrics; break the cycle`,
        });
        break;
      }
      if (seen.has(next)) continue;
      seen.add(next);
      stack.push(...(dependencies.get(next) ?? []));
    }
  }
}

function checkMetrics(definition: DefinitionShape, context: Context): void {
  const orderEnvironment = formulaEnvironment(definition, 'metricWhere');
  for (const [name, metric] of Object.entries(definition.metrics)) {
    const path: Path = ['metrics', name];
    if (metric.kind === 'attainment') {
      if (!Object.hasOwn(definition.metrics, metric.metric)) {
        context.addIssue({
          code: 'custom',
          path: [...path, 'metric'],
          message: unknownMetricMessage(metric.metric, definition),
        });
      }
      continue;
    }
    if (metric.kind === 'formula') {
      const environment = formulaEnvironment(definition, 'period', name);
      checkFormula(metric.formula, environment, 'number', [...path, 'formula'], context);
      continue;
    }
    if (metric.where !== undefined) {
      checkFormula(metric.where, orderEnvironment, 'boolean', [...path, 'where'], context);
    }
  }
  checkMetricCycles(definition, context);
}

function checkRuleIds(
  ids: readonly string[],
  rules: readonly PlanRule[],
  own: PlanRule,
  path: Path,
  context: Context,
): void {
  ids.forEach((id, index) => {
    const target = rules.find((rule) => rule.id === id);
    if (target === undefined) {
      context.addIssue({
        code: 'custom',
        path: [...path, index],
        message: `unknown rule id "${id}"; use the id of an order rule of this plan (${rules.map((rule) => rule.id).join(', ')})`,
      });
    } else if (target === own || ['bonus', 'accelerator', 'override'].includes(target.kind)) {
      context.addIssue({
        code: 'custom',
        path: [...path, index],
        message: `rule "${id}" is a ${target.kind} rule; an accelerator applies only to order rules`,
      });
    }
  });
}

function checkRules(definition: DefinitionShape, context: Context): void {
  const periodEnvironment = formulaEnvironment(definition, 'period');
  const orderEnvironment = formulaEnvironment(definition, 'order');
  definition.rules.forEach((rule, index) => {
    const path: Path = ['rules', index];
    if (rule.gate !== undefined) {
      checkFormula(rule.gate.when, periodEnvironment, 'boolean', [...path, 'gate', 'when'], context);
    }
    switch (rule.kind) {
      case 'bonus':
        checkFormula(rule.amount, periodEnvironment, 'number', [...path, 'amount'], context);
        return;
      case 'accelerator':
        if (!Object.hasOwn(definition.metrics, rule.metric)) {
          context.addIssue({
            code: 'custom',
            path: [...path, 'metric'],
            message: unknownMetricMessage(rule.metric, definition),
          });
        }
        checkRuleIds(rule.appliesTo, definition.rules, rule, [...path, 'appliesTo'], context);
        return;
      case 'override':
        return;
      case 'formula':
        checkFormula(rule.amount, orderEnvironment, 'number', [...path, 'amount'], context);
        break;
      default:
        break;
    }
    if (rule.where !== undefined) {
      checkFormula(rule.where, orderEnvironment, 'boolean', [...path, 'where'], context);
    }
  });
}

/** Reports "${name}" placeholders whose parameter the definition does not declare. */
function checkPlaceholders(value: unknown, path: Path, definition: DefinitionShape, context: Context): void {
  const name = placeholderName(value);
  if (name !== undefined) {
    if (!Object.hasOwn(definition.parameters, name)) {
      const declared = Object.keys(definition.parameters).join(', ') || 'none';
      context.addIssue({
        code: 'custom',
        path,
        message: `unknown parameter "${name}"; declare it under parameters (declared: ${declared})`,
      });
    }
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, index) => checkPlaceholders(item, [...path, index], definition, context));
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (path.length === 0 && key === 'parameters') continue;
      checkPlaceholders(item, [...path, key], definition, context);
    }
  }
}

/** Runs every reference check on a definition that passed the schema's field checks. */
export function checkDefinitionReferences(definition: DefinitionShape, context: Context): void {
  checkNames(definition, context);
  checkMetrics(definition, context);
  checkRules(definition, context);
  checkPlaceholders(definition, [], definition, context);
}
