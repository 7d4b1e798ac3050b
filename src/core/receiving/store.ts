import type { Database } from 'better-sqlite3-multiple-ciphers';
import { ApiError } from '../api/errors';
import { parseTraceId } from '../model/trace-id';
import { partnerNameOf } from '../partners';
import type { ClosureSignature } from '../api/procedures/quarantine';
import { entryOf } from '../ledger/workspace';
import type { FieldSealer } from '../sealing/field-sealer';
import { TraceIds } from '../trace/ids';
import { EXCEPTION_ADVICE, type ExceptionKind } from './exceptions';

/**
 * The packages a shipment line stands for (SQL on the alias i): a line naming a tote or case counts
 * the packages inside it (serial_state's containment, as the file packed them), a lot or package
 * line its quantity. Receiving counts in packages only, so "5 of 5" never reads "5 of 1".
 */
export const ITEM_PACKAGES = `(CASE WHEN i.trace_id IS NOT NULL AND EXISTS (SELECT 1 FROM serial_state c WHERE c.parent_id = i.trace_id)
  THEN (WITH RECURSIVE below(id) AS (
          SELECT trace_id FROM serial_state WHERE parent_id = i.trace_id
          UNION ALL SELECT s.trace_id FROM serial_state s JOIN below b ON s.parent_id = b.id)
        SELECT count(*) FROM below b WHERE NOT EXISTS (SELECT 1 FROM serial_state c WHERE c.parent_id = b.id))
  ELSE i.quantity END)`;

const SHIPMENTS = `
  SELECT s.id, s.seller, s.seller_name AS sellerName, s.ship_to AS shipTo, s.ship_to_name AS shipToName, s.transaction_date AS transactionDate,
         s.reference, s.statement, s.statement_text AS statementText, s.status, f.name AS file,
         (SELECT count(*) FROM shipment_items i WHERE i.shipment_id = s.id) AS items,
         (SELECT coalesce(sum(${ITEM_PACKAGES}), 0) FROM shipment_items i WHERE i.shipment_id = s.id) AS units,
         (SELECT coalesce(sum(units), 0) FROM receiving_scans r WHERE r.shipment_id = s.id AND r.verdict = 'accepted') AS receivedUnits
  FROM shipments s JOIN ingest_files f ON f.id = s.file_id`;

export type ShipmentRow = {
  statement: number;
  statementText: string | null;
  status: 'open' | 'receiving' | 'received' | 'exceptions';
} & Record<string, unknown>;

/** A shipment as people name it: the ASN or invoice number and the seller, never its row id alone. */
export interface ShipmentRef {
  readonly id: number;
  readonly document: string;
  readonly seller: string | null;
  readonly date: string | null;
}

/** A business-transaction URN (urn:epcglobal:cbv:bt:GLN:ASN-1) read as its document number. */
export function documentNumber(reference: string | null): string | null {
  return reference === null ? null : reference.replace(/urn:epcglobal:cbv:bt:\d{13}:/g, '');
}

export function shipmentRef(db: Database, id: number): ShipmentRef {
  const row = db
    .prepare(
      'SELECT reference, seller_name AS sellerName, seller, transaction_date AS date FROM shipments WHERE id = ?',
    )
    .get(id) as
    | { reference: string | null; sellerName: string | null; seller: string | null; date: string | null }
    | undefined;
  return {
    id,
    document: documentNumber(row?.reference ?? null) ?? `shipment ${id}`,
    seller: row?.sellerName ?? (row?.seller != null ? (partnerNameOf(db, row.seller) ?? row.seller) : null),
    date: row?.date ?? null,
  };
}

/** The exceptions still open from a session or on its shipment, and the packages it accepted. */
export function sessionOutcome(db: Database, sessionId: number, shipmentId: number | null) {
  const open = db
    .prepare(
      `SELECT id, kind, shipment_id AS shipmentId FROM receiving_exceptions
       WHERE status = 'open' AND (session_id = ? OR shipment_id = ?) ORDER BY id`,
    )
    .all(sessionId, shipmentId ?? -1) as { id: number; kind: ExceptionKind; shipmentId: number | null }[];
  const accepted = db
    .prepare(
      "SELECT coalesce(sum(units), 0) FROM receiving_scans WHERE session_id = ? AND verdict = 'accepted'",
    )
    .pluck()
    .get(sessionId) as number;
  return {
    open: open.map((x) => ({
      id: x.id,
      kind: x.kind,
      shipment: x.shipmentId !== null ? shipmentRef(db, x.shipmentId) : null,
    })),
    accepted,
  };
}

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
    resolved_seq: number | null;
  };
  const signature = r.resolved_seq !== null ? resolutionSignature(db, r.resolved_seq) : undefined;
  return {
    id: r.id,
    sessionId: r.session_id,
    shipmentId: r.shipment_id,
    shipment: r.shipment_id !== null ? shipmentRef(db, r.shipment_id) : null,
    kind: r.kind,
    advice: EXCEPTION_ADVICE[r.kind],
    detail: JSON.parse(r.detail) as Record<string, unknown>,
    status: r.status,
    openedMs: r.opened_ms,
    resolution: r.resolution,
    ...(signature !== undefined ? { signature } : {}),
  };
}

/** The signature the resolving entry carries: the ledger holds it once, the table only points there. */
function resolutionSignature(db: Database, seq: number): ClosureSignature | undefined {
  const leaf = db.prepare('SELECT leaf FROM ledger_leaves WHERE seq = ?').pluck().get(seq) as
    Buffer | undefined;
  return leaf === undefined ? undefined : (entryOf(leaf).payload.signature as ClosureSignature | undefined);
}

/** One exception with the serial of the package it is about, opened from its sealed identifier. */
export function exceptionWithSerial(db: Database, sealer: FieldSealer, id: number) {
  if (db.prepare('SELECT 1 FROM receiving_exceptions WHERE id = ?').get(id) === undefined)
    throw new ApiError('not-found', `There is no receiving exception ${id}.`);
  const view = exceptionView(db, id);
  const traceId = view.detail.traceId;
  const parsed =
    typeof traceId === 'number' ? parseTraceId(new TraceIds(db, sealer).open(traceId)) : undefined;
  return { ...view, serial: parsed?.serial ?? parsed?.sscc ?? null };
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

/**
 * A shipment's lines (product, lot, expiry, packages) and how many packages of each were accepted;
 * a line naming a tote or case lists what it holds by product, lot and expiry.
 */
export function shipmentLines(db: Database, id: number): unknown[] {
  const lines = db
    .prepare(
      `SELECT i.id, i.trace_id AS traceId, i.gtin, i.ndc, i.product_name AS productName, i.strength, i.dosage_form AS dosageForm, i.lot, i.expiry,
              ${ITEM_PACKAGES} AS quantity, coalesce(t.kind, 'lot') AS kind,
              (SELECT coalesce(sum(units), 0) FROM receiving_scans r WHERE r.item_id = i.id AND r.verdict = 'accepted') AS received
       FROM shipment_items i LEFT JOIN trace_ids t ON t.id = i.trace_id WHERE i.shipment_id = ? ORDER BY i.id`,
    )
    .all(id) as ({ traceId: number | null; kind: string } & Record<string, unknown>)[];
  const contents = db.prepare(
    `WITH RECURSIVE below(id) AS (
       SELECT trace_id FROM serial_state WHERE parent_id = ?
       UNION ALL SELECT s.trace_id FROM serial_state s JOIN below b ON s.parent_id = b.id)
     SELECT t.gtin, p.ndc, p.name AS productName, p.strength, p.dosage_form AS dosageForm, t.lot, s.expiry, count(*) AS quantity
     FROM below b JOIN trace_ids t ON t.id = b.id JOIN serial_state s ON s.trace_id = b.id LEFT JOIN trace_products p ON p.gtin = t.gtin
     WHERE NOT EXISTS (SELECT 1 FROM serial_state c WHERE c.parent_id = b.id)
     GROUP BY t.gtin, t.lot, s.expiry ORDER BY p.name, t.lot`,
  );
  return lines.map(({ traceId, ...line }) => ({
    ...line,
    contents: traceId !== null && line.kind === 'sscc' ? contents.all(traceId) : [],
  }));
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
