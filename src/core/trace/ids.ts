import type { Database, Statement } from 'better-sqlite3-multiple-ciphers';
import type { FieldSealer } from '../sealing/field-sealer';
import { parseTraceId } from '../model/trace-id';
import { cached } from './statements';

const TABLE = 'trace_ids';
const BIDX_DOMAIN = 'trace-id';

/**
 * The one place identifiers live: each canonical identifier once, sealed (it carries the serial
 * number, which is sensitive) with a blind index for lookups. Create one per write transaction:
 * new row ids are assigned here so the seal can bind to its row before the insert.
 */
export class TraceIds {
  private readonly byBidx: Statement;
  private readonly insert: Statement;
  private readonly sealedOf: Statement;
  private nextId: number | null = null;
  private readonly local = new Map<string, number>();
  /** Rows inserted with their lot since the last {@link startEvent} (their lot needs no update). */
  readonly insertedWithLot = new Set<number>();

  constructor(
    private readonly db: Database,
    private readonly sealer: FieldSealer,
  ) {
    this.byBidx = cached(db, `SELECT id FROM ${TABLE} WHERE bidx = ?`).pluck();
    this.insert = cached(
      db,
      `INSERT INTO ${TABLE} (id, bidx, kind, gtin, lot, sealed) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (bidx) DO NOTHING`,
    );
    this.sealedOf = cached(db, `SELECT sealed FROM ${TABLE} WHERE id = ?`).pluck();
  }

  /** Called as each event is read: {@link insertedWithLot} then names only that event's new rows. */
  startEvent(): void {
    if (this.insertedWithLot.size > 0) this.insertedWithLot.clear();
  }

  blindIndex(canonical: string): Buffer {
    return this.sealer.blindIndex(BIDX_DOMAIN, canonical);
  }

  find(canonical: string): number | undefined {
    return this.lookup(canonical).id;
  }

  private lookup(canonical: string): { id: number | undefined; bidx?: Buffer } {
    const local = this.local.get(canonical);
    if (local !== undefined) return { id: local };
    const bidx = this.blindIndex(canonical);
    const id = this.byBidx.get(bidx) as number | undefined;
    if (id !== undefined) this.remember(canonical, id);
    return { id, bidx };
  }

  /**
   * The row id of an identifier, creating the row (in the caller's transaction) when new. A caller
   * that expects a new identifier (a commissioning) says so: the row is then inserted straight away
   * and the blind index probed once, not twice; a known one costs a seal that is thrown away.
   */
  ensure(canonical: string, lot?: string, likelyNew = false): number {
    const local = this.local.get(canonical);
    if (local !== undefined) return local;
    let bidx: Buffer;
    if (likelyNew) bidx = this.blindIndex(canonical);
    else {
      const found = this.lookup(canonical);
      if (found.id !== undefined) return found.id;
      bidx = found.bidx ?? this.blindIndex(canonical);
    }
    const parsed = parseTraceId(canonical);
    if (this.nextId === null) {
      const max = this.db.prepare(`SELECT max(id) FROM ${TABLE}`).pluck().get() as number | null;
      this.nextId = (max ?? 0) + 1;
    }
    const id = this.nextId;
    const sealed = this.sealer.seal(canonical, { table: TABLE, column: 'sealed', rowId: id });
    const rowLot = parsed.lot ?? lot ?? null;
    if (this.insert.run(id, bidx, parsed.kind, parsed.gtin ?? null, rowLot, sealed).changes === 0) {
      const existing = this.byBidx.get(bidx) as number;
      this.remember(canonical, existing);
      return existing;
    }
    this.nextId++;
    if (rowLot !== null) this.insertedWithLot.add(id);
    this.remember(canonical, id);
    return id;
  }

  /** Opens a sealed identifier for display or export (a person asked for it). */
  open(id: number): string {
    const sealed = this.sealedOf.get(id) as Buffer | undefined;
    if (sealed === undefined) throw new Error(`identifier row ${id} does not exist`);
    return this.sealer.openText(sealed, { table: TABLE, column: 'sealed', rowId: id });
  }

  private remember(canonical: string, id: number): void {
    if (this.local.size > 20_000) this.local.clear();
    this.local.set(canonical, id);
  }
}
