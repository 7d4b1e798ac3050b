import type { Database } from 'better-sqlite3-multiple-ciphers';
import type { ClosureSignature } from '../api/procedures/quarantine';
import type { Registrant } from '../api/procedures/setup';
import type { Entry } from '../ledger/workspace';
import { parseTraceId } from '../model/trace-id';
import type { FieldSealer } from '../sealing/field-sealer';
import { TraceIds } from '../trace/ids';
import {
  FORM_3911_ITEMS,
  FORM_3911_LAYOUT,
  REPORT_TYPE_LABEL,
  unfilledItems,
  type Form3911Field,
} from './form3911-items';
import { ReceivingError, RECEIVING_ENTRY } from './service';

/*
 * The Form FDA 3911 worksheet of one notification (initial, follow-up or request for termination),
 * rebuilt from ledger entries alone: the investigation as opened and closed (investigation.*), the
 * notifications recorded as sent and the incident number FDA assigned (form3911.*), the product
 * master the import recorded, and the registrant. Each notification is a 3911 of its own.
 */

export const FORM3911_ENTRY = {
  /** A notification sent to FDA (signed): what the form said and who was told. */
  recorded: 'form3911.recorded',
  /** The incident number from FDA's acknowledgement of the initial notification. */
  incidentNumber: 'form3911.incident-number',
} as const;

export type NotificationType = keyof typeof REPORT_TYPE_LABEL;

export interface PartnerNotified {
  readonly name: string;
  readonly notifiedMs: number;
  readonly how: string;
}

export interface Contact {
  readonly name: string;
  readonly title?: string;
  readonly phone: string;
  readonly email: string;
}

/** The payload of a form3911.recorded entry (no serial: the worksheet opens it from its sealed row). */
export interface NotificationPayload {
  readonly investigation: number;
  /** 1 for the initial notification, then 2, 3 … in order. */
  readonly notification: number;
  readonly type: NotificationType;
  /** When it was sent to FDA (portal or email). */
  readonly notifiedMs: number;
  /** Dates on the form are the days in this zone. */
  readonly timeZone: string;
  readonly geographicLocation: string;
  readonly quantity: { readonly number: number; readonly unit: string };
  readonly primaryIngredients: string | null;
  readonly drugUse: string | null;
  readonly drugDescription: string | null;
  readonly dosageForm: string | null;
  readonly description: string;
  readonly terminationReason: string | null;
  readonly otherMechanisms: string[];
  readonly otherMechanismsSpecify: string | null;
  readonly partnersNotified: PartnerNotified[];
  readonly contact: Contact;
  /** The product as named on the form when it was sent (absent in entries that predate it). */
  readonly product?: ProductFacts | null;
  readonly signature: ClosureSignature;
}

export interface Form3911Line {
  readonly item: number;
  readonly label: string;
  readonly field: Form3911Field;
  readonly value: string;
  readonly confirmed: 'V' | 'P';
}

export interface Form3911Worksheet {
  readonly layout: string;
  readonly investigation: number;
  /** Null for a draft initial notification not yet recorded as sent. */
  readonly notification: number | null;
  readonly type: NotificationType;
  readonly items: Form3911Line[];
  /** Items of the form the worksheet does not fill, and why. */
  readonly notes: string[];
  readonly partnersNotified: PartnerNotified[];
  readonly notifications: { notification: number; type: NotificationType; notifiedMs: number }[];
}

/** What the worksheet reads: the covered entries, the database (product master, sealed ids), the registrant. */
export interface Form3911Source {
  readonly db: Database;
  readonly sealer: FieldSealer;
  readonly registrant: Registrant | null;
  entries(prefixes: readonly string[]): Iterable<Entry>;
  /** For a report as of an earlier checkpoint: whether a row written at this ledger seq is covered. */
  covers?(seq: number): boolean;
}

const CLASSIFICATION_WORDS: Record<string, string> = {
  counterfeit: 'Counterfeit',
  diverted: 'Diverted',
  stolen: 'Stolen',
  'intentional-adulteration': 'Intentional adulteration',
  'unfit-for-distribution': 'Unfit for distribution',
  'fraudulent-transaction': 'Fraudulent transaction',
};

/** mm/dd/yyyy, as the form asks, of the day in the zone. */
export function formDate(ms: number, timeZone: string): string {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })
      .formatToParts(new Date(ms))
      .map((x) => [x.type, x.value]),
  );
  return `${p.month}/${p.day}/${p.year}`;
}

/** A label date `YYYY-MM-DD` as mm/dd/yyyy. */
const isoToForm = (d: string) =>
  /^\d{4}-\d{2}-\d{2}$/.test(d) ? `${d.slice(5, 7)}/${d.slice(8, 10)}/${d.slice(0, 4)}` : d;

interface Facts {
  opened: Entry | undefined;
  closed: Entry | undefined;
  notifications: NotificationPayload[];
  incident: { number: string; receivedMs: number } | null;
}

/** The investigation's entries, in ledger order. */
export function investigationFacts(source: Pick<Form3911Source, 'entries'>, investigation: number): Facts {
  const facts: Facts = { opened: undefined, closed: undefined, notifications: [], incident: null };
  for (const e of source.entries(['investigation.', 'form3911.'])) {
    if (e.payload.investigation !== investigation) continue;
    if (e.type === RECEIVING_ENTRY.investigationOpened) facts.opened = e;
    else if (e.type === RECEIVING_ENTRY.investigationClosed) facts.closed = e;
    else if (e.type === FORM3911_ENTRY.recorded)
      facts.notifications.push(e.payload as unknown as NotificationPayload);
    else if (e.type === FORM3911_ENTRY.incidentNumber)
      facts.incident = { number: String(e.payload.incidentNumber), receivedMs: Number(e.payload.receivedMs) };
  }
  return facts;
}

/** Draft values for a notification not yet recorded: what the closing said, the registrant's town. */
export function draftNotification(
  facts: Facts,
  registrant: Registrant | null,
  timeZone: string,
): Omit<NotificationPayload, 'signature' | 'notifiedMs' | 'contact'> & { contact: Contact | null } {
  const closed = facts.closed!;
  const last = facts.notifications[facts.notifications.length - 1];
  return {
    investigation: Number(closed.payload.investigation),
    notification: facts.notifications.length + 1,
    type: facts.notifications.length === 0 ? 'initial' : 'follow-up',
    timeZone: last?.timeZone ?? timeZone,
    geographicLocation:
      last?.geographicLocation ??
      (registrant ? `${registrant.address.city}, ${registrant.address.state}, United States` : ''),
    quantity: last?.quantity ?? { number: 1, unit: 'packages' },
    primaryIngredients: last?.primaryIngredients ?? null,
    drugUse: last?.drugUse ?? null,
    drugDescription: last?.drugDescription ?? null,
    dosageForm: last?.dosageForm ?? null,
    description: last?.description ?? String(closed.payload.description ?? ''),
    terminationReason: null,
    otherMechanisms: last?.otherMechanisms ?? ['None'],
    otherMechanismsSpecify: last?.otherMechanismsSpecify ?? null,
    partnersNotified: [],
    contact: last?.contact ?? null,
  };
}

/** The product's label facts the form asks for (items 7, 11, 12, 14). */
export interface ProductFacts {
  readonly name: string | null;
  readonly ndc: string | null;
  readonly strength: string | null;
  readonly dosageForm: string | null;
}

/** The product as the imported master data names it (null when unknown or not covered). */
export function productOf(
  source: Pick<Form3911Source, 'db' | 'covers'>,
  gtin: string | null,
): ProductFacts | null {
  if (gtin === null) return null;
  const row = source.db
    .prepare('SELECT ndc, name, strength, dosage_form, ledger_seq FROM trace_products WHERE gtin = ?')
    .get(gtin) as
    | {
        ndc: string | null;
        name: string | null;
        strength: string | null;
        dosage_form: string | null;
        ledger_seq: number;
      }
    | undefined;
  if (row === undefined || !(source.covers?.(row.ledger_seq) ?? true)) return null;
  return { name: row.name, ndc: row.ndc, strength: row.strength, dosageForm: row.dosage_form };
}

/**
 * The worksheet of notification `n` of an investigation closed as illegitimate (the latest when
 * n is omitted; a draft initial notification when none was recorded yet). `timeZone` dates a draft.
 */
export function form3911Worksheet(
  source: Form3911Source,
  investigation: number,
  n?: number,
  timeZone = 'UTC',
): Form3911Worksheet {
  const facts = investigationFacts(source, investigation);
  if (facts.opened === undefined)
    throw new ReceivingError('not-found', `There is no investigation ${investigation}.`);
  if (facts.closed === undefined || facts.closed.payload.outcome !== 'illegitimate')
    throw new ReceivingError(
      'not-found',
      `Investigation ${investigation} is not closed as illegitimate: there is no Form FDA 3911 to fill.`,
    );
  let notification:
    (Omit<NotificationPayload, 'signature' | 'contact'> & { contact: Contact | null }) | undefined;
  if (n !== undefined) {
    notification = facts.notifications.find((x) => x.notification === n);
    if (notification === undefined)
      throw new ReceivingError('not-found', `Investigation ${investigation} has no notification ${n}.`);
  } else {
    notification = facts.notifications[facts.notifications.length - 1];
  }
  const draft = notification === undefined;
  const note = notification ?? {
    ...draftNotification(facts, source.registrant, timeZone),
    notifiedMs: Number.NaN,
  };
  const zone = note.timeZone;
  const opened = facts.opened.payload as {
    traceId: number | null;
    gtin: string | null;
    lot: string | null;
    expiry: string | null;
  };
  // A notification sent names the product as it was sent; a draft reads the product list now.
  const product =
    'product' in note && note.product !== undefined ? note.product : productOf(source, opened.gtin);
  let serials: string[] = [];
  if (opened.traceId !== null) {
    const serial = parseTraceId(new TraceIds(source.db, source.sealer).open(opened.traceId)).serial;
    if (serial !== undefined) serials = [decodeURIComponent(serial)];
  }
  const initial = facts.notifications.find((x) => x.type === 'initial');
  const r = source.registrant;
  const values: Record<Form3911Field, string> = {
    typeOfReport: REPORT_TYPE_LABEL[note.type],
    incidentNumber: note.type === 'initial' ? '' : (facts.incident?.number ?? ''),
    geographicLocation: note.geographicLocation,
    dateOfInitialNotification: initial ? formDate(initial.notifiedMs, zone) : '',
    dateDetermined: formDate(facts.closed.time, zone),
    classification: CLASSIFICATION_WORDS[String(facts.closed.payload.classification)] ?? '',
    productName: product?.name ?? '',
    primaryIngredients: note.primaryIngredients ?? '',
    drugUse: note.drugUse ?? '',
    drugDescription: note.drugDescription ?? '',
    strength: product?.strength ?? '',
    dosageForm: note.dosageForm ?? product?.dosageForm ?? '',
    quantity: `${note.quantity.number} ${note.quantity.unit}`,
    ndc: product?.ndc ?? '',
    serialNumbers: serials.join(', '),
    lotNumbers: opened.lot ?? '',
    expirationDates: opened.expiry !== null ? isoToForm(opened.expiry) : '',
    description: note.type === 'termination' ? '' : note.description,
    terminationReason: note.type === 'termination' ? (note.terminationReason ?? '') : '',
    otherMechanisms: note.otherMechanisms
      .map((m) =>
        m === 'Other' && note.otherMechanismsSpecify ? `Other: ${note.otherMechanismsSpecify}` : m,
      )
      .join('; '),
    company: r
      ? [
          r.name,
          r.address.line1,
          r.address.line2,
          `${r.address.city}, ${r.address.state} ${r.address.zip}`,
          'United States',
        ]
          .filter((x): x is string => typeof x === 'string' && x !== '')
          .join(', ')
      : '',
    contact: note.contact
      ? [note.contact.name, note.contact.title, note.contact.phone, note.contact.email]
          .filter(Boolean)
          .join(', ')
      : '',
  };
  const notes = [
    `Items ${unfilledItems().join(' and ')} (company details) are not filled here: their wording on the current form was not confirmed. Complete them on the form.`,
  ];
  if (draft) notes.unshift('Draft: no notification of this investigation is recorded as sent to FDA yet.');
  if (note.type !== 'initial' && facts.incident === null)
    notes.push(
      'Item 2: FDA has not assigned an incident number yet (it comes with the receipt of the initial notification).',
    );
  return {
    layout: FORM_3911_LAYOUT,
    investigation,
    notification: draft ? null : note.notification,
    type: note.type,
    items: FORM_3911_ITEMS.map((i) => ({
      item: i.item,
      label: i.label,
      field: i.field,
      value: values[i.field],
      confirmed: i.confirmed,
    })),
    notes,
    partnersNotified: note.partnersNotified,
    notifications: facts.notifications.map((x) => ({
      notification: x.notification,
      type: x.type,
      notifiedMs: x.notifiedMs,
    })),
  };
}
