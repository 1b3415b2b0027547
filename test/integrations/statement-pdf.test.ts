import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { PDFDocument } from '@cantoo/pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { renderStatementPdf } from '../../integrations/documents/statement-pdf.js';
import { InvalidStatementError, type StatementForInvoice } from '../../integrations/statement-view.js';
import {
  germanCreditNote,
  germanPartner,
  germanReverseChargeStatement,
  germanStatement,
  italianStatement,
  manyLinesStatement,
} from './fixtures.js';

function hasPdftotext(): boolean {
  try {
    execFileSync('pdftotext', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const pdftotextInstalled = hasPdftotext();
if (!pdftotextInstalled) {
  console.warn(
    'pdftotext is not installed (Debian: apt-get install poppler-utils), so the PDF text checks are skipped',
  );
}

describe('renderStatementPdf', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'incentra-pdf-'));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** Renders the statement and returns the text of all pages, with runs of spaces collapsed. */
  async function renderedText(statement: StatementForInvoice): Promise<string> {
    const file = path.join(dir, `${statement.id}-${Math.random().toString(36).slice(2)}.pdf`);
    await writeFile(file, await renderStatementPdf(statement));
    return execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(
      / {2,}/g,
      '  ',
    );
  }

  it('renders the same bytes for the same statement', async () => {
    const first = await renderStatementPdf(germanStatement());
    const second = await renderStatementPdf(germanStatement());

    expect(Buffer.compare(Buffer.from(first), Buffer.from(second))).toBe(0);
  });

  it('sets title, author and dates', async () => {
    const document = await PDFDocument.load(await renderStatementPdf(germanStatement()), { updateMetadata: false });

    expect(document.getTitle()).toBe('Gutschrift GS-2026-000123');
    expect(document.getAuthor()).toBe('Nordlicht Energie AG');
    expect(document.getCreationDate()?.toISOString()).toBe('2026-12-04T00:00:00.000Z');
    expect(document.getModificationDate()?.toISOString()).toBe('2026-12-04T00:00:00.000Z');
    expect(document.getPageCount()).toBe(1);
  });

  it('spreads 70 lines over pages', async () => {
    const document = await PDFDocument.load(await renderStatementPdf(manyLinesStatement(70)));

    expect(document.getPageCount()).toBeGreaterThanOrEqual(2);
  });

  it.skipIf(!pdftotextInstalled)('prints German Gutschrift data', async () => {
    const text = await renderedText(germanStatement());

    expect(text).toContain('Gutschrift');
    expect(text).toContain('Handelsvertretung Jürgen Weiß');
    expect(text).toContain('Große Straße 5');
    expect(text).toContain('Steuernummer: 22/815/08150');
    expect(text).toContain('USt-IdNr.: DE123456789');
    expect(text).toContain('Nordlicht Energie AG');
    expect(text).toContain('USt-IdNr.: DE811234567');
    expect(text).toContain('GS-2026-000123');
    expect(text).toContain('04.12.2026');
    expect(text).toContain('Provisionen für Vermittlungsleistungen, Leistungszeitraum 01.11.2026–30.11.2026');
    expect(text).toMatch(/Nettobetrag zum Steuersatz 19 % +1\.200,00 €/);
    expect(text).toMatch(/Umsatzsteuer 19 % +228,00 €/);
    expect(text).toMatch(/Auszahlungsbetrag +1\.428,00 €/);
    expect(text).toMatch(/ORD-2026-1003 +Rückbelastung: Kündigung innerhalb von 6 Monaten +-100,00 €/);
    expect(text).toContain('Seite 1 von 1');
  });

  it.skipIf(!pdftotextInstalled)('prints the reverse-charge note', async () => {
    const text = await renderedText(germanReverseChargeStatement());

    expect(text).toContain('Steuerschuldnerschaft des Leistungsempfängers');
    expect(text).toMatch(/Umsatzsteuer 0 % +0,00 €/);
  });

  it.skipIf(!pdftotextInstalled)('counts zero lines instead of listing them', async () => {
    const base = germanStatement();
    const zeroLine = {
      lineNumber: base.lines.length + 1,
      kind: 'commission' as const,
      orderNumber: 'ORD-2026-9999',
      ruleId: 'activation-bonus',
      amount: '0.00',
      description: 'Bonus tier 1-10 at EUR 0.00 (order 1 of the period)',
    };
    const text = await renderedText({ ...base, lines: [...base.lines, zeroLine] });

    expect(text).not.toContain('ORD-2026-9999');
    expect(text).toContain('1 weitere Position mit 0,00 €');
    expect(text).toMatch(/Auszahlungsbetrag +1\.428,00 €/);
  });

  it.skipIf(!pdftotextInstalled)('prints the legal note once', async () => {
    const base = germanReverseChargeStatement();
    // The tax item's note comes from the rate data and is worded differently from the document's own.
    const statement: StatementForInvoice = {
      ...base,
      taxes: base.taxes.map((tax) => ({ ...tax, note: 'Steuerschuldnerschaft des Leistungsempfängers' })),
    };
    const text = await renderedText(statement);

    expect(text.match(/Steuerschuldnerschaft/g)).toHaveLength(1);
  });

  it.skipIf(!pdftotextInstalled)('prints the §19 note for a small business', async () => {
    const base = germanReverseChargeStatement();
    const statement: StatementForInvoice = {
      ...base,
      partner: { ...germanPartner, taxProfile: { ...germanPartner.taxProfile, vatRegime: 'small_business' } },
      taxes: [],
    };
    const text = await renderedText(statement);

    expect(text).toContain('Kleinunternehmer nach § 19 UStG');
    expect(text).not.toContain('Steuerschuldnerschaft');
  });

  it.skipIf(!pdftotextInstalled)('prints a credit note with negative totals', async () => {
    const text = await renderedText(germanCreditNote());

    expect(text).toMatch(/Gesamtbetrag +-238,00 €/);
    expect(text).toMatch(/Auszahlungsbetrag +-238,00 €/);
  });

  it.skipIf(!pdftotextInstalled)('prints an Italian fattura pro forma', async () => {
    const text = await renderedText(italianStatement());

    expect(text).toContain('Fattura pro forma');
    expect(text).toContain("Emessa dal committente per conto dell'agente");
    expect(text).toContain('Agenzia Niccolò Perù');
    expect(text).toContain('Partita IVA: IT01234567890');
    expect(text).toContain('Codice fiscale: PRENCC80A01F205X');
    expect(text).toContain('GS-2026-000124');
    expect(text).toContain('04/12/2026');
    expect(text).toMatch(/IVA 22% +440,00 €/);
    expect(text).toMatch(/Totale documento +2\.440,00 €/);
    expect(text).toMatch(/Ritenuta d'acconto 23% su 1\.000,00 € \(a dedurre\) +230,00 €/);
    expect(text).toMatch(/ENASARCO a carico dell'agente 8,5% su 2\.000,00 € \(a dedurre\) +170,00 €/);
    expect(text).toMatch(/Netto a pagare +2\.040,00 €/);
    expect(text).toMatch(/ENASARCO a carico del preponente 8,5% su 2\.000,00 € \(non dedotto\) +170,00 €/);
    expect(text).toContain('Pagina 1 di 1');
  });

  it.skipIf(!pdftotextInstalled)('continues 70 lines over pages', async () => {
    const text = await renderedText(manyLinesStatement(70));
    const pages = text.split('\f').filter((page) => page.trim() !== '');

    expect(pages.length).toBeGreaterThanOrEqual(2);
    for (const [index, page] of pages.entries()) {
      expect(page).toContain(`Seite ${index + 1} von ${pages.length}`);
      expect(page).toMatch(/Pos\. +Auftrag +Beschreibung +Betrag/);
    }
    for (let lineNumber = 1; lineNumber <= 70; lineNumber += 1) {
      expect(text).toContain(`ORD-2026-${1000 + lineNumber}`);
    }
    // 70 × 150.00 = 10500.00 net; 19 % = 1995.00; gross 12495.00.
    expect(text).toMatch(/Auszahlungsbetrag +12\.495,00 €/);
  });

  it.skipIf(!pdftotextInstalled)('prints characters outside WinAnsi as "?"', async () => {
    const statement: StatementForInvoice = {
      ...germanStatement(),
      partner: { ...germanPartner, name: 'Łukasz Wąs – Agentur' },
    };
    const text = await renderedText(statement);

    expect(text).toContain('?ukasz W?s – Agentur');
  });

  it.skipIf(!pdftotextInstalled)('composes decomposed umlauts', async () => {
    const statement: StatementForInvoice = {
      ...germanStatement(),
      partner: { ...germanPartner, name: 'Agentur Mu\u0308ller' },
    };
    const text = await renderedText(statement);

    expect(text).toContain('Agentur Müller');
  });

  it('requires an invoice number', async () => {
    await expect(renderStatementPdf({ ...germanStatement(), invoiceNumber: null })).rejects.toThrow(
      InvalidStatementError,
    );
  });

  it('requires the agent tax number or VAT id', async () => {
    const partner = {
      ...germanPartner,
      taxProfile: { ...germanPartner.taxProfile, taxNumber: undefined, vatId: undefined },
    };

    await expect(renderStatementPdf({ ...germanStatement(), partner })).rejects.toThrow(/neither taxNumber nor vatId/);
  });

  it('rejects an issue date that does not exist', async () => {
    await expect(renderStatementPdf({ ...germanStatement(), issueDate: '2026-02-30' })).rejects.toThrow(
      /issueDate is not a valid YYYY-MM-DD date/,
    );
  });

  it('rejects totals that do not add up', async () => {
    await expect(renderStatementPdf({ ...germanStatement(), payableAmount: '1428.10' })).rejects.toThrow(
      /payableAmount/,
    );
  });
});
