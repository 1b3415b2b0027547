/**
 * Simulation route: a what-if run of draft plan files over Salesforce records. It calls runWhatIf,
 * as `incentra simulate` does, so the same plans, records and period give the same JSON as
 * `incentra simulate --format json`. Nothing is stored.
 */
import { z } from 'zod';
import type { SalesforceRecords } from '../../demo/files.js';
import {
  DuplicateOrderError,
  InvalidAmountError,
  InvalidDateTimeError,
  InvalidDecimalError,
  InvalidTaxProfileError,
  PlanValidationError,
  TaxRatesNotFoundError,
} from '../../domain/errors.js';
import { PARTNER_KINDS } from '../../domain/model.js';
import { InvalidOrderEventError } from '../../domain/orders/order-event-schema.js';
import { SimulationAssignmentError } from '../../domain/simulation.js';
import type { TaxRuleSet } from '../../domain/tax/types.js';
import { PlanFileError } from '../../integrations/plans/plan-file.js';
import { SalesforceMappingError } from '../../integrations/salesforce/mapping.js';
import { runWhatIf, type PlanSource } from '../../integrations/simulation/what-if.js';
import { loadStoredPlanFiles } from '../../store/plans.js';
import type { PrismaClient } from '../../store/prisma.js';
import { DuplicateReferenceIdError, UnknownParentPartnerError } from '../../store/reference-data.js';
import { InvalidPeriodIdError } from '../../workflows/messages.js';
import { ConflictError, InvalidRequestError, UnprocessableContentError, type HttpError } from '../errors.js';
import { defineOperation, type ApiOperation } from '../operation.js';
import { periodParams } from './periods.js';
import { planFileIssueDetails, planSourceSchema } from './plans.js';

/** Path of the route. app.ts gives it a larger body limit than the other routes. */
export const SIMULATIONS_PATH = '/api/v1/simulations';

/** Maximum number of plan files in `plans`, and in `active`. */
const MAX_PLAN_FILES = 100;

const planSource = planSourceSchema
  .extend({
    fileName: planSourceSchema.shape.fileName.describe(
      'Name used in error messages; default `plans[i]` or `active[i]`, the place of the file in the body.',
    ),
  })
  .meta({ id: 'PlanSource' });

// Only the lists are checked here, because the mapping checks each record's fields and names the record.
function recordList(sObjectType: string) {
  return z
    .array(z.looseObject({}))
    .describe(`${sObjectType} records as the Salesforce REST API returns them; [] when there are none.`);
}

const salesforceRecords = z
  .strictObject({
    accounts: recordList('Account'),
    products: recordList('Product2'),
    orders: recordList('Order'),
    orderItems: recordList('OrderItem'),
    orderHistories: recordList('OrderHistory'),
  })
  .meta({ id: 'SalesforceRecords' });

const simulationBody = z
  .strictObject({
    plans: z
      .array(planSource)
      .min(1, 'must list at least one draft plan file')
      .max(MAX_PLAN_FILES, `must list at most ${MAX_PLAN_FILES} plan files`)
      .describe('Draft plan files. Each replaces the active plan with the same id.'),
    active: z
      .array(planSource)
      .max(MAX_PLAN_FILES, `must list at most ${MAX_PLAN_FILES} plan files`)
      .optional()
      .describe('Plan files to compare against. When absent, the plans stored in the database are used.'),
    records: salesforceRecords,
    period: periodParams.shape.periodId,
    partnerId: z
      .string()
      .trim()
      .min(1)
      .max(64)
      .optional()
      .describe('Limits the result to this partner. The calculation still uses every partner, for agency roll-ups.'),
  })
  .meta({ id: 'SimulationRequest' });

const amount = z
  .string()
  .regex(/^-?\d+\.\d{2}$/)
  .describe('Amount in euros with two fraction digits.');

const simulationTotals = z
  .object({
    lines: z.number().int().describe('Number of commission lines; in a difference, the change in that number.'),
    netCommission: amount,
    vatAmount: amount,
    withholdingAmount: amount,
    contributionAgent: amount,
    payableAmount: amount,
  })
  .meta({ id: 'SimulationTotals' });

const simulatedLine = z
  .object({
    lineNumber: z.number().int(),
    kind: z.enum(['commission', 'reversal', 'adjustment']),
    orderId: z.string().optional().describe('Absent on adjustment lines.'),
    orderNumber: z.string().optional(),
    planId: z.string(),
    planVersionId: z.string(),
    ruleId: z.string(),
    ruleKind: z.string().describe('Kind of the rule; `limit` for a line of the period cap or floor.'),
    amount,
    description: z.string(),
    explanation: z
      .record(z.string(), z.unknown())
      .describe('Why the line exists: order state, base amount, share, rate, tier, metrics, inputs and formula.'),
  })
  .meta({ id: 'SimulatedLine' });

const partnerSimulation = z
  .object({
    partnerId: z.string(),
    name: z.string(),
    kind: z.enum(PARTNER_KINDS),
    planVersionIds: z.array(z.string()).describe('Plan versions of the draft run.'),
    lines: z.array(simulatedLine).describe('Lines of the draft run.'),
    draft: simulationTotals,
    active: simulationTotals,
    difference: simulationTotals,
  })
  .describe(
    '`active` is zero when the partner has no statement under the active plans, and `difference` is draft − active.',
  )
  .meta({ id: 'PartnerSimulation' });

const simulationResult = z
  .object({
    period: z.string(),
    draftPlans: z.array(z.string()).describe('Ids of the draft plans.'),
    activePlans: z.array(z.string()).describe('Ids of the active plans, including those that a draft replaces.'),
    partners: z
      .array(partnerSimulation)
      .describe('Partners with a statement under either plan set, by id; empty when `partnerId` has none.'),
    totals: z.object({ draft: simulationTotals, active: simulationTotals, difference: simulationTotals }),
    warnings: z
      .array(
        z.object({
          code: z.string(),
          message: z.string(),
          partnerId: z.string().optional(),
          orderIds: z.array(z.string()).optional(),
          ruleId: z.string().optional(),
        }),
      )
      .describe('Warnings of the draft run.'),
    notes: z
      .array(z.string())
      .describe(
        'What the run assumed or could not check: draft plans that replace active plans of other ids for some ' +
          'partners (storing them would be rejected), no partner assigned by a draft, declared attributes that no order has.',
      ),
  })
  .meta({ id: 'SimulationResult' });

/** Dependencies of the simulation route. */
export interface SimulationRouteDependencies {
  prisma: PrismaClient;
  taxRules: TaxRuleSet;
}

/** Returns the simulation operation: a what-if run of draft plans over Salesforce records. */
export function simulationOperations(deps: SimulationRouteDependencies): ApiOperation[] {
  const { prisma, taxRules } = deps;

  return [
    defineOperation({
      method: 'post',
      path: SIMULATIONS_PATH,
      operationId: 'simulatePeriod',
      tag: 'simulations',
      summary: 'Compute a pay period under draft plan files, compared with the active plans',
      description:
        'A what-if run: computes the statements of the period from the given Salesforce records under the ' +
        'draft plans and under the active plans (the `active` files, or the stored plans), and returns both ' +
        'with their differences. It returns the JSON of `incentra simulate --format json` and stores nothing.',
      access: ['admin', 'approver'],
      body: simulationBody,
      responses: {
        200: { description: 'The simulated statements and their differences.', schema: simulationResult },
        400: {
          description:
            'The body or a plan file is invalid; for a plan file, each `details` path is `file:line:column` ' +
            'and the path inside the plan.',
        },
        409: { description: '`plan_conflict`: the plans give a partner of the records two plans on one day.' },
        422: {
          description:
            '`invalid_records`: a record cannot be mapped or has an invalid value. `invalid_plan`: a stored plan ' +
            'cannot be applied. `tax_rates_not_found`: no tax rates are in force in the period.',
        },
      },
      async handle({ body, log }) {
        const drafts = toPlanSources(body.plans, 'plans');
        const active =
          body.active === undefined ? await loadStoredPlanFiles(prisma) : toPlanSources(body.active, 'active');
        const records = body.records as unknown as SalesforceRecords;

        const started = performance.now();
        let result;
        try {
          // NOTE: the run is synchronous, so it blocks every other request until it ends. For the
          // default demo data set (22,000 orders) it took about 4 s on a 2-core AMD EPYC machine.
          result = runWhatIf({ drafts, active, records, period: body.period, partnerId: body.partnerId, taxRules });
        } catch (error) {
          throw toHttpError(error) ?? error;
        }

        log.info(
          {
            period: result.period,
            draftPlans: result.draftPlans,
            activePlans: result.activePlans,
            activeSource: body.active === undefined ? 'database' : 'request',
            orders: records.orders.length,
            partners: result.partners.length,
            ms: Math.round(performance.now() - started),
          },
          'simulation computed',
        );
        return { status: 200, body: result };
      },
    }),
  ];
}

function toPlanSources(sources: readonly z.output<typeof planSource>[], member: 'plans' | 'active'): PlanSource[] {
  return sources.map((source, index) => ({ file: source.fileName ?? `${member}[${index}]`, text: source.source }));
}

/** Converts what runWhatIf throws for invalid input into an HttpError, or returns undefined for any other error. */
function toHttpError(error: unknown): HttpError | undefined {
  if (error instanceof PlanFileError) {
    return new InvalidRequestError(
      `the plan files are invalid (${countProblems(error.issues.length)}); nothing was simulated`,
      planFileIssueDetails(error, true),
    );
  }
  if (error instanceof InvalidPeriodIdError) {
    return new InvalidRequestError(error.message, [{ path: 'period', message: error.message }]);
  }
  if (error instanceof SimulationAssignmentError) {
    return new ConflictError(
      'the plans give a partner of the records two plans on the same days; nothing was simulated',
      'plan_conflict',
      error.issues.map((issue) => ({ path: `plan ${issue.planId} ${issue.path}`, message: issue.message })),
    );
  }
  if (error instanceof InvalidOrderEventError) {
    const firstIssues = error.issues.slice(0, 3).map((issue) => `${issue.path} ${issue.message}`);
    const more = error.issues.length > 3 ? ` (and ${error.issues.length - 3} more)` : '';
    return new UnprocessableContentError(
      'invalid_records',
      `the order events mapped from the records are invalid: ${firstIssues.join('; ')}${more}; nothing was simulated`,
      error.issues.map((issue) => ({ path: issue.path, message: issue.message })),
    );
  }
  if (
    error instanceof SalesforceMappingError ||
    error instanceof DuplicateReferenceIdError ||
    error instanceof UnknownParentPartnerError ||
    error instanceof InvalidTaxProfileError ||
    error instanceof DuplicateOrderError ||
    error instanceof InvalidAmountError ||
    error instanceof InvalidDecimalError ||
    error instanceof InvalidDateTimeError
  ) {
    return new UnprocessableContentError(
      'invalid_records',
      `the records cannot be used: ${error.message}; nothing was simulated`,
    );
  }
  if (error instanceof PlanValidationError) {
    return new UnprocessableContentError(
      'invalid_plan',
      `${error.message.split('\n')[0]}; correct that plan file and, for a stored plan, upload it again with POST /api/v1/plans`,
      error.issues.map((issue) => ({ path: issue.path, message: issue.message })),
    );
  }
  if (error instanceof TaxRatesNotFoundError) {
    return new UnprocessableContentError('tax_rates_not_found', `${error.message}; nothing was simulated`);
  }
  return undefined;
}

function countProblems(count: number): string {
  return count === 1 ? '1 problem' : `${count} problems`;
}
