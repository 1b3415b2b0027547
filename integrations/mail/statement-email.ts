/**
 * Subject, body and attachment name of the email that delivers a statement, in the partner's
 * language: German for partners taxed in Germany, Italian for partners taxed in Italy.
 */
import { documentTitle } from '../documents/statement-labels.js';
import {
  documentLocale,
  formatDate,
  formatEuro,
  InvalidStatementError,
  parseStatementAmount,
  servicePeriod,
  type StatementForInvoice,
} from '../statement-view.js';

/** Subject, plain-text body and attachment file name of a statement email. */
export interface StatementEmailContent {
  subject: string;
  text: string;
  attachmentFilename: string;
}

/**
 * Builds the email for an approved statement, naming the period, the invoice number and the payable
 * amount. A negative payable amount (credit note) is shown as the absolute amount the partner owes.
 * Throws InvalidStatementError when the statement has no invoice number yet, or an invalid
 * period or payable amount.
 */
export function buildStatementEmail(statement: StatementForInvoice): StatementEmailContent {
  const invoiceNumber = requireInvoiceNumber(statement);
  const locale = documentLocale(statement.partner);
  const payable = parseStatementAmount(statement.id, 'payableAmount', statement.payableAmount);
  const { firstDay, lastDay } = servicePeriod(statement);
  const period = `${formatDate(firstDay, locale)}–${formatDate(lastDay, locale)}`;
  const month = `${statement.periodId.slice(5, 7)}/${statement.periodId.slice(0, 4)}`;
  const amount = formatEuro(payable.abs(), locale);
  const title = documentTitle(locale);
  const attachmentFilename = `${title}_${invoiceNumber}.pdf`.replace(/[^A-Za-z0-9._-]/g, '_');

  if (locale === 'it-IT') {
    const amountLine = payable.isNegative() ? `Importo a Suo debito: ${amount}` : `Netto a pagare: ${amount}`;
    return {
      subject: `${title} ${invoiceNumber} – provvigioni ${month}`,
      text: [
        `Gentile ${statement.partner.name},`,
        '',
        `in allegato trova la ${title.toLowerCase()} ${invoiceNumber}, emessa da ${statement.principal.name} per Suo conto, relativa alle provvigioni del periodo ${period}.`,
        '',
        amountLine,
        '',
        'Cordiali saluti',
        statement.principal.name,
        '',
      ].join('\n'),
      attachmentFilename,
    };
  }

  const amountLine = payable.isNegative() ? `Betrag zu Ihren Lasten: ${amount}` : `Auszahlungsbetrag: ${amount}`;
  return {
    subject: `${title} ${invoiceNumber} – Provisionen ${month}`,
    text: [
      `Guten Tag ${statement.partner.name},`,
      '',
      `anbei erhalten Sie die ${title} ${invoiceNumber} über Ihre Provisionen für den Leistungszeitraum ${period}.`,
      '',
      amountLine,
      '',
      'Mit freundlichen Grüßen',
      statement.principal.name,
      '',
    ].join('\n'),
    attachmentFilename,
  };
}

/**
 * Returns the Message-ID of a statement's email, `<statement.<id>.<invoice number>@<domain>>`. The
 * same statement and invoice number always give the same id, so a resent email is recognisable,
 * and a corrected statement with a new invoice number gets a new one. Throws InvalidStatementError
 * without an invoice number and RangeError for a domain that is empty or contains spaces or brackets.
 */
export function statementMessageId(statement: StatementForInvoice, domain: string): string {
  if (!/^[^\s<>@]+$/.test(domain))
    throw new RangeError(
      `statementMessageId: invalid domain ${JSON.stringify(domain)}, expected a host name such as incentra.local`,
    );
  return `<statement.${statement.id}.${requireInvoiceNumber(statement)}@${domain}>`;
}

function requireInvoiceNumber(statement: StatementForInvoice): string {
  if (!statement.invoiceNumber) {
    throw new InvalidStatementError(
      statement.id,
      'invoiceNumber',
      'is missing because the statement is not approved yet',
    );
  }
  return statement.invoiceNumber;
}
