import { z } from 'zod';
import { form3911Worksheet, type Form3911Worksheet } from '../../receiving';
import type { ReportDocument, ReportSection } from '../document';
import { defineKind, type ReportSource } from '../kind';

/*
 * Form FDA 3911 (Drug Notification) as a worksheet from an investigation closed as illegitimate:
 * every item of the current form with its number and the form's label, filled from the ledger
 * (receiving/form3911.ts; the numbering is one table, receiving/form3911-items.ts). Initial,
 * follow-up and request-for-termination notifications are each a worksheet of their own:
 * `--id 7` is the latest notification of investigation 7, `--id 7/2` its second.
 */

const paramsSchema = z
  .object({
    id: z
      .string({ error: 'Give the investigation number (and optionally /N for its Nth notification).' })
      .regex(/^\d+(\/\d+)?$/, 'An investigation number, like 7, or 7/2 for its second notification.'),
  })
  .transform((p) => {
    const [investigation, notification] = p.id.split('/').map(Number) as [number, number | undefined];
    return { investigation, ...(notification !== undefined ? { notification } : {}) };
  });

const TYPE_TITLE = {
  initial: 'Initial Notification',
  'follow-up': 'Follow-up Notification',
  termination: 'Request for Termination',
} as const;

const dateTime = (ms: number) => new Date(ms).toISOString().replace('T', ' ').slice(0, 16) + ' UTC';

/** The document of one worksheet (pure: the same worksheet gives the same document). */
export function form3911Document(w: Form3911Worksheet, serials: number): ReportDocument {
  const sections: ReportSection[] = [
    {
      heading: `Form FDA 3911 — ${TYPE_TITLE[w.type]}`,
      sheet: 'Form 3911',
      paragraphs: [
        `${w.layout}. Item numbers and labels follow the current form; copy each value into the 3911 platform in CDER NextGen or onto the form.`,
        ...w.notes,
      ],
      table: {
        columns: [
          { header: 'Item', type: 'number', width: 6 },
          { header: 'Label', type: 'text', width: 44 },
          { header: 'Value', type: 'text', width: 60 },
        ],
        rows: w.items.map((i) => [i.item, i.label, i.value]),
      },
    },
  ];
  sections.push({
    heading: 'Immediate trading partners notified',
    sheet: 'Partners notified',
    paragraphs: [
      'FD&C Act §582(c)(4)(B)(ii), (d)(4)(B)(ii): FDA and all immediate trading partners that may have received the product are notified within 24 hours of the determination; after a termination agreed with FDA, the same partners are told (§582(c)(4)(B)(iv), (d)(4)(B)(iv)).',
    ],
    table: {
      columns: [
        { header: 'Partner', type: 'text', width: 40 },
        { header: 'Notified', type: 'date', width: 22 },
        { header: 'How', type: 'text', width: 30 },
      ],
      rows: w.partnersNotified.map((p) => [p.name, dateTime(p.notifiedMs), p.how]),
    },
    emptyText: 'No trading partner is recorded as notified with this notification.',
  });
  sections.push({
    heading: 'Notifications of this investigation',
    sheet: 'Notifications',
    table: {
      columns: [
        { header: 'No.', type: 'number', width: 5 },
        { header: 'Type of report', type: 'text', width: 28 },
        { header: 'Sent to FDA', type: 'date', width: 22 },
      ],
      rows: w.notifications.map((n) => [n.notification, TYPE_TITLE[n.type], dateTime(n.notifiedMs)]),
    },
    emptyText: 'None is recorded as sent yet.',
  });
  return {
    title: 'Form FDA 3911 worksheet',
    subtitle: `Investigation ${w.investigation} — ${TYPE_TITLE[w.type]}${w.notification === null ? ' (draft)' : ` (notification ${w.notification})`}`,
    parameters: [
      { label: 'Investigation', value: String(w.investigation) },
      {
        label: 'Notification',
        value: w.notification === null ? 'draft, not yet sent' : String(w.notification),
      },
    ],
    sections,
    empty: false,
    disclosedSerials: serials,
  };
}

export const fda3911Kind = defineKind({
  id: 'fda-3911',
  family: 'FDA',
  title: 'Form FDA 3911 worksheet',
  summary:
    'The Drug Notification of an illegitimate product, item by item in the current layout, from an investigation closed as illegitimate (initial, follow-up or request for termination).',
  formats: ['pdf', 'csv', 'xlsx'],
  fields: [
    {
      field: 'id',
      label: 'Investigation',
      hint: 'Its number (7), or 7/2 for its second notification; the latest when no /N is given.',
      required: true,
    },
  ],
  params: paramsSchema,
  build(source: ReportSource, params) {
    const w = form3911Worksheet(
      {
        db: source.db,
        sealer: source.sealer,
        registrant: source.registrant,
        entries: (prefixes) => source.entries(prefixes),
        covers: (seq) => source.covers(seq),
      },
      params.investigation,
      params.notification,
    );
    const serials = w.items.find((i) => i.field === 'serialNumbers')?.value;
    return form3911Document(w, serials ? serials.split(', ').length : 0);
  },
});
