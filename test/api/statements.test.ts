import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_KEY,
  APPROVER_KEY,
  PARTNER_ONE_KEY,
  PARTNER_TWO_KEY,
  RENDERED_PDF,
  insertPartners,
  insertPayPeriod,
  insertStatement,
  startApiTestContext,
  type ApiTestContext,
} from './support.js';

describe('statements API', () => {
  let context: ApiTestContext;
  let documentsDir: string;
  const storedPdf = Buffer.from('%PDF-1.7\n% stored statement document\n%%EOF\n', 'latin1');

  beforeAll(async () => {
    context = await startApiTestContext();
    documentsDir = await mkdtemp(path.join(os.tmpdir(), 'incentra-api-documents-'));
    await insertPartners(context.prisma);
    await insertPayPeriod(context.prisma, '2026-11', 'delivering');

    // Amounts whose float sum is not exact (0.1 + 0.2), and a reversal line.
    await insertStatement(context.prisma, {
      periodId: '2026-11',
      partnerId: 'P00001',
      amounts: ['0.10', '0.20', '1234567.89', '-12.50'],
      invoiceNumber: 'GS-2026-000001',
    });
    await insertStatement(context.prisma, { periodId: '2026-11', partnerId: 'P00002', amounts: ['55.00'] });

    const pdfPath = path.join(documentsDir, '2026-11-P00001.pdf');
    await writeFile(pdfPath, storedPdf);
    await context.prisma.statementDocument.create({
      data: { statementId: '2026-11-P00001', path: pdfPath, sha256: 'test', bytes: storedPdf.length },
    });
  });

  afterAll(async () => {
    await context?.stop();
    if (documentsDir) await rm(documentsDir, { recursive: true, force: true });
  });

  it('lists summary rows of a period', async () => {
    const response = await request(context.app)
      .get('/api/v1/periods/2026-11/statements')
      .set('X-API-Key', APPROVER_KEY);

    expect(response.status).toBe(200);
    expect(response.body.nextCursor).toBeNull();
    expect(response.body.statements).toEqual([
      {
        id: '2026-11-P00001',
        partnerId: 'P00001',
        partnerName: 'Agentur Nord',
        status: 'approved',
        currency: 'EUR',
        netCommission: '1234555.69',
        vatAmount: '0.00',
        withholdingAmount: '0.00',
        payableAmount: '1234555.69',
        invoiceNumber: 'GS-2026-000001',
        lineCount: 4,
      },
      {
        id: '2026-11-P00002',
        partnerId: 'P00002',
        partnerName: 'Agenzia Sud',
        status: 'draft',
        currency: 'EUR',
        netCommission: '55.00',
        vatAmount: '0.00',
        withholdingAmount: '0.00',
        payableAmount: '55.00',
        invoiceNumber: null,
        lineCount: 1,
      },
    ]);
  });

  it('pages the list by cursor', async () => {
    const first = await request(context.app)
      .get('/api/v1/periods/2026-11/statements?limit=1')
      .set('X-API-Key', ADMIN_KEY);
    const second = await request(context.app)
      .get(`/api/v1/periods/2026-11/statements?limit=1&cursor=${first.body.nextCursor}`)
      .set('X-API-Key', ADMIN_KEY);

    expect(first.body.statements.map((row: { id: string }) => row.id)).toEqual(['2026-11-P00001']);
    expect(first.body.nextCursor).toBe('2026-11-P00001');
    expect(second.body.statements.map((row: { id: string }) => row.id)).toEqual(['2026-11-P00002']);
    expect(second.body.nextCursor).toBeNull();
  });

  it('list of unknown period gives 404', async () => {
    const response = await request(context.app).get('/api/v1/periods/2026-09/statements').set('X-API-Key', ADMIN_KEY);

    expect(response.status).toBe(404);
  });

  it('invalid limit gives 400 naming limit', async () => {
    const response = await request(context.app)
      .get('/api/v1/periods/2026-11/statements?limit=501')
      .set('X-API-Key', ADMIN_KEY);

    expect(response.status).toBe(400);
    expect(response.body.error.details[0].path).toBe('limit');
  });

  it('detail has lines, taxes and linesSum equal to netCommission', async () => {
    const response = await request(context.app)
      .get('/api/v1/statements/2026-11-P00001')
      .set('X-API-Key', PARTNER_ONE_KEY);

    expect(response.status).toBe(200);
    const statement = response.body;
    expect(statement).toMatchObject({
      id: '2026-11-P00001',
      periodId: '2026-11',
      partner: { id: 'P00001', name: 'Agentur Nord' },
      netCommission: '1234555.69',
      payableAmount: '1234555.69',
      invoiceNumber: 'GS-2026-000001',
    });
    expect(statement.lines.map((line: { amount: string }) => line.amount)).toEqual([
      '0.10',
      '0.20',
      '1234567.89',
      '-12.50',
    ]);
    expect(statement.lines[3]).toMatchObject({
      lineNumber: 4,
      kind: 'reversal',
      description: 'Line 4',
      explanation: { formula: 'fixed -12.50', inputs: { amount: '-12.50' } },
    });
    expect(statement.taxes).toEqual([
      { kind: 'vat', label: 'Umsatzsteuer', base: '1234555.69', rate: '0', amount: '0.00', note: 'test' },
    ]);
    expect(statement.totals).toEqual({
      lineCount: 4,
      linesSum: '1234555.69',
      netCommission: '1234555.69',
      linesSumEqualsNetCommission: true,
    });
    expect(statement.document).toMatchObject({ sha256: 'test', bytes: storedPdf.length });
    expect(statement.document.path).toBeUndefined();
  });

  it('detail reports lines that do not add up', async () => {
    await insertPayPeriod(context.prisma, '2026-12', 'awaiting_approval');
    await insertStatement(context.prisma, {
      periodId: '2026-12',
      partnerId: 'P00002',
      amounts: ['10.00', '5.01'],
      netCommission: '15.00',
    });

    const response = await request(context.app)
      .get('/api/v1/statements/2026-12-P00002')
      .set('X-API-Key', PARTNER_TWO_KEY);

    expect(response.body.totals).toEqual({
      lineCount: 2,
      linesSum: '15.01',
      netCommission: '15.00',
      linesSumEqualsNetCommission: false,
    });
  });

  it('unknown statement gives 404', async () => {
    const response = await request(context.app).get('/api/v1/statements/2026-11-P09999').set('X-API-Key', ADMIN_KEY);

    expect(response.status).toBe(404);
    expect(response.body.error.message).toBe('statement 2026-11-P09999 not found');
  });

  it('PDF streams the stored document', async () => {
    const response = await request(context.app)
      .get('/api/v1/statements/2026-11-P00001/pdf')
      .set('X-API-Key', PARTNER_ONE_KEY)
      .responseType('blob');

    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/pdf');
    expect(response.headers['content-disposition']).toBe('inline; filename="GS-2026-000001.pdf"');
    expect(response.headers['content-length']).toBe(String(storedPdf.length));
    expect(Buffer.compare(response.body as Buffer, storedPdf)).toBe(0);
    expect(context.rendered).toEqual([]);
  });

  it('PDF of a draft statement gives 409', async () => {
    const response = await request(context.app)
      .get('/api/v1/statements/2026-11-P00002/pdf')
      .set('X-API-Key', ADMIN_KEY);

    expect(response.status).toBe(409);
    expect(response.body.error.code).toBe('no_invoice_number');
    expect(context.rendered).toEqual([]);
  });

  it('PDF renders an approved statement without a document', async () => {
    await insertPayPeriod(context.prisma, '2026-10', 'closed');
    await insertStatement(context.prisma, {
      periodId: '2026-10',
      partnerId: 'P00002',
      amounts: ['12.00'],
      invoiceNumber: 'GS-2026-000007',
    });
    const response = await request(context.app)
      .get('/api/v1/statements/2026-10-P00002/pdf')
      .set('X-API-Key', ADMIN_KEY)
      .responseType('blob');

    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/pdf');
    expect(response.headers['content-disposition']).toBe('inline; filename="GS-2026-000007.pdf"');
    expect(Buffer.compare(response.body as Buffer, RENDERED_PDF)).toBe(0);
    expect(context.rendered).toEqual(['2026-10-P00002']);
  });

  it('PDF with a missing stored file gives 500', async () => {
    await context.prisma.statementDocument.create({
      data: { statementId: '2026-12-P00002', path: path.join(documentsDir, 'deleted.pdf'), sha256: 'x', bytes: 1 },
    });

    const response = await request(context.app)
      .get('/api/v1/statements/2026-12-P00002/pdf')
      .set('X-API-Key', ADMIN_KEY);

    expect(response.status).toBe(500);
    expect(response.headers['content-type']).toContain('application/json');
    expect(response.body.error.code).toBe('document_unavailable');
    expect(response.body.error.message).not.toContain(documentsDir);
  });
});
