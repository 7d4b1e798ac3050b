import crypto from 'node:crypto';
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, PDFHexString, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import type { Cell, ReportColumn, ReportSection, StampedDocument } from '../document';
import { reportFonts } from './fonts';

/*
 * PDF for a person to read: US Letter, the registrant block at the top of every page, the
 * checkpoint and "Page N of M" in every footer. Deterministic: the fonts are the app's (subset
 * under fixed names), the dates are the time of the last entry the checkpoint covers, the
 * document id is derived from the content, and pdf-lib's own random names come from a seeded
 * generator. Nothing is read from the clock, the time zone or the locale.
 */

const PAGE_W = 612;
const PAGE_H = 792;
const MARGIN = 40;
const CONTENT_W = PAGE_W - 2 * MARGIN;
const HEADER_H = 64;
const FOOTER_H = 60;
const BODY_TOP = PAGE_H - MARGIN - HEADER_H;
const BODY_BOTTOM = MARGIN + FOOTER_H;
const INK = rgb(0.1, 0.1, 0.12);
const MUTED = rgb(0.38, 0.38, 0.42);
const RULE = rgb(0.75, 0.75, 0.78);
const SHADE = rgb(0.93, 0.94, 0.96);

interface Fonts {
  readonly regular: PDFFont;
  readonly bold: PDFFont;
  readonly mono: PDFFont;
}

const widths = new WeakMap<PDFFont, Map<string, number>>();

/** The width of a piece of text, remembered per font (fontkit lays text out on every call). */
function widthOf(text: string, font: PDFFont, size: number): number {
  let cache = widths.get(font);
  if (cache === undefined) widths.set(font, (cache = new Map()));
  let w = cache.get(text);
  if (w === undefined) {
    w = font.widthOfTextAtSize(text, 1000);
    if (cache.size > 50_000) cache.clear();
    cache.set(text, w);
  }
  return (w * size) / 1000;
}

/** Splits text into lines no wider than width; long words (hashes, URIs) break anywhere. */
export function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const out: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    let lineWidth = 0;
    const words = paragraph.split(/(\s+)/).filter((w) => w.length > 0);
    for (const word of words) {
      const ww = widthOf(word, font, size);
      if (lineWidth + ww <= width) {
        line += word;
        lineWidth += ww;
        continue;
      }
      if (line.trim().length > 0) out.push(line.trimEnd());
      line = word.trimStart();
      while (widthOf(line, font, size) > width && line.length > 1) {
        let cut = line.length - 1;
        while (cut > 1 && widthOf(line.slice(0, cut), font, size) > width) cut--;
        out.push(line.slice(0, cut));
        line = line.slice(cut);
      }
      lineWidth = widthOf(line, font, size);
    }
    out.push(line.trimEnd());
  }
  return out;
}

class Layout {
  readonly pages: PDFPage[] = [];
  private page!: PDFPage;
  y = BODY_TOP;

  constructor(
    private readonly pdf: PDFDocument,
    readonly fonts: Fonts,
  ) {
    this.newPage();
  }

  newPage(): void {
    this.page = this.pdf.addPage([PAGE_W, PAGE_H]);
    this.pages.push(this.page);
    this.y = BODY_TOP;
  }

  /** Makes room for h points, starting a new page when the body has less. */
  need(h: number): boolean {
    if (this.y - h < BODY_BOTTOM) {
      this.newPage();
      return true;
    }
    return false;
  }

  text(
    text: string,
    x: number,
    opts: { font?: PDFFont; size?: number; color?: ReturnType<typeof rgb> } = {},
  ) {
    this.page.drawText(text, {
      x,
      y: this.y,
      font: opts.font ?? this.fonts.regular,
      size: opts.size ?? 9,
      color: opts.color ?? INK,
    });
  }

  rect(x: number, y: number, w: number, h: number, color: ReturnType<typeof rgb>): void {
    this.page.drawRectangle({ x, y, width: w, height: h, color });
  }

  line(y: number): void {
    this.page.drawLine({
      start: { x: MARGIN, y },
      end: { x: PAGE_W - MARGIN, y },
      thickness: 0.5,
      color: RULE,
    });
  }

  /** A paragraph wrapped to the content width. */
  paragraph(text: string, size = 9, font = this.fonts.regular, color = INK): void {
    for (const l of wrap(text, font, size, CONTENT_W)) {
      this.need(size + 3);
      this.y -= size + 3;
      this.text(l, MARGIN, { size, font, color });
    }
  }

  heading(text: string): void {
    this.need(40);
    this.y -= 16;
    this.text(text, MARGIN, { font: this.fonts.bold, size: 11 });
    this.y -= 4;
  }

  fields(fields: readonly { label: string; value: string }[]): void {
    const labelW = 170;
    const size = 9;
    for (const f of fields) {
      const valueLines = wrap(f.value === '' ? '—' : f.value, this.fonts.regular, size, CONTENT_W - labelW);
      const labelLines = wrap(f.label, this.fonts.bold, size - 0.5, labelW - 8);
      const n = Math.max(valueLines.length, labelLines.length);
      this.need(n * (size + 3) + 2);
      const top = this.y;
      labelLines.forEach((l, i) => {
        this.y = top - (i + 1) * (size + 3);
        this.text(l, MARGIN, { font: this.fonts.bold, size: size - 0.5, color: MUTED });
      });
      valueLines.forEach((l, i) => {
        this.y = top - (i + 1) * (size + 3);
        this.text(l, MARGIN + labelW, { size });
      });
      this.y = top - n * (size + 3) - 2;
    }
  }

  table(columns: readonly ReportColumn[], rows: readonly (readonly Cell[])[]): void {
    const size = 7.5;
    const lineH = size + 2.5;
    const weights = columns.map((c, i) => {
      if (c.width !== undefined) return c.width;
      const longest = Math.max(
        c.header.length * 0.6,
        ...rows.slice(0, 200).map((r) => String(r[i] ?? '').length),
      );
      return Math.min(Math.max(longest, 4), 40);
    });
    const total = weights.reduce((a, b) => a + b, 0);
    const widths = weights.map((w) => (w / total) * CONTENT_W);
    const xs = widths.map((_, i) => MARGIN + widths.slice(0, i).reduce((a, b) => a + b, 0));
    const cellLines = (row: readonly Cell[], font: PDFFont) =>
      row.map((cell, i) => wrap(cell === null ? '' : String(cell), font, size, widths[i]! - 4));
    const drawRow = (lines: string[][], font: PDFFont, shade: boolean) => {
      const n = Math.max(1, ...lines.map((l) => l.length));
      const h = n * lineH + 3;
      const top = this.y;
      if (shade) this.rect(MARGIN, top - h, CONTENT_W, h, SHADE);
      lines.forEach((cellText, c) =>
        cellText.forEach((l, k) => {
          this.y = top - (k + 1) * lineH;
          this.text(l, xs[c]! + 2, { font, size });
        }),
      );
      this.y = top - h;
    };
    const header = cellLines(
      columns.map((c) => c.header),
      this.fonts.bold,
    );
    const headerH = Math.max(...header.map((l) => l.length)) * lineH + 3;
    this.need(headerH + lineH * 2);
    drawRow(header, this.fonts.bold, true);
    for (const row of rows) {
      const lines = cellLines(row, this.fonts.regular);
      const h = Math.max(1, ...lines.map((l) => l.length)) * lineH + 3;
      if (this.need(h)) drawRow(header, this.fonts.bold, true);
      drawRow(lines, this.fonts.regular, false);
      this.line(this.y + 0.5);
    }
  }
}

function drawSection(layout: Layout, section: ReportSection): void {
  if (section.newPage === true && layout.y < BODY_TOP) layout.newPage();
  layout.heading(section.heading);
  for (const p of section.paragraphs ?? []) {
    layout.paragraph(p);
    layout.y -= 3;
  }
  if (section.fields !== undefined && section.fields.length > 0) layout.fields(section.fields);
  if (section.table !== undefined) {
    if (section.table.rows.length === 0) layout.paragraph(section.emptyText ?? 'Nothing to show.', 9);
    else layout.table(section.table.columns, section.table.rows);
  }
}

/**
 * fontkit parses a whole TrueType file on every embed (most of a small report's time): the parsed
 * fonts are kept for the life of the process. pdf-lib subsets from them per document, so the
 * bytes written are the same as with a fresh parse.
 */
const parsedFonts = new Map<Uint8Array, unknown>();
const cachingFontkit = {
  create(data: Uint8Array, postscriptName?: string): unknown {
    let font = parsedFonts.get(data);
    if (font === undefined) {
      font = fontkit.create(data, postscriptName);
      parsedFonts.set(data, font);
    }
    return font;
  },
} as unknown as typeof fontkit;

function pdfDate(ms: number): Date {
  return new Date(ms);
}

/** The PDF file of a stamped document. Same document, same bytes. */
export async function renderPdf(stamped: StampedDocument, timeMs: number): Promise<Buffer> {
  const { document: doc, registrant, stamp } = stamped;
  const pdf = await PDFDocument.create({ updateMetadata: false });
  pdf.registerFontkit(cachingFontkit);
  const bytes = reportFonts();
  const fonts: Fonts = {
    regular: await pdf.embedFont(bytes.regular, { subset: true, customName: 'CUSTDA+DejaVuSans' }),
    bold: await pdf.embedFont(bytes.bold, { subset: true, customName: 'CUSTDB+DejaVuSans-Bold' }),
    mono: await pdf.embedFont(bytes.mono, { subset: true, customName: 'CUSTDC+DejaVuSansMono' }),
  };
  const layout = new Layout(pdf, fonts);

  // Title block on page 1.
  layout.y -= 4;
  for (const l of wrap(doc.title, fonts.bold, 14, CONTENT_W)) {
    layout.y -= 17;
    layout.text(l, MARGIN, { font: fonts.bold, size: 14 });
  }
  if (doc.subtitle !== undefined) layout.paragraph(doc.subtitle, 9, fonts.regular, MUTED);
  layout.y -= 4;
  if (doc.parameters.length > 0) layout.fields(doc.parameters);
  if (doc.empty) {
    layout.y -= 6;
    layout.paragraph('This report is empty: nothing in the ledger matched what was asked.', 10, fonts.bold);
  }
  for (const section of doc.sections) drawSection(layout, section);

  // Header and footer on every page, now that the page count is known.
  const total = layout.pages.length;
  layout.pages.forEach((page, i) => {
    let y = PAGE_H - MARGIN - 10;
    page.drawText(registrant.name, { x: MARGIN, y, font: fonts.bold, size: 10, color: INK });
    const titleW = widthOf(doc.title, fonts.regular, 8);
    if (titleW < CONTENT_W / 2) {
      page.drawText(doc.title, {
        x: PAGE_W - MARGIN - titleW,
        y,
        font: fonts.regular,
        size: 8,
        color: MUTED,
      });
    }
    for (const l of registrant.lines.slice(0, 4)) {
      y -= 10;
      page.drawText(l, { x: MARGIN, y, font: fonts.regular, size: 7.5, color: MUTED });
    }
    page.drawLine({
      start: { x: MARGIN, y: PAGE_H - MARGIN - HEADER_H + 8 },
      end: { x: PAGE_W - MARGIN, y: PAGE_H - MARGIN - HEADER_H + 8 },
      thickness: 0.5,
      color: RULE,
    });
    const fy = MARGIN + FOOTER_H - 8;
    page.drawLine({
      start: { x: MARGIN, y: fy },
      end: { x: PAGE_W - MARGIN, y: fy },
      thickness: 0.5,
      color: RULE,
    });
    page.drawText(`Ledger checkpoint: tree size ${stamp.size} · last entry ${stamp.time}`, {
      x: MARGIN,
      y: fy - 10,
      font: fonts.regular,
      size: 7,
      color: INK,
    });
    page.drawText(`Root hash ${stamp.rootHex}`, {
      x: MARGIN,
      y: fy - 19,
      font: fonts.mono,
      size: 6.5,
      color: INK,
    });
    page.drawText(`Signed by ${stamp.keyIds.join(', ')}`, {
      x: MARGIN,
      y: fy - 28,
      font: fonts.regular,
      size: 6.5,
      color: INK,
    });
    wrap(stamp.howToCheck, fonts.regular, 6.5, CONTENT_W)
      .slice(0, 2)
      .forEach((l, k) =>
        page.drawText(l, { x: MARGIN, y: fy - 37 - k * 8, font: fonts.regular, size: 6.5, color: MUTED }),
      );
    const pageText = `Page ${i + 1} of ${total}`;
    const pw = widthOf(pageText, fonts.bold, 8);
    page.drawText(pageText, { x: PAGE_W - MARGIN - pw, y: fy - 10, font: fonts.bold, size: 8, color: INK });
  });

  const created = pdfDate(timeMs);
  pdf.setTitle(doc.title, { showInWindowTitleBar: true });
  pdf.setAuthor(registrant.name);
  pdf.setSubject(`${stamped.kind} · ledger checkpoint ${stamp.size} ${stamp.rootHex}`);
  pdf.setCreator('Custodia');
  pdf.setProducer('Custodia reports (pdf-lib)');
  pdf.setCreationDate(created);
  pdf.setModificationDate(created);
  pdf.setLanguage('en-US');
  const id = crypto
    .createHash('sha256')
    .update(`${stamped.kind}\n${JSON.stringify(doc.parameters)}\n${stamp.size}\n${stamp.rootHex}`)
    .digest('hex')
    .slice(0, 32);
  pdf.context.trailerInfo.ID = pdf.context.obj([PDFHexString.of(id), PDFHexString.of(id)]);
  return Buffer.from(await pdf.save({ useObjectStreams: false }));
}
