import type { Database } from 'better-sqlite3-multiple-ciphers';
import type { ArcosProductInput, ArcosSettings } from '../api/procedures/arcos';
import type { Entry } from '../ledger/workspace';

/*
 * ARCOS data, as signed ledger entries and their projections (migration 0290):
 *   arcos.product-set    a product's ARCOS facts (reportable, DEA drug code, narcotic, package size, bulk)
 *   arcos.settings-set   the reporting frequency and document identifier
 *   arcos.associate-set  the associate value for one transaction that has no partner DEA number
 *   arcos.submitted      a file marked submitted to DEA: its lines and which transaction each record is
 * A report reads the state as of its checkpoint by replaying these entries ({@link arcosStateOf});
 * the procedures read the projection tables.
 */

export const ARCOS_ENTRY = {
  productSet: 'arcos.product-set',
  settingsSet: 'arcos.settings-set',
  associateSet: 'arcos.associate-set',
  submitted: 'arcos.submitted',
} as const;

export type ArcosProduct = ArcosProductInput & { readonly bulk: boolean; readonly strength: string | null };

export interface SubmittedRecord {
  /** The ledger sequence number of the transaction: its ARCOS Transaction Identifier. */
  readonly transactionSeq: number;
  readonly action: '' | 'A' | 'D' | 'I';
  /** The 80 characters as submitted. */
  readonly record: string;
}

/** What an arcos.submitted entry holds. */
export interface SubmittedPayload {
  readonly summary: string;
  readonly period: string;
  readonly frequency: ArcosSettings['frequency'];
  readonly sha256: string;
  readonly fileName: string;
  readonly generationSeq: number;
  readonly checkpointSize: number;
  readonly confirmation: string | null;
  /** The control record then the transaction records, as the file has them. */
  readonly lines: readonly string[];
  readonly records: readonly SubmittedRecord[];
  readonly subjectHash: string;
  readonly signature: Record<string, unknown>;
}

export interface ArcosSubmission extends SubmittedPayload {
  readonly seq: number;
  readonly time: number;
  readonly actor: string;
}

export interface ArcosState {
  readonly settings: ArcosSettings | null;
  /** By the product master's 10-digit NDC. */
  readonly products: ReadonlyMap<string, ArcosProduct>;
  /** By transaction ledger seq. */
  readonly associates: ReadonlyMap<number, string>;
  /** Oldest first. */
  readonly submissions: readonly ArcosSubmission[];
}

/** The ARCOS state after the given entries (in ledger order): what a report as of a checkpoint sees. */
export function arcosStateOf(entries: Iterable<Entry>): ArcosState {
  let settings: ArcosSettings | null = null;
  const products = new Map<string, ArcosProduct>();
  const associates = new Map<number, string>();
  const submissions: ArcosSubmission[] = [];
  for (const e of entries) {
    const p = e.payload;
    if (e.type === ARCOS_ENTRY.productSet) {
      const product = p.product as ArcosProduct;
      products.set(product.ndc, product);
    } else if (e.type === ARCOS_ENTRY.settingsSet) settings = p.settings as ArcosSettings;
    else if (e.type === ARCOS_ENTRY.associateSet)
      associates.set(p.transactionSeq as number, p.associate as string);
    else if (e.type === ARCOS_ENTRY.submitted)
      submissions.push({ ...(p as unknown as SubmittedPayload), seq: e.seq, time: e.time, actor: e.actor });
  }
  return { settings, products, associates, submissions };
}

/** Projects arcos.* entries into the 0290 tables. */
export function projectArcos(db: Database, entry: Entry): void {
  const p = entry.payload;
  switch (entry.type) {
    case ARCOS_ENTRY.productSet: {
      const a = p.product as ArcosProduct;
      db.prepare(
        `INSERT INTO arcos_products (ndc, reportable, drug_code, narcotic, package_size, bulk, strength, seq)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (ndc) DO UPDATE SET reportable = excluded.reportable, drug_code = excluded.drug_code,
           narcotic = excluded.narcotic, package_size = excluded.package_size, bulk = excluded.bulk,
           strength = excluded.strength, seq = excluded.seq`,
      ).run(
        a.ndc,
        a.reportable ? 1 : 0,
        a.drugCode,
        a.narcotic ? 1 : 0,
        a.packageSize,
        a.bulk ? 1 : 0,
        a.strength,
        entry.seq,
      );
      return;
    }
    case ARCOS_ENTRY.settingsSet: {
      const s = p.settings as ArcosSettings;
      db.prepare(
        `INSERT INTO arcos_settings (id, frequency, document_identifier, seq) VALUES (1, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET frequency = excluded.frequency,
           document_identifier = excluded.document_identifier, seq = excluded.seq`,
      ).run(s.frequency, s.documentIdentifier, entry.seq);
      return;
    }
    case ARCOS_ENTRY.associateSet:
      db.prepare(
        `INSERT INTO arcos_associates (transaction_seq, associate, reason, seq) VALUES (?, ?, ?, ?)
         ON CONFLICT (transaction_seq) DO UPDATE SET associate = excluded.associate, reason = excluded.reason, seq = excluded.seq`,
      ).run(p.transactionSeq as number, p.associate as string, p.reason as string, entry.seq);
      return;
    case ARCOS_ENTRY.submitted: {
      const s = p as unknown as SubmittedPayload;
      db.prepare(
        `INSERT INTO arcos_submissions (seq, period, frequency, sha256, file_name, generation_seq, submitted_by, submitted_ms, confirmation)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        entry.seq,
        s.period,
        s.frequency,
        s.sha256,
        s.fileName,
        s.generationSeq,
        entry.actor,
        entry.time,
        s.confirmation,
      );
      const insert = db.prepare(
        'INSERT INTO arcos_submitted_records (submission_seq, transaction_seq, action, record) VALUES (?, ?, ?, ?)',
      );
      for (const r of s.records) insert.run(entry.seq, r.transactionSeq, r.action, r.record);
      return;
    }
  }
}

interface ProductRow {
  ndc: string;
  reportable: number;
  drug_code: string | null;
  narcotic: number;
  package_size: number | null;
  bulk: number;
  strength: string | null;
  name: string;
  unit: string;
  schedule: string | null;
}

export function listArcosProducts(db: Database) {
  const rows = db
    .prepare(
      `SELECT a.*, p.name, p.unit, p.schedule FROM arcos_products a JOIN products p ON p.ndc = a.ndc ORDER BY p.name, a.ndc`,
    )
    .all() as ProductRow[];
  return rows.map((r) => ({
    ndc: r.ndc,
    reportable: r.reportable === 1,
    drugCode: r.drug_code,
    narcotic: r.narcotic === 1,
    packageSize: r.package_size,
    bulk: r.bulk === 1,
    strength: r.strength,
    name: r.name,
    unit: r.unit,
    schedule: r.schedule,
  }));
}

export function readArcosSettings(db: Database): ArcosSettings | null {
  const row = db.prepare('SELECT frequency, document_identifier FROM arcos_settings WHERE id = 1').get() as
    { frequency: ArcosSettings['frequency']; document_identifier: string | null } | undefined;
  return row === undefined ? null : { frequency: row.frequency, documentIdentifier: row.document_identifier };
}

export function submissionForPeriod(
  db: Database,
  period: string,
): { seq: number; sha256: string } | undefined {
  return db.prepare('SELECT seq, sha256 FROM arcos_submissions WHERE period = ?').get(period) as
    { seq: number; sha256: string } | undefined;
}

export function listSubmissions(db: Database) {
  const rows = db
    .prepare(
      `SELECT s.seq, s.period, s.frequency, s.sha256, s.file_name, s.submitted_by, s.submitted_ms, s.confirmation,
              (SELECT count(*) FROM arcos_submitted_records r WHERE r.submission_seq = s.seq) AS records,
              (SELECT count(*) FROM arcos_submitted_records r WHERE r.submission_seq = s.seq AND r.action <> '') AS corrections,
              coalesce((SELECT display_name FROM users u WHERE u.user_id = s.submitted_by), s.submitted_by) AS name
       FROM arcos_submissions s ORDER BY s.seq DESC`,
    )
    .all() as {
    seq: number;
    period: string;
    frequency: ArcosSettings['frequency'];
    sha256: string;
    file_name: string;
    submitted_ms: number;
    confirmation: string | null;
    records: number;
    corrections: number;
    name: string;
  }[];
  return rows.map((r) => ({
    seq: r.seq,
    period: r.period,
    frequency: r.frequency,
    sha256: r.sha256,
    fileName: r.file_name,
    records: r.records,
    corrections: r.corrections,
    submittedBy: r.name,
    submittedAt: new Date(r.submitted_ms).toISOString(),
    confirmation: r.confirmation,
  }));
}

/** A controlled-substance transaction as ARCOS reads it (inventory's projection, read only). */
export interface ArcosTransactionRow {
  readonly id: string;
  readonly seq: number;
  readonly kind: string;
  readonly ndc: string;
  readonly schedule: string;
  readonly qty_milli: number;
  readonly direction: number;
  readonly status: string;
  readonly date: string;
  readonly subject: string;
  readonly decided_seq: number | null;
}

/** Every controlled-substance transaction recorded before `size`, oldest first. */
export function transactionsBefore(db: Database, size: number): ArcosTransactionRow[] {
  return db
    .prepare(
      'SELECT id, seq, kind, ndc, schedule, qty_milli, direction, status, date, subject, decided_seq FROM inv_transactions WHERE seq < ? ORDER BY seq',
    )
    .all(size) as ArcosTransactionRow[];
}

export function transactionSeqOf(db: Database, id: string): number | undefined {
  return db.prepare('SELECT seq FROM inv_transactions WHERE id = ?').pluck().get(id) as number | undefined;
}
