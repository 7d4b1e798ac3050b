import { z } from 'zod';
import { ApiError } from '../../api/errors';
import { form106Deadlines, formatQuantity, type IncidentSubject } from '../../disposals';
import type { ReportDocument, ReportSection } from '../document';
import { defineKind, type ReportSource } from '../kind';
import { dayLabel, deaUnit, money, SCHEDULE_TITLE, signaturesSection, statusAt } from './dea-common';

/*
 * The DEA Form 106 worksheet of one theft or loss incident: what DEA's Theft/Loss Reporting (TLR)
 * online form asks, section by section, to key in (DEA takes the 106 electronically only, 88 FR
 * 40707), with the two deadlines counted from the discovery: written notice to the Field Division
 * Office within one business day (21 CFR 1301.76(b) pharmacies, 1301.74(c) distributors), and the
 * 106 within 45 days after discovery (1301.76(b) since 88 FR 40712). TLR sections 1 and 2 are named as DEA names them; the names of
 * sections 3–8 were not seen (reg-formats-update.md §1.2), so those parts follow the paper form's
 * items and the Pharmacist's Manual, Appendix I.
 */

const paramsSchema = z.object({
  id: z
    .string({ error: 'Give the incident (its id, from the theft and loss list).' })
    .uuid('An incident id.'),
});

/** The loss types as DEA's TLR data names them (reg-formats-update.md §1.2, FOIA spreadsheet). */
export const DEA_LOSS_TYPE: Record<IncidentSubject['lossType'], string> = {
  'break-in-burglary': 'BREAK-IN/BURGLARY',
  'customer-theft': 'CUSTOMER THEFT (OR NON EMPLOYEE)',
  disaster: 'DISASTER (FIRE, WEATHER, ETC.)',
  'employee-theft': 'EMPLOYEE THEFT (OR SUSPECTED)',
  'hijacking-of-transport': 'HIJACKING OF TRANSPORT VEHICLE',
  'loss-in-transit': 'LOSS IN TRANSIT',
  'packaging-discrepancy': 'PACKAGING DISCREPANCY',
  robbery: 'ROBBERY',
  other: 'OTHER',
};

const NOT_RECORDED = 'not recorded';

interface IncidentRow {
  seq: number;
  notice: string | null;
  notice_seq: number | null;
  filing: string | null;
  filing_seq: number | null;
  record: string;
}

interface Registrant {
  name: string;
  deaNumber: string;
  businessType: 'pharmacy' | 'distributor';
  address: { line1: string; line2?: string; city: string; state: string; zip: string };
}

/** An incident, or a draft from before incidents (one NDC), with what the form needs. */
type Worksheet = Omit<IncidentSubject, 'purchaseValue' | 'priorIncidents24Months'> & {
  purchaseValue: number | null;
  priorIncidents24Months: number | null;
};

interface DraftRecord {
  source: 'theft-loss' | 'discrepancy';
  sourceId: string;
  registrant: unknown;
  incident: {
    lossType: Worksheet['lossType'];
    discoveredOn: string;
    policeNotified: boolean;
    policeDepartment: string | null;
    description: string;
  };
  lines: {
    ndc: string;
    name: string;
    strength: string;
    dosageForm: string;
    packageSize: number | null;
    unit: string;
    quantityLost: number;
  }[];
}

/**
 * A Form 106 draft made by a single theft/loss transaction or an escalated count discrepancy
 * (form106_drafts): the worksheet shows what it recorded and says what the form still asks.
 */
function draftWorksheet(source: ReportSource, id: string): Worksheet | null {
  const row = source.db.prepare('SELECT seq, record FROM form106_drafts WHERE id = ?').get(id) as
    { seq: number; record: string } | undefined;
  if (row === undefined || !source.covers(row.seq)) return null;
  const d = JSON.parse(row.record) as DraftRecord;
  const scheduleOf = source.db.prepare('SELECT schedule FROM products WHERE ndc = ?').pluck();
  return {
    type: 'custodia.form106-incident/v1',
    id,
    ...d.incident,
    lossFrom: null,
    lossTo: null,
    policePhone: null,
    policeReportNumber: null,
    purchaseValue: null,
    inTransit: null,
    stolenOrderForms: [],
    securityMeasures: '',
    priorIncidents24Months: null,
    registrantCounty: '',
    registrantPhone: (d.registrant as { phone?: string } | null)?.phone ?? null,
    registrant: d.registrant,
    lines: d.lines.map((l) => ({
      ...l,
      // A discrepancy's loss is the count itself: no transaction of its own.
      transactionId: d.source === 'theft-loss' ? d.sourceId : '',
      lot: null,
      schedule: (scheduleOf.get(l.ndc) as IncidentSubject['lines'][number]['schedule'] | undefined) ?? 'CII',
      quantity: l.quantityLost,
    })),
    ...form106Deadlines(d.incident.discoveredOn),
    reportedBy: { userId: '', printedName: '' },
    reportedAt: '',
  };
}

export function form106Document(source: ReportSource, id: string): ReportDocument {
  const row = source.db.prepare('SELECT * FROM loss_incidents WHERE id = ?').get(id) as
    IncidentRow | undefined;
  const i: Worksheet | null =
    row !== undefined && source.covers(row.seq)
      ? (JSON.parse(row.record) as IncidentSubject)
      : draftWorksheet(source, id);
  if (i === null) throw new ApiError('not-found', `There is no theft or loss incident ${id} in this ledger.`);
  const fromDraft = row === undefined;
  const notice =
    row?.notice && row.notice_seq !== null && source.covers(row.notice_seq)
      ? (JSON.parse(row.notice) as { notifiedOn: string; office: string; how: string })
      : null;
  const filing =
    row?.filing && row.filing_seq !== null && source.covers(row.filing_seq)
      ? (JSON.parse(row.filing) as { filedOn: string; confirmation: string })
      : null;
  const r = (i.registrant ?? source.registrant) as Registrant | null;
  const distributor = r?.businessType === 'distributor';
  const regulation = distributor ? '21 CFR 1301.74(c)' : '21 CFR 1301.76(b)';
  const address = r
    ? [r.address.line1, r.address.line2, `${r.address.city}, ${r.address.state} ${r.address.zip}`]
        .filter((s) => s)
        .join(', ')
    : 'not set up';
  const late = (done: string | undefined, due: string) =>
    done === undefined ? 'not recorded yet' : done <= due ? `on time (${done})` : `LATE (${done})`;

  const sections: ReportSection[] = [
    {
      heading: 'Deadlines',
      sheet: 'Deadlines',
      paragraphs: [
        ...(fromDraft
          ? [
              'Prepared from a single theft/loss or an escalated count discrepancy: what Form 106 also asks (value, county, police report number, security measures) was not recorded with it. Record the incident under Inventory › Theft & loss (106) to complete it and follow its notice and filing.',
            ]
          : []),
        `Notice: ${regulation} asks for written notice to the DEA Field Division Office within one business day of discovery; weekends and federal holidays do not count. ` +
          'Form 106: filed through DEA’s secure network application (TLR) within 45 days after discovery (21 CFR 1301.76(b), 88 FR 40712); days, not business days.',
      ],
      fields: [
        { label: 'Discovered', value: dayLabel(i.discoveredOn) },
        { label: 'Written notice to DEA due by', value: dayLabel(i.noticeDueBy) },
        {
          label: 'Notice given',
          value: notice
            ? `${late(notice.notifiedOn, i.noticeDueBy)}: ${notice.office}, by ${notice.how}`
            : 'not recorded yet',
        },
        { label: 'Form 106 due by', value: dayLabel(i.fileBy) },
        {
          label: 'Form 106 filed',
          value: filing
            ? `${late(filing.filedOn, i.fileBy)}; TLR confirmation ${filing.confirmation}`
            : 'not filed yet',
        },
      ],
    },
    {
      heading: 'Section 1 — Authentication and Report Selection',
      sheet: 'Registrant',
      fields: [
        { label: 'DEA registration number', value: r?.deaNumber ?? '' },
        { label: 'Name as registered', value: r?.name ?? '' },
        { label: 'Report', value: 'New report (not an amendment)' },
        { label: 'Registered address', value: address },
        { label: 'County', value: i.registrantCounty || NOT_RECORDED },
        { label: 'Registrant telephone', value: i.registrantPhone ?? 'not recorded' },
        { label: 'Principal business', value: distributor ? 'Distributor' : 'Pharmacy' },
      ],
    },
    {
      heading: 'Section 2 — Theft/Loss Details',
      sheet: 'Details',
      fields: [
        { label: 'Type of theft or loss', value: DEA_LOSS_TYPE[i.lossType] },
        { label: 'Date of discovery', value: i.discoveredOn },
        {
          label: 'Date of theft or loss',
          value:
            i.lossFrom === null && i.lossTo === null
              ? 'not known (the discovery date stands for it)'
              : i.lossFrom !== null && i.lossTo !== null && i.lossFrom !== i.lossTo
                ? `between ${i.lossFrom} and ${i.lossTo} (estimated; explain below)`
                : (i.lossFrom ?? i.lossTo)!,
        },
        {
          label: 'Value (purchase cost)',
          value: i.purchaseValue === null ? NOT_RECORDED : money(i.purchaseValue),
        },
        {
          label: 'Earlier thefts/losses, 24 months',
          value: i.priorIncidents24Months === null ? NOT_RECORDED : String(i.priorIncidents24Months),
        },
        { label: 'What happened', value: i.description },
      ],
    },
    {
      heading: 'Police',
      sheet: 'Police',
      fields: [
        { label: 'Reported to police', value: i.policeNotified ? 'Yes' : 'No' },
        { label: 'Police department', value: i.policeDepartment ?? '' },
        { label: 'Police telephone', value: i.policePhone ?? '' },
        { label: 'Police report number', value: i.policeReportNumber ?? '' },
      ],
    },
  ];
  if (i.inTransit !== null) {
    sections.push({
      heading: 'Lost in transit',
      sheet: 'In transit',
      paragraphs: [
        '21 CFR 1301.74(c): the supplier reports an in-transit loss by the carrier it selected (outside imports and exports); a purchaser keeps this record and tells the supplier.',
      ],
      fields: [
        { label: 'Common carrier', value: i.inTransit.carrier },
        { label: 'Consignee', value: i.inTransit.consignee },
        { label: 'Supplier', value: i.inTransit.supplierName ?? '' },
        { label: 'Supplier DEA number', value: i.inTransit.supplierDeaNumber ?? '' },
        {
          label: 'Earlier losses with this carrier',
          value:
            i.inTransit.priorLossesWithCarrier === undefined
              ? ''
              : String(i.inTransit.priorLossesWithCarrier),
        },
      ],
    });
  }
  sections.push({
    heading: 'Controlled substances taken or lost',
    sheet: 'Substances',
    paragraphs: [
      'TLR fills the product from the NDC; quantities are in DEA’s units of measure. A Schedule II line leaves the perpetual inventory once a second person approves it.',
    ],
    table: {
      columns: [
        { header: 'NDC', type: 'text', width: 14 },
        { header: 'Product', type: 'text', width: 18 },
        { header: 'Strength', type: 'text', width: 11 },
        { header: 'Dosage form', type: 'text', width: 11 },
        { header: 'Schedule', type: 'text', width: 12 },
        { header: 'Quantity per package', type: 'number', width: 9 },
        { header: 'Quantity lost', type: 'number', width: 9 },
        { header: 'Unit of measure', type: 'text', width: 12 },
        { header: 'Lot', type: 'text', width: 8 },
        { header: 'Inventory', type: 'text', width: 10 },
      ],
      rows: i.lines.map((l) => [
        l.ndc,
        l.name,
        l.strength,
        l.dosageForm,
        SCHEDULE_TITLE[l.schedule] ?? l.schedule,
        l.packageSize,
        Number(formatQuantity(l.quantity)),
        deaUnit(l.unit),
        l.lot ?? '',
        l.transactionId === '' ? 'count discrepancy' : statusAt(source.db, source, l.transactionId),
      ]),
    },
  });
  sections.push({
    heading: 'DEA Forms 222 taken',
    sheet: 'Forms 222',
    fields: [
      {
        label: 'Order form serial numbers',
        value: i.stolenOrderForms.length > 0 ? i.stolenOrderForms.join(', ') : 'None',
      },
    ],
  });
  sections.push({
    heading: 'Security measures taken to prevent a recurrence',
    sheet: 'Security',
    paragraphs: [i.securityMeasures || NOT_RECORDED],
  });
  sections.push(signaturesSection(source, i.id));
  return {
    title: 'DEA Form 106 worksheet',
    subtitle: `Theft or loss discovered ${i.discoveredOn}: ${DEA_LOSS_TYPE[i.lossType]}`,
    parameters: [{ label: 'Incident', value: i.id }],
    sections,
    empty: false,
    disclosedSerials: 0,
  };
}

export const dea106Kind = defineKind({
  id: 'dea-106',
  family: 'DEA',
  title: 'DEA Form 106 worksheet',
  summary:
    'A theft or significant loss, section by section as DEA’s online Form 106 asks for it, with the one-business-day notice and 45-day filing deadlines.',
  formats: ['pdf', 'csv', 'xlsx'],
  fields: [
    {
      field: 'id',
      label: 'Incident',
      hint: 'The incident’s id, from Inventory › Theft & loss (or a Form 106 draft’s id).',
      required: true,
    },
  ],
  params: paramsSchema,
  build(source: ReportSource, params) {
    return form106Document(source, params.id);
  },
});
