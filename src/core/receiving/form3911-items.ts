/*
 * The items of Form FDA 3911 (Drug Notification) in its current layout: ONE table, item number,
 * label and the worksheet field that fills it. Every number shown on a page, a report or a test
 * comes from here.
 *
 * Sources (research reg-formats.md §7.2 with reg-formats-update.md §7.2):
 * - [V] "INSTRUCTIONS FOR COMPLETION OF FORM FDA 3911 – DRUG NOTIFICATION", 2025 revision, ICR
 *   202502-0910-009 (OMB 0910-0806), http://m.omb.report/icr/202502-0910-009/doc/153026800:
 *   1 Type of Report (Initial Notification / Follow-up Notification / Request for Termination),
 *   2 Incident Number (assigned by FDA with the receipt of the initial notification; used in all
 *   later correspondence, including the request for termination), 3 Geographic Location of
 *   Incident (for illegitimate and high-risk notifications alike).
 * - [P] Items 4 onward: the Form FDA 3911 (8/15) items 3–20 read in
 *   http://https.omb.report/icr/201509-0910-006/doc/58833401, each moved down one place by the new
 *   item 3 (the stored copy of the 2025 instructions stops inside item 3). FDA's Drug Notifications
 *   FAQ names the contact "field 23" in the 8/15 layout: 24 here.
 * - Items 22 and 23 (8/15 items 21 and 22, company details between the address and the contact)
 *   were not read in any stored source: they are not in this table and the worksheet says so.
 */

/** The worksheet field an item is filled from (form3911.ts fills each one). */
export type Form3911Field =
  | 'typeOfReport'
  | 'incidentNumber'
  | 'geographicLocation'
  | 'dateOfInitialNotification'
  | 'dateDetermined'
  | 'classification'
  | 'productName'
  | 'primaryIngredients'
  | 'drugUse'
  | 'drugDescription'
  | 'strength'
  | 'dosageForm'
  | 'quantity'
  | 'ndc'
  | 'serialNumbers'
  | 'lotNumbers'
  | 'expirationDates'
  | 'description'
  | 'terminationReason'
  | 'otherMechanisms'
  | 'company'
  | 'contact';

export interface Form3911Item {
  /** The number on the current (2025) form. */
  readonly item: number;
  /** The form's own words. */
  readonly label: string;
  readonly field: Form3911Field;
  /** V: read in the 2025 instructions; P: the 8/15 item, renumbered by the 2025 item 3. */
  readonly confirmed: 'V' | 'P';
  /** Its number on the 8/15 form, where it differs. */
  readonly was?: number;
}

export const FORM_3911_LAYOUT = 'Form FDA 3911, Drug Notification (2025 instructions, OMB 0910-0806)';

export const FORM_3911_ITEMS: readonly Form3911Item[] = [
  { item: 1, label: 'Type of Report', field: 'typeOfReport', confirmed: 'V' },
  { item: 2, label: 'Incident Number', field: 'incidentNumber', confirmed: 'V' },
  { item: 3, label: 'Geographic Location of Incident', field: 'geographicLocation', confirmed: 'V' },
  {
    item: 4,
    label: 'Date of Initial Notification',
    field: 'dateOfInitialNotification',
    confirmed: 'P',
    was: 3,
  },
  {
    item: 5,
    label: 'Date Company Determined Product Was Illegitimate',
    field: 'dateDetermined',
    confirmed: 'P',
    was: 4,
  },
  { item: 6, label: 'Classification of Notification', field: 'classification', confirmed: 'P', was: 5 },
  { item: 7, label: 'Name of Product as It Appears on Label', field: 'productName', confirmed: 'P', was: 6 },
  { item: 8, label: 'Primary Ingredient(s)', field: 'primaryIngredients', confirmed: 'P', was: 7 },
  { item: 9, label: 'Drug Use', field: 'drugUse', confirmed: 'P', was: 8 },
  { item: 10, label: 'Drug Description', field: 'drugDescription', confirmed: 'P', was: 9 },
  { item: 11, label: 'Strength of Drug', field: 'strength', confirmed: 'P', was: 10 },
  { item: 12, label: 'Dosage Form', field: 'dosageForm', confirmed: 'P', was: 11 },
  { item: 13, label: 'Quantity of Drug (Number and Unit)', field: 'quantity', confirmed: 'P', was: 12 },
  { item: 14, label: 'NDC Number', field: 'ndc', confirmed: 'P', was: 13 },
  { item: 15, label: 'Serial Number', field: 'serialNumbers', confirmed: 'P', was: 14 },
  { item: 16, label: 'Lot Number(s)', field: 'lotNumbers', confirmed: 'P', was: 15 },
  { item: 17, label: 'Expiration Date(s)', field: 'expirationDates', confirmed: 'P', was: 16 },
  {
    item: 18,
    label: 'For Notification: Description of Event/Issue',
    field: 'description',
    confirmed: 'P',
    was: 17,
  },
  {
    item: 19,
    label:
      'For Request for Termination of Notification: Description of why notification is no longer necessary',
    field: 'terminationReason',
    confirmed: 'P',
    was: 18,
  },
  {
    item: 20,
    label: 'Other mechanisms through which information was submitted to FDA',
    field: 'otherMechanisms',
    confirmed: 'P',
    was: 19,
  },
  { item: 21, label: 'Company Name & Address', field: 'company', confirmed: 'P', was: 20 },
  { item: 24, label: 'Contact Information', field: 'contact', confirmed: 'P', was: 23 },
];

/** The item that a worksheet field fills (its number for a message: "item 6"). */
export function itemFor(field: Form3911Field): Form3911Item {
  const item = FORM_3911_ITEMS.find((i) => i.field === field);
  if (item === undefined) throw new Error(`no Form FDA 3911 item for ${field}`);
  return item;
}

/** Item numbers between the first and last that this table does not fill (22 and 23 today). */
export function unfilledItems(): number[] {
  const numbers = new Set(FORM_3911_ITEMS.map((i) => i.item));
  const last = Math.max(...numbers);
  const out: number[] = [];
  for (let n = 1; n <= last; n += 1) if (!numbers.has(n)) out.push(n);
  return out;
}

/** Item 1: the report types, as the form words them. */
export const REPORT_TYPE_LABEL = {
  initial: 'Initial Notification',
  'follow-up': 'Follow-up Notification',
  termination: 'Request for Termination',
} as const;

/** Item 20 (8/15 item 19): the boxes, as the form words them. */
export const OTHER_MECHANISMS = ['BPDR', 'MedWatch 3500', 'MedWatch 3500A', 'FAR', 'None', 'Other'] as const;
