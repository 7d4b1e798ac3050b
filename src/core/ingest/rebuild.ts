import crypto from 'node:crypto';
import type { Database } from 'better-sqlite3-multiple-ciphers';
import type { EpcisEvent } from '../epcis/model';
import { FileApplier, loadLedgerEvent, RejectedFile } from './apply';
import type { Workspace } from '../ledger/workspace';
import { projectMapping, projectPartner, type PartnerInput } from '../partners';
import type { IngestHeader, IngestRecord } from '../model/records';
import { canonicalize } from '../ledger/jcs';
import type { EntryInput } from '../ledger/ledger';
import type { Entry, WriteTx } from '../ledger/workspace';
import { SerialStateStore } from '../trace/state';

/*
 * The trace projections rebuilt from the ledger (architecture.md: "projections can be dropped and
 * rebuilt from the ledger; a rebuild that disagrees with the live projection is an integrity alarm").
 * Every file commit is replayed through the same FileApplier and rules; instead of appending, the
 * replay writer checks that each entry the applier would write is, byte for byte (RFC 8785), the
 * entry the ledger holds. Quarantine rows are not rebuilt: their raw bytes are kept outside the
 * ledger on purpose (they may hold serials and be large).
 */
export const TRACE_TABLES = [
  'trading_partners',
  'partner_glns',
  'partner_mappings',
  'ingest_files',
  'trace_ids',
  'trace_events',
  'trace_event_ids',
  'trace_event_errors',
  'serial_state',
  'aggregation_edges',
  'pending_events',
  'pending_waits',
  'shipments',
  'shipment_items',
  'trace_products',
  'fsma_records',
  'fsma_inputs',
] as const;

/** Columns whose bytes legitimately differ after a rebuild (a fresh nonce per seal). */
const VOLATILE: Record<string, readonly string[]> = { trace_ids: ['sealed'] };

interface Leaf {
  seq: number;
  type: string;
  time: number;
  actor: string;
  payload: Record<string, unknown>;
}

class LeafCursor {
  private page: Leaf[] = [];
  private at = 0;
  private nextSeq = 0;
  private readonly stmt;

  constructor(db: Database) {
    this.stmt = db.prepare('SELECT seq, leaf FROM ledger_leaves WHERE seq >= ? ORDER BY seq LIMIT 5000');
  }

  peek(): Leaf | undefined {
    if (this.at >= this.page.length) {
      const rows = this.stmt.all(this.nextSeq) as { seq: number; leaf: Buffer }[];
      this.page = rows.map((r) => {
        const env = JSON.parse(r.leaf.toString('utf8')) as Omit<Leaf, 'seq'>;
        return { seq: r.seq, type: env.type, time: env.time, actor: env.actor, payload: env.payload };
      });
      this.at = 0;
      if (this.page.length > 0) this.nextSeq = this.page[this.page.length - 1]!.seq + 1;
    }
    return this.page[this.at];
  }

  consumed = 0;

  next(): Leaf | undefined {
    const leaf = this.peek();
    if (leaf !== undefined) {
      this.at++;
      this.consumed++;
    }
    return leaf;
  }
}

export class ReplayMismatch extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReplayMismatch';
  }
}

/** A WriteTx that appends nothing: it checks each entry against the next one in the ledger. */
class ReplayWriter implements WriteTx {
  constructor(
    readonly db: Database,
    private readonly cursor: LeafCursor,
  ) {}

  /** Replays record no clock: each entry is compared with the ledger's, time aside. */
  readonly time = 0;

  record(type: string, actor: string, payload: Record<string, unknown>): Entry {
    const [seq] = this.append([{ type, actor, payload }]);
    return { seq: seq!, type, time: this.time, actor, payload };
  }

  append(entries: readonly EntryInput[]): number[] {
    return entries.map((entry) => {
      const leaf = this.cursor.next();
      if (leaf === undefined || leaf.type !== entry.type) {
        throw new ReplayMismatch(
          `replay wrote ${entry.type} where the ledger has ${leaf?.type ?? 'nothing'} (record ${leaf?.seq ?? 'end'})`,
        );
      }
      if (canonicalize(entry.payload ?? null) !== canonicalize(leaf.payload)) {
        throw new ReplayMismatch(
          `ledger record ${leaf.seq} (${leaf.type}) differs from what its replay produces`,
        );
      }
      return leaf.seq;
    });
  }

  appendLater(entry: EntryInput): number {
    return this.append([entry])[0]!;
  }

  flush(): void {}

  peekSeq(): number {
    const leaf = this.cursor.peek();
    if (leaf === undefined) throw new ReplayMismatch('replay needs a record where the ledger ends');
    return leaf.seq;
  }

  skip(type: string): void {
    const leaf = this.cursor.next();
    if (leaf?.type !== type)
      throw new ReplayMismatch(`replay expected ${type} at record ${leaf?.seq ?? 'end'}`);
  }
}

const FILE_RECORDS = new Set([
  'ingest.event',
  'ingest.transaction',
  'ingest.fsma-record',
  'ingest.error-declaration',
]);

/** Digest of each projection table (row count and a hash of every row, volatile columns left out). */
export function projectionDigest(db: Database): Record<string, string> {
  const out: Record<string, string> = {};
  for (const table of TRACE_TABLES) {
    const columns = (
      db.prepare(`SELECT name FROM pragma_table_info('${table}')`).pluck().all() as string[]
    ).filter((c) => !(VOLATILE[table] ?? []).includes(c));
    const h = crypto.createHash('sha256');
    let n = 0;
    for (const row of db
      .prepare(`SELECT ${columns.join(', ')} FROM ${table} ORDER BY ${columns.join(', ')}`)
      .raw()
      .iterate()) {
      h.update(JSON.stringify(row, (_k, v: unknown) => (Buffer.isBuffer(v) ? v.toString('hex') : v)));
      n++;
    }
    out[table] = `${n}:${h.digest('hex').slice(0, 16)}`;
  }
  return out;
}

/**
 * Drops and rebuilds the trace projections from the ledger inside one transaction, and says which
 * tables came out different from what was live (an integrity alarm when any did).
 */
export async function rebuildTraceProjections(
  ctx: Workspace,
): Promise<{ entries: number; differences: string[] }> {
  const value = await ctx.write((writer) => {
    const db = writer.db;
    const before = projectionDigest(db);
    for (const table of [...TRACE_TABLES].reverse()) db.prepare(`DELETE FROM ${table}`).run();
    const cursor = new LeafCursor(db);
    const replay = new ReplayWriter(db, cursor);
    const state = new SerialStateStore(db);
    for (let leaf = cursor.peek(); leaf !== undefined; leaf = cursor.peek()) {
      const p = leaf.payload;
      if (leaf.type === 'ingest.file') {
        replayFile(ctx, db, cursor, replay, leaf);
        continue;
      }
      cursor.next();
      if (leaf.type === 'partners.saved')
        projectPartner(db, p as unknown as PartnerInput & { id: number }, leaf.seq);
      else if (leaf.type === 'partners.mapping-saved')
        projectMapping(db, p as { partnerId: number; name: string; mapping: unknown }, leaf.seq);
      else if (leaf.type === 'ingest.pending-resolved' && p.outcome === 'expired')
        expireReplayed(db, p.hash as string, leaf.seq);
      else if (
        leaf.type === 'receiving.accepted' &&
        typeof p.traceId === 'number' &&
        state.serial(p.traceId) !== undefined
      ) {
        state.apply([{ op: 'state', id: p.traceId, state: 'received', cascade: true }], {
          eventId: -leaf.seq,
          timeMs: leaf.time,
          disposition: 'in_progress',
        });
      } else if (leaf.type === 'investigation.opened' && typeof p.traceId === 'number') {
        db.prepare('UPDATE serial_state SET quarantined = 1, suspect = 1 WHERE trace_id = ?').run(p.traceId);
      }
    }
    // Investigation outcomes release products from quarantine (receiving/investigations.ts).
    db.prepare(
      "UPDATE serial_state SET quarantined = 0, suspect = 0 WHERE trace_id IN (SELECT trace_id FROM investigations WHERE status = 'cleared' AND trace_id IS NOT NULL)",
    ).run();
    const after = projectionDigest(db);
    const differences = TRACE_TABLES.filter((t) => before[t] !== after[t]).map(
      (t) => `${t}: live ${before[t]}, rebuilt ${after[t]}`,
    );
    return { entries: cursor.consumed, differences };
  });
  return value;
}

function replayFile(
  ctx: Workspace,
  db: Database,
  cursor: LeafCursor,
  writer: ReplayWriter,
  fileLeaf: Leaf,
): void {
  const p = fileLeaf.payload as {
    file: string;
    name: string;
    format: string;
    size: number;
    source: string;
    partner: number | null;
    header: Omit<IngestHeader, 'format' | 'notes'>;
  };
  const applier = new FileApplier(
    writer,
    ctx.sealer,
    {
      hash: Buffer.from(p.file, 'hex'),
      name: p.name,
      format: p.format,
      size: p.size,
      source: p.source,
      ...(p.partner !== null ? { partnerId: p.partner } : {}),
    },
    {
      format: p.format as IngestHeader['format'],
      notes: [],
      ...p.header,
      products: p.header.products ?? [],
      locations: p.header.locations ?? [],
    },
    fileLeaf.actor,
    fileLeaf.time,
    true,
  );
  applier.begin();
  for (
    let leaf = cursor.peek();
    leaf !== undefined && FILE_RECORDS.has(leaf.type) && leaf.payload.file === p.file;
    leaf = cursor.peek()
  ) {
    applier.record(recordOf(db, leaf));
  }
  try {
    applier.finish();
  } catch (error) {
    if (error instanceof RejectedFile)
      throw new ReplayMismatch(
        `file ${p.name} (record ${fileLeaf.seq}) is rejected on replay: ${error.findings[0]?.message ?? ''}`,
      );
    throw error;
  }
  // A reprocessed quarantine item closes in the same commit; quarantine rows are not rebuilt.
  if (cursor.peek()?.type === 'quarantine.reprocessed') cursor.next();
}

function recordOf(db: Database, leaf: Leaf): IngestRecord {
  const p = leaf.payload as {
    index: number;
    hash: string;
    event?: EpcisEvent;
    transaction?: unknown;
    record?: unknown;
    received?: unknown;
    declaration?: unknown;
  };
  const position = `event ${p.index ?? 0}`;
  switch (leaf.type) {
    case 'ingest.event':
      return { kind: 'epcis-event', index: p.index, position, event: p.event!, hash: p.hash };
    case 'ingest.transaction':
      return {
        kind: 'dscsa-transaction',
        index: p.index,
        position,
        transaction: p.transaction as never,
        hash: p.hash,
      };
    case 'ingest.fsma-record':
      return {
        kind: 'fsma-record',
        index: p.index,
        position,
        record: p.record as never,
        hash: p.hash,
        ...(p.received !== undefined ? { received: p.received as never } : {}),
      };
    default: {
      // An error declaration: the original event (same hash) with its declaration.
      const seq = db
        .prepare('SELECT ledger_seq FROM trace_events WHERE event_hash = ?')
        .pluck()
        .get(Buffer.from(/([0-9a-f]{64})/.exec(p.hash)![1]!, 'hex')) as number;
      const event = {
        ...loadLedgerEvent(db, seq),
        errorDeclaration: p.declaration as EpcisEvent['errorDeclaration'],
      };
      return { kind: 'epcis-event', index: 0, position, event, hash: p.hash };
    }
  }
}

/** A pending event expired by ingest/expire.ts: no longer waiting, marked as not applied. */
function expireReplayed(db: Database, hash: string, seq: number): void {
  const row = db
    .prepare('SELECT id, ledger_seq AS ledgerSeq FROM trace_events WHERE event_hash = ?')
    .get(Buffer.from(/([0-9a-f]{64})/.exec(hash)![1]!, 'hex')) as
    { id: number; ledgerSeq: number } | undefined;
  if (row === undefined) throw new ReplayMismatch(`record ${seq} expires an event the replay does not know`);
  db.prepare('DELETE FROM pending_events WHERE event_id = ?').run(row.id);
  db.prepare('DELETE FROM pending_waits WHERE event_id = ?').run(row.id);
  db.prepare(
    'INSERT OR IGNORE INTO trace_event_errors (event_id, declared_by, reason, ledger_seq) VALUES (?, ?, ?, ?)',
  ).run(row.id, row.id, 'expired while waiting', row.ledgerSeq);
}
