import { z } from 'zod';
import type { ReportDocument, ReportSection } from '../document';
import { defineKind, type ReportSource } from '../kind';
import { buildArcosFile, parseArcosPeriod, type ArcosFile } from './arcos-file';
import {
  ARCOS_ACTIONS,
  ARCOS_CONTROL_FIELDS,
  ARCOS_LINE_END,
  ARCOS_TRANSACTION_CODES,
  ARCOS_UNIT_CODES,
} from './arcos-layout';

/*
 * `arcos`: the ARCOS transaction file of a quarter (or a month, where DEA authorized monthly
 * reporting) as DEA takes it: the control record then one 80-character record per reportable
 * transaction (arcos-layout.ts says where every position comes from and which are unconfirmed),
 * and the same file summarized as a PDF for the page's preview and for the binder.
 */

const paramsSchema = z
  .object({
    id: z.string({ error: 'Give the period: 2026-Q1 for a quarter, 2026-03 for a month.' }),
  })
  .transform((p, ctx) => {
    const period = parseArcosPeriod(p.id);
    if (period === null) {
      ctx.addIssue({
        code: 'custom',
        message: `"${p.id}" is not a period: 2026-Q1 for a quarter, 2026-03 for a month.`,
      });
      return z.NEVER;
    }
    return period;
  });

const CODE_WORDS = ARCOS_TRANSACTION_CODES;

function mmddyyyy(iso: string): string {
  return iso === '' ? '' : `${iso.slice(5, 7)}/${iso.slice(8, 10)}/${iso.slice(0, 4)}`;
}

/** The document of one file (pure). */
export function arcosDocument(file: ArcosFile): ReportDocument {
  const { layout, period } = file;
  const counts = { '': 0, A: 0, D: 0, I: 0 } as Record<string, number>;
  for (const l of file.lines) counts[l.values.actionIndicator] = (counts[l.values.actionIndicator] ?? 0) + 1;
  const handbook = layout.choice === 'handbook-1997';
  const sections: ReportSection[] = [
    {
      heading: 'The file',
      sheet: 'File',
      fields: [
        {
          label: 'Period',
          value: `${period.id} (${mmddyyyy(period.from)} to ${mmddyyyy(period.to)}), ${period.frequency}`,
        },
        { label: 'Reporting registrant', value: file.registrantDea },
        {
          label: 'Records',
          value: `${file.lines.length} transaction record(s): ${counts['']} new, ${counts.A} adjusted, ${counts.D} deleted, ${counts.I} reported late; plus the control record`,
        },
        { label: 'Control record', value: file.control.trimEnd() },
        {
          label: 'Status',
          value:
            file.submitted === null
              ? 'Not yet marked submitted to DEA. After uploading it, mark it submitted (custodia arcos submitted FILE), so that later corrections carry their action indicator.'
              : `Marked submitted ${new Date(file.submitted.time).toISOString().slice(0, 10)}${file.submitted.confirmation ? `, DEA confirmation ${file.submitted.confirmation}` : ''} (ledger entry ${file.submitted.seq}); this is that file, byte for byte.`,
        },
        {
          label: 'Layout',
          value: handbook
            ? "ARCOS Registrant Handbook (1997): six-digit date MMDDYY, three-character document identifier. FLAG: the handbook predates DEA's Y2K change of the date field; confirm with a file DEA accepted before relying on it."
            : 'Post-Y2K layout of a third-party generator: eight-digit date MMDDYYYY, one-character document identifier (unconfirmed).',
        },
      ],
      paragraphs: [
        "21 CFR 1304.33: acquisitions and dispositions are reported by the 15th day of the month after the period; keep a copy of each report and DEA's error listings for two years (Handbook §2.2).",
        "Each record's Transaction Identifier is the transaction's ledger entry number: a correction reuses it with action A (adjust) or D (delete); a transaction recorded after its period's file went to DEA follows with action I.",
      ],
    },
    {
      heading: 'Transaction records',
      sheet: 'Records',
      table: {
        columns: [
          { header: 'Transaction', type: 'text', width: 9 },
          { header: 'Code', type: 'text', width: 14 },
          { header: 'Action', type: 'text', width: 8 },
          { header: 'Drug', type: 'text', width: 15 },
          { header: 'NDC (ARCOS)', type: 'text', width: 14 },
          { header: 'Quantity', type: 'text', width: 11 },
          { header: 'Associate', type: 'text', width: 12 },
          { header: 'Order form', type: 'text', width: 12 },
          { header: 'Date', type: 'date', width: 12 },
        ],
        rows: file.lines.map((l) => [
          l.transactionId,
          `${l.values.transactionCode} ${CODE_WORDS[l.values.transactionCode] ?? ''}`,
          l.values.actionIndicator === ''
            ? 'new'
            : `${l.values.actionIndicator} ${ARCOS_ACTIONS[l.values.actionIndicator] ?? ''}`,
          l.drug,
          l.values.ndc,
          `${Number(l.values.quantity)} ${ARCOS_UNIT_CODES[l.values.unit] ?? l.values.unit}`,
          l.values.associateRegistrant,
          l.values.orderFormNumber,
          mmddyyyy(l.date),
        ]),
      },
      emptyText: 'No reportable transaction in this period: the file holds the control record only.',
    },
    {
      heading: 'The records as written',
      sheet: 'Fixed width',
      paragraphs: ['Each line is one record of exactly 80 characters; blanks are shown as "·".'],
      table: {
        columns: [{ header: 'Record', type: 'text', width: 82 }],
        rows: file.text.map((line) => [line.replace(/ /g, '·')]),
      },
    },
  ];
  if (file.waiting.length > 0) {
    sections.push({
      heading: "Waiting for their own period's file",
      sheet: 'Waiting',
      paragraphs: [
        'These are dated before this period, whose file has not been marked submitted: they belong in that file.',
      ],
      table: {
        columns: [
          { header: 'Transaction', type: 'text', width: 11 },
          { header: 'Kind', type: 'text', width: 18 },
          { header: 'Drug', type: 'text', width: 30 },
          { header: 'Date', type: 'date', width: 10 },
        ],
        rows: file.waiting.map((w) => [String(w.seq), w.kind, w.drug, mmddyyyy(w.date)]),
      },
    });
  }
  const skipped = Object.entries(file.notReported);
  if (skipped.length > 0) {
    sections.push({
      heading: 'Not reported to ARCOS',
      sheet: 'Not reported',
      fields: skipped.map(([why, n]) => ({ label: why, value: `${n} transaction(s)` })),
    });
  }
  sections.push({
    heading: 'Record layout',
    sheet: 'Layout',
    newPage: true,
    paragraphs: [
      "Confidence: V read in DEA's text; P from a secondary or partial source; U unconfirmed. The control record (Handbook §4.3, not read) follows a third-party generator: " +
        ARCOS_CONTROL_FIELDS.map((f) => `${f.start}-${f.start + f.length - 1} ${f.name}`).join('; ') +
        '.',
      `Records end with CR LF (${JSON.stringify(ARCOS_LINE_END)}); the handbook's media specification was not read.`,
    ],
    table: {
      columns: [
        { header: 'Field', type: 'number', width: 6 },
        { header: 'Name', type: 'text', width: 36 },
        { header: 'Positions', type: 'text', width: 10 },
        { header: 'Width', type: 'number', width: 6 },
        { header: 'Conf.', type: 'text', width: 6 },
        { header: 'Source', type: 'text', width: 50 },
      ],
      rows: layout.fields.map((f) => [
        f.no,
        f.name,
        f.length === 1 ? String(f.start) : `${f.start}-${f.start + f.length - 1}`,
        f.length,
        f.confidence,
        f.source,
      ]),
    },
  });
  return {
    title: 'ARCOS transaction report',
    subtitle: `${period.id} · ${file.lines.length} record(s)${file.submitted ? ' · submitted' : ''}`,
    parameters: [{ label: 'Period', value: period.id }],
    sections,
    empty: file.lines.length === 0,
    fixedWidth: { lines: file.text, lineEnd: ARCOS_LINE_END },
    disclosedSerials: 0,
  };
}

export const arcosKind = defineKind({
  id: 'arcos',
  family: 'DEA',
  title: 'ARCOS transaction report',
  summary:
    'The ARCOS file DEA takes from a distributor for a quarter (or an authorized month): control record and 80-character transaction records, checked before it is written, with corrections of submitted files as adjustments.',
  formats: ['txt', 'pdf'],
  fields: [
    {
      field: 'id',
      label: 'Period',
      hint: '2026-Q1 for a quarter; 2026-03 for a month where DEA authorized monthly reporting.',
      required: true,
    },
  ],
  params: paramsSchema,
  build(source: ReportSource, period) {
    return arcosDocument(buildArcosFile(source, period));
  },
});
