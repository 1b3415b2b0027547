/**
 * Mapping between the neutral SupplierInvoice and the RFC interface of
 * BAPI_INCOMINGINVOICE_CREATE1 (logistics invoice verification, as transaction MIRO posts).
 * Field names, lengths and formats are SAP's: dates YYYYMMDD, amounts as decimal strings,
 * numeric keys padded with leading zeros (the ALPHA conversion that RFC callers must apply).
 */
import { SapPostingError, type BapiReturnMessage, type PostedSupplierInvoice } from './gateway.js';
import type { SupplierInvoice } from './supplier-invoice.js';

export const BAPI_INCOMINGINVOICE_CREATE1 = 'BAPI_INCOMINGINVOICE_CREATE1';
export const BAPI_TRANSACTION_COMMIT = 'BAPI_TRANSACTION_COMMIT';

/** Import structure HEADERDATA (BAPI_INCINV_CREATE_HEADER), the fields Incentra sets. */
export interface BapiInvoiceHeader {
  /** 'X' posts an invoice, '' a credit memo. */
  INVOICE_IND: 'X' | '';
  DOC_TYPE: string;
  DOC_DATE: string;
  PSTNG_DATE: string;
  COMP_CODE: string;
  CURRENCY: string;
  /** Absolute gross amount with two decimals. */
  GROSS_AMOUNT: string;
  /** '' because TAXDATA carries the statement's tax amounts. 'X' would let SAP recompute them. */
  CALC_TAX_IND: 'X' | '';
  REF_DOC_NO: string;
  /** Vendor that issued the invoice (invoicing party). */
  DIFF_INV: string;
  HEADER_TXT: string;
  PMNTTRMS?: string;
}

/** Table row GLACCOUNTDATA (BAPI_INCINV_CREATE_GL_ACCOUNT). */
export interface BapiGlAccountItem {
  INVOICE_DOC_ITEM: string;
  GL_ACCOUNT: string;
  ITEM_AMOUNT: string;
  /** 'S' debit, 'H' credit. */
  DB_CR_IND: 'S' | 'H';
  COMP_CODE: string;
  TAX_CODE: string;
  COSTCENTER?: string;
  ITEM_TEXT: string;
}

/** Table row TAXDATA (BAPI_INCINV_CREATE_TAX). */
export interface BapiTaxItem {
  TAX_CODE: string;
  TAX_AMOUNT: string;
  TAX_BASE_AMOUNT: string;
}

/** Table row WITHTAXDATA (BAPI_INCINV_CREATE_WITHTAX), extended withholding tax. */
export interface BapiWithholdingItem {
  SPLIT_KEY: string;
  WI_TAX_TYPE: string;
  WI_TAX_CODE: string;
  WI_TAX_BASE: string;
  WI_TAX_AMT: string;
}

/** Import parameters and tables of one BAPI_INCOMINGINVOICE_CREATE1 call. */
export interface IncomingInvoiceCreateImport {
  HEADERDATA: BapiInvoiceHeader;
  GLACCOUNTDATA: BapiGlAccountItem[];
  TAXDATA: BapiTaxItem[];
  WITHTAXDATA: BapiWithholdingItem[];
}

/** Export parameters and the RETURN table of BAPI_INCOMINGINVOICE_CREATE1. */
export interface IncomingInvoiceCreateExport {
  INVOICEDOCNUMBER: string;
  FISCALYEAR: string;
  RETURN: BapiReturnMessage[];
}

/** Raised when a value does not fit the SAP field it maps to. Names the field, the value and the limit. */
export class InvalidSapFieldError extends Error {
  override readonly name = 'InvalidSapFieldError';
  constructor(
    readonly field: string,
    readonly value: string,
    readonly requirement: string,
  ) {
    super(`SAP field ${field} ${requirement}, got ${JSON.stringify(value)}`);
  }
}

/** Maximum lengths of the CHAR fields that are keys. Texts longer than their field are truncated instead. */
const FIELD_LENGTHS = {
  COMP_CODE: 4,
  CURRENCY: 5,
  DOC_TYPE: 2,
  REF_DOC_NO: 16,
  DIFF_INV: 10,
  PMNTTRMS: 4,
  GL_ACCOUNT: 10,
  TAX_CODE: 2,
  COSTCENTER: 10,
  WI_TAX_TYPE: 2,
  WI_TAX_CODE: 2,
} as const;
const HEADER_TEXT_LENGTH = 25;
const ITEM_TEXT_LENGTH = 50;

/** Document type of logistics invoices in SAP's standard customising. */
const INVOICE_DOCUMENT_TYPE = 'RE';

/**
 * Maps a supplier invoice to the import parameters of BAPI_INCOMINGINVOICE_CREATE1. Numeric vendor,
 * G/L account and cost center numbers get leading zeros to 10 digits. Header and item texts are
 * truncated to 25 and 50 characters. Throws InvalidSapFieldError when a key is empty or longer than
 * its field (for example a reference over 16 characters), a date is not a valid YYYY-MM-DD date, or
 * an amount is not a non-negative decimal with two places.
 */
export function toIncomingInvoiceCreateImport(invoice: SupplierInvoice): IncomingInvoiceCreateImport {
  const companyCode = key('COMP_CODE', invoice.companyCode);

  const header: BapiInvoiceHeader = {
    INVOICE_IND: invoice.kind === 'invoice' ? 'X' : '',
    DOC_TYPE: INVOICE_DOCUMENT_TYPE,
    DOC_DATE: sapDate('DOC_DATE', invoice.documentDate),
    PSTNG_DATE: sapDate('PSTNG_DATE', invoice.postingDate),
    COMP_CODE: companyCode,
    CURRENCY: key('CURRENCY', invoice.currency),
    GROSS_AMOUNT: sapAmount('GROSS_AMOUNT', invoice.grossAmount),
    CALC_TAX_IND: '',
    REF_DOC_NO: key('REF_DOC_NO', invoice.reference),
    DIFF_INV: alphaKey('DIFF_INV', invoice.supplier),
    HEADER_TXT: invoice.headerText.slice(0, HEADER_TEXT_LENGTH),
  };
  if (invoice.paymentTerms) header.PMNTTRMS = key('PMNTTRMS', invoice.paymentTerms);

  const glItems = invoice.glItems.map((item, index): BapiGlAccountItem => {
    const row: BapiGlAccountItem = {
      INVOICE_DOC_ITEM: String(index + 1).padStart(6, '0'),
      GL_ACCOUNT: alphaKey('GL_ACCOUNT', item.glAccount),
      ITEM_AMOUNT: sapAmount('ITEM_AMOUNT', item.amount),
      DB_CR_IND: item.side === 'debit' ? 'S' : 'H',
      COMP_CODE: companyCode,
      TAX_CODE: key('TAX_CODE', item.taxCode),
      ITEM_TEXT: item.text.slice(0, ITEM_TEXT_LENGTH),
    };
    if (item.costCenter) row.COSTCENTER = alphaKey('COSTCENTER', item.costCenter);
    return row;
  });

  const taxItems = invoice.taxes.map((tax): BapiTaxItem => ({
    TAX_CODE: key('TAX_CODE', tax.taxCode),
    TAX_AMOUNT: sapAmount('TAX_AMOUNT', tax.taxAmount),
    TAX_BASE_AMOUNT: sapAmount('TAX_BASE_AMOUNT', tax.baseAmount),
  }));

  // All withholding items belong to the single vendor line, whose split key is 000001.
  const withholdingItems = invoice.withholdingTaxes.map((item): BapiWithholdingItem => ({
    SPLIT_KEY: '000001',
    WI_TAX_TYPE: key('WI_TAX_TYPE', item.type),
    WI_TAX_CODE: key('WI_TAX_CODE', item.code),
    WI_TAX_BASE: sapAmount('WI_TAX_BASE', item.baseAmount),
    WI_TAX_AMT: sapAmount('WI_TAX_AMT', item.amount),
  }));

  return { HEADERDATA: header, GLACCOUNTDATA: glItems, TAXDATA: taxItems, WITHTAXDATA: withholdingItems };
}

/**
 * Reads the exports of BAPI_INCOMINGINVOICE_CREATE1 and returns the posted document. Throws
 * SapPostingError with failure 'rejected' and every RETURN message when a message has TYPE E or A,
 * or when SAP returned no 10-digit document number or no 4-digit fiscal year. On success the
 * caller must still call BAPI_TRANSACTION_COMMIT on the same connection.
 */
export function parseIncomingInvoiceCreateExport(
  result: IncomingInvoiceCreateExport,
  reference: string,
): PostedSupplierInvoice {
  const messages = result.RETURN ?? [];
  const failed = messages.some((message) => message.TYPE === 'E' || message.TYPE === 'A');
  const documentNumber = (result.INVOICEDOCNUMBER ?? '').trim();
  const fiscalYear = (result.FISCALYEAR ?? '').trim();

  if (failed || !/^\d{10}$/.test(documentNumber) || !/^\d{4}$/.test(fiscalYear)) {
    throw new SapPostingError('rejected', reference, messages);
  }
  return { documentNumber, fiscalYear, reference };
}

/**
 * Converts a key to SAP's internal format (ALPHA conversion): a purely numeric value is padded with
 * leading zeros to `length`, any other value is kept. Throws InvalidSapFieldError when the value is
 * empty or longer than `length`.
 */
export function toSapAlphaFormat(field: string, value: string, length: number): string {
  const trimmed = value.trim();
  if (trimmed === '' || trimmed.length > length) {
    throw new InvalidSapFieldError(field, value, `must have 1 to ${length} characters`);
  }
  return /^\d+$/.test(trimmed) ? trimmed.padStart(length, '0') : trimmed;
}

function key(field: keyof typeof FIELD_LENGTHS, value: string): string {
  const length = FIELD_LENGTHS[field];
  if (value.trim() === '' || value.length > length) {
    throw new InvalidSapFieldError(field, value, `must have 1 to ${length} characters`);
  }
  return value;
}

function alphaKey(field: 'DIFF_INV' | 'GL_ACCOUNT' | 'COSTCENTER', value: string): string {
  return toSapAlphaFormat(field, value, FIELD_LENGTHS[field]);
}

function sapDate(field: string, isoDate: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  const parsed = match ? new Date(`${isoDate}T00:00:00Z`) : undefined;
  // V8 reads 2026-02-30 as March 2, so the round trip rejects days that do not exist.
  if (!match || !parsed || Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== isoDate) {
    throw new InvalidSapFieldError(field, isoDate, 'must be a valid date YYYY-MM-DD');
  }
  return `${match[1]}${match[2]}${match[3]}`;
}

function sapAmount(field: string, amount: string): string {
  if (!/^\d+\.\d{2}$/.test(amount)) {
    throw new InvalidSapFieldError(field, amount, 'must be a non-negative amount with two decimals');
  }
  return amount;
}
