/**
 * The statement as the integrations read it (SAP posting, invoice PDF, email), plus the
 * locale-specific formatting they share. Amounts stay AmountStrings and are only reformatted,
 * never recomputed, so every printed or posted amount equals the statement's.
 */
import { Decimal } from 'decimal.js';

import type { AmountString, Partner, PostalAddress } from '../domain/model.js';

/** Kind of a tax or contribution item of a statement. */
export type StatementTaxKind = 'vat' | 'withholding' | 'contribution_agent' | 'contribution_principal';

/** One tax or contribution item with the base and rate it was computed from. */
export interface StatementTaxItem {
  kind: StatementTaxKind;
  /** Label from the engine, for example "Ritenuta d'acconto". */
  label: string;
  base: AmountString;
  /** Rate as a decimal fraction: "0.19" is 19 %. */
  rate: string;
  amount: AmountString;
  /** Legal note to print with the item, for example the reason for a VAT exemption. */
  note?: string;
}

/** One commission line. Reversal lines (clawbacks, cancellations) carry negative amounts. */
export interface StatementLineView {
  lineNumber: number;
  kind: 'commission' | 'reversal';
  orderNumber: string;
  ruleId: string;
  amount: AmountString;
  description: string;
}

/** The company that pays the commissions and issues the self-billing invoice. */
export interface Principal {
  name: string;
  address: PostalAddress;
  vatId: string;
  taxNumber: string;
  /** SAP company code (BUKRS) that posts the supplier invoice, for example "1000". */
  sapCompanyCode: string;
}

/**
 * A calculated and approved statement: everything needed to post, render and send it.
 * `payableAmount` is `grossAmount - withholdingAmount - contributionAgent` and is negative for a
 * credit note. `contributionPrincipal` is the principal's own share and is not deducted.
 */
export interface StatementForInvoice {
  /** `<period>-<partner>`, for example "2026-11-P00042". At most 16 characters: it is also the SAP reference. */
  id: string;
  /** Monthly pay period, "YYYY-MM". */
  periodId: string;
  /** ISO 8601 instants of the period. Documents take their dates from `periodId` instead. */
  periodStartsAt: string;
  periodEndsAt: string;
  /** Sequential self-billing invoice number such as "GS-2026-000123", or null before approval. */
  invoiceNumber: string | null;
  /** Issue date, "YYYY-MM-DD". */
  issueDate: string;
  partner: Partner;
  principal: Principal;
  currency: 'EUR';
  netCommission: AmountString;
  vatAmount: AmountString;
  grossAmount: AmountString;
  withholdingAmount: AmountString;
  contributionAgent: AmountString;
  contributionPrincipal: AmountString;
  payableAmount: AmountString;
  taxes: StatementTaxItem[];
  lines: StatementLineView[];
}

/** Locale of the documents and emails for a partner. */
export type DocumentLocale = 'de-DE' | 'it-IT';

/** Raised when a statement cannot be posted or rendered as given. Names the statement and the field. */
export class InvalidStatementError extends Error {
  override readonly name = 'InvalidStatementError';
  constructor(
    readonly statementId: string,
    readonly field: string,
    readonly detail: string,
  ) {
    super(`Statement ${statementId}: ${field} ${detail}`);
  }
}

const AMOUNT_PATTERN = /^-?\d+(\.\d{1,2})?$/;
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const PERIOD_PATTERN = /^(\d{4})-(0[1-9]|1[0-2])$/;

/**
 * Parses an AmountString into a Decimal. Throws InvalidStatementError naming `field` unless the
 * value has an optional minus sign, digits and at most two fraction digits.
 */
export function parseStatementAmount(statementId: string, field: string, value: string): Decimal {
  if (!AMOUNT_PATTERN.test(value)) {
    throw new InvalidStatementError(
      statementId,
      field,
      `is not an amount with at most two decimals: ${JSON.stringify(value)}`,
    );
  }
  return new Decimal(value);
}

/**
 * Checks that the statement's totals add up, so that the posted invoice balances and matches the
 * printed document. Throws InvalidStatementError naming the first total that does not.
 */
export function checkStatementTotals(statement: StatementForInvoice): void {
  const amount = (field: string, value: string): Decimal => parseStatementAmount(statement.id, field, value);
  const net = amount('netCommission', statement.netCommission);
  const vat = amount('vatAmount', statement.vatAmount);
  const gross = amount('grossAmount', statement.grossAmount);
  const withholding = amount('withholdingAmount', statement.withholdingAmount);
  const contributionAgent = amount('contributionAgent', statement.contributionAgent);
  const sum = (values: Decimal[]): Decimal => values.reduce((total, value) => total.plus(value), new Decimal(0));
  const sumOfKind = (kind: string): Decimal =>
    sum(
      statement.taxes
        .filter((tax) => tax.kind === kind)
        .map((tax, index) => amount(`taxes.${kind}[${index}].amount`, tax.amount)),
    );

  const checks: Array<[field: string, expected: Decimal, actual: Decimal, rule: string]> = [
    ['grossAmount', net.plus(vat), gross, 'netCommission + vatAmount'],
    [
      'netCommission',
      sum(statement.lines.map((line) => amount(`lines[${line.lineNumber}].amount`, line.amount))),
      net,
      'the sum of the lines',
    ],
    ['vatAmount', sumOfKind('vat'), vat, 'the sum of the VAT items'],
    ['withholdingAmount', sumOfKind('withholding'), withholding, 'the sum of the withholding items'],
    [
      'contributionAgent',
      sumOfKind('contribution_agent'),
      contributionAgent,
      "the sum of the agent's contribution items",
    ],
    [
      'payableAmount',
      gross.minus(withholding).minus(contributionAgent),
      amount('payableAmount', statement.payableAmount),
      'grossAmount - withholdingAmount - contributionAgent',
    ],
  ];
  const vatItems = statement.taxes.filter((tax) => tax.kind === 'vat');
  if (vatItems.length > 0) {
    const bases = sum(vatItems.map((tax, index) => amount(`taxes.vat[${index}].base`, tax.base)));
    checks.push(['netCommission', bases, net, 'the sum of the VAT bases']);
  }

  for (const [field, expected, actual, rule] of checks) {
    if (!expected.equals(actual)) {
      throw new InvalidStatementError(
        statement.id,
        field,
        `is ${actual.toFixed(2)} but ${rule} is ${expected.toFixed(2)}`,
      );
    }
  }
}

/**
 * Parses a "YYYY-MM-DD" date as midnight UTC. Throws InvalidStatementError naming `field` for another
 * format or a day that does not exist, such as 2026-02-30.
 */
export function parseStatementDate(statementId: string, field: string, value: string): Date {
  const date = DATE_PATTERN.test(value) ? new Date(`${value}T00:00:00Z`) : new Date(Number.NaN);
  // V8 reads 2026-02-30 as March 2, so the round trip rejects days that do not exist.
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) {
    throw new InvalidStatementError(statementId, field, `is not a valid YYYY-MM-DD date: ${JSON.stringify(value)}`);
  }
  return date;
}

/** Returns the document locale for the partner's tax country: German for DE, Italian for IT. */
export function documentLocale(partner: Partner): DocumentLocale {
  return partner.taxProfile.country === 'IT' ? 'it-IT' : 'de-DE';
}

/** Thousands and decimal separators per locale, as Intl.NumberFormat uses them for euros. */
const SEPARATORS: Record<DocumentLocale, { group: string; decimal: string }> = {
  'de-DE': { group: '.', decimal: ',' },
  'it-IT': { group: '.', decimal: ',' },
};

/**
 * Formats an amount as euros the way de-DE and it-IT write them: "1.234,56 €", "-80,00 €".
 * Works on the decimal string, so no float rounding can change a digit. Throws RangeError for a
 * value that is not an amount with at most two decimals. Unlike Intl.NumberFormat, which puts a
 * no-break space before "€", this uses a plain space so that extracted PDF text is searchable.
 */
export function formatEuro(amount: AmountString | Decimal, locale: DocumentLocale): string {
  const text = typeof amount === 'string' ? amount : amount.toFixed(2);
  if (!AMOUNT_PATTERN.test(text)) {
    throw new RangeError(`formatEuro: ${JSON.stringify(text)} is not an amount with at most two decimals`);
  }

  const { group, decimal } = SEPARATORS[locale];
  const value = new Decimal(text);
  const [integerPart = '0', fractionPart = '00'] = value.abs().toFixed(2).split('.');
  const grouped = integerPart.replace(/\B(?=(\d{3})+$)/g, group);
  const sign = value.isNegative() && !value.isZero() ? '-' : '';
  return `${sign}${grouped}${decimal}${fractionPart} €`;
}

/**
 * Formats a rate given as a decimal fraction as a percentage, for example "0.085" as "8,5 %" in
 * German and "8,5%" in Italian. German puts a space before the sign, as DIN 5008 writes it.
 * Throws RangeError when `rate` is not a decimal string.
 */
export function formatPercent(rate: string, locale: DocumentLocale): string {
  if (!/^-?\d+(\.\d+)?$/.test(rate))
    throw new RangeError(`formatPercent: ${JSON.stringify(rate)} is not a decimal rate`);

  const percent = new Decimal(rate).times(100).toString().replace('.', SEPARATORS[locale].decimal);
  return locale === 'de-DE' ? `${percent} %` : `${percent}%`;
}

/** Formats "YYYY-MM-DD" as "04.12.2026" (de-DE) or "04/12/2026" (it-IT). Throws RangeError for another format. */
export function formatDate(isoDate: string, locale: DocumentLocale): string {
  const match = DATE_PATTERN.exec(isoDate);
  if (!match) throw new RangeError(`formatDate: ${JSON.stringify(isoDate)} is not a YYYY-MM-DD date`);

  const [, year, month, day] = match;
  return locale === 'de-DE' ? `${day}.${month}.${year}` : `${day}/${month}/${year}`;
}

/**
 * Returns the first and last calendar day ("YYYY-MM-DD") of the statement's monthly pay period,
 * taken from `periodId` so that time zones and inclusive or exclusive end instants cannot shift
 * a day. Throws InvalidStatementError when `periodId` is not "YYYY-MM".
 */
export function servicePeriod(statement: StatementForInvoice): { firstDay: string; lastDay: string } {
  const match = PERIOD_PATTERN.exec(statement.periodId);
  if (!match) {
    throw new InvalidStatementError(statement.id, 'periodId', `is not a monthly period YYYY-MM: ${statement.periodId}`);
  }

  const year = Number(match[1]);
  const month = Number(match[2]);
  // Day 0 of the next month is the last day of this month.
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const prefix = `${match[1]}-${match[2]}`;
  return { firstDay: `${prefix}-01`, lastDay: `${prefix}-${String(lastDay).padStart(2, '0')}` };
}
