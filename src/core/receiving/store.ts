import type { Database } from 'better-sqlite3-multiple-ciphers';
import { EXCEPTION_ADVICE, type ExceptionKind } from './exceptions';

const SHIPMENTS = `
  SELECT s.id, s.seller, s.seller_name AS sellerName, s.ship_to AS shipTo, s.ship_to_name AS shipToName, s.transaction_date AS transactionDate,
         s.reference, s.statement, s.statement_text AS statementText, s.status, f.name AS file,
         (SELECT count(*) FROM shipment_items i WHERE i.shipment_id = s.id) AS items,
         (SELECT coalesce(sum(quantity), 0) FROM shipment_items i WHERE i.shipment_id = s.id) AS units,
         (SELECT coalesce(sum(units), 0) FROM receiving_scans r WHERE r.shipment_id = s.id AND r.verdict = 'accepted') AS receivedUnits
  FROM shipments s JOIN ingest_files f ON f.id = s.file_id`;

export type ShipmentRow = {
  statement: number;
  statementText: string | null;
  status: 'open' | 'receiving' | 'received' | 'exceptions';
} & Record<string, unknown>;

export function exceptionView(db: Database, id: number) {
  const r = db.prepare('SELECT * FROM receiving_exceptions WHERE id = ?').get(id) as {
    id: number;
    session_id: number | null;
    shipment_id: number | null;
    kind: ExceptionKind;
    detail: string;
    status: 'open' | 'resolved';
    opened_ms: number;
    resolution: string | null;
  };
  return {
    id: r.id,
    sessionId: r.session_id,
    shipmentId: r.shipment_id,
    kind: r.kind,
    advice: EXCEPTION_ADVICE[r.kind],
    detail: JSON.parse(r.detail) as Record<string, unknown>,
    status: r.status,
    openedMs: r.opened_ms,
    resolution: r.resolution,
  };
}

/** Shipments from the transaction data, newest first, with how much of each was received. */
export function listShipments(db: Database, status: string | undefined, limit: number): ShipmentRow[] {
  return (
    status !== undefined
      ? db.prepare(`${SHIPMENTS} WHERE s.status = ? ORDER BY s.id DESC LIMIT ?`).all(status, limit)
      : db.prepare(`${SHIPMENTS} ORDER BY s.id DESC LIMIT ?`).all(limit)
  ) as ShipmentRow[];
}

export function shipmentRow(db: Database, id: number): ShipmentRow | undefined {
  return db.prepare(`${SHIPMENTS} WHERE s.id = ?`).get(id) as ShipmentRow | undefined;
}

/** A shipment's lines (product, lot, expiry, quantity) and how many units of each were accepted. */
export function shipmentLines(db: Database, id: number): unknown[] {
  return db
    .prepare(
      `SELECT i.id, i.gtin, i.ndc, i.product_name AS productName, i.strength, i.dosage_form AS dosageForm, i.lot, i.expiry, i.quantity,
              coalesce(t.kind, 'lot') AS kind,
              (SELECT coalesce(sum(units), 0) FROM receiving_scans r WHERE r.item_id = i.id AND r.verdict = 'accepted') AS received
       FROM shipment_items i LEFT JOIN trace_ids t ON t.id = i.trace_id WHERE i.shipment_id = ? ORDER BY i.id`,
    )
    .all(id);
}

export function exceptionIds(db: Database, status: string | undefined): number[] {
  return (
    status !== undefined
      ? db
          .prepare('SELECT id FROM receiving_exceptions WHERE status = ? ORDER BY id DESC')
          .pluck()
          .all(status)
      : db.prepare('SELECT id FROM receiving_exceptions ORDER BY id DESC').pluck().all()
  ) as number[];
}
