import ExcelJS from 'exceljs';
import type { Cell, ReportColumn, StampedDocument } from '../document';
import { ABOUT_SHEET, aboutRows, isAboutSection } from './about';
import { fixZipTimes } from './zip-times';

/*
 * XLSX through exceljs: one sheet per table (one per critical tracking event for FSMA 204), the
 * "About these records" sheet last; the first row frozen, columns sized to their content, text
 * columns written as text cells with the "@" format so a GTIN-14, a ZIP like 02345 or a lot code
 * never turns into a number. Deterministic: the workbook dates are the checkpoint's last entry
 * time, and every zip entry carries one fixed time (zip-times.ts).
 */

const MAX_WIDTH = 60;

/** A sheet name Excel accepts: at most 31 characters, none of []:*?/\, unique in the workbook. */
export function sheetName(wanted: string, taken: Set<string>): string {
  const base =
    wanted
      .replace(/[[\]:*?/\\]/g, ' ')
      .trim()
      .slice(0, 31) || 'Sheet';
  let name = base;
  for (let i = 2; taken.has(name.toLowerCase()); i++)
    name = `${base.slice(0, 31 - String(i).length - 1)} ${i}`;
  taken.add(name.toLowerCase());
  return name;
}

function widthOf(column: ReportColumn, rows: readonly (readonly Cell[])[], i: number): number {
  if (column.width !== undefined) return column.width;
  let w = Math.min(column.header.length, 40);
  for (const row of rows) w = Math.max(w, String(row[i] ?? '').length);
  return Math.min(Math.max(w + 2, 8), MAX_WIDTH);
}

export async function renderXlsx(stamped: StampedDocument, timeMs: number): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const when = new Date(timeMs);
  wb.creator = stamped.registrant.name;
  wb.lastModifiedBy = stamped.registrant.name;
  wb.title = stamped.document.title;
  wb.created = when;
  wb.modified = when;
  wb.calcProperties.fullCalcOnLoad = false;
  const taken = new Set<string>();
  for (const section of stamped.document.sections) {
    if (isAboutSection(section) || section.table === undefined) continue;
    const { columns, rows } = section.table;
    const ws = wb.addWorksheet(sheetName(section.sheet ?? section.heading, taken), {
      views: [{ state: 'frozen', ySplit: 1, xSplit: 0 }],
    });
    ws.columns = columns.map((c, i) => ({
      header: c.header,
      width: widthOf(c, rows, i),
      style: c.type === 'number' ? {} : { numFmt: '@' },
    }));
    ws.getRow(1).font = { bold: true };
    ws.getRow(1).alignment = { wrapText: true, vertical: 'top' };
    for (const row of rows) {
      ws.addRow(
        columns.map((c, i) => {
          const v = row[i] ?? null;
          if (v === null) return null;
          if (c.type === 'number' && typeof v === 'number') return v;
          return String(v);
        }),
      );
    }
  }
  const about = wb.addWorksheet(sheetName(ABOUT_SHEET, taken), {
    views: [{ state: 'frozen', ySplit: 1, xSplit: 0 }],
  });
  about.columns = [
    { header: 'What', width: 36, style: { numFmt: '@' } },
    { header: 'Value', width: 90, style: { numFmt: '@' } },
  ];
  about.getRow(1).font = { bold: true };
  for (const row of aboutRows(stamped)) about.addRow(row);
  const buffer = Buffer.from(await wb.xlsx.writeBuffer());
  return fixZipTimes(buffer);
}
