import { z } from 'zod';
import type { Cell, ReportDocument, ReportSection } from '../document';
import { defineKind, type ReportSource } from '../kind';
import { SCHEDULE_TITLE } from './dea-common';

/*
 * The receiving and dispensing records of controlled substances for a period (21 CFR 1304.21,
 * 1304.22(c)), by schedule and NDC, every posted transaction with its running balance. Balances
 * run in the order transactions posted (a Schedule II one when a second person approved it), so
 * each NDC's last balance is its perpetual inventory as of the report's checkpoint. Receipts name
 * the supplier with address and DEA number (1304.22(c)); a dispensing names only the prescription
 * number: the patient's name and address stay in the dispensing system, found by that number.
 * Schedule II is its own sheet, apart from III–V (21 U.S.C. 827(b), 21 CFR 1304.04).
 */

const date = z.iso.date('A date as YYYY-MM-DD.');
const paramsSchema = z
  .object({
    from: date.optional(),
    to: date.optional(),
    product: z.string().max(20).optional(),
  })
  .refine(
    (p) => p.from === undefined || p.to === undefined || p.from <= p.to,
    'The period ends before it starts.',
  );

const KIND_LABEL: Record<string, string> = {
  receipt: 'Received',
  dispense: 'Dispensed',
  return: 'Returned to supplier',
  transfer: 'Transfer',
  destruction: 'Destroyed (Form 41)',
  'theft-loss': 'Theft or loss (Form 106)',
  adjustment: 'Adjustment',
};

export const PHI_NOTE =
  'Dispensing: only the prescription number is kept here; the patient’s name and address stay in the dispensing (pharmacy management) system, found by that prescription number.';

interface LogRow {
  seq: number;
  kind: string;
  ndc: string;
  lot: string | null;
  schedule: string;
  qty_milli: number;
  direction: number;
  date: string;
  name: string;
  strength: string;
  unit: string;
  rx: string | null;
  details: string | null;
  initiated_by: string | null;
}

interface Details {
  supplier?: { name?: string; address?: string; deaNumber?: string };
  counterparty?: { name?: string; address?: string; deaNumber?: string };
  order?: { number?: string };
  reason?: string;
}

/**
 * Posted transactions as of the checkpoint, in posting order per NDC. A dispensing (most rows)
 * reads two fields of its subject; the rest read their details whole, parsed in JS.
 */
export const CS_LOG_SQL = `
  SELECT t.seq, t.kind, t.ndc, t.lot, t.schedule, t.qty_milli, t.direction, t.date,
         p.name, p.strength, p.unit,
         CASE WHEN t.kind = 'dispense' THEN json_extract(t.subject, '$.details.prescriptionNumber') END AS rx,
         CASE WHEN t.kind <> 'dispense' THEN json_extract(t.subject, '$.details') END AS details,
         json_extract(t.subject, '$.initiatedBy.printedName') AS initiated_by
    FROM inv_transactions t JOIN products p ON p.ndc = t.ndc
   WHERE t.status = 'posted' AND coalesce(t.decided_seq, t.seq) < @size
     AND (@ndc IS NULL OR t.ndc = @ndc) AND (@to IS NULL OR t.date <= @to)
   ORDER BY t.schedule, t.ndc, coalesce(t.decided_seq, t.seq)`;

function reference(r: LogRow): string {
  if (r.kind === 'dispense') return `Rx ${r.rx ?? ''}`;
  const d = (r.details === null ? {} : JSON.parse(r.details)) as Details;
  switch (r.kind) {
    case 'receipt':
    case 'return':
    case 'transfer': {
      const party = d.supplier ?? d.counterparty ?? {};
      return [
        party.name ?? '',
        party.address ?? 'address not recorded',
        party.deaNumber ? `DEA ${party.deaNumber}` : '',
        d.order?.number ? `order ${d.order.number}` : '',
      ]
        .filter((s) => s !== '')
        .join(', ');
    }
    case 'adjustment':
      return d.reason ?? '';
    default:
      return '';
  }
}

interface Total {
  ndc: string;
  name: string;
  schedule: string;
  unit: string;
  opening: number;
  received: number;
  dispensed: number;
  otherIn: number;
  otherOut: number;
  balance: number;
}

export function csLogDocument(
  source: ReportSource,
  params: { from?: string; to?: string; product?: string },
): ReportDocument {
  const rows = source.db
    .prepare(CS_LOG_SQL)
    .all({ size: source.size, ndc: params.product ?? null, to: params.to ?? null }) as LogRow[];
  const totals = new Map<string, Total>();
  const bySchedule = new Map<string, Cell[][]>();
  for (const r of rows) {
    let t = totals.get(r.ndc);
    if (t === undefined) {
      t = {
        ndc: r.ndc,
        name: `${r.name} ${r.strength}`,
        schedule: r.schedule,
        unit: r.unit,
        opening: 0,
        received: 0,
        dispensed: 0,
        otherIn: 0,
        otherOut: 0,
        balance: 0,
      };
      totals.set(r.ndc, t);
    }
    const delta = r.qty_milli * r.direction;
    t.balance += delta;
    if (params.from !== undefined && r.date < params.from) {
      t.opening += delta;
      continue;
    }
    if (r.kind === 'receipt') t.received += r.qty_milli;
    else if (r.kind === 'dispense') t.dispensed += r.qty_milli;
    else if (r.direction === 1) t.otherIn += r.qty_milli;
    else t.otherOut += r.qty_milli;
    let table = bySchedule.get(r.schedule);
    if (table === undefined) bySchedule.set(r.schedule, (table = []));
    table.push([
      r.ndc,
      r.date,
      r.kind === 'transfer'
        ? r.direction === 1
          ? 'Transfer in'
          : 'Transfer out'
        : (KIND_LABEL[r.kind] ?? r.kind),
      r.kind === 'receipt' ? r.qty_milli / 1000 : null,
      r.kind === 'dispense' ? r.qty_milli / 1000 : null,
      r.kind !== 'receipt' && r.kind !== 'dispense' ? delta / 1000 : null,
      t.balance / 1000,
      reference(r),
      r.lot ?? '',
      r.initiated_by ?? '',
      r.seq,
    ]);
  }
  const period = `${params.from ?? 'the first record'} to ${params.to ?? 'the checkpoint'}`;
  const sections: ReportSection[] = [
    {
      heading: 'Balances by NDC',
      sheet: 'Balances',
      paragraphs: [
        `Period: ${period}. Quantities are in each product’s unit. Opening balance, what came in and went out in the period, and the closing balance; ` +
          'with no end date the closing balance is the perpetual inventory as of this report’s checkpoint.',
        PHI_NOTE,
      ],
      table: {
        columns: [
          { header: 'Schedule', type: 'text', width: 12 },
          { header: 'NDC', type: 'text', width: 15 },
          { header: 'Product', type: 'text', width: 22 },
          { header: 'Unit', type: 'text', width: 8 },
          { header: 'Opening', type: 'number', width: 9 },
          { header: 'Received', type: 'number', width: 10 },
          { header: 'Dispensed', type: 'number', width: 10 },
          { header: 'Other in', type: 'number', width: 9 },
          { header: 'Other out', type: 'number', width: 10 },
          { header: 'Closing', type: 'number', width: 9 },
        ],
        rows: [...totals.values()].map((t) => [
          SCHEDULE_TITLE[t.schedule] ?? t.schedule,
          t.ndc,
          t.name,
          t.unit,
          t.opening / 1000,
          t.received / 1000,
          t.dispensed / 1000,
          t.otherIn / 1000,
          t.otherOut / 1000,
          t.balance / 1000,
        ]),
      },
      emptyText: 'No controlled-substance transaction is posted.',
    },
  ];
  for (const [schedule, table] of bySchedule) {
    const title = SCHEDULE_TITLE[schedule] ?? schedule;
    sections.push({
      heading: `${title}: receiving and dispensing`,
      sheet: `${title} log`,
      newPage: true,
      table: {
        columns: [
          { header: 'NDC', type: 'text', width: 16 },
          { header: 'Date', type: 'date', width: 13 },
          { header: 'Transaction', type: 'text', width: 14 },
          { header: 'Received', type: 'number', width: 10 },
          { header: 'Dispensed', type: 'number', width: 11 },
          { header: 'Other', type: 'number', width: 8 },
          { header: 'Balance', type: 'number', width: 10 },
          { header: 'Prescription / supplier / reference', type: 'text', width: 24 },
          { header: 'Lot', type: 'text', width: 7 },
          { header: 'Recorded by', type: 'text', width: 12 },
          { header: 'Entry', type: 'number', width: 7 },
        ],
        rows: table,
      },
    });
  }
  return {
    title: 'Controlled-substance receiving and dispensing log',
    subtitle: `${period}${params.product ? `, NDC ${params.product}` : ''}`,
    parameters: [
      { label: 'From', value: params.from ?? 'first record' },
      { label: 'To', value: params.to ?? 'checkpoint' },
      ...(params.product ? [{ label: 'NDC', value: params.product }] : []),
    ],
    sections,
    empty: rows.length === 0,
    disclosedSerials: 0,
  };
}

export const csLogKind = defineKind({
  id: 'cs-log',
  family: 'DEA',
  title: 'Controlled-substance log',
  summary:
    'Receiving and dispensing records for a period by schedule and NDC, with running balances that end at the perpetual inventory.',
  formats: ['pdf', 'csv', 'xlsx'],
  fields: [
    { field: 'from', label: 'From', hint: 'First day (YYYY-MM-DD); from the first record when empty.' },
    { field: 'to', label: 'To', hint: 'Last day; up to the checkpoint when empty.' },
    { field: 'product', label: 'NDC', hint: 'One product only (optional).' },
  ],
  params: paramsSchema,
  build(source: ReportSource, params) {
    return csLogDocument(source, params);
  },
});
