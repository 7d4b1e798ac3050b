import type { Database } from 'better-sqlite3-multiple-ciphers';

interface ImportedFile {
  id: number;
  name: string;
  format: string;
  records: number;
  imported: number;
  duplicates: number;
  pending: number;
  importedMs: number;
  ledgerSeq: number;
}

/** The files imported so far, newest first (the Import page's history). */
export function listFiles(
  db: Database,
  limit: number,
  offset: number,
): { files: (ImportedFile & { fileHash: string })[]; total: number } {
  const rows = db
    .prepare(
      'SELECT id, name, format, file_hash AS hash, records, imported, duplicates, pending, imported_ms AS importedMs, ledger_seq AS ledgerSeq FROM ingest_files ORDER BY id DESC LIMIT ? OFFSET ?',
    )
    .all(limit, offset) as (ImportedFile & { hash: Buffer })[];
  return {
    files: rows.map(({ hash, ...r }) => ({ ...r, fileHash: hash.toString('hex') })),
    total: db.prepare('SELECT count(*) FROM ingest_files').pluck().get() as number,
  };
}

/** Events waiting for what they refer to (an aggregation's parent, a shipment's commissioning). */
export function listPending(
  db: Database,
  limit: number,
): {
  pending: {
    file: string;
    record: number;
    eventType: string;
    bizStep: string | null;
    reason: string;
    sinceMs: number;
  }[];
  total: number;
} {
  return {
    pending: db
      .prepare(
        `SELECT f.name AS file, e.file_index AS record, e.event_type AS eventType, e.biz_step AS bizStep, p.reason, p.since_ms AS sinceMs
         FROM pending_events p JOIN trace_events e ON e.id = p.event_id JOIN ingest_files f ON f.id = e.file_id
         ORDER BY p.since_ms, e.id LIMIT ?`,
      )
      .all(limit) as {
      file: string;
      record: number;
      eventType: string;
      bizStep: string | null;
      reason: string;
      sinceMs: number;
    }[],
    total: db.prepare('SELECT count(*) FROM pending_events').pluck().get() as number,
  };
}
