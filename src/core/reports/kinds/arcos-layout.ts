import { ARCOS_ASSOCIATE_VALUES } from '../../api/procedures/arcos';

/**
 * The ARCOS transaction record and control record, as ONE table each: every position the writer
 * (arcos-record.ts) fills and the validator checks comes from here, and the tests slice records by
 * these positions. DEA's Automation of Reports and Consolidated Orders System (21 CFR 1304.33)
 * takes a report of one control record followed by 80-character transaction records
 * (ARCOS Registrant Handbook, Glossary "Control Record"; ARCOS Bulletin June 15, 2005: EDI keeps
 * "the standard ARCOS 80 character record format and Control Record").
 *
 * Sources, with the confidence of each field in its row ([V] read in DEA's own text, [P] a
 * secondary or partial source, [U] unconfirmed):
 * - Fields 1–8, positions 1–49: Handbook §5 Exhibit 5.1 "Transaction Record Formats" (rev. Aug 1997)
 *   [V], https://webarchive.library.unt.edu/eot2008/20090826220340/http:/www.deadiversion.usdoj.gov/arcos/handbook/section5/5.htm ;
 *   quantity rules §5.11.2 [V], http://www.deadiversion.usdoj.gov/arcos/handbook/section5/5b.htm ;
 *   unit codes Appendix 5 [V], https://www.deadiversion.usdoj.gov/arcos/handbook/appendix5.htm .
 * - Field order 9–13 from the handbook's table of contents (5.15 Transaction Date, 5.16 Correction,
 *   5.17 Strength, 5.18 Transaction Identifier, 5.19 Document Identifier) [V]; their widths and
 *   positions were not read in DEA's text [P].
 *
 * Where the handbook and our corpus layout (shared/corpus/regulatory/arcos-transaction-record-layout.csv,
 * itself taken from a third-party generator, the SQL procedure sp_eqip_arcos_worksheet) disagree,
 * the files follow the handbook, and both choices are kept here, switched by ONE line,
 * {@link ARCOS_LAYOUT_CHOICE}:
 * - `handbook-1997`: §5.1 says "the transaction date field is a six-digit field in the automated
 *   reporting format", and DEA's worked record (§5.11.3.1) writes `012194` (MMDDYY) and a
 *   three-character document identifier `E25`. Widths 8/4/10 for fields 10–12 (the generator's)
 *   then leave exactly positions 78–80 for field 13, which fits `E25`.
 * - `post-y2k-generator`: the generator writes the date as MMDDYYYY (50–57) and one character of
 *   document identifier (80), the transaction code repeated; DEA published "Year 2000 Formatting
 *   Changes" for ARCOS that we have not read.
 * FLAG: the handbook's worked example is from 1997, before DEA's Y2K change of the date field. The
 * `handbook-1997` choice stays flagged until a file DEA accepted (or the Y2K page, or the current
 * handbook PDF, https://www.deadiversion.usdoj.gov/arcos/handbook/full.pdf) confirms it; the PDF
 * summary of every file prints this flag.
 *
 * The control record (Handbook §4.3, not read: [U]) follows the only source we have, the same
 * generator [P]: registrant number, "*", the period's last day MMDDYYYY, the frequency letter
 * (Q quarterly, M monthly), the rest blank to 80 characters.
 */

/** Which of the two layouts above the files are written in. THE one line that switches them. */
export const ARCOS_LAYOUT_CHOICE: ArcosLayoutChoice = 'handbook-1997';

export type ArcosLayoutChoice = 'handbook-1997' | 'post-y2k-generator';

/** Every ARCOS record is this wide (Handbook; 2005 bulletin). */
export const ARCOS_RECORD_WIDTH = 80;

/** Records are ASCII lines ended by CR LF: the handbook's diskette format was not read [U]. */
export const ARCOS_LINE_END = '\r\n';

export type ArcosFieldKey =
  | 'reportingRegistrant'
  | 'transactionCode'
  | 'actionIndicator'
  | 'ndc'
  | 'quantity'
  | 'unit'
  | 'associateRegistrant'
  | 'orderFormNumber'
  | 'transactionDate'
  | 'correctionNumber'
  | 'strength'
  | 'transactionId'
  | 'documentIdentifier';

export type Confidence = 'V' | 'P' | 'U';

export interface ArcosField {
  /** The handbook's field number. */
  readonly no: number;
  readonly key: ArcosFieldKey;
  /** The handbook's name for it. */
  readonly name: string;
  /** First position, counted from 1 as the handbook counts. */
  readonly start: number;
  readonly length: number;
  /** Numbers are right-justified and zero-filled (§5.11.2 "Insert leading zeros"); text left-justified, blank-filled. */
  readonly kind: 'numeric' | 'text';
  /** How an empty value is written: blanks, or zeros where the layout zero-fills it. */
  readonly empty: ' ' | '0';
  readonly confidence: Confidence;
  readonly source: string;
}

const EXHIBIT_5_1 = 'Handbook §5 Exhibit 5.1 (Aug 1997)';

/** Fields 1–8: the same in both choices [V]. */
const COMMON: readonly ArcosField[] = [
  {
    no: 1,
    key: 'reportingRegistrant',
    name: 'Reporting Registrant Number',
    start: 1,
    length: 9,
    kind: 'text',
    empty: ' ',
    confidence: 'V',
    source: EXHIBIT_5_1,
  },
  {
    no: 2,
    key: 'transactionCode',
    name: 'Transaction Code',
    start: 10,
    length: 1,
    kind: 'text',
    empty: ' ',
    confidence: 'V',
    source: `${EXHIBIT_5_1}; codes Appendix 1`,
  },
  {
    no: 3,
    key: 'actionIndicator',
    name: 'Action Indicator (formerly Delete Indicator)',
    start: 11,
    length: 1,
    kind: 'text',
    empty: ' ',
    confidence: 'V',
    source: `${EXHIBIT_5_1}; D, A, I: Summary of Reporting Changes`,
  },
  {
    no: 4,
    key: 'ndc',
    name: 'National Drug Code',
    start: 12,
    length: 11,
    kind: 'text',
    empty: ' ',
    confidence: 'V',
    source: `${EXHIBIT_5_1}; bulk "**": §5.11.3.1, Appendix 5`,
  },
  {
    no: 5,
    key: 'quantity',
    name: 'Quantity',
    start: 23,
    length: 8,
    kind: 'numeric',
    empty: '0',
    confidence: 'V',
    source: 'Handbook §5.11.2',
  },
  {
    no: 6,
    key: 'unit',
    name: 'Unit',
    start: 31,
    length: 1,
    kind: 'text',
    empty: ' ',
    confidence: 'V',
    source: `${EXHIBIT_5_1}; codes Appendix 5`,
  },
  {
    no: 7,
    key: 'associateRegistrant',
    name: 'Associate Registrant Number',
    start: 32,
    length: 9,
    kind: 'text',
    empty: ' ',
    confidence: 'V',
    source: `${EXHIBIT_5_1}; literal values Appendix 1`,
  },
  {
    no: 8,
    key: 'orderFormNumber',
    name: 'DEA Order Form Number',
    start: 41,
    length: 9,
    kind: 'text',
    empty: ' ',
    confidence: 'V',
    source: EXHIBIT_5_1,
  },
];

/** Fields 9–13 in each choice; only this part differs. */
const TAIL: Record<ArcosLayoutChoice, readonly ArcosField[]> = {
  'handbook-1997': [
    {
      no: 9,
      key: 'transactionDate',
      name: 'Transaction Date (MMDDYY)',
      start: 50,
      length: 6,
      kind: 'numeric',
      empty: '0',
      confidence: 'V',
      source: 'Handbook §5.1 ("six-digit field"); worked record §5.11.3.1 — FLAG: predates the Y2K change',
    },
    {
      no: 10,
      key: 'correctionNumber',
      name: 'Correction Number',
      start: 56,
      length: 8,
      kind: 'text',
      empty: ' ',
      confidence: 'P',
      source: 'width from the third-party generator; blank in the worked record',
    },
    {
      no: 11,
      key: 'strength',
      name: 'Strength',
      start: 64,
      length: 4,
      kind: 'numeric',
      empty: ' ',
      confidence: 'P',
      source: 'width from the generator; blank when not applicable: Appendix 5 column 4',
    },
    {
      no: 12,
      key: 'transactionId',
      name: 'Transaction Identifier',
      start: 68,
      length: 10,
      kind: 'numeric',
      empty: '0',
      confidence: 'P',
      source: 'width from the generator (the worked record prints 9 digits)',
    },
    {
      no: 13,
      key: 'documentIdentifier',
      name: 'Document Identifier',
      start: 78,
      length: 3,
      kind: 'text',
      empty: ' ',
      confidence: 'P',
      source: 'Handbook §5.1 (automated format only); "E25" in the worked record; allowed values [U]',
    },
  ],
  'post-y2k-generator': [
    {
      no: 9,
      key: 'transactionDate',
      name: 'Transaction Date (MMDDYYYY)',
      start: 50,
      length: 8,
      kind: 'numeric',
      empty: '0',
      confidence: 'P',
      source: 'third-party generator sp_eqip_arcos_worksheet',
    },
    {
      no: 10,
      key: 'correctionNumber',
      name: 'Correction Number',
      start: 58,
      length: 8,
      kind: 'text',
      empty: ' ',
      confidence: 'P',
      source: 'third-party generator',
    },
    {
      no: 11,
      key: 'strength',
      name: 'Strength',
      start: 66,
      length: 4,
      kind: 'numeric',
      empty: '0',
      confidence: 'P',
      source: 'third-party generator (zero-filled when not applicable)',
    },
    {
      no: 12,
      key: 'transactionId',
      name: 'Transaction Identifier',
      start: 70,
      length: 10,
      kind: 'numeric',
      empty: '0',
      confidence: 'P',
      source: 'third-party generator',
    },
    {
      no: 13,
      key: 'documentIdentifier',
      name: 'Document Identifier',
      start: 80,
      length: 1,
      kind: 'text',
      empty: ' ',
      confidence: 'U',
      source: 'third-party generator writes the transaction code here; meaning not verified',
    },
  ],
};

export interface ArcosLayout {
  readonly choice: ArcosLayoutChoice;
  readonly fields: readonly ArcosField[];
  /** The date as the layout writes it, from an ISO date (YYYY-MM-DD). */
  readonly date: (iso: string) => string;
  /** The document identifier a record of ours carries when none is configured, or null (then one must be). */
  readonly defaultDocumentIdentifier: ((transactionCode: string) => string) | null;
}

const DATE: Record<ArcosLayoutChoice, (iso: string) => string> = {
  'handbook-1997': (iso) => `${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(2, 4)}`,
  'post-y2k-generator': (iso) => `${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(0, 4)}`,
};

export function arcosLayout(choice: ArcosLayoutChoice = ARCOS_LAYOUT_CHOICE): ArcosLayout {
  return {
    choice,
    fields: [...COMMON, ...TAIL[choice]],
    date: DATE[choice],
    defaultDocumentIdentifier: choice === 'post-y2k-generator' ? (code) => code : null,
  };
}

/** The control record [P]: the generator's form, blank-filled to 80 characters. */
export const ARCOS_CONTROL_FIELDS = [
  { name: 'Reporting Registrant Number', start: 1, length: 9 },
  { name: 'Control record marker "*"', start: 10, length: 1 },
  { name: 'Last day of the reporting period (MMDDYYYY)', start: 11, length: 8 },
  { name: 'Reporting frequency (Q quarterly, M monthly)', start: 19, length: 1 },
  { name: 'Blank', start: 20, length: 61 },
] as const;

/**
 * Transaction codes (Handbook §§5.5–5.8, Appendix 1 [V, partial]; Q and K are manufacturing codes
 * named in §6 whose meaning we did not read). The writer produces only P, S, R, T and Y.
 */
export const ARCOS_TRANSACTION_CODES: Readonly<Record<string, string>> = {
  '1': 'Inventory: schedule change',
  '3': 'Inventory: year-end',
  '4': 'Inventory: in-process',
  '5': 'Inventory: special',
  '7': 'No activity for the period',
  '8': 'No year-end inventory',
  P: 'Purchase or other receipt',
  R: 'Return (received)',
  W: 'Recovered waste',
  M: 'Manufactured',
  L: 'Reversing',
  G: 'Government supplied',
  J: 'Return of sample to inventory',
  V: 'Unsolicited return',
  S: 'Sale, disposition or transfer',
  Y: 'Destroyed',
  T: 'Theft',
  N: 'Non-recoverable waste',
  U: 'Used in production',
  Q: 'Manufacturing (Handbook §6.4)',
  K: 'Manufacturing (Handbook §6.1)',
  F: 'DEA order forms',
};

/** Unit codes, Appendix 5 [V]: blank = packages (or dosage units of a bulk "**" NDC). */
export const ARCOS_UNIT_CODES: Readonly<Record<string, string>> = {
  '': 'packages',
  D: 'dozens of packages',
  K: 'thousands of packages',
  '1': 'micrograms',
  '2': 'milligrams',
  '3': 'grams',
  '4': 'kilograms',
  '5': 'milliliters',
  '6': 'liters',
};

/** Action indicators [V]: blank normal; D delete, A adjust, I insert (late). */
export const ARCOS_ACTIONS: Readonly<Record<string, string>> = {
  '': 'new',
  D: 'delete',
  A: 'adjust',
  I: 'insert (late)',
};

/** What the associate field may hold instead of a DEA number (Exhibit 5.1; Appendix 1) [V]: the API's list. */
export const ARCOS_ASSOCIATE_LITERALS = ARCOS_ASSOCIATE_VALUES;

/** Codes whose quantity may be empty (§5.11.2 rule 1). */
export const QUANTITY_OPTIONAL_CODES = new Set(['7', '8', 'F']);

/** Codes that need the DEA order form number for Schedule I/II (Appendix 1 note H). */
export const ORDER_FORM_CODES = new Set(['P', 'R', 'S', 'V']);

/** Codes whose associate registrant is mandatory (Appendix 1: "ASSOC REG # or RECALL"). */
export const ASSOCIATE_REQUIRED_CODES = new Set(['P', 'R', 'S', 'V']);
