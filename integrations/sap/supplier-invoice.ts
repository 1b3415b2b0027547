/**
 * The supplier invoice that a statement becomes in SAP, in a neutral form that every gateway maps
 * to its own API (BAPI parameters in bapi.ts), and the builder that derives it from a statement.
 */
import { Decimal } from 'decimal.js';

import type { AmountString } from '../../domain/model.js';
import {
  checkStatementTotals,
  InvalidStatementError,
  parseStatementAmount,
  type StatementForInvoice,
} from '../statement-view.js';
import {
  findSapTaxCode,
  SAP_VAT_TAX_CODES,
  SAP_WITHHOLDING_KEYS,
  type SapVatTaxCodeRule,
  type SapWithholdingKeys,
} from './tax-codes.js';

/** An invoice credits the vendor, and a credit memo debits it. */
export type SupplierInvoiceKind = 'invoice' | 'credit_memo';

/** One G/L account item. The amount is absolute, and `side` gives its direction. */
export interface SupplierInvoiceGlItem {
  glAccount: string;
  amount: AmountString;
  side: 'debit' | 'credit';
  taxCode: string;
  costCenter?: string;
  text: string;
}

/** Tax total per tax code, as absolute amounts. */
export interface SupplierInvoiceTax {
  taxCode: string;
  taxAmount: AmountString;
  baseAmount: AmountString;
}

/** An amount withheld from the vendor's payment (ritenuta, ENASARCO agent share), absolute. */
export interface SupplierInvoiceWithholding {
  type: string;
  code: string;
  baseAmount: AmountString;
  amount: AmountString;
}

/** A supplier invoice or credit memo as Incentra posts it. All amounts are absolute, in `currency`. */
export interface SupplierInvoice {
  companyCode: string;
  /** SAP vendor number (LIFNR) of the partner. */
  supplier: string;
  /** Statement id. SAP's reference field (XBLNR) has at most 16 characters. */
  reference: string;
  /** Document date, "YYYY-MM-DD". */
  documentDate: string;
  /** Posting date, "YYYY-MM-DD". It determines the fiscal year. */
  postingDate: string;
  currency: string;
  kind: SupplierInvoiceKind;
  /** Net amount plus VAT, without deducting withholding. */
  grossAmount: AmountString;
  headerText: string;
  /** SAP payment terms key (ZTERM). Without it SAP takes the vendor's default. */
  paymentTerms?: string;
  glItems: SupplierInvoiceGlItem[];
  taxes: SupplierInvoiceTax[];
  withholdingTaxes: SupplierInvoiceWithholding[];
}

/** The commission expense account of the sample chart of accounts. */
export const DEFAULT_COMMISSION_EXPENSE_ACCOUNT = '6110000';

/** Options of buildSupplierInvoice. Every field is optional. */
export interface SupplierInvoiceOptions {
  /** G/L account that the commissions are expensed to. Default DEFAULT_COMMISSION_EXPENSE_ACCOUNT. */
  expenseAccount?: string;
  costCenter?: string;
  paymentTerms?: string;
  /** Posting date "YYYY-MM-DD". Default: the statement's issue date. */
  postingDate?: string;
  /** Default SAP_VAT_TAX_CODES. */
  vatTaxCodes?: readonly SapVatTaxCodeRule[];
  /** Default SAP_WITHHOLDING_KEYS. */
  withholdingKeys?: SapWithholdingKeys;
}

/**
 * Builds the supplier invoice for a statement: an invoice when the gross amount is positive, a
 * credit memo when it is negative. Reversal lines net into the commission lines, so there is one
 * expense item per VAT rate. The principal's ENASARCO share is the principal's own cost and is not
 * part of the vendor invoice.
 *
 * Throws InvalidStatementError when the statement's totals do not add up (net + VAT = gross, sum of
 * lines = net, gross - withholding - agent contribution = payable), when the gross amount is zero,
 * when an amount has the opposite sign of the document, or when the partner has no SAP vendor id.
 * Throws SapTaxCodeNotFoundError when no tax code matches the partner's VAT regime and rate.
 */
export function buildSupplierInvoice(
  statement: StatementForInvoice,
  options: SupplierInvoiceOptions = {},
): SupplierInvoice {
  checkStatementTotals(statement);
  const gross = parseStatementAmount(statement.id, 'grossAmount', statement.grossAmount);
  if (gross.isZero()) {
    throw new InvalidStatementError(
      statement.id,
      'grossAmount',
      'is zero, and SAP cannot post an invoice without an amount',
    );
  }
  if (statement.partner.sapVendorId.trim() === '') {
    throw new InvalidStatementError(
      statement.id,
      'partner.sapVendorId',
      `is empty for partner ${statement.partner.id}`,
    );
  }

  const kind: SupplierInvoiceKind = gross.isNegative() ? 'credit_memo' : 'invoice';
  const { glItems, taxes } = buildExpenseItems(statement, kind, options);
  return {
    companyCode: statement.principal.sapCompanyCode,
    supplier: statement.partner.sapVendorId,
    reference: statement.id,
    documentDate: statement.issueDate,
    postingDate: options.postingDate ?? statement.issueDate,
    currency: statement.currency,
    kind,
    grossAmount: gross.abs().toFixed(2),
    headerText: `${TEXT_PREFIX} ${statement.periodId}`,
    ...(options.paymentTerms ? { paymentTerms: options.paymentTerms } : {}),
    glItems,
    taxes,
    withholdingTaxes: buildWithholdingItems(statement, options.withholdingKeys ?? SAP_WITHHOLDING_KEYS),
  };
}

/** Start of the header and item texts, which the principal's accountants read in SAP. */
const TEXT_PREFIX = 'Provisionen';

/** Builds one expense item and one tax total per VAT item of the statement. */
function buildExpenseItems(
  statement: StatementForInvoice,
  kind: SupplierInvoiceKind,
  options: SupplierInvoiceOptions,
): { glItems: SupplierInvoiceGlItem[]; taxes: SupplierInvoiceTax[] } {
  const { country, vatRegime } = statement.partner.taxProfile;
  const vatItems = statement.taxes.filter((tax) => tax.kind === 'vat');
  // Without a VAT item the whole net amount is taxed at 0 % under the partner's regime.
  const rates =
    vatItems.length > 0
      ? vatItems.map((tax, index) => ({
          field: `taxes.vat[${index}]`,
          rate: tax.rate,
          base: tax.base,
          tax: tax.amount,
        }))
      : [{ field: 'netCommission', rate: '0', base: statement.netCommission, tax: '0.00' }];
  const text = [`${TEXT_PREFIX} ${statement.periodId}`, statement.invoiceNumber].filter(Boolean).join(' ');

  const glItems: SupplierInvoiceGlItem[] = [];
  const taxes: SupplierInvoiceTax[] = [];
  for (const { field, rate, base, tax } of rates) {
    const taxCode = findSapTaxCode(options.vatTaxCodes ?? SAP_VAT_TAX_CODES, country, vatRegime, rate);
    const baseAmount = toDocumentAmount(statement, `${field}.base`, base);
    glItems.push({
      glAccount: options.expenseAccount ?? DEFAULT_COMMISSION_EXPENSE_ACCOUNT,
      amount: baseAmount,
      // NOTE: the expense item is credited on a credit memo, as in FI. If an SAP system expects
      // the debit side relative to the credit memo instead, SAP rejects the posting as unbalanced.
      side: kind === 'invoice' ? 'debit' : 'credit',
      taxCode,
      ...(options.costCenter ? { costCenter: options.costCenter } : {}),
      text,
    });
    taxes.push({ taxCode, taxAmount: toDocumentAmount(statement, `${field}.amount`, tax), baseAmount });
  }
  return { glItems, taxes };
}

/** Builds the withholding items for the ritenuta and the agent's ENASARCO share, which reduce the payment. */
function buildWithholdingItems(statement: StatementForInvoice, keys: SapWithholdingKeys): SupplierInvoiceWithholding[] {
  return statement.taxes.flatMap((tax, index): SupplierInvoiceWithholding[] => {
    if (tax.kind !== 'withholding' && tax.kind !== 'contribution_agent') return [];

    const key = keys[tax.kind];
    return [
      {
        type: key.type,
        code: key.code,
        baseAmount: toDocumentAmount(statement, `taxes[${index}].base`, tax.base),
        amount: toDocumentAmount(statement, `taxes[${index}].amount`, tax.amount),
      },
    ];
  });
}

/**
 * Returns the absolute amount. Within one document every amount has the sign of the gross amount,
 * so a value with the opposite sign raises InvalidStatementError naming `field`.
 */
function toDocumentAmount(statement: StatementForInvoice, field: string, value: string): AmountString {
  const amount = parseStatementAmount(statement.id, field, value);
  const gross = new Decimal(statement.grossAmount);
  if (!amount.isZero() && amount.isNegative() !== gross.isNegative()) {
    throw new InvalidStatementError(
      statement.id,
      field,
      `is ${value} and has the opposite sign of grossAmount ${statement.grossAmount}`,
    );
  }
  return amount.abs().toFixed(2);
}
