import type { Database } from 'better-sqlite3-multiple-ciphers';
import { ApiError } from '../api/errors';
import { parseAnyIdentifier } from '../identifiers';
import { canonicalId } from '../epcis/identifier-form';
import type { Workspace } from '../ledger/workspace';
import { TraceIds } from './ids';
import { canonicalLgtin, canonicalSgtin, canonicalSscc, parseTraceId } from '../model/trace-id';
import { ndcsOf, ndcTrace, type NdcTrace } from './ndc';
import { productOf } from './products';
import { cached } from './statements';

/*
 * The traceability index queried: a serial's or SSCC's history (its own events and those of the
 * containers that held it), its containment (recursive CTEs over the aggregation projection), the
 * trading partners and the DSCSA transaction data received; GTIN+lot and FSMA traceability lot
 * codes one step back and forward. Every query here is indexed (see test/trace EXPLAIN QUERY PLAN).
 */

export const SQL = {
  idByBidx: 'SELECT id, kind, gtin, lot FROM trace_ids WHERE bidx = ?',
  history: `
    SELECT e.id, e.event_type AS type, e.event_time_ms AS timeMs, e.action, e.biz_step AS bizStep, e.disposition,
           e.biz_location AS location, e.source_party AS source, e.dest_party AS destination, e.ledger_seq AS ledgerSeq,
           f.name AS file, x.role, x.trace_id AS via, (SELECT reason FROM trace_event_errors r WHERE r.event_id = e.id) AS declaredError,
           EXISTS (SELECT 1 FROM pending_events p WHERE p.event_id = e.id) AS pending
    FROM trace_event_ids x JOIN trace_events e ON e.id = x.event_id JOIN ingest_files f ON f.id = e.file_id
    WHERE x.trace_id = ?
    ORDER BY e.event_time_ms, e.id`,
  // Every container that ever held the item, with the time window it held it (through its parents).
  containers: `
    WITH RECURSIVE up(id, depth, fromMs, toMs) AS (
      SELECT ?, 0, 0, 9000000000000000
      UNION SELECT a.parent_id, up.depth + 1, max(up.fromMs, ea.event_time_ms), min(up.toMs, coalesce(er.event_time_ms, 9000000000000000))
      FROM aggregation_edges a JOIN up ON a.child_id = up.id
      JOIN trace_events ea ON ea.id = a.added_event LEFT JOIN trace_events er ON er.id = a.removed_event
      WHERE up.depth < 16
    )
    SELECT id, depth, fromMs, toMs FROM up WHERE depth > 0 ORDER BY depth`,
  // CROSS JOIN keeps SQLite from scanning serial_state for the final join: walk the CTE, look up by key.
  contents: `
    WITH RECURSIVE below(id, parent, depth, state) AS (
      SELECT trace_id, parent_id, 1, state FROM serial_state WHERE parent_id = ?
      UNION ALL SELECT s.trace_id, s.parent_id, b.depth + 1, s.state FROM below b CROSS JOIN serial_state s ON s.parent_id = b.id WHERE b.depth < 16
    )
    SELECT b.id, b.parent, b.depth, b.state, t.kind, t.gtin, t.lot FROM below b CROSS JOIN trace_ids t ON t.id = b.id
    LIMIT 10001`,
  state:
    'SELECT state, disposition, parent_id AS parentId, owner, location, expiry, suspect, quarantined FROM serial_state WHERE trace_id = ?',
  shipmentsFor: `
    SELECT DISTINCT s.id, s.seller, s.seller_name AS sellerName, s.buyer, s.ship_to AS shipTo, s.ship_to_name AS shipToName,
           s.transaction_date AS transactionDate, s.ship_date AS shipDate, s.reference, s.statement, s.statement_text AS statementText, s.status
    FROM shipment_items i JOIN shipments s ON s.id = i.shipment_id WHERE i.trace_id = ?`,
  shipmentsForLot: `
    SELECT DISTINCT s.id, s.seller, s.seller_name AS sellerName, s.buyer, s.ship_to AS shipTo, s.ship_to_name AS shipToName,
           s.transaction_date AS transactionDate, s.ship_date AS shipDate, s.reference, s.statement, s.statement_text AS statementText, s.status
    FROM shipment_items i JOIN shipments s ON s.id = i.shipment_id WHERE i.gtin = ? AND i.lot = ?`,
  serialsOfLot: "SELECT count(*) FROM trace_ids WHERE gtin = ? AND lot = ? AND kind = 'sgtin'",
  partner:
    'SELECT p.name, p.role, p.authorized FROM partner_glns g JOIN trading_partners p ON p.id = g.partner_id WHERE g.gln = ?',
  fsmaByTlc:
    'SELECT id, cte, tlc, event_date AS date, product, quantity, from_name AS fromName, to_name AS toName, kdes FROM fsma_records WHERE tlc = ? ORDER BY event_date, id',
  fsmaInputsOf: 'SELECT input_tlc FROM fsma_inputs WHERE record_id = ?',
  fsmaOutputsFrom: `SELECT r.tlc FROM fsma_inputs i JOIN fsma_records r ON r.id = i.record_id WHERE i.input_tlc = ?`,
} as const;

export interface HistoryEvent {
  readonly id: number;
  readonly type: string;
  readonly time: string;
  readonly action: string | null;
  readonly bizStep: string | null;
  readonly disposition: string | null;
  readonly location: string | null;
  readonly source: string | null;
  readonly destination: string | null;
  readonly ledgerSeq: number;
  readonly file: string;
  /** How the item took part: itself ("epc", "child", "parent" …) or inside a container ("in container"). */
  readonly role: string;
  readonly declaredError: string | null;
  readonly pending: boolean;
}

export interface ContentNode {
  readonly identifier: string;
  readonly kind: string;
  readonly gtin: string | null;
  /** The drug as the master data names it (name, strength, form), and its NDC. */
  readonly product: string | null;
  readonly ndc: string | null;
  readonly lot: string | null;
  readonly state: string;
  readonly children: ContentNode[];
}

export interface TraceResult {
  readonly query: string;
  readonly kind: 'serial' | 'sscc' | 'lot' | 'tlc' | 'ndc' | 'unknown';
  readonly identifier: string;
  readonly found: boolean;
  readonly state: {
    state: string;
    disposition: string | null;
    owner: string | null;
    location: string | null;
    expiry: string | null;
    suspect: boolean;
    quarantined: boolean;
  } | null;
  readonly product: {
    gtin: string;
    ndc: string | null;
    name: string | null;
    strength: string | null;
    dosageForm: string | null;
    lot: string | null;
  } | null;
  readonly history: HistoryEvent[];
  readonly containers: string[];
  readonly contents: ContentNode[];
  readonly contentsTruncated: boolean;
  readonly partners: { gln: string; name: string | null; role: string | null; authorized: boolean | null }[];
  readonly transactions: {
    id: number;
    seller: string | null;
    sellerName: string | null;
    buyer: string | null;
    shipTo: string | null;
    shipToName: string | null;
    transactionDate: string | null;
    shipDate: string | null;
    reference: string | null;
    statement: boolean;
    statementText: string | null;
    status: string;
  }[];
  readonly lot: { gtin: string; lot: string; serials: number } | null;
  readonly fsma: { records: FsmaView[]; back: string[]; forward: string[] } | null;
  /** An NDC's products, their lots and the shipments of each (kind 'ndc'). */
  readonly ndc: NdcTrace | null;
  /** The serial traced, for a package (the identifier's AI 21), as a person reads it. */
  readonly serial: string | null;
  /**
   * No package-level record of this serial: what is shown is the lot-level information of its GTIN
   * and lot (lot-level transaction data), not the package-level transaction information DSCSA
   * requires once the exemptions end (FD&C Act §582(g)).
   */
  readonly lotLevelOnly: boolean;
  /** Every party or location in the answer (GLN, SGLN, Digital Link) with the GLN and saved name. */
  readonly places: { value: string; gln: string | null; name: string | null }[];
}

export interface FsmaView {
  readonly id: number;
  readonly cte: string;
  readonly tlc: string;
  readonly date: string | null;
  readonly product: string | null;
  readonly quantity: string | null;
  readonly fromName: string | null;
  readonly toName: string | null;
  readonly kdes: Record<string, string>;
}

/** What the person typed or scanned: a serial (any GS1 form), an SSCC, GTIN + lot, or an FSMA TLC. */
export function resolveQuery(query: string): {
  kind: TraceResult['kind'];
  canonical?: string;
  gtin?: string;
  lot?: string;
} {
  const text = query.trim();
  if (ndcsOf(text) !== undefined) return { kind: 'ndc' };
  const looksGs1 = /^(\]|\(|https?:|urn:epc:|\d{2})/i.test(text) || text.includes('\u001d');
  if (looksGs1) {
    if (text.startsWith('urn:epc:') || /^https?:/i.test(text)) {
      const parsed = parseTraceId(canonicalId(text).value);
      if (parsed.kind === 'sgtin') return { kind: 'serial', canonical: parsed.canonical, gtin: parsed.gtin! };
      if (parsed.kind === 'sscc') return { kind: 'sscc', canonical: parsed.canonical };
      if (parsed.kind === 'lgtin') return { kind: 'lot', gtin: parsed.gtin!, lot: parsed.lot! };
    }
    const any = parseAnyIdentifier(text);
    if (any.ok) {
      const v = any.value;
      if (v.sscc !== undefined) return { kind: 'sscc', canonical: canonicalSscc(v.sscc) };
      if (v.gtin !== undefined && v.serial !== undefined)
        return {
          kind: 'serial',
          canonical: canonicalSgtin(v.gtin, v.serial),
          gtin: v.gtin,
          ...(v.lot !== undefined ? { lot: v.lot } : {}),
        };
      if (v.gtin !== undefined && v.lot !== undefined) return { kind: 'lot', gtin: v.gtin, lot: v.lot };
    } else if (/^(\(\d{2}|\]|urn:epc:|https?:\/\/id\.gs1\.org\/)/i.test(text)) {
      // Unmistakably meant as a GS1 identifier (a bracketed element string, a scan, a URN or Digital
      // Link): say what is wrong with it rather than look it up as a lot code and find nothing.
      throw new ApiError(
        'invalid-input',
        `That is not a valid identifier: ${any.error.message}. Check the check digit and the length, or scan the label again.`,
        { rule: any.error.rule },
      );
    }
  }
  const gtinLot = /^(\d{14})\s*[+/ ,]\s*(?:lot[: ]*)?(\S.*)$/i.exec(text);
  if (gtinLot !== null) return { kind: 'lot', gtin: gtinLot[1]!, lot: gtinLot[2]!.trim() };
  return { kind: 'tlc' };
}

export function trace(ctx: Pick<Workspace, 'db' | 'sealer'>, query: string): TraceResult {
  const db = ctx.db;
  const ids = new TraceIds(db, ctx.sealer);
  const q = resolveQuery(query);
  const empty = {
    query,
    kind: q.kind,
    identifier: q.canonical ?? (q.gtin !== undefined ? canonicalLgtin(q.gtin, q.lot ?? '') : query.trim()),
    found: false,
    state: null,
    product: null,
    history: [],
    containers: [],
    contents: [],
    contentsTruncated: false,
    partners: [],
    transactions: [],
    lot: null,
    fsma: null,
    ndc: null,
    serial: q.canonical !== undefined ? (parseTraceId(q.canonical).serial ?? null) : null,
    lotLevelOnly: false,
    places: [],
  } satisfies TraceResult;
  if (q.kind === 'ndc') {
    const ndc = ndcTrace(db, ndcsOf(query)!);
    if (ndc.products.length > 0) return { ...empty, found: true, ndc };
    // Ten or eleven bare digits no product carries may be an FSMA traceability lot code.
    const fsma = fsmaTrace(db, query.trim());
    if (fsma.records.length > 0) return { ...empty, kind: 'tlc', found: true, fsma };
    return { ...empty, ndc };
  }
  if (q.kind === 'tlc' || q.kind === 'unknown') {
    const fsma = fsmaTrace(db, query.trim());
    return fsma.records.length > 0 ? { ...empty, kind: 'tlc', found: true, fsma } : empty;
  }
  if (q.kind === 'lot') return lotTrace(db, ids, q.gtin!, q.lot!, empty);
  const id = ids.find(q.canonical!);
  if (id === undefined) {
    // A serial no package-level data names: fall back to its lot's data, said plainly.
    if (q.kind === 'serial' && q.gtin !== undefined && q.lot !== undefined) {
      const lot = lotTrace(db, ids, q.gtin, q.lot, empty);
      if (lot.found) return { ...lot, kind: 'serial', lotLevelOnly: true };
    }
    return empty;
  }
  return serialTrace(db, ids, id, empty);
}

function lotTrace(
  db: Database,
  ids: TraceIds,
  gtin: string,
  lotCode: string,
  empty: TraceResult,
): TraceResult {
  const q = { gtin, lot: lotCode };
  {
    const transactions = (cached(db, SQL.shipmentsForLot).all(q.gtin, q.lot) as RawShipment[]).map(
      shipmentView,
    );
    const serials = cached(db, SQL.serialsOfLot).pluck().get(q.gtin, q.lot) as number;
    const lotId = ids.find(canonicalLgtin(q.gtin!, q.lot!));
    const history = lotId !== undefined ? historyOf(db, lotId, 'lot') : [];
    const fsma = fsmaTrace(db, `(01)${q.gtin}(10)${q.lot}`);
    const glns = [
      ...history.flatMap((h) => [h.location, h.source, h.destination]),
      ...transactions.flatMap((t) => [t.seller, t.buyer, t.shipTo]),
    ];
    return {
      ...empty,
      found: transactions.length > 0 || serials > 0 || history.length > 0,
      product: productOf(db, q.gtin, q.lot),
      transactions,
      history,
      lot: { gtin: q.gtin, lot: q.lot, serials },
      partners: partnersOf(db, glns),
      places: placesOf(db, glns),
      ...(fsma.records.length > 0 ? { fsma } : {}),
    };
  }
}

function serialTrace(db: Database, ids: TraceIds, id: number, empty: TraceResult): TraceResult {
  const stateRow = cached(db, SQL.state).get(id) as
    | {
        state: string;
        disposition: string | null;
        parentId: number | null;
        owner: string | null;
        location: string | null;
        expiry: string | null;
        suspect: number;
        quarantined: number;
      }
    | undefined;
  const windows = cached(db, SQL.containers).all(id) as {
    id: number;
    depth: number;
    fromMs: number;
    toMs: number;
  }[];
  const containers = [...new Map(windows.map((w) => [w.id, w])).values()];
  const history = [
    ...historyOf(db, id, null),
    ...windows.flatMap((c) =>
      historyOf(db, c.id, 'in container').filter((h) => {
        const ms = Date.parse(h.time);
        return h.bizStep !== 'packing' && h.bizStep !== 'unpacking' && ms >= c.fromMs && ms <= c.toMs;
      }),
    ),
  ].sort((a, b) => a.time.localeCompare(b.time) || a.id - b.id);
  const rows = cached(db, SQL.contents).all(id) as {
    id: number;
    parent: number;
    depth: number;
    state: string;
    kind: string;
    gtin: string | null;
    lot: string | null;
  }[];
  const truncated = rows.length > 10_000;
  const nodes = new Map<number, ContentNode>();
  const roots: ContentNode[] = [];
  const kept = rows.slice(0, 10_000);
  for (const r of kept) {
    const p = r.gtin !== null ? productOf(db, r.gtin, null) : null;
    nodes.set(r.id, {
      identifier: ids.open(r.id),
      kind: r.kind,
      gtin: r.gtin,
      product: p !== null ? [p.name, p.strength, p.dosageForm].filter(Boolean).join(' ') || null : null,
      ndc: p?.ndc ?? null,
      lot: r.lot,
      state: r.state,
      children: [],
    });
  }
  for (const r of kept)
    (r.parent === id ? roots : (nodes.get(r.parent)?.children ?? roots)).push(nodes.get(r.id)!);

  const transactions = [id, ...containers.map((c) => c.id)].flatMap((x) =>
    (cached(db, SQL.shipmentsFor).all(x) as RawShipment[]).map(shipmentView),
  );
  const idRow = cached(db, 'SELECT gtin, lot FROM trace_ids WHERE id = ?').get(id) as {
    gtin: string | null;
    lot: string | null;
  };
  const glns = [
    ...history.flatMap((h) => [h.location, h.source, h.destination]),
    ...transactions.flatMap((t) => [t.seller, t.buyer, t.shipTo]),
  ];
  const identifier = ids.open(id);
  return {
    ...empty,
    identifier,
    serial: parseTraceId(identifier).serial ?? null,
    places: placesOf(db, [...glns, stateRow?.owner ?? null, stateRow?.location ?? null]),
    found: true,
    state:
      stateRow === undefined
        ? null
        : {
            state: stateRow.state,
            disposition: stateRow.disposition,
            owner: stateRow.owner,
            location: stateRow.location,
            expiry: stateRow.expiry,
            suspect: stateRow.suspect === 1,
            quarantined: stateRow.quarantined === 1,
          },
    product: idRow.gtin !== null ? productOf(db, idRow.gtin, idRow.lot) : null,
    history,
    containers: containers.map((c) => ids.open(c.id)),
    contents: roots,
    contentsTruncated: truncated,
    transactions: dedupe(transactions),
    partners: partnersOf(db, glns),
  };
}

interface RawShipment {
  id: number;
  seller: string | null;
  sellerName: string | null;
  buyer: string | null;
  shipTo: string | null;
  shipToName: string | null;
  transactionDate: string | null;
  shipDate: string | null;
  reference: string | null;
  statement: number;
  statementText: string | null;
  status: string;
}

function shipmentView(s: RawShipment): TraceResult['transactions'][number] {
  return { ...s, statement: s.statement === 1 };
}

function dedupe<T extends { id: number }>(list: T[]): T[] {
  const seen = new Set<number>();
  return list.filter((x) => !seen.has(x.id) && seen.add(x.id));
}

function historyOf(db: Database, id: number, via: string | null): HistoryEvent[] {
  return (
    cached(db, SQL.history).all(id) as (Omit<HistoryEvent, 'time' | 'pending'> & {
      timeMs: number;
      pending: number;
    })[]
  ).map(({ timeMs, pending, ...h }) => ({
    ...h,
    time: new Date(timeMs).toISOString(),
    role: via ?? h.role,
    pending: pending === 1,
  }));
}

/**
 * The GLN a party or location value carries: a bare GLN, a Digital Link (…/414/GLN or …/417/GLN,
 * the canonical form the records keep) or an EPC URN (urn:epc:id:sgln:/pgln:, company prefix and
 * reference, check digit computed).
 */
export function glnOf(value: string | null): string | null {
  if (value === null) return null;
  if (/^\d{13}$/.test(value)) return value;
  const dl = /\/(?:414|417)\/(\d{13})(?:\/|$)/.exec(value);
  if (dl !== null) return dl[1]!;
  const urn = /^urn:epc:id:[sp]gln:(\d+)\.(\d*)(?:\.|$)/.exec(value);
  if (urn !== null && urn[1]!.length + urn[2]!.length === 12) {
    const digits = urn[1]! + urn[2]!;
    const sum = [...digits].reduce((a, d, i) => a + Number(d) * (i % 2 === 0 ? 1 : 3), 0);
    return digits + String((10 - (sum % 10)) % 10);
  }
  return null;
}

/** Each party or location value once, with its GLN and the saved partner's name for it. */
function placesOf(db: Database, values: (string | null)[]): TraceResult['places'] {
  const stmt = cached(db, SQL.partner);
  return [...new Set(values.filter((v): v is string => v !== null))].map((value) => {
    const gln = glnOf(value);
    const p = gln !== null ? (stmt.get(gln) as { name: string } | undefined) : undefined;
    return { value, gln, name: p?.name ?? null };
  });
}

function partnersOf(db: Database, values: (string | null)[]): TraceResult['partners'] {
  const stmt = cached(db, SQL.partner);
  const glns = values.map(glnOf);
  return [...new Set(glns.filter((g): g is string => g !== null))].map((gln) => {
    const p = stmt.get(gln) as { name: string; role: string; authorized: number } | undefined;
    return {
      gln,
      name: p?.name ?? null,
      role: p?.role ?? null,
      authorized: p === undefined ? null : p.authorized === 1,
    };
  });
}

/** FSMA 204 lot trace: the records of a TLC per CTE, and one step back and forward (21 CFR 1.1455(c)). */
export function fsmaTrace(db: Database, tlc: string): NonNullable<TraceResult['fsma']> {
  const records = (cached(db, SQL.fsmaByTlc).all(tlc) as (Omit<FsmaView, 'kdes'> & { kdes: string })[]).map(
    (r) => ({
      ...r,
      kdes: JSON.parse(r.kdes) as Record<string, string>,
    }),
  );
  const back = new Set<string>();
  const forward = new Set<string>();
  for (const r of records) {
    if (r.cte === 'transformation')
      for (const i of cached(db, SQL.fsmaInputsOf).pluck().all(r.id) as string[])
        back.add(`lot ${i} (transformed into this lot)`);
    if (r.cte === 'receiving' && r.fromName !== null)
      back.add(`received from ${r.fromName}${r.date !== null ? ` on ${r.date}` : ''}`);
    if (r.cte === 'shipping' && r.toName !== null)
      forward.add(`shipped to ${r.toName}${r.date !== null ? ` on ${r.date}` : ''}`);
  }
  for (const out of cached(db, SQL.fsmaOutputsFrom).pluck().all(tlc) as string[])
    forward.add(`lot ${out} (made from this lot)`);
  return { records, back: [...back], forward: [...forward] };
}

/** The history as CSV for export (one row per event). */
export function traceCsv(result: TraceResult): string {
  const cells = (v: unknown) => `"${String(v ?? '').replace(/"/g, '""')}"`;
  const header = [
    'time',
    'event',
    'business step',
    'disposition',
    'action',
    'location',
    'from',
    'to',
    'role',
    'file',
    'ledger record',
    'error declared',
  ];
  const rows = result.history.map((h) => [
    h.time,
    h.type,
    h.bizStep,
    h.disposition,
    h.action,
    h.location,
    h.source,
    h.destination,
    h.role,
    h.file,
    h.ledgerSeq,
    h.declaredError,
  ]);
  return [header, ...rows].map((r) => r.map(cells).join(',')).join('\r\n') + '\r\n';
}
