import type { Database } from 'better-sqlite3-multiple-ciphers';
import type { WriteTx } from '../ledger/workspace';
import type { RuleFinding } from '../model/findings';

export type QuarantineStatus = 'open' | 'reprocessed' | 'closed';

/** A quarantine_items row as stored. */
export interface QuarantineRow {
  id: number;
  kind: 'file' | 'event';
  file_name: string;
  file_hash: Buffer;
  format: string;
  source: string;
  size: number;
  records: number;
  reasons: string;
  suspect: number;
  status: QuarantineStatus;
  opened_ms: number;
  attempts: number;
  partner_id: number | null;
  mapping_id: number | null;
  resolution: string | null;
}

export function quarantineRow(db: Database, id: number): QuarantineRow | undefined {
  return db.prepare('SELECT * FROM quarantine_items WHERE id = ?').get(id) as QuarantineRow | undefined;
}

export const CHUNK_BYTES = 1024 * 1024;

/**
 * How much of a rejected file's raw bytes quarantine keeps (issue 18): up to 16 MiB of one file and
 * 256 MiB over any 24 hours. A real partner file that fails a rule is far smaller (a month of a
 * pharmacy's EPCIS is a few MiB); past either cap the item is still opened, with its hash, size and
 * reasons, but without a copy of the bytes, and says so among its reasons: never silently dropped.
 */
export const QUARANTINE_RAW_CAPS = { perFileBytes: 16 * 1024 * 1024, perDayBytes: 256 * 1024 * 1024 };
const DAY_MS = 24 * 60 * 60 * 1000;

export const QUARANTINE_ENTRY = {
  opened: 'quarantine.opened',
  attempted: 'quarantine.reprocess-failed',
  reprocessed: 'quarantine.reprocessed',
  closed: 'quarantine.closed',
} as const;

export interface QuarantineInput {
  readonly kind: 'file' | 'event';
  readonly fileHash: Buffer;
  readonly fileName: string;
  readonly format: string;
  readonly partnerId?: number;
  readonly mappingId?: number;
  /** Where it came from: "cli", "upload", a folder path, or "pending event of <file>". */
  readonly source: string;
  readonly records: number;
  readonly reasons: readonly RuleFinding[];
  /** The raw bytes exactly as received, in chunks. */
  readonly raw: Iterable<Uint8Array>;
}

/** An open item for the same bytes, so a file dropped twice is not quarantined twice. */
export function openItemFor(db: Database, fileHash: Buffer, kind: 'file' | 'event'): number | undefined {
  return db
    .prepare(
      "SELECT id FROM quarantine_items WHERE file_hash = ? AND kind = ? AND status = 'open' ORDER BY id LIMIT 1",
    )
    .pluck()
    .get(fileHash, kind) as number | undefined;
}

/**
 * Puts rejected data in quarantine inside the caller's ledger transaction: the raw bytes in chunks,
 * the reasons, and a ledger entry naming the file by its hash (the bytes themselves stay out of
 * the ledger: they may hold serial numbers and can be large).
 */
export function openQuarantineItem(
  writer: WriteTx,
  input: QuarantineInput,
  actor: string,
  now: number,
): { id: number; seq: number } {
  const db = writer.db;
  const id = ((db.prepare('SELECT max(id) FROM quarantine_items').pluck().get() as number | null) ?? 0) + 1;
  const insertChunk = db.prepare('INSERT INTO quarantine_chunks (item_id, n, bytes) VALUES (?, ?, ?)');
  const kept = keepWithinCaps(db, input.raw, now);
  const reasons: readonly RuleFinding[] =
    kept.refused === undefined
      ? input.reasons
      : [...input.reasons, { rule: 'file-format', message: kept.refused, record: null }];
  const size = kept.size;
  const suspect = reasons.some((r) => r.suspect === true);
  const [seq] = writer.append([
    {
      type: QUARANTINE_ENTRY.opened,
      actor,
      payload: {
        item: id,
        kind: input.kind,
        file: input.fileHash.toString('hex'),
        name: input.fileName,
        format: input.format,
        source: input.source,
        records: input.records,
        suspect,
        reasons: reasons.map((r) => ({ ...r })),
      },
    },
  ]);
  db.prepare(
    `INSERT INTO quarantine_items (id, kind, file_hash, file_name, format, partner_id, mapping_id, source, size, records, reasons, suspect, status, opened_seq, opened_ms)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, 'open', ?, ?)`,
  ).run(
    id,
    input.kind,
    input.fileHash,
    input.fileName,
    input.format,
    input.partnerId ?? null,
    input.mappingId ?? null,
    input.source,
    input.records,
    JSON.stringify(reasons),
    suspect ? 1 : 0,
    seq!,
    now,
  );
  let n = 0;
  let pending = Buffer.alloc(0);
  for (const chunk of kept.chunks) {
    pending = Buffer.concat([pending, chunk]);
    while (pending.length >= CHUNK_BYTES) {
      insertChunk.run(id, n++, pending.subarray(0, CHUNK_BYTES));
      pending = pending.subarray(CHUNK_BYTES);
    }
  }
  if (kept.refused === undefined && (pending.length > 0 || n === 0)) insertChunk.run(id, n, pending);
  db.prepare('UPDATE quarantine_items SET size = ? WHERE id = ?').run(size, id);
  return { id, seq: seq! };
}

/** The raw bytes to keep, read to the end (for the size) but held only while within both caps. */
function keepWithinCaps(
  db: Database,
  raw: Iterable<Uint8Array>,
  now: number,
): { chunks: Uint8Array[]; size: number; refused?: string } {
  const keptToday = db
    .prepare(
      `SELECT coalesce(sum(length(c.bytes)), 0) FROM quarantine_chunks c
       JOIN quarantine_items i ON i.id = c.item_id WHERE i.opened_ms > ?`,
    )
    .pluck()
    .get(now - DAY_MS) as number;
  const room = Math.min(QUARANTINE_RAW_CAPS.perFileBytes, QUARANTINE_RAW_CAPS.perDayBytes - keptToday);
  let chunks: Uint8Array[] = [];
  let size = 0;
  for (const chunk of raw) {
    size += chunk.length;
    if (size <= room) chunks.push(chunk);
    else chunks = [];
  }
  if (size <= room) return { chunks, size };
  const mib = (bytes: number) => `${Math.round(bytes / (1024 * 1024))} MiB`;
  return {
    chunks: [],
    size,
    refused:
      size > QUARANTINE_RAW_CAPS.perFileBytes
        ? `Custodia kept no copy of this file's bytes: at ${mib(size)} it is over the ${mib(QUARANTINE_RAW_CAPS.perFileBytes)} that quarantine keeps of one file. Its name, size, SHA-256 and reasons are recorded; ask the partner to send it again if it is needed.`
        : `Custodia kept no copy of this file's bytes: quarantine already holds ${mib(keptToday)} received in the last 24 hours, and keeps at most ${mib(QUARANTINE_RAW_CAPS.perDayBytes)}. Its name, size, SHA-256 and reasons are recorded; ask the partner to send it again if it is needed.`,
  };
}

/** The raw bytes of a quarantined item, chunk by chunk (for reprocessing or export). */
export function* rawChunks(db: Database, id: number): Generator<Buffer> {
  const stmt = db.prepare('SELECT bytes FROM quarantine_chunks WHERE item_id = ? AND n = ?').pluck();
  for (let n = 0; ; n++) {
    const bytes = stmt.get(id, n) as Buffer | undefined;
    if (bytes === undefined) return;
    yield bytes;
  }
}

/** The same bytes rejected again (a re-drop, or a reprocess that still fails): one item, one more attempt. */
export function recordAttempt(
  tx: WriteTx,
  item: number,
  reasons: readonly RuleFinding[],
  actor: string,
): void {
  tx.append([{ type: QUARANTINE_ENTRY.attempted, actor, payload: { item, reasons } }]);
  tx.db
    .prepare('UPDATE quarantine_items SET attempts = attempts + 1, reasons = ?, suspect = ? WHERE id = ?')
    .run(JSON.stringify(reasons), reasons.some((x) => x.suspect === true) ? 1 : 0, item);
}

/** A reprocessed item imported: closed as reprocessed, in the import's own transaction. */
export function markReprocessed(tx: WriteTx, item: number, fileId: number, actor: string, now: number): void {
  const [seq] = tx.append([
    { type: QUARANTINE_ENTRY.reprocessed, actor, payload: { item, importedFile: fileId, at: now } },
  ]);
  tx.db
    .prepare(
      "UPDATE quarantine_items SET status = 'reprocessed', resolved_seq = ?, resolution = ? WHERE id = ? AND status = 'open'",
    )
    .run(seq!, JSON.stringify({ importedFile: fileId }), item);
}
