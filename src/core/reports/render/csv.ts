import type { Cell, StampedDocument } from '../document';
import { ABOUT_SHEET, aboutRows, isAboutSection } from './about';

/*
 * CSV as RFC 4180 writes it: CRLF after every record (the last too), fields quoted when they hold a
 * comma, a quote, CR or LF, quotes doubled. UTF-8 with a byte-order mark (U+FEFF), so that Excel
 * opens names with accents as written; a reader that follows RFC 4180 strictly should drop it.
 * Each table is a block: a line with its name, its header row, its rows, then an empty line; the
 * "About these records" block comes last.
 */

export const CSV_BOM = '\uFEFF';

export function csvField(value: Cell): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(cells: readonly Cell[]): string {
  return `${cells.map(csvField).join(',')}\r\n`;
}

export function renderCsv(stamped: StampedDocument): Buffer {
  const parts: string[] = [CSV_BOM];
  for (const section of stamped.document.sections) {
    if (isAboutSection(section) || section.table === undefined) continue;
    parts.push(csvLine([section.sheet ?? section.heading]));
    parts.push(csvLine(section.table.columns.map((c) => c.header)));
    for (const row of section.table.rows) parts.push(csvLine(row));
    parts.push('\r\n');
  }
  parts.push(csvLine([ABOUT_SHEET]));
  for (const row of aboutRows(stamped)) parts.push(csvLine(row));
  return Buffer.from(parts.join(''), 'utf8');
}
