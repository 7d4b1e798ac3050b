import { z } from 'zod';
import { fdaHeaderKey } from '../../formats/fsma/fda-template';
import { FDA_TEMPLATE_TABS } from '../../formats/fsma/template-headers';
import type { Cell, ReportColumn, ReportFieldValue, ReportSection } from '../document';
import { defineKind, type ReportSource } from '../kind';

/*
 * FSMA 204 electronic sortable spreadsheet (21 CFR 1.1455(c)(3)(ii)) for a traceability lot code, a
 * product or a date range: one block (CSV) or sheet (XLSX) per critical tracking event, with the
 * FDA template's headers word for word and in its order, then "About these records". A record
 * imported from a partner's spreadsheet comes back out as received, cell by cell, with any column
 * the template does not have after the template's; a record without its received row is written
 * from its key data elements.
 */

const DATE = /^\d{4}-\d{2}-\d{2}$/;

const paramsSchema = z
  .object({
    tlc: z.string().max(200).optional(),
    product: z.string().max(200).optional(),
    from: z.string().regex(DATE, 'Dates are YYYY-MM-DD.').optional(),
    to: z.string().regex(DATE, 'Dates are YYYY-MM-DD.').optional(),
  })
  .refine(
    (p) => p.tlc !== undefined || p.product !== undefined || p.from !== undefined || p.to !== undefined,
    {
      message: 'Give a traceability lot code, a product or a date range (what the FDA asked for).',
    },
  )
  .refine((p) => p.from === undefined || p.to === undefined || p.from <= p.to, {
    message: 'The date range ends before it starts.',
  });
type Params = z.infer<typeof paramsSchema>;

interface FsmaRow {
  readonly id: number;
  readonly ledgerSeq: number;
  readonly cte: string;
  readonly tlc: string;
  readonly eventDate: string | null;
  readonly product: string | null;
  readonly kdes: string;
}

/** The row(s) of a partner's spreadsheet a record was read from, as the ingest entry keeps them. */
interface Received {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

const COLUMNS = `id, ledger_seq AS ledgerSeq, cte, tlc, event_date AS eventDate, product, kdes`;

/** The spreadsheet's queries by name: a TLC is an indexed lookup (test/reports/plans.test.ts). */
export const FSMA_SQL = {
  byTlc: `SELECT ${COLUMNS} FROM fsma_records WHERE tlc = ?`,
  byInputTlc: `SELECT r.id, r.ledger_seq AS ledgerSeq, r.cte, r.tlc, r.event_date AS eventDate, r.product, r.kdes
               FROM fsma_inputs i JOIN fsma_records r ON r.id = i.record_id WHERE i.input_tlc = ?`,
  // A product or a date range without a TLC reads every record (no index on either).
  all: `SELECT ${COLUMNS} FROM fsma_records`,
} as const;

function select(source: ReportSource, p: Params): FsmaRow[] {
  const { db } = source;
  let rows: FsmaRow[];
  if (p.tlc !== undefined) {
    const direct = db.prepare(FSMA_SQL.byTlc).all(p.tlc) as FsmaRow[];
    // A transformation that used the lot as an input is a record of that lot too (1.1350(a)(1)).
    const asInput = db.prepare(FSMA_SQL.byInputTlc).all(p.tlc) as FsmaRow[];
    const seen = new Set<number>();
    rows = [...direct, ...asInput].filter((r) => !seen.has(r.id) && seen.add(r.id) !== undefined);
  } else {
    rows = db.prepare(FSMA_SQL.all).all() as FsmaRow[];
  }
  const product = p.product?.toLowerCase();
  return rows
    .filter((r) => source.covers(r.ledgerSeq))
    .filter((r) => p.from === undefined || (r.eventDate !== null && r.eventDate >= p.from))
    .filter((r) => p.to === undefined || (r.eventDate !== null && r.eventDate <= p.to))
    .filter(
      (r) =>
        product === undefined ||
        (r.product ?? '').toLowerCase().includes(product) ||
        r.kdes.toLowerCase().includes(product),
    )
    .sort((a, b) => (a.eventDate ?? '').localeCompare(b.eventDate ?? '') || a.id - b.id);
}

/** ISO 2026-05-16 → the template's 05/16/2026. */
function templateDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m === null ? iso : `${m[2]}/${m[3]}/${m[1]}`;
}

function cellOf(header: string, value: string | undefined): Cell {
  if (value === undefined || value === '') return null;
  if (/^quantity/i.test(header) && String(Number(value)) === value) return Number(value);
  return value;
}

/** Transformation input columns (1.1350(a)(1)) → the input's KDE key; the output lot is "New Traceability Lot Code …". */
const INPUT_KEYS: [RegExp, string][] = [
  [/^traceability lot code for the ftl food used in transformation/i, 'tlc'],
  [/^product description for the incoming ftl food.* - product name$/i, 'product.name'],
  [/^product description for the incoming ftl food.* - brand name/i, 'product.brand'],
  [/^product description for the incoming ftl food.* - commodity/i, 'product.commodity'],
  [/^product description for the incoming ftl food.* - variety/i, 'product.variety'],
  [/^product description for the incoming ftl food.* - packaging size$/i, 'product.packagingSize'],
  [/^product description for the incoming ftl food.* - packaging style$/i, 'product.packagingStyle'],
  [/^quantity of the food from this traceability lot/i, 'quantity'],
  [/^unit of measure for the food from this traceability lot/i, 'quantityUnit'],
];

function kdeKeyOf(header: string): { input: boolean; key: string | undefined } {
  const input = INPUT_KEYS.find(([re]) => re.test(header));
  if (input !== undefined) return { input: true, key: input[1] };
  if (/^new traceability lot code/i.test(header)) return { input: false, key: 'tlc' };
  return { input: false, key: fdaHeaderKey(header) };
}

function fromKdes(
  headers: readonly string[],
  kdes: Record<string, string>,
  inputs: readonly Record<string, string>[],
): Cell[][] {
  const row = (input: Record<string, string> | undefined) =>
    headers.map((h) => {
      const { input: isInput, key } = kdeKeyOf(h);
      if (key === undefined) return null;
      const v = isInput ? input?.[key] : kdes[key];
      return cellOf(h, key === 'date' && v !== undefined ? templateDate(v) : v);
    });
  return inputs.length > 0 ? inputs.map((i) => row(i)) : [row(undefined)];
}

function build(source: ReportSource, p: Params) {
  const records = select(source, p);
  const sections: ReportSection[] = [];
  const counts: ReportFieldValue[] = [];
  for (const tab of FDA_TEMPLATE_TABS) {
    if (tab.cte === null) continue;
    const ofCte = records.filter((r) => r.cte === tab.cte);
    if (ofCte.length === 0) continue;
    const extra: string[] = [];
    const rows: { received?: Received; kdes: Record<string, string>; inputs: Record<string, string>[] }[] =
      [];
    for (const r of ofCte) {
      const entry = source.entry(r.ledgerSeq);
      const payload = entry?.payload as
        | {
            received?: Received;
            record?: { kdes: Record<string, string>; inputs?: Record<string, string>[] };
          }
        | undefined;
      const received = payload?.received;
      if (received !== undefined) {
        for (const c of received.columns) if (!tab.headers.includes(c) && !extra.includes(c)) extra.push(c);
      }
      rows.push({
        ...(received !== undefined ? { received } : {}),
        kdes: payload?.record?.kdes ?? (JSON.parse(r.kdes) as Record<string, string>),
        inputs: payload?.record?.inputs ?? [],
      });
    }
    const headers = [...tab.headers, ...extra];
    const out: Cell[][] = [];
    for (const row of rows) {
      const computed = fromKdes(tab.headers, row.kdes, row.inputs);
      if (row.received === undefined) {
        out.push(...computed.map((r) => [...r, ...extra.map(() => null)]));
        continue;
      }
      // As received, cell by cell, where the sheet had the column; from the KDEs where it did not
      // (a partner's own headers, mapped to KDEs when it was imported).
      const at = headers.map((h) => row.received!.columns.indexOf(h));
      row.received.rows.forEach((cells, k) => {
        const fallback = computed[Math.min(k, computed.length - 1)]!;
        out.push(
          at.map((i, c) =>
            i >= 0 ? cellOf(headers[c]!, cells[i]) : c < tab.headers.length ? fallback[c]! : null,
          ),
        );
      });
    }
    const columns: ReportColumn[] = headers.map((h) => ({
      header: h,
      type:
        /^quantity/i.test(h) && out.every((r) => typeof r[headers.indexOf(h)] !== 'string')
          ? 'number'
          : 'text',
    }));
    sections.push({ heading: tab.tab, sheet: tab.tab, table: { columns, rows: out } });
    counts.push({
      label: `${tab.tab} (${tab.cfr})`,
      value: `${out.length} row${out.length === 1 ? '' : 's'}`,
    });
  }
  const asked: ReportFieldValue[] = [
    ...(p.tlc !== undefined ? [{ label: 'Traceability lot code', value: p.tlc }] : []),
    ...(p.product !== undefined ? [{ label: 'Product', value: p.product }] : []),
    ...(p.from !== undefined ? [{ label: 'From', value: p.from }] : []),
    ...(p.to !== undefined ? [{ label: 'To', value: p.to }] : []),
  ];
  sections.push({
    heading: 'What this spreadsheet holds',
    paragraphs: [
      'The traceability records kept under 21 CFR part 1 subpart S for the food, traceability lot code or date range asked for, as the electronic sortable spreadsheet of 21 CFR 1.1455(c)(3)(ii).',
      "One part per critical tracking event, with the column headers of FDA's template (FSMA Food Traceability – Electronic Sortable Spreadsheet, June 2024) in its order; columns a trading partner's spreadsheet carried beyond the template follow them. Records received from a partner are reproduced as received.",
      'Dates are written mm/dd/yyyy as the template asks. Codes (GTINs, ZIP codes, lot codes) are text.',
      'The CSV form is UTF-8 with a byte-order mark, records end in CRLF (RFC 4180); each part begins with a line naming it.',
    ],
    fields: counts.length > 0 ? counts : [{ label: 'Records', value: 'none matched' }],
  });
  return {
    title: 'FSMA 204 traceability records (electronic sortable spreadsheet)',
    subtitle:
      'For an FDA records request under 21 CFR 1.1455(c)(3): due within 24 hours of the request, or the time agreed with FDA.',
    parameters: asked,
    sections,
    empty: records.length === 0,
    disclosedSerials: 0,
  };
}

export const fsma204Kind = defineKind({
  id: 'fsma-204',
  family: 'FSMA',
  title: 'FSMA 204 sortable spreadsheet',
  summary:
    "The food traceability records the FDA asks for (a lot code, a product or dates), in the FDA's own spreadsheet columns: due within 24 hours.",
  formats: ['xlsx', 'csv'],
  fields: [
    { field: 'tlc', label: 'Traceability lot code' },
    { field: 'product', label: 'Product', hint: 'part of the product name' },
    { field: 'from', label: 'From date', hint: 'YYYY-MM-DD' },
    { field: 'to', label: 'To date', hint: 'YYYY-MM-DD' },
  ],
  params: paramsSchema,
  build,
});
