/**
 * A top-to-bottom text layout on A4 pages with pdf-lib's standard fonts: a cursor that breaks to a
 * new page when the next block does not fit, right-aligned text and word wrapping.
 */
import { rgb, type PDFDocument, type PDFFont, type PDFPage } from '@cantoo/pdf-lib';

/** A4 portrait in PDF points (1/72 inch). */
export const A4 = { width: 595.28, height: 841.89 } as const;

/** Page margins in points: 20 mm left, right and top, and room for the footer at the bottom. */
export const MARGIN = { left: 56.7, right: 56.7, top: 56.7, bottom: 70 } as const;

export const CONTENT_WIDTH = A4.width - MARGIN.left - MARGIN.right;

export interface TextStyle {
  font: PDFFont;
  size: number;
}

/**
 * Replaces every character that the font cannot encode with "?". The standard fonts use WinAnsi
 * (CP1252), which covers "€" and the German and Italian letters. @cantoo/pdf-lib 2.11 writes "?" for
 * other characters itself, where the original pdf-lib throws, so replacing them here keeps text
 * widths and output the same on both. Text is NFC-normalised first, so decomposed umlauts still
 * encode, and control characters become spaces.
 * NOTE: names in other scripts (Polish "Ł", Cyrillic) print with "?". Embedding a TrueType font
 * with @pdf-lib/fontkit would cover them.
 */
export function toEncodableText(text: string, font: PDFFont): string {
  const supported = characterSet(font);
  let result = '';
  for (const character of text.normalize('NFC')) {
    const codePoint = character.codePointAt(0) ?? 0;
    if (codePoint < 0x20) result += ' ';
    else result += supported.has(codePoint) ? character : '?';
  }
  return result;
}

const characterSets = new WeakMap<PDFFont, Set<number>>();

function characterSet(font: PDFFont): Set<number> {
  let set = characterSets.get(font);
  if (!set) {
    set = new Set(font.getCharacterSet());
    characterSets.set(font, set);
  }
  return set;
}

/**
 * Splits text into lines no wider than `width`, breaking at spaces. A word wider than the line is
 * broken between characters. Returns at least one line.
 */
export function wrapText(text: string, width: number, style: TextStyle): string[] {
  const encodable = toEncodableText(text, style.font);
  const measure = (value: string): number => style.font.widthOfTextAtSize(value, style.size);
  const lines: string[] = [];
  let current = '';

  for (const word of encodable.split(/ +/)) {
    const candidate = current === '' ? word : `${current} ${word}`;
    if (measure(candidate) <= width) {
      current = candidate;
      continue;
    }
    if (current !== '') lines.push(current);
    current = word;
    while (measure(current) > width && current.length > 1) {
      let cut = current.length - 1;
      while (cut > 1 && measure(current.slice(0, cut)) > width) cut -= 1;
      lines.push(current.slice(0, cut));
      current = current.slice(cut);
    }
  }
  lines.push(current);
  return lines;
}

/**
 * Writes blocks from the top of the page downwards. `reserve` starts a new page when a block of
 * the given height does not fit above the bottom margin, and then calls `onNewPage` (to repeat a
 * table header, for example).
 */
export class PageCursor {
  page: PDFPage;
  /** Baseline position of the next line, in points from the bottom of the page. */
  y: number;
  onNewPage: (() => void) | undefined;
  readonly pages: PDFPage[] = [];

  constructor(private readonly document: PDFDocument) {
    this.page = this.addPage();
    this.y = A4.height - MARGIN.top;
  }

  /** Ensures that `height` points fit on the current page, starting a new page otherwise. */
  reserve(height: number): void {
    if (this.y - height >= MARGIN.bottom) return;
    this.page = this.addPage();
    this.y = A4.height - MARGIN.top;
    this.onNewPage?.();
  }

  /** Draws text with its left edge at `x` on the current baseline. */
  text(text: string, x: number, style: TextStyle): void {
    this.page.drawText(toEncodableText(text, style.font), { x, y: this.y, font: style.font, size: style.size });
  }

  /** Draws text with its right edge at `right` on the current baseline. */
  textRight(text: string, right: number, style: TextStyle): void {
    const encodable = toEncodableText(text, style.font);
    const width = style.font.widthOfTextAtSize(encodable, style.size);
    this.page.drawText(encodable, { x: right - width, y: this.y, font: style.font, size: style.size });
  }

  /** Draws a thin horizontal rule across the content width, `offset` points below the baseline. */
  rule(offset = 4): void {
    const y = this.y - offset;
    this.page.drawLine({
      start: { x: MARGIN.left, y },
      end: { x: A4.width - MARGIN.right, y },
      thickness: 0.5,
      color: rgb(0.6, 0.6, 0.6),
    });
  }

  /** Moves the baseline down by `height` points. */
  down(height: number): void {
    this.y -= height;
  }

  private addPage(): PDFPage {
    const page = this.document.addPage([A4.width, A4.height]);
    this.pages.push(page);
    return page;
  }
}
