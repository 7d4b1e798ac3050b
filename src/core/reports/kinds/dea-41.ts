import { z } from 'zod';
import { ApiError } from '../../api/errors';
import { formatQuantity, totalWithUnit, type DestructionSubject } from '../../disposals';
import type { ReportDocument } from '../document';
import { defineKind, type ReportSource } from '../kind';
import { signaturesAt, signaturesSection, statusAt } from './dea-common';

/*
 * DEA Form 41, Registrant Record of Controlled Substances Destroyed (OMB 1117-0007), section by
 * section as the form has them: A registrant, B(1) inventory destroyed (the form's own columns,
 * one row per NDC; DEA's example row is Kadian 60mg Capsules, Pkg. Qty. 60, 2 full packages, 0
 * partial, "120 Capsules"), B(2) collected substances (not used by a registrant destroying its own
 * stock), C method of destruction, D the two witnesses and their declaration. The record is kept,
 * not sent, unless DEA asks for it (21 CFR 1304.21(e), 1317.95(d)).
 */

const paramsSchema = z.object({
  id: z
    .string({ error: 'Give the destruction (its id, from the destructions list).' })
    .uuid('A destruction id.'),
});

interface Registrant {
  name: string;
  deaNumber: string;
  phone?: string;
  address: { line1: string; line2?: string; city: string; state: string; zip: string };
}

export function form41Document(source: ReportSource, id: string): ReportDocument {
  const row = source.db.prepare('SELECT seq, record FROM destructions WHERE id = ?').get(id) as
    { seq: number; record: string } | undefined;
  if (row === undefined || !source.covers(row.seq))
    throw new ApiError('not-found', `There is no destruction ${id} in this ledger.`);
  const d = JSON.parse(row.record) as DestructionSubject;
  const r = (d.registrant ?? source.registrant) as Registrant | null;
  const signatures = signaturesAt(source, d.id);
  const witnessed = (userId: string) =>
    signatures.find((s) => s.userId === userId && s.meaning === 'witnessed');
  const pending = d.lines.filter((l) => statusAt(source.db, source, l.transactionId) !== 'posted');
  return {
    title: 'DEA Form 41',
    subtitle: 'Registrant Record of Controlled Substances Destroyed',
    parameters: [
      { label: 'Destruction', value: d.id },
      { label: 'Date of destruction', value: d.date },
    ],
    sections: [
      {
        heading: 'A. Registrant information',
        sheet: 'A Registrant',
        fields: [
          { label: 'Registered Name', value: r?.name ?? '' },
          { label: 'DEA Registration Number', value: r?.deaNumber ?? '' },
          {
            label: 'Registered Address',
            value: [r?.address.line1, r?.address.line2].filter((s) => s).join(', '),
          },
          { label: 'City', value: r?.address.city ?? '' },
          { label: 'State', value: r?.address.state ?? '' },
          { label: 'Zip Code', value: r?.address.zip ?? '' },
          { label: 'Telephone Number', value: r?.phone ?? '' },
          { label: 'Contact Name', value: d.recordedBy.printedName },
        ],
      },
      {
        heading: 'B. Item destroyed — (1) Inventory',
        sheet: 'B1 Inventory',
        paragraphs: [
          'Total Destroyed = Number of Full Pkgs. × Pkg. Qty. + Partial Pkg. Count; each line was checked against it when recorded.',
          ...(pending.length > 0
            ? [
                `${pending.length} Schedule II line(s) wait for a second person’s approval before they leave the perpetual inventory.`,
              ]
            : []),
        ],
        table: {
          columns: [
            {
              header: 'National Drug Code or DEA Controlled Substances Code Number',
              type: 'text',
              width: 18,
            },
            { header: 'Batch Number', type: 'text', width: 12 },
            { header: 'Name of Substance', type: 'text', width: 20 },
            { header: 'Strength', type: 'text', width: 10 },
            { header: 'Form', type: 'text', width: 12 },
            { header: 'Pkg. Qty.', type: 'number', width: 8 },
            { header: 'Number of Full Pkgs.', type: 'number', width: 8 },
            { header: 'Partial Pkg. Count', type: 'number', width: 8 },
            { header: 'Total Destroyed', type: 'text', width: 16 },
          ],
          rows: d.lines.map((l) => [
            l.ndc,
            l.batch ?? 'N/A',
            l.name,
            l.strength,
            l.dosageForm,
            l.packageSize ?? 'N/A',
            l.packageSize === null ? 'N/A' : l.fullPackages,
            Number(formatQuantity(l.partialCount)),
            totalWithUnit(l.quantity, l.unit),
          ]),
        },
      },
      {
        heading: 'B. Item destroyed — (2) Collected Substances',
        sheet: 'B2 Collected',
        paragraphs: [
          'Not used: this record is of the registrant’s own inventory, not of mail-back packages or collection receptacle inner liners.',
        ],
      },
      {
        heading: 'C. Method of destruction',
        sheet: 'C Method',
        fields: [
          { label: 'Date of Destruction', value: d.date },
          { label: 'Method of Destruction', value: d.method },
          { label: 'Location or Business Name', value: d.place.name },
          { label: 'Address', value: d.place.address },
        ],
      },
      {
        heading: 'D. Witnesses',
        sheet: 'D Witnesses',
        paragraphs: [
          `Each witness signed this declaration: “${d.declaration}”`,
          '21 CFR 1304.21(e): the record includes the names and signatures of the two employees who witnessed the destruction.',
        ],
        table: {
          columns: [
            { header: 'Witness', type: 'text', width: 8 },
            { header: 'Printed name of authorized employee witness', type: 'text', width: 30 },
            { header: 'Signature', type: 'text', width: 44 },
            { header: 'Date', type: 'date', width: 12 },
          ],
          rows: d.witnesses.map((w, n) => {
            const s = witnessed(w.userId);
            return [
              n === 0 ? 'First' : 'Second',
              w.printedName,
              s ? `Signed electronically ${s.signedAt.replace('T', ' ').slice(0, 19)} UTC` : 'not signed',
              s ? s.signedAt.slice(0, 10) : '',
            ];
          }),
        },
      },
      signaturesSection(source, d.id),
    ],
    empty: false,
    disclosedSerials: 0,
  };
}

export const dea41Kind = defineKind({
  id: 'dea-41',
  family: 'DEA',
  title: 'DEA Form 41 (destruction)',
  summary:
    'A destruction of controlled substances as DEA Form 41 records it: lines by NDC with full and partial packages, the method and place, and the two witnesses.',
  formats: ['pdf', 'csv', 'xlsx'],
  fields: [
    {
      field: 'id',
      label: 'Destruction',
      hint: 'The destruction’s id, from Inventory › Destructions.',
      required: true,
    },
  ],
  params: paramsSchema,
  build(source: ReportSource, params) {
    return form41Document(source, params.id);
  },
});
