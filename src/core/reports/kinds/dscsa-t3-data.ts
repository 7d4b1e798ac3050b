import type { Database } from 'better-sqlite3-multiple-ciphers';
import type { EpcisEvent, LocationMasterData, ProductMasterData } from '../../epcis/model';
import { canonicalSgtin } from '../../model/trace-id';
import { TraceIds } from '../../trace/ids';
import { cached } from '../../trace/statements';
import type { ReportSource } from '../kind';

/*
 * What the DSCSA T3 reads from the traceability index, as of the report's checkpoint: the
 * shipments received for a lot, a serial or a shipment reference, their lines, the events that
 * moved the packages (and the totes that held them), and the partners' master data from the files
 * they came in. Every insert-only row is filtered on its ledger seq (source.covers).
 */

export interface ShipmentRow {
  readonly id: number;
  readonly fileId: number;
  readonly eventId: number | null;
  readonly ledgerSeq: number;
  readonly seller: string | null;
  readonly sellerName: string | null;
  readonly buyer: string | null;
  readonly shipFrom: string | null;
  readonly shipTo: string | null;
  readonly shipToName: string | null;
  readonly transactionDate: string | null;
  readonly shipDate: string | null;
  readonly reference: string | null;
  readonly statement: number;
  readonly statementText: string | null;
}

export interface ItemRow {
  readonly shipmentId: number;
  readonly traceId: number | null;
  readonly kind: string | null;
  readonly gtin: string | null;
  readonly ndc: string | null;
  readonly productName: string | null;
  readonly strength: string | null;
  readonly dosageForm: string | null;
  readonly containerSize: string | null;
  readonly lot: string | null;
  readonly expiry: string | null;
  readonly quantity: number;
}

export interface ProductRow {
  readonly gtin: string;
  readonly ndc: string | null;
  readonly name: string | null;
  readonly strength: string | null;
  readonly dosageForm: string | null;
  readonly container: string | null;
  readonly manufacturer: string | null;
}

export interface PartnerRow {
  readonly name: string;
  readonly role: string;
  readonly address: string | null;
}

export interface FileHeader {
  readonly products: ProductMasterData[];
  readonly locations: LocationMasterData[];
  readonly statement?: { affirmed: boolean; text?: string };
}

export type T3Query =
  | { readonly by: 'lot'; readonly gtin?: string; readonly lot: string }
  | { readonly by: 'serial'; readonly gtin: string; readonly serial: string }
  | { readonly by: 'shipment'; readonly reference: string };

const SHIPMENT_COLUMNS = `s.id, s.file_id AS fileId, s.event_id AS eventId, s.ledger_seq AS ledgerSeq, s.seller,
  s.seller_name AS sellerName, s.buyer, s.ship_from AS shipFrom, s.ship_to AS shipTo, s.ship_to_name AS shipToName,
  s.transaction_date AS transactionDate, s.ship_date AS shipDate, s.reference, s.statement, s.statement_text AS statementText`;

const ITEM_COLUMNS = `i.shipment_id AS shipmentId, i.trace_id AS traceId, t.kind, coalesce(i.gtin, t.gtin) AS gtin, i.ndc,
  i.product_name AS productName, i.strength, i.dosage_form AS dosageForm, i.container_size AS containerSize,
  coalesce(i.lot, t.lot) AS lot, i.expiry, i.quantity`;

/** Every query the T3 makes, by name: each is an indexed lookup (test/reports/plans.test.ts). */
export const T3_SQL = {
  lotIds: 'SELECT id FROM trace_ids WHERE gtin = ? AND lot = ?',
  // A lot without its GTIN: the products known, then the (gtin, lot) index for each.
  knownGtins: 'SELECT gtin FROM trace_products',
  parents: `SELECT a.parent_id FROM aggregation_edges a JOIN trace_events e ON e.id = a.added_event
            WHERE a.child_id = ? AND e.ledger_seq < ?`,
  children: `SELECT a.child_id FROM aggregation_edges a JOIN trace_events e ON e.id = a.added_event
             WHERE a.parent_id = ? AND e.ledger_seq < ?`,
  events: `SELECT e.id, e.ledger_seq AS ledgerSeq, e.event_time_ms AS timeMs, e.biz_step AS bizStep
           FROM trace_event_ids x JOIN trace_events e ON e.id = x.event_id WHERE x.trace_id = ? AND e.ledger_seq < ?`,
  shipmentsByReference: `SELECT ${SHIPMENT_COLUMNS} FROM shipments s WHERE s.reference = ?`,
  shipmentsByItem: `SELECT ${SHIPMENT_COLUMNS} FROM shipment_items i JOIN shipments s ON s.id = i.shipment_id WHERE i.trace_id = ?`,
  shipmentsByLot: `SELECT ${SHIPMENT_COLUMNS} FROM shipment_items i JOIN shipments s ON s.id = i.shipment_id WHERE i.gtin = ? AND i.lot = ?`,
  items: `SELECT ${ITEM_COLUMNS} FROM shipment_items i LEFT JOIN trace_ids t ON t.id = i.trace_id
          WHERE i.shipment_id = ? ORDER BY i.id`,
  idRow: 'SELECT kind, gtin, lot FROM trace_ids WHERE id = ?',
  expiry: 'SELECT expiry FROM serial_state WHERE trace_id = ?',
  product: `SELECT gtin, ndc, name, strength, dosage_form AS dosageForm, container, manufacturer
            FROM trace_products WHERE gtin = ? AND ledger_seq < ?`,
  partner: `SELECT p.name, p.role, p.address, p.saved_seq AS savedSeq FROM partner_glns g
            JOIN trading_partners p ON p.id = g.partner_id WHERE g.gln = ?`,
  file: 'SELECT ledger_seq AS ledgerSeq, format, name FROM ingest_files WHERE id = ?',
} as const;

export class T3Data {
  private readonly db: Database;
  private readonly ids: TraceIds;

  constructor(private readonly source: ReportSource) {
    this.db = source.db;
    this.ids = new TraceIds(source.db, source.sealer);
  }

  /** The identifier rows the query names: every package and lot-class row of the lot, or the one serial. */
  itemIds(query: T3Query): number[] {
    if (query.by === 'serial') {
      const id = this.ids.find(canonicalSgtin(query.gtin, query.serial));
      return id === undefined ? [] : [id];
    }
    if (query.by === 'lot') {
      const byGtinLot = cached(this.db, T3_SQL.lotIds).pluck();
      const gtins =
        query.gtin !== undefined
          ? [query.gtin]
          : (cached(this.db, T3_SQL.knownGtins).pluck().all() as string[]);
      return gtins.flatMap((gtin) => byGtinLot.all(gtin, query.lot) as number[]);
    }
    return [];
  }

  /** The containers (totes, cases) that ever held one of the items, within the checkpoint. */
  containersOf(itemIds: readonly number[]): number[] {
    const up = cached(this.db, T3_SQL.parents);
    const seen = new Set<number>(itemIds);
    const out: number[] = [];
    let frontier = [...itemIds];
    for (let depth = 0; depth < 16 && frontier.length > 0; depth++) {
      const next: number[] = [];
      for (const id of frontier) {
        for (const parent of up.pluck().all(id, this.source.size) as number[]) {
          if (seen.has(parent)) continue;
          seen.add(parent);
          out.push(parent);
          next.push(parent);
        }
      }
      frontier = next;
    }
    return out;
  }

  /** The packages a container held (recursively), within the checkpoint. */
  contentsOf(containerId: number): number[] {
    const down = cached(this.db, T3_SQL.children);
    const out: number[] = [];
    const seen = new Set<number>([containerId]);
    let frontier = [containerId];
    for (let depth = 0; depth < 16 && frontier.length > 0; depth++) {
      const next: number[] = [];
      for (const id of frontier) {
        for (const child of down.pluck().all(id, this.source.size) as number[]) {
          if (seen.has(child)) continue;
          seen.add(child);
          out.push(child);
          next.push(child);
        }
      }
      frontier = next;
    }
    return out;
  }

  /** Events that name any of the identifiers, within the checkpoint, in time order. */
  events(
    traceIds: readonly number[],
  ): { id: number; ledgerSeq: number; timeMs: number; bizStep: string | null }[] {
    const stmt = cached(this.db, T3_SQL.events);
    const byId = new Map<number, { id: number; ledgerSeq: number; timeMs: number; bizStep: string | null }>();
    for (const id of traceIds) {
      for (const row of stmt.all(id, this.source.size) as {
        id: number;
        ledgerSeq: number;
        timeMs: number;
        bizStep: string | null;
      }[]) {
        byId.set(row.id, row);
      }
    }
    return [...byId.values()].sort((a, b) => a.timeMs - b.timeMs || a.id - b.id);
  }

  /**
   * Shipments (transactions received) of the items and their containers: an EPCIS shipping event's
   * shipment lists the totes it moved, so every lookup is by an indexed identifier, never a scan.
   */
  shipments(query: T3Query, traceIds: readonly number[]): ShipmentRow[] {
    const found = new Map<number, ShipmentRow>();
    const add = (rows: ShipmentRow[]) => {
      for (const r of rows) if (this.source.covers(r.ledgerSeq)) found.set(r.id, r);
    };
    if (query.by === 'shipment') {
      add(cached(this.db, T3_SQL.shipmentsByReference).all(query.reference) as ShipmentRow[]);
    } else {
      const byItem = cached(this.db, T3_SQL.shipmentsByItem);
      for (const id of traceIds) add(byItem.all(id) as ShipmentRow[]);
      if (query.by === 'lot' && query.gtin !== undefined) {
        add(cached(this.db, T3_SQL.shipmentsByLot).all(query.gtin, query.lot) as ShipmentRow[]);
      }
    }
    return [...found.values()].sort(
      (a, b) => (a.transactionDate ?? '').localeCompare(b.transactionDate ?? '') || a.id - b.id,
    );
  }

  items(shipmentId: number): ItemRow[] {
    return cached(this.db, T3_SQL.items).all(shipmentId) as ItemRow[];
  }

  idRow(id: number): { kind: string; gtin: string | null; lot: string | null } | undefined {
    return cached(this.db, T3_SQL.idRow).get(id) as
      { kind: string; gtin: string | null; lot: string | null } | undefined;
  }

  /** A package's expiry as commissioned (ILMD), when the data carried one. */
  expiryOf(id: number): string | null {
    return (cached(this.db, T3_SQL.expiry).pluck().get(id) as string | null) ?? null;
  }

  /** Opens a sealed identifier (a serial): the caller counts it as disclosed. */
  open(id: number): string {
    return this.ids.open(id);
  }

  product(gtin: string): ProductRow | undefined {
    return cached(this.db, T3_SQL.product).get(gtin, this.source.size) as ProductRow | undefined;
  }

  /**
   * The trading partner of a GLN as of the checkpoint: the projection when it was saved before it,
   * otherwise the last partners.saved entry before it that lists the GLN (partners change in place).
   */
  partner(gln: string): PartnerRow | undefined {
    const row = cached(this.db, T3_SQL.partner).get(gln) as (PartnerRow & { savedSeq: number }) | undefined;
    if (row !== undefined && this.source.covers(row.savedSeq)) {
      return { name: row.name, role: row.role, address: row.address };
    }
    let found: PartnerRow | undefined;
    for (const entry of this.source.entries(['partners.saved'])) {
      const p = entry.payload as { name: string; role: string; address?: string; glns?: string[] };
      if (p.glns?.includes(gln) === true) found = { name: p.name, role: p.role, address: p.address ?? null };
    }
    return found;
  }

  private file(fileId: number): { ledgerSeq: number; format: string; name: string } | undefined {
    return cached(this.db, T3_SQL.file).get(fileId) as
      { ledgerSeq: number; format: string; name: string } | undefined;
  }

  /** The header of an imported file (master data, statement) from its ingest.file ledger entry. */
  fileHeader(fileId: number): FileHeader | null {
    const file = this.file(fileId);
    if (file === undefined) return null;
    const header = this.source.entry(file.ledgerSeq)?.payload.header as FileHeader | undefined;
    return header ?? null;
  }

  fileFormat(fileId: number): string | null {
    return this.file(fileId)?.format ?? null;
  }

  fileName(fileId: number): string | null {
    return this.file(fileId)?.name ?? null;
  }

  /** The event as stored at import (the ingest.event ledger entry), and the hash recorded with it. */
  storedEvent(ledgerSeq: number): { event: EpcisEvent; hash: string } | null {
    const entry = this.source.entry(ledgerSeq);
    if (entry === null || entry.type !== 'ingest.event') return null;
    return { event: entry.payload.event as EpcisEvent, hash: entry.payload.hash as string };
  }
}
