/**
 * Renders a statement as the self-billing invoice PDF that the partner receives: a German
 * "Gutschrift" with the data §14(4) UStG requires, or an Italian "fattura pro forma" with IVA,
 * ritenuta d'acconto and ENASARCO. Amounts are the statement's own strings, only reformatted.
 */
import { Decimal } from 'decimal.js';
import { PDFDocument, StandardFonts } from '@cantoo/pdf-lib';

import {
  checkStatementTotals,
  documentLocale,
  formatDate,
  formatEuro,
  formatPercent,
  InvalidStatementError,
  parseStatementDate,
  servicePeriod,
  type DocumentLocale,
  type StatementForInvoice,
} from '../statement-view.js';
import { A4, CONTENT_WIDTH, MARGIN, PageCursor, wrapText, type TextStyle } from './pdf-layout.js';
import { statementLabels, type StatementLabels } from './statement-labels.js';

interface Styles {
  title: TextStyle;
  body: TextStyle;
  bold: TextStyle;
  small: TextStyle;
}

/** Everything the drawing steps need, resolved once. */
interface RenderContext {
  statement: StatementForInvoice;
  invoiceNumber: string;
  locale: DocumentLocale;
  labels: StatementLabels;
  styles: Styles;
  cursor: PageCursor;
}

const LINE_HEIGHT = 12;
const RIGHT_EDGE = A4.width - MARGIN.right;

/**
 * Renders the statement's self-billing invoice and returns the PDF bytes. The same statement always
 * gives the same bytes, because the creation and modification dates are the issue date. Commission
 * lines continue over as many pages as needed, and every page has a footer with the invoice number
 * and "page n of m". Characters outside WinAnsi (CP1252) print as "?".
 *
 * Throws InvalidStatementError when the statement has no invoice number, the partner has neither
 * a tax number nor a VAT id, the issue date or period is malformed, or the totals do not add up.
 */
export async function renderStatementPdf(statement: StatementForInvoice): Promise<Uint8Array> {
  const invoiceNumber = validateForDocument(statement);
  checkStatementTotals(statement);

  const locale = documentLocale(statement.partner);
  const labels = statementLabels(locale);
  const document = await PDFDocument.create({ updateMetadata: false });
  setMetadata(document, statement, labels, invoiceNumber, locale);

  const regular = await document.embedFont(StandardFonts.Helvetica);
  const boldFont = await document.embedFont(StandardFonts.HelveticaBold);
  const styles: Styles = {
    title: { font: boldFont, size: 20 },
    body: { font: regular, size: 9 },
    bold: { font: boldFont, size: 9 },
    small: { font: regular, size: 7.5 },
  };
  const context: RenderContext = { statement, invoiceNumber, locale, labels, styles, cursor: new PageCursor(document) };

  drawHeading(context);
  drawParties(context);
  drawLines(context);
  drawTotals(context);
  drawNotes(context);
  drawFooters(context);
  return document.save();
}

function validateForDocument(statement: StatementForInvoice): string {
  if (!statement.invoiceNumber) {
    throw new InvalidStatementError(
      statement.id,
      'invoiceNumber',
      'is missing, but a self-billing invoice needs its sequential number. Render it after approval.',
    );
  }
  const { taxNumber, vatId } = statement.partner.taxProfile;
  if (!taxNumber && !vatId) {
    throw new InvalidStatementError(
      statement.id,
      'partner.taxProfile',
      'has neither taxNumber nor vatId. Add one of them, because the invoice must show it.',
    );
  }
  parseStatementDate(statement.id, 'issueDate', statement.issueDate);
  return statement.invoiceNumber;
}

function setMetadata(
  document: PDFDocument,
  statement: StatementForInvoice,
  labels: StatementLabels,
  invoiceNumber: string,
  locale: DocumentLocale,
): void {
  const issued = parseStatementDate(statement.id, 'issueDate', statement.issueDate);
  document.setTitle(`${labels.title} ${invoiceNumber}`);
  document.setAuthor(statement.principal.name);
  document.setSubject(labels.service(periodText(statement, locale)));
  document.setCreator('Incentra');
  document.setProducer('Incentra with @cantoo/pdf-lib');
  document.setLanguage(locale);
  document.setCreationDate(issued);
  document.setModificationDate(issued);
}

function periodText(statement: StatementForInvoice, locale: DocumentLocale): string {
  const { firstDay, lastDay } = servicePeriod(statement);
  return `${formatDate(firstDay, locale)}–${formatDate(lastDay, locale)}`;
}

function drawHeading({ statement, invoiceNumber, locale, labels, styles, cursor }: RenderContext): void {
  cursor.text(labels.title, MARGIN.left, styles.title);
  cursor.down(16);
  cursor.text(labels.subtitle, MARGIN.left, styles.small);
  cursor.down(22);

  const facts: Array<[string, string]> = [
    [labels.invoiceNumber, invoiceNumber],
    [labels.issueDate, formatDate(statement.issueDate, locale)],
    [labels.period, periodText(statement, locale)],
    [labels.partnerId, statement.partner.id],
  ];
  for (const [label, value] of facts) {
    cursor.text(label, MARGIN.left, styles.bold);
    cursor.text(value, MARGIN.left + 120, styles.body);
    cursor.down(LINE_HEIGHT);
  }
  cursor.down(10);
}

function drawParties({ statement, locale, labels, styles, cursor }: RenderContext): void {
  const { partner, principal } = statement;
  const agentLines = [
    partner.name,
    partner.taxProfile.address.street,
    `${partner.taxProfile.address.postalCode} ${partner.taxProfile.address.city}`,
    partner.taxProfile.address.country,
    ...(partner.taxProfile.taxNumber ? [`${labels.taxNumber}: ${partner.taxProfile.taxNumber}`] : []),
    ...(partner.taxProfile.vatId ? [`${labels.vatId}: ${partner.taxProfile.vatId}`] : []),
  ];
  const principalLines = [
    principal.name,
    principal.address.street,
    `${principal.address.postalCode} ${principal.address.city}`,
    principal.address.country,
    `${labels.vatId}: ${principal.vatId}`,
    `${labels.taxNumber}: ${principal.taxNumber}`,
  ];

  const columnWidth = CONTENT_WIDTH / 2 - 10;
  const columns: Array<[heading: string, lines: string[], x: number]> = [
    [labels.agent, agentLines.flatMap((line) => wrapText(line, columnWidth, styles.body)), MARGIN.left],
    [
      labels.principal,
      principalLines.flatMap((line) => wrapText(line, columnWidth, styles.body)),
      MARGIN.left + CONTENT_WIDTH / 2,
    ],
  ];
  const rows = Math.max(...columns.map(([, lines]) => lines.length)) + 1;
  cursor.reserve(rows * LINE_HEIGHT);

  const top = cursor.y;
  for (const [heading, lines, x] of columns) {
    cursor.y = top;
    cursor.text(heading, x, styles.bold);
    for (const line of lines) {
      cursor.down(LINE_HEIGHT);
      cursor.text(line, x, styles.body);
    }
  }
  cursor.y = top - rows * LINE_HEIGHT - 10;

  for (const line of wrapText(labels.service(periodText(statement, locale)), CONTENT_WIDTH, styles.bold)) {
    cursor.reserve(LINE_HEIGHT);
    cursor.text(line, MARGIN.left, styles.bold);
    cursor.down(LINE_HEIGHT);
  }
  cursor.down(8);
}

/** Column positions of the commission line table, in points. */
const COLUMNS = {
  line: MARGIN.left,
  order: MARGIN.left + 32,
  description: MARGIN.left + 130,
  descriptionWidth: CONTENT_WIDTH - 130 - 80,
  orderWidth: 92,
} as const;

function drawLines({ statement, locale, labels, styles, cursor }: RenderContext): void {
  const drawHeader = (): void => {
    cursor.text(labels.columns.line, COLUMNS.line, styles.bold);
    cursor.text(labels.columns.order, COLUMNS.order, styles.bold);
    cursor.text(labels.columns.description, COLUMNS.description, styles.bold);
    cursor.textRight(labels.columns.amount, RIGHT_EDGE, styles.bold);
    cursor.rule();
    cursor.down(LINE_HEIGHT + 4);
  };

  cursor.reserve(3 * LINE_HEIGHT);
  drawHeader();
  cursor.onNewPage = drawHeader;

  // Lines of 0.00 are orders counted toward a tier threshold without a bonus, and they change no total.
  // The document lists the lines that carry an amount and counts the others. The statement's JSON lists all.
  const zeroLines = statement.lines.filter((line) => new Decimal(line.amount).isZero()).length;
  for (const line of statement.lines.filter((candidate) => !new Decimal(candidate.amount).isZero())) {
    const description = wrapText(line.description, COLUMNS.descriptionWidth, styles.body);
    const order = wrapText(line.orderNumber, COLUMNS.orderWidth, styles.body);
    const height = Math.max(description.length, order.length) * (LINE_HEIGHT - 1) + 2;
    cursor.reserve(height);

    const top = cursor.y;
    cursor.text(String(line.lineNumber), COLUMNS.line, styles.body);
    cursor.textRight(formatEuro(line.amount, locale), RIGHT_EDGE, styles.body);
    order.forEach((text, index) => {
      cursor.y = top - index * (LINE_HEIGHT - 1);
      cursor.text(text, COLUMNS.order, styles.body);
    });
    description.forEach((text, index) => {
      cursor.y = top - index * (LINE_HEIGHT - 1);
      cursor.text(text, COLUMNS.description, styles.body);
    });
    cursor.y = top - height;
  }

  cursor.onNewPage = undefined;
  if (zeroLines > 0) {
    for (const text of wrapText(labels.zeroLines(zeroLines), COLUMNS.descriptionWidth, styles.body)) {
      cursor.reserve(LINE_HEIGHT);
      cursor.text(text, COLUMNS.description, styles.body);
      cursor.down(LINE_HEIGHT - 1);
    }
  }
  cursor.rule(-4);
  cursor.down(LINE_HEIGHT);
}

function drawTotals({ statement, locale, labels, styles, cursor }: RenderContext): void {
  const percent = (rate: string): string => formatPercent(rate, locale);
  const euro = (amount: string): string => formatEuro(amount, locale);
  const rows: Array<{ label: string; amount: string; style: TextStyle }> = [];

  const vatItems = statement.taxes.filter((tax) => tax.kind === 'vat');
  if (vatItems.length === 0) {
    rows.push({ label: labels.netAmount(percent('0')), amount: euro(statement.netCommission), style: styles.body });
    rows.push({ label: labels.vat(percent('0')), amount: euro(statement.vatAmount), style: styles.body });
  }
  for (const tax of vatItems) {
    rows.push({ label: labels.netAmount(percent(tax.rate)), amount: euro(tax.base), style: styles.body });
    rows.push({ label: labels.vat(percent(tax.rate)), amount: euro(tax.amount), style: styles.body });
  }
  rows.push({ label: labels.grossAmount, amount: euro(statement.grossAmount), style: styles.bold });

  for (const tax of statement.taxes) {
    if (tax.kind === 'withholding') {
      rows.push({
        label: labels.withholding(percent(tax.rate), euro(tax.base)),
        amount: euro(tax.amount),
        style: styles.body,
      });
    } else if (tax.kind === 'contribution_agent') {
      rows.push({
        label: labels.contributionAgent(percent(tax.rate), euro(tax.base)),
        amount: euro(tax.amount),
        style: styles.body,
      });
    }
  }
  rows.push({ label: labels.payable, amount: euro(statement.payableAmount), style: styles.bold });

  for (const tax of statement.taxes.filter((item) => item.kind === 'contribution_principal')) {
    rows.push({
      label: labels.contributionPrincipal(percent(tax.rate), euro(tax.base)),
      amount: euro(tax.amount),
      style: styles.small,
    });
  }

  // Labels wrap left of the amount column, and the amount is printed on the label's first line.
  const labelX = MARGIN.left + 120;
  const labelWidth = RIGHT_EDGE - 90 - labelX;
  const wrapped = rows.map((row) => ({ ...row, lines: wrapText(row.label, labelWidth, row.style) }));
  const height = wrapped.reduce((total, row) => total + row.lines.length * LINE_HEIGHT, 0);

  // The totals stay together on one page.
  cursor.reserve(height + 4);
  for (const row of wrapped) {
    cursor.textRight(row.amount, RIGHT_EDGE, row.style);
    for (const line of row.lines) {
      cursor.text(line, labelX, row.style);
      cursor.down(LINE_HEIGHT);
    }
  }
  cursor.down(10);
}

function drawNotes({ statement, labels, styles, cursor }: RenderContext): void {
  // The engine's tax items carry the legal notes from the effective-dated rate data. The document's own
  // wording of the VAT treatment is the fallback for a statement whose items carry none.
  const taxNotes = statement.taxes.map((tax) => tax.note).filter((note): note is string => Boolean(note));
  const vatNote = taxNotes.length > 0 ? undefined : labels.vatNote(statement.partner.taxProfile.vatRegime);
  const notes = [vatNote, ...taxNotes, ...labels.standingNotes];
  const distinct = [...new Set(notes.filter((note): note is string => Boolean(note)))];

  for (const note of distinct) {
    for (const line of wrapText(note, CONTENT_WIDTH, styles.body)) {
      cursor.reserve(LINE_HEIGHT);
      cursor.text(line, MARGIN.left, styles.body);
      cursor.down(LINE_HEIGHT);
    }
    cursor.down(4);
  }
}

function drawFooters({ invoiceNumber, labels, statement, styles, cursor }: RenderContext): void {
  const pages = cursor.pages;
  pages.forEach((page, index) => {
    cursor.page = page;
    cursor.y = 40;
    cursor.text(labels.footer(invoiceNumber, index + 1, pages.length), MARGIN.left, styles.small);
    cursor.textRight(statement.principal.name, RIGHT_EDGE, styles.small);
  });
}
