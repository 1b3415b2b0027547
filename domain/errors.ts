/**
 * Typed errors of the domain. Each error has a stable `name` and carries the values involved, so
 * callers can branch on the class and show the field and value to an operator.
 */

/** An amount is not a decimal string with at most two fraction digits. */
export class InvalidAmountError extends Error {
  override readonly name = 'InvalidAmountError';

  constructor(
    readonly field: string,
    readonly value: unknown,
  ) {
    super(
      `invalid amount in ${field}: ${JSON.stringify(value)}; ` +
        'use a decimal string with at most two fraction digits, such as "80.00" or "-12.50"',
    );
  }
}

/** A rate, share or quantity is not a decimal string. */
export class InvalidDecimalError extends Error {
  override readonly name = 'InvalidDecimalError';

  constructor(
    readonly field: string,
    readonly value: unknown,
  ) {
    super(`invalid decimal in ${field}: ${JSON.stringify(value)}; use a decimal string such as "0.05" or "7.35"`);
  }
}

/** An amount with more than two fraction digits was formatted without being rounded to cents first. */
export class UnroundedAmountError extends Error {
  override readonly name = 'UnroundedAmountError';

  constructor(readonly value: string) {
    super(`cannot format ${value} as an amount: it has more than two fraction digits; round it to cents first`);
  }
}

/** A date-time is not an ISO 8601 string with a time zone. */
export class InvalidDateTimeError extends Error {
  override readonly name = 'InvalidDateTimeError';

  constructor(
    readonly field: string,
    readonly value: unknown,
  ) {
    super(
      `invalid date-time in ${field}: ${JSON.stringify(value)}; ` +
        'use an ISO 8601 string with a time zone, such as "2026-11-12T09:30:00.000Z"',
    );
  }
}

/** A pay period does not end after it starts. */
export class InvalidPeriodError extends Error {
  override readonly name = 'InvalidPeriodError';

  constructor(
    readonly periodId: string,
    readonly startsAt: string,
    readonly endsAt: string,
  ) {
    super(`invalid pay period ${periodId}: endsAt ${endsAt} must be after startsAt ${startsAt}`);
  }
}

/** One problem found in a plan definition or a tax rule set, with the path of the offending value. */
export interface ValidationIssue {
  /** Path in the validated document, for example `rules[2].tiers[1].from`; empty for the document itself. */
  path: string;
  message: string;
  /** Character offset of the problem inside the value at `path`, for a formula error. */
  offset?: number;
}

function formatIssues(issues: readonly ValidationIssue[]): string {
  return issues.map((issue) => `${issue.path === '' ? '(document)' : issue.path}: ${issue.message}`).join('\n');
}

/**
 * A plan definition is invalid. `issues` lists every problem found, not only the first.
 * `planVersionId` is set when the definition came with a plan assignment.
 */
export class PlanValidationError extends Error {
  override readonly name = 'PlanValidationError';

  constructor(
    readonly issues: readonly ValidationIssue[],
    readonly planVersionId?: string,
  ) {
    const subject = planVersionId === undefined ? 'plan definition' : `definition of plan version ${planVersionId}`;
    const count = `${issues.length} problem${issues.length === 1 ? '' : 's'}`;
    super(`invalid ${subject} (${count}):\n${formatIssues(issues)}`);
  }
}

/** The same order id appears more than once in a calculation input, which would pay it twice. */
export class DuplicateOrderError extends Error {
  override readonly name = 'DuplicateOrderError';

  constructor(readonly orderId: string) {
    super(
      `order ${orderId} appears more than once in the calculation input; pass each order once with its full history`,
    );
  }
}

/** A tax rule set is invalid. `issues` lists every problem found, not only the first. */
export class TaxRuleSetValidationError extends Error {
  override readonly name = 'TaxRuleSetValidationError';

  constructor(readonly issues: readonly ValidationIssue[]) {
    super(`invalid tax rule set (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n${formatIssues(issues)}`);
  }
}

/** The tax rule set has no entry for a country that is effective on the requested date. */
export class TaxRatesNotFoundError extends Error {
  override readonly name = 'TaxRatesNotFoundError';

  constructor(
    readonly country: string,
    readonly date: string,
  ) {
    super(`no tax rates for ${country} are effective on ${date}; add an entry with an earlier effectiveFrom`);
  }
}

/**
 * A partner's tax profile cannot be applied, for example an Italian agent without a withholding
 * setting or a VAT regime the country does not have. The engine adds `partnerId` when it rethrows it.
 */
export class InvalidTaxProfileError extends Error {
  override readonly name = 'InvalidTaxProfileError';

  constructor(
    readonly field: string,
    readonly value: unknown,
    readonly reason: string,
    readonly partnerId?: string,
  ) {
    super(
      `invalid tax profile${partnerId === undefined ? '' : ` of partner ${partnerId}`}: ` +
        `${field} is ${JSON.stringify(value)}; ${reason}`,
    );
  }

  /** Returns a copy of this error that names the partner. */
  withPartner(partnerId: string): InvalidTaxProfileError {
    return new InvalidTaxProfileError(this.field, this.value, this.reason, partnerId);
  }
}
