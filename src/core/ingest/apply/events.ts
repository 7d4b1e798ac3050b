import type { Database, Statement } from 'better-sqlite3-multiple-ciphers';

/** One trace_events row: what the trace and the pending list show of an event. */
export interface EventRow {
  hash: Buffer;
  fileId: number;
  index: number;
  seq: number;
  type: string;
  timeMs: number;
  action: string | null;
  bizStep: string | null;
  disposition: string | null;
  bizLocation: string | null;
  sourceParty: string | null;
  destParty: string | null;
}

/** A waiting event, with where it came from. */
export interface PendingRow {
  id: number;
  seq: number;
  fileId: number;
  fileIndex: number;
  hash: Buffer;
}

/** Links written per multi-row INSERT (3 values each, far below SQLite's 32766 variables). */
const LINK_ROWS = 64;

/** The SQL of imported EPCIS events: trace_events, trace_event_ids, declarations and waiting events. */
export class EventStore {
  /** trace_event_ids rows not yet written: nothing reads them before {@link flushLinks}. */
  private links: (number | string)[] = [];
  private readonly insertLinks: Statement;
  private readonly s: Record<
    | 'byHash'
    | 'insert'
    | 'insertId'
    | 'insertPending'
    | 'insertWait'
    | 'deletePending'
    | 'deleteWaits'
    | 'declared'
    | 'declare'
    | 'gtinLot'
    | 'descendantDrug'
    | 'pendingCount'
    | 'pending'
    | 'idsOf'
    | 'liveEventsOf'
    | 'fileOf'
    | 'leaf',
    Statement
  >;

  constructor(db: Database) {
    const p = (sql: string) => db.prepare(sql);
    // One statement for many links: the per-statement cost, not the rows, is most of a small insert.
    this.insertLinks = p(
      `INSERT OR IGNORE INTO trace_event_ids (trace_id, event_id, role) VALUES ${Array(LINK_ROWS).fill('(?, ?, ?)').join(', ')}`,
    );
    this.s = {
      byHash: p('SELECT id FROM trace_events WHERE event_hash = ?').pluck(),
      // A new event's row, or nothing when its hash is known: one probe of the hash index, not two.
      insert: p(
        `INSERT INTO trace_events (event_hash, file_id, file_index, ledger_seq, event_type, event_time_ms, action, biz_step, disposition, biz_location, source_party, dest_party)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (event_hash) DO NOTHING`,
      ),
      insertId: p('INSERT OR IGNORE INTO trace_event_ids (trace_id, event_id, role) VALUES (?, ?, ?)'),
      insertPending: p('INSERT INTO pending_events (event_id, reason, since_ms) VALUES (?, ?, ?)'),
      insertWait: p('INSERT OR IGNORE INTO pending_waits (trace_id, event_id) VALUES (?, ?)'),
      deletePending: p('DELETE FROM pending_events WHERE event_id = ?'),
      deleteWaits: p('DELETE FROM pending_waits WHERE event_id = ?'),
      declared: p('SELECT 1 FROM trace_event_errors WHERE event_id = ?').pluck(),
      declare: p(
        'INSERT OR IGNORE INTO trace_event_errors (event_id, declared_by, reason, ledger_seq) VALUES (?, ?, ?, ?)',
      ),
      gtinLot: p('SELECT gtin, lot FROM trace_ids WHERE id = ?'),
      descendantDrug: p(`
        WITH RECURSIVE below(id) AS (
          SELECT trace_id FROM serial_state WHERE parent_id = ?
          UNION ALL SELECT s.trace_id FROM serial_state s JOIN below b ON s.parent_id = b.id
        )
        SELECT 1 FROM trace_ids WHERE id IN (SELECT id FROM below) AND substr(gtin, 2, 2) = '03' LIMIT 1`).pluck(),
      pendingCount: p('SELECT count(*) FROM pending_events').pluck(),
      pending: p(
        `SELECT p.event_id AS id, e.ledger_seq AS seq, e.file_id AS fileId, e.file_index AS fileIndex, e.event_hash AS hash
         FROM pending_events p JOIN trace_events e ON e.id = p.event_id ORDER BY e.event_time_ms, e.id`,
      ),
      idsOf: p(
        "SELECT DISTINCT trace_id FROM trace_event_ids WHERE event_id = ? AND role IN ('epc', 'parent', 'child', 'input', 'output')",
      ).pluck(),
      liveEventsOf: p(
        `SELECT DISTINCT e.id, e.ledger_seq AS seq, e.event_time_ms FROM trace_event_ids x JOIN trace_events e ON e.id = x.event_id
         WHERE x.trace_id IN (SELECT value FROM json_each(?)) AND e.id NOT IN (SELECT event_id FROM trace_event_errors)
           AND e.id NOT IN (SELECT event_id FROM pending_events)
         ORDER BY e.event_time_ms, e.id`,
      ),
      fileOf: p('SELECT name, format FROM ingest_files WHERE id = ?'),
      leaf: p('SELECT leaf FROM ledger_leaves WHERE seq = ?').pluck(),
    };
  }

  idByHash(hash: Buffer): number | undefined {
    return this.s.byHash.get(hash) as number | undefined;
  }

  /** The new row's id, or undefined when an event with this hash is already recorded. */
  insert(row: EventRow): number | undefined {
    // Positional: binding by name looks each key up in the object, once per event of the file.
    const result = this.s.insert.run(
      row.hash,
      row.fileId,
      row.index,
      row.seq,
      row.type,
      row.timeMs,
      row.action,
      row.bizStep,
      row.disposition,
      row.bizLocation,
      row.sourceParty,
      row.destParty,
    );
    return result.changes === 0 ? undefined : Number(result.lastInsertRowid);
  }

  /** Links an identifier to an event; written in batches, always before anything reads the links. */
  link(traceId: number, eventId: number, role: string): void {
    this.links.push(traceId, eventId, role);
    if (this.links.length >= 3 * LINK_ROWS) {
      this.insertLinks.run(this.links);
      this.links = [];
    }
  }

  /** Writes the links {@link link} holds: before reading trace_event_ids, and when the file ends. */
  flushLinks(): void {
    for (let i = 0; i < this.links.length; i += 3) this.s.insertId.run(this.links.slice(i, i + 3));
    this.links = [];
  }

  wait(eventId: number, reason: string, sinceMs: number, traceIds: readonly number[]): void {
    this.s.insertPending.run(eventId, reason, sinceMs);
    for (const id of traceIds) this.s.insertWait.run(id, eventId);
  }

  stopWaiting(eventId: number): void {
    this.s.deletePending.run(eventId);
    this.s.deleteWaits.run(eventId);
  }

  pendingCount(): number {
    return this.s.pendingCount.get() as number;
  }

  pending(): PendingRow[] {
    return this.s.pending.all() as PendingRow[];
  }

  isDeclared(eventId: number): boolean {
    return this.s.declared.get(eventId) !== undefined;
  }

  /** Marks an event as not applied: declared in error (EPCIS 2.0 §7.4.1.2), rejected or expired. */
  declare(eventId: number, declaredBy: number, reason: string | null, seq: number): void {
    this.s.declare.run(eventId, declaredBy, reason, seq);
  }

  gtinLot(traceId: number): { gtin: string | null; lot: string | null } {
    return this.s.gtinLot.get(traceId) as { gtin: string | null; lot: string | null };
  }

  /** Whether a container holds, at any depth, a drug serial (GTIN with the NDC prefix 03). */
  holdsDrug(traceId: number): boolean {
    return this.s.descendantDrug.get(traceId) !== undefined;
  }

  /** The identifiers an event moved (not the classes it counted). */
  serialsOf(eventId: number): number[] {
    this.flushLinks();
    return this.s.idsOf.all(eventId) as number[];
  }

  /** The applied events of these identifiers, in time order. */
  liveEventsOf(traceIds: readonly number[]): { id: number; seq: number }[] {
    this.flushLinks();
    return this.s.liveEventsOf.all(JSON.stringify(traceIds)) as { id: number; seq: number }[];
  }

  fileOf(fileId: number): { name: string; format: string } | undefined {
    return this.s.fileOf.get(fileId) as { name: string; format: string } | undefined;
  }

  /** The stored leaf of a ledger entry (inside an import, after `writer.flush()`). */
  leaf(seq: number): Buffer | undefined {
    return this.s.leaf.get(seq) as Buffer | undefined;
  }
}
