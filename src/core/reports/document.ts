import type { EpcisDocument, EpcisEvent } from '../epcis/model';

/*
 * The document model every kind produces and every renderer reads. It holds text and numbers only,
 * already in the words and forms the report shows (dates as the regulation writes them), so a
 * renderer decides layout, never content. No field may come from the clock, the time zone or the
 * locale of the machine: the same model renders to the same bytes anywhere.
 */

export interface ReportFieldValue {
  readonly label: string;
  readonly value: string;
}

/**
 * How a column's cells are written: `text` stays text in every format (GTIN-14, ZIP 02345, lot
 * codes), `number` is a number cell in XLSX, `date` a date as text in the form the report uses.
 */
export type ColumnType = 'text' | 'number' | 'date';

export interface ReportColumn {
  readonly header: string;
  readonly type: ColumnType;
  /** Width in characters for XLSX and PDF (a renderer's hint; derived from the content when absent). */
  readonly width?: number;
}

export type Cell = string | number | null;

export interface ReportTable {
  readonly columns: readonly ReportColumn[];
  readonly rows: readonly (readonly Cell[])[];
}

/**
 * One part of a report. A section with a table is its own block in CSV and its own sheet in XLSX
 * (named by {@link sheet}, or the heading); sections of fields and paragraphs go to the
 * "About these records" part of CSV and XLSX, and print in order in the PDF.
 */
export interface ReportSection {
  readonly heading: string;
  /** XLSX sheet name (at most 31 characters, no []:*?/\); the heading when absent. */
  readonly sheet?: string;
  readonly paragraphs?: readonly string[];
  readonly fields?: readonly ReportFieldValue[];
  readonly table?: ReportTable;
  /** PDF: start this section on a new page. */
  readonly newPage?: boolean;
  /** The text shown when the table has no rows (an empty report says so; it is not a failure). */
  readonly emptyText?: string;
}

/** What the EPCIS formats write: the events as stored, and the document around them. */
export interface ReportEpcis {
  readonly document: EpcisDocument;
  readonly events: readonly EpcisEvent[];
}

export interface ReportDocument {
  readonly title: string;
  readonly subtitle?: string;
  /** What was asked, in words ("Lot: ABC123", "From: 2026-11-01"). */
  readonly parameters: readonly ReportFieldValue[];
  readonly sections: readonly ReportSection[];
  /** True when nothing matched: the report is rendered, and says it is empty. */
  readonly empty: boolean;
  /** Present for kinds that offer jsonld/xml. */
  readonly epcis?: ReportEpcis;
  /** Present for kinds that offer txt: fixed-width records (the ARCOS file), written as they are. */
  readonly fixedWidth?: { readonly lines: readonly string[]; readonly lineEnd: string };
  /** Sealed identifiers the document shows (serials), for the access entry; 0 when none. */
  readonly disclosedSerials: number;
  /** The trace_ids rows whose identifiers it shows (named in the access entry, never the values). */
  readonly disclosedIds?: readonly number[];
}

/** The signed checkpoint a report was generated from, as it is printed on its face. */
export interface ReportStamp {
  readonly size: number;
  /** Lower-case hex of the Merkle root. */
  readonly rootHex: string;
  /** Base64 of the root, as the C2SP checkpoint carries it. */
  readonly rootBase64: string;
  /** `name+hex key id` of each signature on the checkpoint. */
  readonly keyIds: readonly string[];
  /** The checkpoint's origin line (the log's name). */
  readonly origin: string;
  /** ISO-8601 UTC time of the last entry the checkpoint covers. */
  readonly time: string;
  /** How to check it. */
  readonly howToCheck: string;
}

/** The lines of the registrant block printed on every PDF page and in the "About" part. */
export interface RegistrantBlock {
  readonly name: string;
  readonly lines: readonly string[];
}

/** A kind's document with what the engine adds: the kind, the registrant block and the stamp. */
export interface StampedDocument {
  readonly kind: string;
  readonly document: ReportDocument;
  readonly registrant: RegistrantBlock;
  readonly stamp: ReportStamp;
}
