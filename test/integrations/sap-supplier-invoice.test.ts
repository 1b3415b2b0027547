import { describe, expect, it } from 'vitest';

import { buildSupplierInvoice } from '../../integrations/sap/supplier-invoice.js';
import { SapTaxCodeNotFoundError } from '../../integrations/sap/tax-codes.js';
import { InvalidStatementError, type StatementForInvoice } from '../../integrations/statement-view.js';
import { germanCreditNote, germanReverseChargeStatement, germanStatement, italianStatement } from './fixtures.js';

describe('buildSupplierInvoice', () => {
  it('builds an invoice from a German statement', () => {
    expect(buildSupplierInvoice(germanStatement())).toEqual({
      companyCode: '1000',
      supplier: '4711',
      reference: '2026-11-P00042',
      documentDate: '2026-12-04',
      postingDate: '2026-12-04',
      currency: 'EUR',
      kind: 'invoice',
      grossAmount: '1428.00',
      headerText: 'Provisionen 2026-11',
      glItems: [
        {
          glAccount: '6110000',
          amount: '1200.00',
          side: 'debit',
          taxCode: 'V1',
          text: 'Provisionen 2026-11 GS-2026-000123',
        },
      ],
      taxes: [{ taxCode: 'V1', taxAmount: '228.00', baseAmount: '1200.00' }],
      withholdingTaxes: [],
    });
  });

  it('nets reversal lines into one expense item', () => {
    // Lines 500.00 + 800.00 - 100.00 post as a single item of 1200.00.
    const invoice = buildSupplierInvoice(germanStatement());

    expect(invoice.glItems).toHaveLength(1);
    expect(invoice.glItems[0]?.amount).toBe('1200.00');
  });

  it('builds a credit memo from a negative statement', () => {
    const invoice = buildSupplierInvoice(germanCreditNote());

    expect(invoice.kind).toBe('credit_memo');
    expect(invoice.grossAmount).toBe('238.00');
    expect(invoice.glItems[0]?.side).toBe('credit');
    expect(invoice.glItems[0]?.amount).toBe('200.00');
    expect(invoice.taxes).toEqual([{ taxCode: 'V1', taxAmount: '38.00', baseAmount: '200.00' }]);
  });

  it('uses the reverse-charge tax code', () => {
    const invoice = buildSupplierInvoice(germanReverseChargeStatement());

    expect(invoice.glItems[0]?.taxCode).toBe('R1');
    expect(invoice.taxes).toEqual([{ taxCode: 'R1', taxAmount: '0.00', baseAmount: '1000.00' }]);
  });

  it('taxes the net amount at 0 % without a VAT item', () => {
    const smallBusiness: StatementForInvoice = {
      ...germanReverseChargeStatement(),
      partner: {
        ...germanStatement().partner,
        taxProfile: { ...germanStatement().partner.taxProfile, vatRegime: 'small_business' },
      },
      taxes: [],
    };
    const invoice = buildSupplierInvoice(smallBusiness);

    expect(invoice.glItems[0]?.taxCode).toBe('V0');
    expect(invoice.taxes).toEqual([{ taxCode: 'V0', taxAmount: '0.00', baseAmount: '1000.00' }]);
  });

  it('adds ritenuta and the agent ENASARCO share as withholding', () => {
    const invoice = buildSupplierInvoice(italianStatement());

    expect(invoice.supplier).toBe('90077');
    expect(invoice.grossAmount).toBe('2440.00');
    expect(invoice.taxes).toEqual([{ taxCode: 'I2', taxAmount: '440.00', baseAmount: '2000.00' }]);
    // The principal's ENASARCO share (170.00) is the principal's cost and is not withheld.
    expect(invoice.withholdingTaxes).toEqual([
      { type: 'RA', code: 'R1', baseAmount: '1000.00', amount: '230.00' },
      { type: 'EN', code: 'E1', baseAmount: '2000.00', amount: '170.00' },
    ]);
  });

  it('applies expense account, posting date and tax code options', () => {
    const invoice = buildSupplierInvoice(germanStatement(), {
      expenseAccount: '6120000',
      postingDate: '2026-12-31',
      vatTaxCodes: [{ country: 'DE', vatRegime: 'standard', rate: '0.190', taxCode: 'VN' }],
    });

    expect(invoice.glItems[0]?.glAccount).toBe('6120000');
    expect(invoice.postingDate).toBe('2026-12-31');
    expect(invoice.documentDate).toBe('2026-12-04');
    expect(invoice.glItems[0]?.taxCode).toBe('VN');
  });

  it('rejects gross that is not net plus VAT', () => {
    const statement = { ...germanStatement(), grossAmount: '1428.01', payableAmount: '1428.01' };

    expect(() => buildSupplierInvoice(statement)).toThrow(InvalidStatementError);
    expect(() => buildSupplierInvoice(statement)).toThrow(
      /grossAmount is 1428.01 but netCommission \+ vatAmount is 1428.00/,
    );
  });

  it('rejects lines that do not sum to net', () => {
    const base = germanStatement();
    const statement = { ...base, lines: base.lines.slice(0, 2) };

    expect(() => buildSupplierInvoice(statement)).toThrow(
      /netCommission is 1200.00 but the sum of the lines is 1300.00/,
    );
  });

  it('rejects a payable amount that ignores withholding', () => {
    const statement = { ...italianStatement(), payableAmount: '2440.00' };

    expect(() => buildSupplierInvoice(statement)).toThrow(/payableAmount is 2440.00/);
  });

  it('rejects a zero statement', () => {
    const statement: StatementForInvoice = {
      ...germanStatement(),
      netCommission: '0.00',
      vatAmount: '0.00',
      grossAmount: '0.00',
      payableAmount: '0.00',
      taxes: [],
      lines: [],
    };

    expect(() => buildSupplierInvoice(statement)).toThrow(/grossAmount is zero/);
  });

  it('rejects a partner without SAP vendor id', () => {
    const base = germanStatement();
    const statement = { ...base, partner: { ...base.partner, sapVendorId: ' ' } };

    expect(() => buildSupplierInvoice(statement)).toThrow(/partner.sapVendorId is empty for partner P00042/);
  });

  it('rejects an unknown VAT rate', () => {
    const base = germanStatement();
    // 1200.00 at 7 % is 84.00; the table has no German 7 % rule.
    const statement: StatementForInvoice = {
      ...base,
      vatAmount: '84.00',
      grossAmount: '1284.00',
      payableAmount: '1284.00',
      taxes: [{ kind: 'vat', label: 'USt 7 %', base: '1200.00', rate: '0.07', amount: '84.00' }],
    };

    expect(() => buildSupplierInvoice(statement)).toThrow(SapTaxCodeNotFoundError);
  });

  it('rejects an amount with more than two decimals', () => {
    const statement = { ...germanStatement(), vatAmount: '228.001' };

    expect(() => buildSupplierInvoice(statement)).toThrow(/vatAmount is not an amount with at most two decimals/);
  });

  it('rejects VAT bases that miss net', () => {
    const base = germanStatement();
    const statement = { ...base, taxes: [{ ...base.taxes[0]!, base: '1100.00' }] };

    expect(() => buildSupplierInvoice(statement)).toThrow(
      /netCommission is 1200.00 but the sum of the VAT bases is 1100.00/,
    );
  });

  it('rejects withholding with the wrong sign', () => {
    // Gross 2440.00 is positive, so a negative ritenuta base cannot be part of the same invoice.
    const base = italianStatement();
    const taxes = base.taxes.map((tax) => (tax.kind === 'withholding' ? { ...tax, base: '-1000.00' } : tax));

    expect(() => buildSupplierInvoice({ ...base, taxes })).toThrow(
      /taxes\[1\].base is -1000.00 and has the opposite sign/,
    );
  });
});
