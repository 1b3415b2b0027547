/**
 * Checks of a plan definition that span several values (share sums, tier ranges, unique ids). Each
 * reports its problems through the zod refinement context, with the path of the offending value.
 */
import type { z } from 'zod';

import { parseDecimal, sumAmounts } from '../money.js';
import type { OrderState, ProductCategory } from '../model.js';

type RefinementContext = z.RefinementCtx;

interface ParsedTier {
  from: number;
  to?: number | undefined;
  amount?: string | undefined;
  rate?: string | undefined;
}

/** Reports duplicate states and shares that do not sum to exactly 1. */
export function checkPaymentShares(
  payment: readonly { state: OrderState; share: string }[],
  context: RefinementContext,
): void {
  const firstIndexByState = new Map<OrderState, number>();
  payment.forEach((entry, index) => {
    const firstIndex = firstIndexByState.get(entry.state);
    if (firstIndex === undefined) {
      firstIndexByState.set(entry.state, index);
      return;
    }
    context.addIssue({
      code: 'custom',
      path: [index, 'state'],
      message: `duplicate state "${entry.state}", also in payment[${firstIndex}]; list each state once`,
    });
  });

  const total = sumAmounts(payment.map((entry, index) => parseDecimal(entry.share, `payment[${index}].share`)));
  if (!total.equals(1)) {
    context.addIssue({
      code: 'custom',
      message: `shares sum to ${total.toFixed()}, not 1; make the shares of a rule add up to exactly 1`,
    });
  }
}

/** Reports categories listed more than once. */
export function checkUniqueCategories(categories: readonly ProductCategory[], context: RefinementContext): void {
  categories.forEach((category, index) => {
    const firstIndex = categories.indexOf(category);
    if (firstIndex !== index) {
      context.addIssue({
        code: 'custom',
        path: [index],
        message: `duplicate category "${category}", also at categories[${firstIndex}]; list each category once`,
      });
    }
  });
}

/** Reports rule ids used by more than one rule of the plan. */
export function checkUniqueRuleIds(rules: readonly { id: string }[], context: RefinementContext): void {
  const firstIndexById = new Map<string, number>();
  rules.forEach((rule, index) => {
    const firstIndex = firstIndexById.get(rule.id);
    if (firstIndex === undefined) {
      firstIndexById.set(rule.id, index);
      return;
    }
    context.addIssue({
      code: 'custom',
      path: [index, 'id'],
      message: `duplicate rule id "${rule.id}", also used by rules[${firstIndex}]; give each rule a unique id`,
    });
  });
}

function describeRange(tier: ParsedTier): string {
  return tier.to === undefined ? `${tier.from}+` : `${tier.from}-${tier.to}`;
}

/**
 * Reports tier tables that do not cover every count from 1 upwards exactly once: the first tier
 * must start at 1, each next tier right after the previous one ends, and only the last tier is
 * open-ended. Each tier has exactly one of `amount` and `rate`.
 */
export function checkTiers(tiers: readonly ParsedTier[], context: RefinementContext): void {
  tiers.forEach((tier, index) => {
    checkTierPayout(tier, index, context);
    if (tier.to !== undefined && tier.to < tier.from) {
      context.addIssue({ code: 'custom', path: [index, 'to'], message: `must not be less than from (${tier.from})` });
    }
    if (index === 0) {
      checkFirstTier(tier, context);
    } else {
      checkTierFollows(tiers, index, context);
    }
  });

  const lastIndex = tiers.length - 1;
  const last = tiers[lastIndex];
  if (last?.to !== undefined) {
    context.addIssue({
      code: 'custom',
      path: [lastIndex, 'to'],
      message: `the last tier must be open-ended so that every count has a tier; remove "to" (${last.to})`,
    });
  }
}

function checkTierPayout(tier: ParsedTier, index: number, context: RefinementContext): void {
  if (tier.amount !== undefined && tier.rate !== undefined) {
    context.addIssue({ code: 'custom', path: [index], message: 'has both amount and rate; keep one of them' });
  }
  if (tier.amount === undefined && tier.rate === undefined) {
    context.addIssue({
      code: 'custom',
      path: [index],
      message: 'needs an amount (such as "30.00") or a rate (such as "0.05")',
    });
  }
}

function checkFirstTier(tier: ParsedTier, context: RefinementContext): void {
  if (tier.from !== 1) {
    context.addIssue({
      code: 'custom',
      path: [0, 'from'],
      message: `the first tier must start at 1, not ${tier.from}; use an amount of "0.00" for counts below a threshold`,
    });
  }
}

function checkTierFollows(tiers: readonly ParsedTier[], index: number, context: RefinementContext): void {
  const tier = tiers[index];
  const previous = tiers[index - 1];
  if (tier === undefined || previous === undefined) {
    return;
  }
  if (previous.to === undefined) {
    context.addIssue({
      code: 'custom',
      path: [index - 1, 'to'],
      message: `is missing, but only the last tier may be open-ended; end tier ${index - 1} before tier ${index} starts`,
    });
    return;
  }
  const expectedFrom = previous.to + 1;
  const previousTier = `tier ${index - 1} (${describeRange(previous)})`;
  if (tier.from < expectedFrom) {
    context.addIssue({
      code: 'custom',
      path: [index, 'from'],
      message: `tiers overlap with ${previousTier}; start this tier at ${expectedFrom}, right after the previous tier ends`,
    });
  } else if (tier.from > expectedFrom) {
    context.addIssue({
      code: 'custom',
      path: [index, 'from'],
      message:
        `counts ${expectedFrom}-${tier.from - 1} have no tier after ${previousTier}; ` +
        `start this tier at ${expectedFrom}, right after the previous tier ends`,
    });
  }
}

interface ParsedBand {
  from: string;
  to?: string | undefined;
}

function isPlaceholder(value: string | undefined): boolean {
  return value?.startsWith('${') ?? false;
}

/**
 * Reports accelerator bands that do not cover every metric value from 0 upwards exactly once. Each
 * band runs from `from` (inclusive) to `to` (exclusive). The first starts at 0, each next one starts
 * where the previous one ends, and only the last is open-ended. Bands with a "${parameter}" bound
 * are checked once the parameter's value is filled in.
 */
export function checkBands(bands: readonly ParsedBand[], context: RefinementContext): void {
  if (bands.some((band) => isPlaceholder(band.from) || isPlaceholder(band.to))) {
    return;
  }
  bands.forEach((band, index) => {
    const from = parseDecimal(band.from, `bands[${index}].from`);
    if (band.to !== undefined && !parseDecimal(band.to, `bands[${index}].to`).greaterThan(from)) {
      context.addIssue({ code: 'custom', path: [index, 'to'], message: `must be greater than from (${band.from})` });
    }
    if (index === 0 && !from.isZero()) {
      context.addIssue({
        code: 'custom',
        path: [0, 'from'],
        message: `the first band must start at "0", not "${band.from}", so that every value has a band`,
      });
    }
    const previous = bands[index - 1];
    if (previous === undefined) {
      return;
    }
    if (previous.to === undefined) {
      context.addIssue({
        code: 'custom',
        path: [index - 1, 'to'],
        message: `is missing, but only the last band may be open-ended; end band ${index - 1} where band ${index} starts`,
      });
      return;
    }
    const previousTo = parseDecimal(previous.to, `bands[${index - 1}].to`);
    if (from.lessThan(previousTo)) {
      context.addIssue({
        code: 'custom',
        path: [index, 'from'],
        message: `bands overlap with band ${index - 1} (${previous.from} to ${previous.to}); start this band at "${previous.to}"`,
      });
    } else if (from.greaterThan(previousTo)) {
      context.addIssue({
        code: 'custom',
        path: [index, 'from'],
        message: `values from ${previous.to} to ${band.from} have no band; start this band at "${previous.to}"`,
      });
    }
  });
  const last = bands.at(-1);
  if (last?.to !== undefined) {
    context.addIssue({
      code: 'custom',
      path: [bands.length - 1, 'to'],
      message: `the last band must be open-ended so that every value has a band; remove "to" (${last.to})`,
    });
  }
}

/**
 * Reports a cap below its floor, which would cap one month under the amount it raises another to.
 * Limits given as "${parameter}" are checked once the values are filled in.
 */
export function checkCapAboveFloor(
  limits: Readonly<Record<string, string | undefined>>,
  pairs: readonly (readonly [cap: string, floor: string])[],
  context: RefinementContext,
): void {
  for (const [capName, floorName] of pairs) {
    const cap = limits[capName];
    const floor = limits[floorName];
    if (cap === undefined || floor === undefined || isPlaceholder(cap) || isPlaceholder(floor)) continue;
    if (parseDecimal(cap, capName).lessThan(parseDecimal(floor, floorName))) {
      context.addIssue({
        code: 'custom',
        path: [capName],
        message: `${capName} ${cap} is below ${floorName} ${floor}; a cap must be at least the floor`,
      });
    }
  }
}
