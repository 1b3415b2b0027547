import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { toIncomingInvoiceCreateImport } from '../../integrations/sap/bapi.js';
import { SapPostingError } from '../../integrations/sap/gateway.js';
import {
  CorruptSapRecordError,
  LocalSupplierInvoiceGateway,
  type LocalPostingRecord,
} from '../../integrations/sap/local-gateway.js';
import { buildSupplierInvoice, type SupplierInvoice } from '../../integrations/sap/supplier-invoice.js';
import { germanCreditNote, germanStatement, italianStatement } from './fixtures.js';

const postedAt = new Date('2026-12-04T10:15:00.000Z');

function invoiceFor(reference: string): SupplierInvoice {
  return { ...buildSupplierInvoice(germanStatement()), reference };
}

async function caughtError(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}

describe('LocalSupplierInvoiceGateway', () => {
  let dir: string;
  let gateway: LocalSupplierInvoiceGateway;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'incentra-sap-'));
    gateway = new LocalSupplierInvoiceGateway({ dir, clock: () => postedAt });
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('posts and returns a 51 document number', async () => {
    const posted = await gateway.post(buildSupplierInvoice(germanStatement()));

    expect(posted).toEqual({ documentNumber: '5100000001', fiscalYear: '2026', reference: '2026-11-P00042' });
  });

  it('takes the fiscal year from the posting date', async () => {
    const posted = await gateway.post(buildSupplierInvoice(germanCreditNote()));

    expect(posted.fiscalYear).toBe('2027');
  });

  it('finds a posted reference', async () => {
    const posted = await gateway.post(buildSupplierInvoice(germanStatement()));
    const query = { companyCode: '1000', reference: '2026-11-P00042' };

    expect(await gateway.findByReference({ ...query, supplier: '4711' })).toEqual(posted);
    expect(await gateway.findByReference({ ...query, supplier: '0000004711' })).toEqual(posted);
  });

  it('returns null for an unknown reference', async () => {
    await gateway.post(buildSupplierInvoice(germanStatement()));

    expect(
      await gateway.findByReference({ companyCode: '1000', supplier: '4711', reference: '2026-10-P00042' }),
    ).toBeNull();
    expect(
      await gateway.findByReference({ companyCode: '2000', supplier: '4711', reference: '2026-11-P00042' }),
    ).toBeNull();
    expect(
      await gateway.findByReference({ companyCode: '1000', supplier: '4712', reference: '2026-11-P00042' }),
    ).toBeNull();
  });

  it('returns null before any posting', async () => {
    const empty = new LocalSupplierInvoiceGateway({ dir: path.join(dir, 'not-created') });

    expect(
      await empty.findByReference({ companyCode: '1000', supplier: '4711', reference: '2026-11-P00042' }),
    ).toBeNull();
  });

  it('rejects a second posting of a reference', async () => {
    const first = await gateway.post(buildSupplierInvoice(germanStatement()));
    const error = await caughtError(gateway.post(buildSupplierInvoice(germanStatement())));

    expect(error).toBeInstanceOf(SapPostingError);
    expect((error as SapPostingError).failure).toBe('duplicate');
    expect((error as SapPostingError).existing).toEqual(first);
    expect(await readdir(dir)).toEqual(['1000-0000004711-2026-11-P00042.json']);
  });

  it('rejects a duplicate seen only by a second instance', async () => {
    await gateway.post(buildSupplierInvoice(germanStatement()));
    const second = new LocalSupplierInvoiceGateway({ dir });
    const error = await caughtError(second.post(buildSupplierInvoice(germanStatement())));

    expect((error as SapPostingError).failure).toBe('duplicate');
  });

  it('records exactly the BAPI call', async () => {
    const invoice = buildSupplierInvoice(italianStatement());
    await gateway.post(invoice);
    const file = path.join(dir, '1000-0000090077-2026-11-P00077.json');
    const record = JSON.parse(await readFile(file, 'utf8')) as LocalPostingRecord;

    expect(record).toEqual({
      function: 'BAPI_INCOMINGINVOICE_CREATE1',
      parameters: toIncomingInvoiceCreateImport(invoice),
      result: { INVOICEDOCNUMBER: '5100000001', FISCALYEAR: '2026', RETURN: [] },
      commit: 'BAPI_TRANSACTION_COMMIT',
      postedAt: '2026-12-04T10:15:00.000Z',
    });
  });

  it('leaves no temporary files', async () => {
    await gateway.post(invoiceFor('R-1'));
    await caughtError(gateway.post(invoiceFor('R-1')));

    expect(await readdir(dir)).toEqual(['1000-0000004711-R-1.json']);
  });

  it('continues the sequence in a new instance', async () => {
    await gateway.post(invoiceFor('R-1'));
    await gateway.post(invoiceFor('R-2'));
    const restarted = new LocalSupplierInvoiceGateway({ dir });

    expect((await restarted.post(invoiceFor('R-3'))).documentNumber).toBe('5100000003');
  });

  it('gives concurrent posts distinct numbers', async () => {
    const references = Array.from({ length: 20 }, (_, index) => `R-${index + 1}`);
    const posted = await Promise.all(references.map((reference) => gateway.post(invoiceFor(reference))));
    const numbers = posted.map((item) => item.documentNumber).sort();

    expect(new Set(numbers).size).toBe(20);
    expect(numbers[0]).toBe('5100000001');
    expect(numbers[19]).toBe('5100000020');
    expect((await readdir(dir)).filter((name) => name.endsWith('.json'))).toHaveLength(20);
  });

  it('records concurrent posts of one reference once', async () => {
    const results = await Promise.allSettled([gateway.post(invoiceFor('R-1')), gateway.post(invoiceFor('R-1'))]);

    expect(results.map((result) => result.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(await readdir(dir)).toEqual(['1000-0000004711-R-1.json']);
  });

  it('keeps numbering after a failed posting', async () => {
    await gateway.post(invoiceFor('R-1'));
    await caughtError(gateway.post(invoiceFor('R-1')));

    expect((await gateway.post(invoiceFor('R-2'))).documentNumber).toBe('5100000002');
  });

  it('rejects an unbalanced invoice like SAP', async () => {
    const invoice: SupplierInvoice = { ...invoiceFor('R-1'), grossAmount: '1428.01' };
    const error = await caughtError(gateway.post(invoice));

    expect((error as SapPostingError).failure).toBe('rejected');
    expect((error as SapPostingError).messages[0]?.TYPE).toBe('E');
    expect((error as SapPostingError).message).toMatch(/Balance is not zero: gross 1428.01, items 1200.00, tax 228.00/);
  });

  it('accepts a balanced credit memo', async () => {
    const posted = await gateway.post(buildSupplierInvoice(germanCreditNote()));

    expect(posted.documentNumber).toBe('5100000001');
  });

  it('escapes unsafe characters in file names', async () => {
    await gateway.post(invoiceFor('../x'));

    expect(await readdir(dir)).toEqual(['1000-0000004711-..%2Fx.json']);
    expect(await gateway.findByReference({ companyCode: '1000', supplier: '4711', reference: '../x' })).not.toBeNull();
  });

  it('reports a corrupt record', async () => {
    await gateway.post(invoiceFor('R-1'));
    await writeFile(path.join(dir, '1000-0000004711-R-2.json'), '{ not json');
    const restarted = new LocalSupplierInvoiceGateway({ dir });

    expect(await caughtError(restarted.post(invoiceFor('R-3')))).toBeInstanceOf(CorruptSapRecordError);
    await expect(
      restarted.findByReference({ companyCode: '1000', supplier: '4711', reference: 'R-2' }),
    ).rejects.toThrow(/1000-0000004711-R-2.json is invalid: not JSON/);
  });
});
