/**
 * Statement routes: a period's statements, one statement with its lines and taxes, and its PDF.
 * Admin and approver keys can read every statement. A partner key can read only its own partner's,
 * and another partner's statement gets the same 404 as a statement that does not exist.
 * Amounts are decimal strings in euros with two fraction digits, never JSON numbers.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Response } from 'express';
import { z } from 'zod';
import { Prisma, type PrismaClient } from '../../store/prisma.js';
import { canSeePartner, partnerScope } from '../auth.js';
import { ConflictError, InternalServerError, NotFoundError } from '../errors.js';
import { defineOperation, type ApiOperation } from '../operation.js';
import type { RenderStatementPdf } from '../ports.js';
import { periodParams } from './periods.js';

const statementParams = z.object({
  statementId: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be a statement id such as 2026-11-P00042')
    .describe('Statement id, `<period>-<partner>`.'),
});

const listQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100).describe('Maximum number of statements to return.'),
  cursor: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .describe('`nextCursor` of the previous page; statements are ordered by id.'),
});

const amount = z
  .string()
  .regex(/^-?\d+\.\d{2}$/)
  .describe('Amount in euros with two fraction digits.');

const statementSummary = z
  .object({
    id: z.string(),
    partnerId: z.string(),
    partnerName: z.string(),
    status: z.enum(['draft', 'approved', 'posted', 'delivered']),
    currency: z.string(),
    netCommission: amount,
    vatAmount: amount,
    withholdingAmount: amount,
    payableAmount: amount,
    invoiceNumber: z.string().nullable().describe('Self-billing invoice number; null before approval.'),
    lineCount: z.number().int(),
  })
  .meta({ id: 'StatementSummary' });

const statementPage = z
  .object({
    statements: z.array(statementSummary),
    nextCursor: z.string().nullable().describe('Pass as `cursor` to read the next page; null on the last page.'),
  })
  .meta({ id: 'StatementPage' });

const commissionLine = z
  .object({
    lineNumber: z.number().int(),
    kind: z.string().describe('commission or reversal; reversal lines have negative amounts.'),
    orderId: z.string().nullable(),
    planVersionId: z.string(),
    ruleId: z.string(),
    amount,
    description: z.string(),
    explanation: z.unknown().describe('Why the line exists: plan version, rule, order state, inputs and formula.'),
  })
  .meta({ id: 'CommissionLine' });

const statementDetail = z
  .object({
    id: z.string(),
    periodId: z.string(),
    runNumber: z.number().int(),
    status: z.enum(['draft', 'approved', 'posted', 'delivered']),
    currency: z.string(),
    partner: z.object({ id: z.string(), name: z.string() }),
    netCommission: amount,
    vatAmount: amount,
    grossAmount: amount,
    withholdingAmount: amount,
    contributionAgent: amount,
    contributionPrincipal: amount,
    payableAmount: amount,
    invoiceNumber: z.string().nullable(),
    approvedAt: z.iso.datetime().nullable(),
    createdAt: z.iso.datetime(),
    taxes: z.unknown().describe('Tax and contribution items with their bases, rates and notes.'),
    lines: z.array(commissionLine),
    totals: z.object({
      lineCount: z.number().int(),
      linesSum: amount.describe('Sum of the line amounts, computed exactly with decimals.'),
      netCommission: amount,
      linesSumEqualsNetCommission: z.boolean(),
    }),
    document: z
      .object({ sha256: z.string(), bytes: z.number().int(), renderedAt: z.iso.datetime() })
      .nullable()
      .describe('The stored PDF; null before it is rendered.'),
    sapPosting: z
      .object({ reference: z.string(), documentNumber: z.string(), fiscalYear: z.string(), postedAt: z.iso.datetime() })
      .nullable(),
    emailDelivery: z.object({ recipient: z.string(), sentAt: z.iso.datetime() }).nullable(),
  })
  .meta({ id: 'Statement' });

/** Dependencies of the statement routes. */
export interface StatementRouteDependencies {
  prisma: PrismaClient;
  renderPdf: RenderStatementPdf;
}

/** Returns the statement operations: list per period, detail and PDF. */
export function statementOperations(deps: StatementRouteDependencies): ApiOperation[] {
  const { prisma, renderPdf } = deps;

  return [
    defineOperation({
      method: 'get',
      path: '/api/v1/periods/:periodId/statements',
      operationId: 'listPeriodStatements',
      tag: 'statements',
      summary: "List a period's statements, one page at a time",
      description: "Partner keys get only their own partner's statements.",
      access: ['admin', 'approver', 'partner'],
      params: periodParams,
      query: listQuery,
      responses: {
        200: { description: 'One page of statement summaries, ordered by id.', schema: statementPage },
        404: { description: 'The pay period does not exist.' },
      },
      async handle({ params, query, apiKey }) {
        const period = await prisma.payPeriod.findUnique({ where: { id: params.periodId }, select: { id: true } });
        if (period === null) throw new NotFoundError(`pay period ${params.periodId} not found`);

        const scope = partnerScope(apiKey);
        const rows = await prisma.statement.findMany({
          where: {
            periodId: params.periodId,
            ...(scope === undefined ? {} : { partnerId: scope }),
            ...(query.cursor === undefined ? {} : { id: { gt: query.cursor } }),
          },
          orderBy: { id: 'asc' },
          // One extra row shows whether another page follows.
          take: query.limit + 1,
          include: { partner: { select: { name: true } }, _count: { select: { lines: true } } },
        });

        const page = rows.slice(0, query.limit);
        const statements = page.map((row) => ({
          id: row.id,
          partnerId: row.partnerId,
          partnerName: row.partner.name,
          status: row.status,
          currency: row.currency,
          netCommission: row.netCommission.toFixed(2),
          vatAmount: row.vatAmount.toFixed(2),
          withholdingAmount: row.withholdingAmount.toFixed(2),
          payableAmount: row.payableAmount.toFixed(2),
          invoiceNumber: row.invoiceNumber,
          lineCount: row._count.lines,
        }));
        const nextCursor = rows.length > query.limit ? (page.at(-1)?.id ?? null) : null;
        return { status: 200, body: { statements, nextCursor } };
      },
    }),

    defineOperation({
      method: 'get',
      path: '/api/v1/statements/:statementId',
      operationId: 'getStatement',
      tag: 'statements',
      summary: 'Read a statement with its lines, taxes and totals',
      description:
        '`totals.linesSum` is the exact decimal sum of the line amounts, shown next to `netCommission` so that ' +
        "a reader can check that the lines add up. Partner keys get 404 for other partners' statements.",
      access: ['admin', 'approver', 'partner'],
      params: statementParams,
      responses: {
        200: { description: 'The statement.', schema: statementDetail },
        404: { description: 'The statement does not exist or belongs to another partner.' },
      },
      async handle({ params, apiKey }) {
        const row = await prisma.statement.findUnique({
          where: { id: params.statementId },
          include: {
            partner: { select: { id: true, name: true } },
            lines: { orderBy: { lineNumber: 'asc' } },
            document: { select: { sha256: true, bytes: true, renderedAt: true } },
            posting: true,
            delivery: { select: { recipient: true, sentAt: true } },
          },
        });
        if (row === null || !canSeePartner(apiKey, row.partnerId)) throw statementNotFound(params.statementId);

        const linesSum = row.lines.reduce((sum, line) => sum.plus(line.amount), new Prisma.Decimal(0));
        const body = {
          id: row.id,
          periodId: row.periodId,
          runNumber: row.runNumber,
          status: row.status,
          currency: row.currency,
          partner: row.partner,
          netCommission: row.netCommission.toFixed(2),
          vatAmount: row.vatAmount.toFixed(2),
          grossAmount: row.grossAmount.toFixed(2),
          withholdingAmount: row.withholdingAmount.toFixed(2),
          contributionAgent: row.contributionAgent.toFixed(2),
          contributionPrincipal: row.contributionPrincipal.toFixed(2),
          payableAmount: row.payableAmount.toFixed(2),
          invoiceNumber: row.invoiceNumber,
          approvedAt: row.approvedAt?.toISOString() ?? null,
          createdAt: row.createdAt.toISOString(),
          taxes: row.taxes,
          lines: row.lines.map((line) => ({
            lineNumber: line.lineNumber,
            kind: line.kind,
            orderId: line.orderId,
            planVersionId: line.planVersionId,
            ruleId: line.ruleId,
            amount: line.amount.toFixed(2),
            description: line.description,
            explanation: line.explanation,
          })),
          totals: {
            lineCount: row.lines.length,
            linesSum: linesSum.toFixed(2),
            netCommission: row.netCommission.toFixed(2),
            linesSumEqualsNetCommission: linesSum.equals(row.netCommission),
          },
          document:
            row.document === null ? null : { ...row.document, renderedAt: row.document.renderedAt.toISOString() },
          sapPosting:
            row.posting === null
              ? null
              : {
                  reference: row.posting.reference,
                  documentNumber: row.posting.documentNumber,
                  fiscalYear: row.posting.fiscalYear,
                  postedAt: row.posting.postedAt.toISOString(),
                },
          emailDelivery:
            row.delivery === null
              ? null
              : { recipient: row.delivery.recipient, sentAt: row.delivery.sentAt.toISOString() },
        };
        return { status: 200, body };
      },
    }),

    defineOperation({
      method: 'get',
      path: '/api/v1/statements/:statementId/pdf',
      operationId: 'getStatementPdf',
      tag: 'statements',
      summary: "Download a statement's pro-forma invoice PDF",
      description:
        'Returns the stored document when one was rendered for the statement (the file that was emailed), ' +
        'otherwise renders a PDF from the current statement data without storing it. A statement gets its ' +
        'self-billing invoice number at approval, so a draft has no PDF yet (409).',
      access: ['admin', 'approver', 'partner'],
      params: statementParams,
      responses: {
        200: { description: 'The PDF, served inline.', contentType: 'application/pdf' },
        404: { description: 'The statement does not exist or belongs to another partner.' },
        409: { description: 'The statement has no invoice number yet (not approved, or nothing payable).' },
        500: { description: 'The stored document is missing or unreadable on the server.' },
      },
      async handle({ params, apiKey, response, log }) {
        const row = await prisma.statement.findUnique({
          where: { id: params.statementId },
          select: { id: true, partnerId: true, invoiceNumber: true, document: { select: { path: true } } },
        });
        if (row === null || !canSeePartner(apiKey, row.partnerId)) throw statementNotFound(params.statementId);

        const fileName = pdfFileName(row.invoiceNumber ?? row.id);
        if (row.document === null) {
          if (row.invoiceNumber === null) {
            throw new ConflictError(
              `statement ${row.id} has no self-billing invoice number yet; its PDF exists once the period is approved ` +
                'and the statement has a non-zero payable amount',
              'no_invoice_number',
            );
          }
          const bytes = await renderPdf(row.id);
          setPdfHeaders(response, fileName, bytes.byteLength);
          response.status(200).end(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
          return undefined;
        }

        // The documents activity stores absolute paths. A relative one would resolve against the working directory.
        const filePath = path.resolve(row.document.path);
        let size: number;
        try {
          size = (await stat(filePath)).size;
        } catch (error) {
          log.error({ err: error, statementId: row.id, path: filePath }, 'stored statement PDF cannot be read');
          throw new InternalServerError(
            'document_unavailable',
            `the stored PDF of statement ${row.id} cannot be read on the server; ask an operator to check the documents folder`,
          );
        }

        setPdfHeaders(response, fileName, size);
        response.status(200);
        try {
          await pipeline(createReadStream(filePath), response);
        } catch (error) {
          // The status line is already sent, so the only signal left to the client is the cut connection.
          log.error({ err: error, statementId: row.id, path: filePath }, 'streaming the stored statement PDF failed');
          response.destroy();
        }
        return undefined;
      },
    }),
  ];
}

function statementNotFound(statementId: string): NotFoundError {
  return new NotFoundError(`statement ${statementId} not found`);
}

function setPdfHeaders(response: Response, fileName: string, size: number): void {
  response.setHeader('Content-Type', 'application/pdf');
  response.setHeader('Content-Disposition', `inline; filename="${fileName}"`);
  response.setHeader('Content-Length', String(size));
  response.setHeader('Cache-Control', 'private, no-store');
}

/** Returns a file name for Content-Disposition: the characters outside [A-Za-z0-9._-] become `_`. */
function pdfFileName(base: string): string {
  return `${base.replace(/[^A-Za-z0-9._-]/g, '_')}.pdf`;
}
