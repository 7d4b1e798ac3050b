import { z } from 'zod';

/*
 * A saved column mapping: which spreadsheet column holds which field, per trading partner. Partners
 * send lot-level T3 spreadsheets (DSCSA transaction information + statement) or FSMA 204 KDE sheets
 * (often FDA's sortable spreadsheet template); the mapping editor in the UI saves one of these.
 */

/** Fields of a lot-level T3 row (FD&C Act §581(26) transaction information, §581(27) statement). */
export const T3_FIELDS = [
  'reference',
  'po',
  'invoice',
  'transactionDate',
  'shipDate',
  'sellerName',
  'sellerAddress',
  'sellerGln',
  'buyerName',
  'buyerAddress',
  'buyerGln',
  'shipToGln',
  'shipToName',
  'productName',
  'strength',
  'dosageForm',
  'ndc',
  'gtin',
  'containerSize',
  'quantity',
  'lot',
  'expiry',
  'serial',
  'sscc',
  'statement',
] as const;
export type T3Field = (typeof T3_FIELDS)[number];

export const DATE_FORMATS = ['YYYY-MM-DD', 'MM/DD/YYYY', 'DD/MM/YYYY', 'YYYYMMDD'] as const;

const column = z.string().min(1).max(300);

export const t3MappingSchema = z
  .object({
    kind: z.literal('dscsa-t3'),
    delimiter: z.enum([',', ';', '\t', '|']).optional(),
    dateFormat: z.enum(DATE_FORMATS).default('YYYY-MM-DD'),
    /** Header text of the column for each field (compared without case and surrounding spaces). */
    columns: z.partialRecord(z.enum(T3_FIELDS), column),
    /** Statement text to assume when the sheet has no statement column but the partner's contract states it. */
    statementColumnTrue: z.array(z.string()).default(['yes', 'y', 'true', '1', 'x']),
  })
  .strict()
  .refine((m) => m.columns.quantity !== undefined && m.columns.lot !== undefined, {
    message: 'a T3 mapping needs at least the quantity and lot columns',
    path: ['columns'],
  })
  .refine((m) => m.columns.ndc !== undefined || m.columns.gtin !== undefined, {
    message: 'a T3 mapping needs an NDC or a GTIN column',
    path: ['columns'],
  });

export const fsmaMappingSchema = z
  .object({
    kind: z.literal('fsma-kde'),
    cte: z.enum([
      'harvesting',
      'cooling',
      'initial-packing',
      'first-land-based-receiving',
      'shipping',
      'receiving',
      'transformation',
    ]),
    delimiter: z.enum([',', ';', '\t', '|']).optional(),
    dateFormat: z.enum(DATE_FORMATS).default('MM/DD/YYYY'),
    /** KDE key (formats/fsma/kdes.ts) -> column header. */
    columns: z.record(z.string().min(1), column),
  })
  .strict();

export const csvMappingSchema = z.union([t3MappingSchema, fsmaMappingSchema]);
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
