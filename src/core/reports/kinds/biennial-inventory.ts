import { z } from 'zod';
import { ApiError } from '../../api/errors';
import { formatQuantity } from '../../disposals';
import type { Cell, ReportDocument, ReportSection } from '../document';
import { defineKind, type ReportSource } from '../kind';
import { SCHEDULE_TITLE, signaturesSection } from './dea-common';

/*
 * The initial or biennial inventory (21 CFR 1304.11) as sealed: the registrant, the date and
 * whether it was taken at the opening or the close of business (1304.11(a)), every controlled
 * substance by schedule, each opened container counted exactly or estimated as 1304.11(e) allows
 * (exact for Schedules I–II, and for III–V in an opened container of more than 1,000 tablets or
 * capsules; estimated otherwise), and who counted, each with their signature. Cited to paragraph
 * (e): its subparagraph is unconfirmed (counts/inventory-rules.ts).
 */

const paramsSchema = z.object({ id: z.string().max(80).optional() });

interface SealedLine {
  ndc: string;
  name: string;
  strength: string;
  dosageForm: string;
  schedule: string;
  unit?: string;
  unitsPerContainer: number | null;
  fullContainers: number;
  opened: { quantity: number; measure: 'exact' | 'estimated' }[];
  total: number;
  expected: number;
  note?: string;
}

interface Sealed {
  id: string;
  kind: 'initial' | 'biennial';
  date: string;
  timing: 'opening' | 'close';
  time: string;
  countedBy: string[];
  registrant: {
    name: string;
    deaNumber: string;
    address: { line1: string; city: string; state: string; zip: string };
  } | null;
  lines: SealedLine[];
}

const SCHEDULES = ['CI', 'CII', 'CIII', 'CIV', 'CV'];

/** Products sealed before the unit was kept on the line take it from the product master. */
function unitOf(source: ReportSource, line: SealedLine): string {
  if (line.unit !== undefined) return line.unit;
  const row = source.db.prepare('SELECT unit FROM products WHERE ndc = ?').get(line.ndc) as
    { unit: string } | undefined;
  return row?.unit ?? '';
}

export function inventoryDocument(source: ReportSource, id: string | undefined): ReportDocument {
  const rows = source.db
    .prepare('SELECT id, seq, record FROM sealed_inventories ORDER BY date DESC, seq DESC')
    .all() as { id: string; seq: number; record: string }[];
  const row = rows.find((r) => source.covers(r.seq) && (id === undefined || r.id === id));
  if (row === undefined)
    throw new ApiError(
      'not-found',
      id === undefined ? 'No inventory has been sealed yet.' : `There is no sealed inventory ${id}.`,
    );
  const inv = JSON.parse(row.record) as Sealed;
  const r = inv.registrant ?? (source.registrant as Sealed['registrant']);
  const sections: ReportSection[] = [
    {
      heading: inv.kind === 'initial' ? 'Initial inventory' : 'Biennial inventory',
      sheet: 'Inventory',
      paragraphs: [
        '21 CFR 1304.11(e): an opened commercial container is counted exactly for Schedules I and II, and for Schedules III–V when it holds more than 1,000 tablets or capsules; otherwise its contents may be estimated. Unopened containers are counted by number.',
      ],
      fields: [
        { label: 'Registrant', value: r?.name ?? '' },
        { label: 'DEA registration number', value: r?.deaNumber ?? '' },
        {
          label: 'Address',
          value: r ? `${r.address.line1}, ${r.address.city}, ${r.address.state} ${r.address.zip}` : '',
        },
        { label: 'Date', value: inv.date },
        {
          label: 'Taken as of',
          value: `${inv.timing === 'opening' ? 'Opening of business' : 'Close of business'} (${inv.time})`,
        },
        { label: 'Counted by', value: inv.countedBy.join(', ') },
        { label: 'Lines', value: String(inv.lines.length) },
      ],
    },
  ];
  for (const schedule of SCHEDULES) {
    const lines = inv.lines.filter((l) => l.schedule === schedule);
    if (lines.length === 0) continue;
    sections.push({
      heading: SCHEDULE_TITLE[schedule]!,
      sheet: SCHEDULE_TITLE[schedule]!,
      table: {
        columns: [
          { header: 'NDC', type: 'text', width: 14 },
          { header: 'Product (strength, form)', type: 'text', width: 26 },
          { header: 'Per container', type: 'number', width: 9 },
          { header: 'Unit', type: 'text', width: 8 },
          { header: 'Full containers', type: 'number', width: 9 },
          { header: 'Opened containers', type: 'text', width: 11 },
          { header: 'Count', type: 'text', width: 10 },
          { header: 'Total', type: 'number', width: 8 },
          { header: 'Perpetual', type: 'number', width: 9 },
          { header: 'Difference', type: 'number', width: 9 },
          { header: 'Note', type: 'text', width: 10 },
        ],
        rows: lines.map((l): Cell[] => [
          l.ndc,
          `${l.name} ${l.strength} ${l.dosageForm}`,
          l.unitsPerContainer,
          unitOf(source, l),
          l.fullContainers,
          l.opened.map((o) => formatQuantity(o.quantity)).join(' + ') || 'none',
          l.opened.some((o) => o.measure === 'estimated') ? 'Estimated' : 'Exact',
          l.total,
          l.expected,
          Math.round((l.total - l.expected) * 1000) / 1000,
          l.note ?? '',
        ]),
      },
    });
  }
  if (inv.lines.length === 0)
    sections.push({
      heading: 'Nothing on hand',
      paragraphs: [
        'No controlled substance was on hand: the inventory records that fact (21 CFR 1304.11(b)).',
      ],
    });
  sections.push(signaturesSection(source, inv.id, 'Signatures of the people who counted and sealed it'));
  return {
    title:
      inv.kind === 'initial'
        ? 'Initial inventory of controlled substances'
        : 'Biennial inventory of controlled substances',
    subtitle: `${inv.date}, ${inv.timing === 'opening' ? 'opening' : 'close'} of business`,
    parameters: [{ label: 'Inventory', value: id ?? `latest sealed (${inv.id})` }],
    sections,
    empty: inv.lines.length === 0,
    disclosedSerials: 0,
  };
}

export const biennialInventoryKind = defineKind({
  id: 'biennial-inventory',
  family: 'DEA',
  title: 'Biennial inventory',
  summary:
    'The sealed initial or biennial inventory: every controlled substance by schedule, counted exactly or estimated as 21 CFR 1304.11(e) allows, with who counted.',
  formats: ['pdf', 'csv', 'xlsx'],
  fields: [{ field: 'id', label: 'Inventory', hint: 'A sealed inventory’s id; the latest when empty.' }],
  params: paramsSchema,
  build(source: ReportSource, params) {
    return inventoryDocument(source, params.id);
  },
});
