import { describe, expect, it } from 'vitest';

import {
  InvalidSapFieldError,
  parseIncomingInvoiceCreateExport,
  toIncomingInvoiceCreateImport,
  toSapAlphaFormat,
} from '../../integrations/sap/bapi.js';
import { SapPostingError } from '../../integrations/sap/gateway.js';
import { buildSupplierInvoice, type SupplierInvoice } from '../../integrations/sap/supplier-invoice.js';
import { germanCreditNote, germanStatement, italianStatement } from './fixtures.js';

describe('toIncomingInvoiceCreateImport', () => {
  it('maps an invoice field by field', () => {
    const parameters = toIncomingInvoiceCreateImport(buildSupplierInvoice(germanStatement()));

    expect(parameters.HEADERDATA).toEqual({
      INVOICE_IND: 'X',
      DOC_TYPE: 'RE',
      DOC_DATE: '20261204',
      PSTNG_DATE: '20261204',
      COMP_CODE: '1000',
      CURRENCY: 'EUR',
      GROSS_AMOUNT: '1428.00',
      CALC_TAX_IND: '',
      REF_DOC_NO: '2026-11-P00042',
      DIFF_INV: '0000004711',
      HEADER_TXT: 'Provisionen 2026-11',
    });
    expect(parameters.GLACCOUNTDATA).toEqual([
      {
        INVOICE_DOC_ITEM: '000001',
        GL_ACCOUNT: '0006110000',
        ITEM_AMOUNT: '1200.00',
        DB_CR_IND: 'S',
        COMP_CODE: '1000',
        TAX_CODE: 'V1',
        ITEM_TEXT: 'Provisionen 2026-11 GS-2026-000123',
      },
    ]);
    expect(parameters.TAXDATA).toEqual([{ TAX_CODE: 'V1', TAX_AMOUNT: '228.00', TAX_BASE_AMOUNT: '1200.00' }]);
    expect(parameters.WITHTAXDATA).toEqual([]);
  });

  it('maps a credit memo with absolute amounts', () => {
    const parameters = toIncomingInvoiceCreateImport(buildSupplierInvoice(germanCreditNote()));

    expect(parameters.HEADERDATA.INVOICE_IND).toBe('');
    expect(parameters.HEADERDATA.GROSS_AMOUNT).toBe('238.00');
    expect(parameters.HEADERDATA.DOC_DATE).toBe('20270105');
    expect(parameters.GLACCOUNTDATA[0]?.ITEM_AMOUNT).toBe('200.00');
    expect(parameters.GLACCOUNTDATA[0]?.DB_CR_IND).toBe('H');
    expect(parameters.TAXDATA).toEqual([{ TAX_CODE: 'V1', TAX_AMOUNT: '38.00', TAX_BASE_AMOUNT: '200.00' }]);
  });

  it('maps Italian withholding to WITHTAXDATA', () => {
    const parameters = toIncomingInvoiceCreateImport(buildSupplierInvoice(italianStatement()));

    expect(parameters.HEADERDATA.GROSS_AMOUNT).toBe('2440.00');
    expect(parameters.TAXDATA).toEqual([{ TAX_CODE: 'I2', TAX_AMOUNT: '440.00', TAX_BASE_AMOUNT: '2000.00' }]);
    expect(parameters.WITHTAXDATA).toEqual([
      { SPLIT_KEY: '000001', WI_TAX_TYPE: 'RA', WI_TAX_CODE: 'R1', WI_TAX_BASE: '1000.00', WI_TAX_AMT: '230.00' },
      { SPLIT_KEY: '000001', WI_TAX_TYPE: 'EN', WI_TAX_CODE: 'E1', WI_TAX_BASE: '2000.00', WI_TAX_AMT: '170.00' },
    ]);
  });

  it('sets payment terms and cost center when given', () => {
    const invoice = buildSupplierInvoice(germanStatement(), { paymentTerms: 'Z014', costCenter: '4200' });
    const parameters = toIncomingInvoiceCreateImport(invoice);

    expect(parameters.HEADERDATA.PMNTTRMS).toBe('Z014');
    expect(parameters.GLACCOUNTDATA[0]?.COSTCENTER).toBe('0000004200');
  });

  it('rejects REF_DOC_NO over 16 characters', () => {
    const invoice: SupplierInvoice = { ...buildSupplierInvoice(germanStatement()), reference: '2026-11-P00042-XY' };

    expect(() => toIncomingInvoiceCreateImport(invoice)).toThrow(InvalidSapFieldError);
    expect(() => toIncomingInvoiceCreateImport(invoice)).toThrow(/REF_DOC_NO must have 1 to 16 characters/);
  });

  it('accepts REF_DOC_NO of exactly 16 characters', () => {
    const invoice: SupplierInvoice = { ...buildSupplierInvoice(germanStatement()), reference: '2026-11-P0004200' };

    expect(toIncomingInvoiceCreateImport(invoice).HEADERDATA.REF_DOC_NO).toBe('2026-11-P0004200');
  });

  it.each([
    ['2026-02-30', 'a day that does not exist'],
    ['04.12.2026', 'a German date'],
    ['20261204', 'a date without dashes'],
  ])('rejects posting date %s (%s)', (postingDate) => {
    const invoice: SupplierInvoice = { ...buildSupplierInvoice(germanStatement()), postingDate };

    expect(() => toIncomingInvoiceCreateImport(invoice)).toThrow(/PSTNG_DATE must be a valid date YYYY-MM-DD/);
  });

  it('rejects a negative or unrounded amount', () => {
    const negative: SupplierInvoice = { ...buildSupplierInvoice(germanStatement()), grossAmount: '-1428.00' };
    const unrounded: SupplierInvoice = { ...buildSupplierInvoice(germanStatement()), grossAmount: '1428.001' };

    expect(() => toIncomingInvoiceCreateImport(negative)).toThrow(/GROSS_AMOUNT/);
    expect(() => toIncomingInvoiceCreateImport(unrounded)).toThrow(/GROSS_AMOUNT/);
  });

  it('truncates header and item texts to their SAP lengths', () => {
    const invoice = buildSupplierInvoice(germanStatement());
    const long: SupplierInvoice = {
      ...invoice,
      headerText: 'H'.repeat(40),
      glItems: invoice.glItems.map((item) => ({ ...item, text: 'T'.repeat(80) })),
    };
    const parameters = toIncomingInvoiceCreateImport(long);

    expect(parameters.HEADERDATA.HEADER_TXT).toHaveLength(25);
    expect(parameters.GLACCOUNTDATA[0]?.ITEM_TEXT).toHaveLength(50);
  });
});

describe('toSapAlphaFormat', () => {
  it('pads numeric keys and keeps others', () => {
    expect(toSapAlphaFormat('LIFNR', '4711', 10)).toBe('0000004711');
    expect(toSapAlphaFormat('LIFNR', '0000004711', 10)).toBe('0000004711');
    expect(toSapAlphaFormat('LIFNR', 'V-4711', 10)).toBe('V-4711');
  });

  it('rejects empty and too long keys', () => {
    expect(() => toSapAlphaFormat('LIFNR', '', 10)).toThrow(InvalidSapFieldError);
    expect(() => toSapAlphaFormat('LIFNR', '12345678901', 10)).toThrow(InvalidSapFieldError);
  });
});

describe('parseIncomingInvoiceCreateExport', () => {
  it('returns the document on success', () => {
    const posted = parseIncomingInvoiceCreateExport(
      { INVOICEDOCNUMBER: '5100000042', FISCALYEAR: '2026', RETURN: [] },
      '2026-11-P00042',
    );

    expect(posted).toEqual({ documentNumber: '5100000042', fiscalYear: '2026', reference: '2026-11-P00042' });
  });

  it('ignores warnings and information messages', () => {
    const posted = parseIncomingInvoiceCreateExport(
      {
        INVOICEDOCNUMBER: '5100000042',
        FISCALYEAR: '2026',
        RETURN: [{ TYPE: 'W', ID: 'M8', NUMBER: '100', MESSAGE: 'Check the due date' }],
      },
      '2026-11-P00042',
    );

    expect(posted.documentNumber).toBe('5100000042');
  });

  it.each(['E', 'A'] as const)('rejects TYPE %s with all messages', (type) => {
    const messages = [
      { TYPE: 'W' as const, ID: 'M8', NUMBER: '100', MESSAGE: 'Check the due date' },
      { TYPE: type, ID: 'M8', NUMBER: '321', MESSAGE: 'Tax code V9 does not exist' },
    ];
    let caught: unknown;
    try {
      parseIncomingInvoiceCreateExport({ INVOICEDOCNUMBER: '', FISCALYEAR: '', RETURN: messages }, '2026-11-P00042');
    } catch (error) {
      caught = error;
    }

    expect(caught).toBeInstanceOf(SapPostingError);
    const error = caught as SapPostingError;
    expect(error.failure).toBe('rejected');
    expect(error.reference).toBe('2026-11-P00042');
    expect(error.messages).toEqual(messages);
    expect(error.message).toContain(`${type} M8/321 Tax code V9 does not exist`);
  });

  it('throws SapPostingError without a document number', () => {
    expect(() =>
      parseIncomingInvoiceCreateExport({ INVOICEDOCNUMBER: '', FISCALYEAR: '2026', RETURN: [] }, '2026-11-P00042'),
    ).toThrow(SapPostingError);
  });
});
