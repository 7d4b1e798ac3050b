import type { Database } from 'better-sqlite3-multiple-ciphers';
import type { z } from 'zod';
import type { Registrant } from '../api/procedures/setup';
import type { Entry } from '../ledger/workspace';
import type { FieldSealer } from '../sealing/field-sealer';
import type { ReportDocument } from './document';

/*
 * A report kind is one pure function from a snapshot and its parameters to a document model
 * (document.ts); the engine (engine.ts) stamps the document with the checkpoint and the renderers
 * (render/) turn it into files. A new kind is one module under kinds/ and one line in registry.ts.
 */

/** The file formats the renderers write. */
export const REPORT_FORMATS = ['pdf', 'csv', 'xlsx', 'jsonld', 'xml', 'txt'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/**
 * The parameters a person can give a report (the page's fields and the CLI's flags). Each kind
 * names the ones it takes ({@link ReportKind.fields}) and parses them with its own schema.
 */
export const REPORT_FIELDS = ['from', 'to', 'gtin', 'lot', 'serial', 'tlc', 'product', 'id'] as const;
export type ReportField = (typeof REPORT_FIELDS)[number];
export type ReportParams = Partial<Record<ReportField, string>>;

/**
 * What a kind reads: the ledger as of one signed checkpoint. For a report as of an earlier
 * checkpoint (`--at SIZE`) the database holds newer rows too: a kind filters insert-only tables
 * with {@link covers} on their ledger_seq column, and rebuilds state that is updated in place by
 * replaying the entries before {@link size} ({@link entries}).
 */
export interface ReportSource {
  /** Read-only, inside one read transaction. */
  readonly db: Database;
  /** The checkpoint's tree size: the report covers ledger entries with seq < size. */
  readonly size: number;
  /** The time of the last entry the checkpoint covers (integer ms): the report's date. */
  readonly time: number;
  /** The registrant as of the checkpoint (null before setup). */
  readonly registrant: Registrant | null;
  /** Opens sealed identifiers (serials); the engine records the disclosure when a file is handed over. */
  readonly sealer: FieldSealer;
  /** True when a row written at ledger seq `seq` is part of this report's checkpoint. */
  covers(seq: number): boolean;
  /** The covered entries whose type starts with one of the prefixes, in ledger order. */
  entries(prefixes: readonly string[]): Iterable<Entry>;
  /** The covered entry at seq, decoded (null when the checkpoint does not cover it). */
  entry(seq: number): Entry | null;
}

/** One field of a kind's parameter form, in the pharmacist's words. */
export interface ReportFieldSpec {
  readonly field: ReportField;
  readonly label: string;
  readonly hint?: string;
  readonly required?: boolean;
}

export interface ReportKind<P = unknown> {
  /** The name the CLI and the API use: `dscsa-t3`, `fda-3911`, `fsma-204`, `dea-106` … */
  readonly id: string;
  /** The regulation family, for grouping on the page. */
  readonly family: 'DSCSA' | 'FDA' | 'FSMA' | 'DEA';
  readonly title: string;
  /** One sentence: what it is and when someone is asked for it. */
  readonly summary: string;
  /** Formats this kind renders; the first is the default. */
  readonly formats: readonly ReportFormat[];
  /** The parameter fields it takes, in the order the page shows them. */
  readonly fields: readonly ReportFieldSpec[];
  /** Parses {@link ReportParams} into this kind's parameters (zod: refusals become clear errors). */
  readonly params: z.ZodType<P>;
  /** Pure: the same source and parameters give the same document. May throw ApiError('not-found'). */
  build(source: ReportSource, params: P): ReportDocument;
}

/** A kind with its parameter type erased, as the registry holds it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyReportKind = ReportKind<any>;

export function defineKind<P>(kind: ReportKind<P>): ReportKind<P> {
  return kind;
}
