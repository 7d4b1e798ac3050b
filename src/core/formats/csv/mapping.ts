import type { z } from 'zod';

/*
 * A saved column mapping: which spreadsheet column holds which field, per trading partner. Partners
 * send lot-level T3 spreadsheets (DSCSA transaction information + statement) or FSMA 204 KDE sheets
 * (often FDA's sortable spreadsheet template); the mapping editor in the UI saves one of these.
 */

export {
  T3_FIELDS,
  DATE_FORMATS,
  t3MappingSchema,
  fsmaMappingSchema,
  csvMappingSchema,
  type T3Field,
} from '../../api/procedures/partners';
import type {
  csvMappingSchema,
  fsmaMappingSchema,
  t3MappingSchema,
  DATE_FORMATS,
} from '../../api/procedures/partners';

export type CsvMapping = z.infer<typeof csvMappingSchema>;
export type T3Mapping = z.infer<typeof t3MappingSchema>;
export type FsmaMapping = z.infer<typeof fsmaMappingSchema>;

export function normalizeHeader(text: string): string {
  return text.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
}

/** Column index of each mapped key; lists the headers the sheet lacks. */
export function resolveColumns(
  header: readonly string[],
  columns: Readonly<Record<string, string | undefined>>,
): { index: Map<string, number>; missing: string[] } {
  const positions = new Map(header.map((h, i) => [normalizeHeader(h), i]));
  const index = new Map<string, number>();
  const missing: string[] = [];
  for (const [key, name] of Object.entries(columns)) {
    if (name === undefined) continue;
    const at = positions.get(normalizeHeader(name));
    if (at === undefined) missing.push(name);
    else index.set(key, at);
  }
  return { index, missing };
}

export function parseDate(value: string, format: (typeof DATE_FORMATS)[number]): string | undefined {
  const v = value.trim();
  let m: RegExpExecArray | null;
  switch (format) {
    case 'YYYY-MM-DD':
      m = /^(\d{4})-(\d{1,2})-(\d{1,2})/.exec(v);
      return m ? iso(m[1]!, m[2]!, m[3]!) : undefined;
    case 'MM/DD/YYYY':
      m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(v);
      return m ? iso(m[3]!, m[1]!, m[2]!) : undefined;
    case 'DD/MM/YYYY':
      m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(v);
      return m ? iso(m[3]!, m[2]!, m[1]!) : undefined;
    case 'YYYYMMDD':
      m = /^(\d{4})(\d{2})(\d{2})$/.exec(v);
      return m ? iso(m[1]!, m[2]!, m[3]!) : undefined;
  }
}

function iso(y: string, m: string, d: string): string | undefined {
  const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  if (date.getUTCMonth() !== Number(m) - 1 || date.getUTCDate() !== Number(d)) return undefined;
  return `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
}
