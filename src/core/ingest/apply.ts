import type { Database, Statement } from 'better-sqlite3-multiple-ciphers';
import { canonicalId } from '../epcis/identifier-form';
import type { EpcisEvent } from '../epcis/model';
import { gtinToNdcCandidates } from '../identifiers';
import { canonicalize } from '../ledger/jcs';
import type { WriteTx } from '../ledger/workspace';
import { openQuarantineItem } from '../quarantine';
import { readRegistrant } from '../registrant/registrant';
import { shippingFindings, transactionFindings, type DscsaContext } from '../rules/dscsa';
import { finding, type RuleFinding } from '../model/findings';
import { evaluateEvent, type LifecycleEvent, type TraceRef, type Verdict } from '../rules/lifecycle';
import { TraceIds } from '../trace/ids';
import { canonicalLgtin, canonicalSgtin, canonicalSscc, parseTraceId } from '../model/trace-id';
import { SerialStateStore } from '../trace/state';
import type { DscsaTransaction, FsmaRecord, IngestHeader, IngestRecord } from '../model/records';
import { bizTransactionRef, cbvTerm, glnOf, ilmdValue, isDrugGtin, partyOf } from '../model/vocabulary';

export const INGEST_ENTRY = {
  file: 'ingest.file',
  event: 'ingest.event',
  errorDeclaration: 'ingest.error-declaration',
  transaction: 'ingest.transaction',
  fsma: 'ingest.fsma-record',
  pendingResolved: 'ingest.pending-resolved',
  cancelled: 'ingest.cancelled',
} as const;

export interface FileMeta {
  readonly hash: Buffer;
  readonly name: string;
  readonly format: string;
  readonly size: number;
  readonly partnerId?: number;
  readonly source: string;
}

export interface ApplySummary {
  readonly fileId: number;
  readonly records: number;
  readonly imported: number;
  readonly duplicates: number;
  readonly pending: number;
  /** Events of earlier files that were waiting and are now applied or rejected. */
  readonly resolved: number;
}

/** Thrown inside the transaction so that nothing of a file with a rejected record is kept. */
export class RejectedFile extends Error {
  constructor(readonly findings: RuleFinding[]) {
    super(`${findings.length} record(s) of the file were rejected`);
    this.name = 'RejectedFile';
  }
}

function hashBytes(hash: string): Buffer {
  const m = /([0-9a-f]{64})/.exec(hash);
  if (m === null) throw new Error('record hash is not a sha-256 hex digest');
  return Buffer.from(m[1]!, 'hex');
}

/**
 * The checking half of an import, inside its ONE ledger write transaction, fed each record as it is
 * read: rules against the ledger's current state, a ledger entry per accepted record, and the
 * projections (events, serial state, aggregation graph, shipments, FSMA records). If any record is
 * rejected, finish() throws RejectedFile after every record was checked, so the caller can roll back
 * and quarantine the file with all its reasons.
 */
export class FileApplier {
  private readonly db: Database;
  private readonly ids: TraceIds;
  private readonly state: SerialStateStore;
  private readonly st: Record<string, Statement>;
  private findings: RuleFinding[] = [];
  /** Whether any serial changed, so waiting events may now apply (a flag, not a set: 1M ids would not fit the budget). */
  private touched = false;
  private readonly dscsa: DscsaContext;
  private readonly fileHex: string;
  private readonly hasDrugMasterData: boolean;
  private readonly hasProductsTable: boolean;
  private fileId = 0;
  private imported = 0;
  private duplicates = 0;
  private pending = 0;
  private resolved = 0;
  private records = 0;

  constructor(
    private readonly writer: WriteTx,
    private readonly sealer: ConstructorParameters<typeof TraceIds>[1],
    private readonly meta: FileMeta,
    private readonly header: IngestHeader,
    private readonly actor: string,
    private readonly now: number,
    /** Rebuilding projections from the ledger (trace/rebuild.ts): quarantine rows are not recreated. */
    private readonly replay = false,
  ) {
    this.db = writer.db;
    this.ids = new TraceIds(this.db, sealer);
    this.state = new SerialStateStore(this.db);
    this.fileHex = meta.hash.toString('hex');
    const p = (sql: string) => this.db.prepare(sql);
    this.st = {
      eventByHash: p('SELECT id FROM trace_events WHERE event_hash = ?').pluck(),
      // A new event's row, or nothing when its hash is known: one probe of the hash index, not two.
      insertEvent: p(
        `INSERT INTO trace_events (event_hash, file_id, file_index, ledger_seq, event_type, event_time_ms, action, biz_step, disposition, biz_location, source_party, dest_party)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (event_hash) DO NOTHING`,
      ),
      insertEventId: p('INSERT OR IGNORE INTO trace_event_ids (trace_id, event_id, role) VALUES (?, ?, ?)'),
      insertPending: p('INSERT INTO pending_events (event_id, reason, since_ms) VALUES (?, ?, ?)'),
      insertWait: p('INSERT OR IGNORE INTO pending_waits (trace_id, event_id) VALUES (?, ?)'),
      deletePending: p('DELETE FROM pending_events WHERE event_id = ?'),
      deleteWaits: p('DELETE FROM pending_waits WHERE event_id = ?'),
      product: p('SELECT 1 FROM trace_products WHERE gtin = ?').pluck(),
      upsertProduct: p(
        `INSERT INTO trace_products (gtin, ndc, name, strength, dosage_form, container, manufacturer, ledger_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (gtin) DO UPDATE SET ndc = coalesce(excluded.ndc, ndc), name = coalesce(excluded.name, name), strength = coalesce(excluded.strength, strength),
           dosage_form = coalesce(excluded.dosage_form, dosage_form), container = coalesce(excluded.container, container),
           manufacturer = coalesce(excluded.manufacturer, manufacturer), ledger_seq = excluded.ledger_seq`,
      ),
      productInfo: p(
        'SELECT ndc, name, strength, dosage_form AS dosageForm, container FROM trace_products WHERE gtin = ?',
      ),
      shipmentByHash: p('SELECT id FROM shipments WHERE record_hash = ?').pluck(),
      insertShipment: p(
        `INSERT INTO shipments (file_id, event_id, record_hash, ledger_seq, seller, seller_name, buyer, ship_from, ship_to, ship_to_name, transaction_date, ship_date, reference, statement, statement_text)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      insertItem: p(
        `INSERT INTO shipment_items (shipment_id, trace_id, gtin, ndc, product_name, strength, dosage_form, container_size, lot, expiry, quantity)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      traceGtinLot: p('SELECT gtin, lot FROM trace_ids WHERE id = ?'),
      expiryOf: p('SELECT expiry FROM serial_state WHERE trace_id = ?').pluck(),
      fsmaByHash: p('SELECT id FROM fsma_records WHERE record_hash = ?').pluck(),
      insertFsma: p(
        `INSERT INTO fsma_records (file_id, ledger_seq, record_hash, cte, tlc, event_date, product, quantity, from_name, to_name, kdes)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      insertFsmaInput: p('INSERT OR IGNORE INTO fsma_inputs (record_id, input_tlc) VALUES (?, ?)'),
      descendantDrug: p(`
        WITH RECURSIVE below(id) AS (
          SELECT trace_id FROM serial_state WHERE parent_id = ?
          UNION ALL SELECT s.trace_id FROM serial_state s JOIN below b ON s.parent_id = b.id
        )
        SELECT 1 FROM trace_ids WHERE id IN (SELECT id FROM below) AND substr(gtin, 2, 2) = '03' LIMIT 1`).pluck(),
    };
    this.dscsa = loadDscsaContext(this.db, header);
    this.hasDrugMasterData = header.products.some((p) => p.ndc !== undefined);
    this.hasProductsTable =
      this.db
        .prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'products'")
        .pluck()
        .get() !== undefined;
  }

  begin(): void {
    const h = this.header;
    const [seq] = this.writer.append([
      {
        time: this.now,
        type: INGEST_ENTRY.file,
        actor: this.actor,
        payload: {
          file: this.fileHex,
          name: this.meta.name,
          format: this.meta.format,
          size: this.meta.size,
          source: this.meta.source,
          partner: this.meta.partnerId ?? null,
          header: {
            ...(h.sbdh !== undefined ? { sbdh: h.sbdh } : {}),
            ...(h.sender !== undefined ? { sender: h.sender } : {}),
            ...(h.receiver !== undefined ? { receiver: h.receiver } : {}),
            ...(h.statement !== undefined ? { statement: h.statement } : {}),
            products: h.products,
            locations: h.locations,
            notes: h.notes,
          },
        },
      },
    ]);
    const result = this.db
      .prepare(
        `INSERT INTO ingest_files (file_hash, name, format, partner_id, size, ledger_seq, records, imported, duplicates, pending, header, imported_ms)
         VALUES (?, ?, ?, ?, ?, ?, 0, 0, 0, 0, ?, ?)`,
      )
      .run(
        this.meta.hash,
        this.meta.name,
        this.meta.format,
        this.meta.partnerId ?? null,
        this.meta.size,
        seq!,
        canonicalize({ statement: h.statement ?? null, sbdh: h.sbdh ?? null, notes: h.notes }),
        this.now,
      );
    this.fileId = Number(result.lastInsertRowid);
    for (const p of h.products) {
      const gtin = parseTraceId(canonicalId(p.epcClass).value).gtin;
      if (gtin === undefined) continue;
      this.st.upsertProduct!.run(
        gtin,
        p.ndc ?? null,
        p.regulatedProductName ?? null,
        p.strengthDescription ?? null,
        p.dosageFormType ?? null,
        p.netContentDescription ?? null,
        p.manufacturerOfTradeItemPartyName ?? null,
        seq!,
      );
    }
  }

  /** Findings of the reader (unreadable or malformed records) join the rule findings, first. */
  addFindings(findings: readonly RuleFinding[]): void {
    if (findings.length > 0) this.findings = [...findings, ...this.findings];
  }

  record(record: IngestRecord): void {
    this.records++;
    switch (record.kind) {
      case 'epcis-event':
        this.event(record.event, record.index, record.position, record.hash);
        break;
      case 'dscsa-transaction':
        this.transaction(record.transaction, record.index, record.position, record.hash);
        break;
      case 'fsma-record':
        this.fsma(record.record, record.index, record.hash);
        break;
    }
  }

  finish(): ApplySummary {
    if (this.findings.length > 0) throw new RejectedFile(this.findings);
    this.resolvePending();
    this.db
      .prepare('UPDATE ingest_files SET records = ?, imported = ?, duplicates = ?, pending = ? WHERE id = ?')
      .run(this.records, this.imported, this.duplicates, this.pending, this.fileId);
    return {
      fileId: this.fileId,
      records: this.records,
      imported: this.imported,
      duplicates: this.duplicates,
      pending: this.pending,
      resolved: this.resolved,
    };
  }

  /* ---------------- EPCIS events ---------------- */

  private event(event: EpcisEvent, index: number, position: string, hash: string): void {
    const hashBuf = hashBytes(hash);
    const le = this.lifecycleEvent(event, index, position);
    // The row goes in first, under the seq its ledger entry will get: a known hash inserts nothing.
    // A row of an event the rules then reject stays only until the file rolls back.
    const seq = this.writer.peekSeq();
    const eventId = this.insertEventRow(event, index, hashBuf, seq, le);
    if (eventId === undefined) {
      const existing = this.st.eventByHash!.get(hashBuf) as number;
      if (event.errorDeclaration !== undefined) this.declareError(existing, event, hash);
      else this.duplicates++;
      return;
    }
    const verdict: Verdict =
      event.errorDeclaration !== undefined
        ? { outcome: 'accept', findings: [], waits: [], effects: [] }
        : evaluateEvent(le, this.state);
    const extra = this.dscsaFindings(event, le, index, position);
    if (verdict.outcome === 'reject' || extra.length > 0) {
      this.findings.push(...verdict.findings, ...extra);
      return;
    }
    this.writer.appendLater({
      time: this.now,
      type: INGEST_ENTRY.event,
      actor: this.actor,
      payload: { file: this.fileHex, index, hash, event },
    });
    this.insertEventIds(event, eventId, le);
    if (event.errorDeclaration !== undefined) {
      // A declaration whose original has not arrived: kept, and it marks itself (EPCIS 2.0 §7.4.1.2).
      this.db
        .prepare(
          'INSERT OR IGNORE INTO trace_event_errors (event_id, declared_by, reason, ledger_seq) VALUES (?, ?, ?, ?)',
        )
        .run(eventId, eventId, event.errorDeclaration.reason ?? null, seq);
      this.imported++;
      return;
    }
    if (verdict.outcome === 'pending') {
      this.st.insertPending!.run(eventId, verdict.waits.map((w) => w.why).join('; '), this.now);
      for (const w of verdict.waits) this.st.insertWait!.run(w.id, eventId);
      this.pending++;
      return;
    }
    this.applyAccepted(event, le, verdict, eventId, seq);
    this.imported++;
  }

  private applyAccepted(
    event: EpcisEvent,
    le: LifecycleEvent,
    verdict: Verdict,
    eventId: number,
    seq: number,
    replay = false,
  ): void {
    const lot = ilmdValue(event, 'lotNumber');
    const expiry = ilmdValue(event, 'itemExpirationDate');
    const owner = glnOf(partyOf(event, 'destination', 'owning_party'));
    const location = glnOf(event.bizLocation?.id) ?? glnOf(partyOf(event, 'destination', 'location'));
    const touched = this.state.apply(verdict.effects, {
      eventId,
      timeMs: le.timeMs,
      ...(event.disposition !== undefined ? { disposition: cbvTerm(event.disposition)! } : {}),
      ...(owner !== undefined ? { owner } : {}),
      ...(location !== undefined ? { location } : {}),
      ...(lot !== undefined ? { lot } : {}),
      ...(expiry !== undefined ? { expiry } : {}),
      lotWritten: this.ids.insertedWithLot,
    });
    if (touched.length > 0) this.touched = true;
    if (!replay && cbvTerm(event.bizStep) === 'shipping' && event.destinationList !== undefined)
      this.shipmentFromEvent(event, le, eventId, seq);
  }

  /** The event's row id, or undefined when an event with this hash is already recorded. */
  private insertEventRow(
    event: EpcisEvent,
    index: number,
    hash: Buffer,
    seq: number,
    le: LifecycleEvent,
  ): number | undefined {
    const result = this.st.insertEvent!.run(
      hash,
      this.fileId,
      index,
      seq,
      event.type,
      le.timeMs,
      event.action ?? null,
      cbvTerm(event.bizStep) ?? null,
      cbvTerm(event.disposition) ?? null,
      glnOf(event.bizLocation?.id) ?? event.bizLocation?.id ?? null,
      glnOf(partyOf(event, 'source', 'owning_party')) ?? null,
      glnOf(partyOf(event, 'destination', 'owning_party')) ?? null,
    );
    return result.changes === 0 ? undefined : Number(result.lastInsertRowid);
  }

  private insertEventIds(event: EpcisEvent, id: number, le: LifecycleEvent): void {
    const role = (refs: readonly TraceRef[], name: string) => {
      for (const r of refs) this.st.insertEventId!.run(r.id, id, name);
    };
    role(le.epcs, 'epc');
    if (le.parent !== undefined) role([le.parent], 'parent');
    role(le.children, 'child');
    role(le.inputs, 'input');
    role(le.outputs, 'output');
    for (const [list, name] of [
      [event.quantityList, 'quantity'],
      [event.childQuantityList, 'child'],
      [event.inputQuantityList, 'input'],
      [event.outputQuantityList, 'output'],
    ] as const) {
      for (const q of list ?? []) this.st.insertEventId!.run(this.ids.ensure(q.epcClass), id, name);
    }
  }

  lifecycleEvent(event: EpcisEvent, index: number, position: string): LifecycleEvent {
    this.ids.startEvent();
    // A commissioning names the lot of the serials it creates: their rows are written with it.
    const commissioning = event.type === 'ObjectEvent' && event.action === 'ADD';
    const lot = commissioning ? ilmdValue(event, 'lotNumber') : undefined;
    const refs = (list: readonly string[] | undefined, field: string, withLot?: string): TraceRef[] =>
      (list ?? []).map((uri, i) => this.ref(uri, `${field}/${i}`, withLot, commissioning));
    return {
      index,
      position,
      type: event.type,
      ...(event.action !== undefined ? { action: event.action } : {}),
      ...(event.bizStep !== undefined ? { bizStep: cbvTerm(event.bizStep)! } : {}),
      ...(event.disposition !== undefined ? { disposition: cbvTerm(event.disposition)! } : {}),
      timeMs: Date.parse(event.eventTime),
      epcs: refs(event.epcList, 'epcList', lot),
      ...(event.parentID !== undefined ? { parent: this.ref(event.parentID, 'parentID') } : {}),
      children: refs(event.childEPCs, 'childEPCs'),
      inputs: refs(event.inputEPCList, 'inputEPCList'),
      outputs: refs(event.outputEPCList, 'outputEPCList'),
    };
  }

  private ref(uri: string, field: string, lot?: string, likelyNew = false): TraceRef {
    const parsed = parseTraceId(uri);
    return {
      id: this.ids.ensure(uri, lot, likelyNew),
      kind: parsed.kind,
      field,
      ...(parsed.gtin !== undefined ? { gtin: parsed.gtin } : {}),
    };
  }

  private dscsaFindings(
    event: EpcisEvent,
    le: LifecycleEvent,
    index: number,
    position: string,
  ): RuleFinding[] {
    const out: RuleFinding[] = [];
    const drugRefs = le.epcs.filter((r) => isDrugGtin(r.gtin));
    if (event.type === 'ObjectEvent' && event.action === 'ADD') {
      const reported = new Set<string>();
      for (const r of drugRefs) {
        if (reported.has(r.gtin!) || this.knownProduct(r.gtin!)) continue;
        reported.add(r.gtin!);
        out.push(
          finding(
            'dscsa-product-master-data',
            `GTIN ${r.gtin} (a drug) has no product master data: neither the file's EPCClass vocabulary nor the product list names it. Add the product (NDC, name, strength, dosage form), then reprocess.`,
            index,
            { position, field: r.field },
          ),
        );
      }
    }
    if (cbvTerm(event.bizStep) === 'shipping') {
      const drug =
        drugRefs.length > 0 ||
        this.hasDrugMasterData ||
        le.epcs.some((r) => r.kind === 'sscc' && this.st.descendantDrug!.get(r.id) !== undefined);
      out.push(...shippingFindings(event, index, position, drug, this.dscsa));
    }
    return out;
  }

  private readonly known = new Map<string, boolean>();

  /** Product master data for a GTIN: from partner files, or issue 6's product list by NDC. */
  private knownProduct(gtin: string): boolean {
    const cached = this.known.get(gtin);
    if (cached !== undefined) return cached;
    let known = this.st.product!.get(gtin) !== undefined;
    if (!known && this.hasProductsTable) {
      const candidates = gtinToNdcCandidates(gtin);
      const stmt = this.db.prepare('SELECT 1 FROM products WHERE ndc = ? LIMIT 1').pluck();
      known = candidates.ok && candidates.value.some((c) => stmt.get(c.ndc10) !== undefined);
    }
    this.known.set(gtin, known);
    return known;
  }

  private shipmentFromEvent(event: EpcisEvent, le: LifecycleEvent, eventId: number, seq: number): void {
    const loc = (id: string | undefined) =>
      this.header.locations.find((l) => l.id === id || canonicalId(l.id).value === id);
    const shipTo = partyOf(event, 'destination', 'location');
    const seller = partyOf(event, 'source', 'owning_party');
    const date = event.eventTime.slice(0, 10);
    const shipmentId = Number(
      this.st.insertShipment!.run(
        this.fileId,
        eventId,
        null,
        seq,
        glnOf(seller) ?? seller ?? null,
        loc(seller)?.name ?? null,
        glnOf(partyOf(event, 'destination', 'owning_party')) ?? null,
        glnOf(partyOf(event, 'source', 'location')) ?? null,
        glnOf(shipTo) ?? shipTo ?? null,
        loc(shipTo)?.name ?? null,
        date,
        date,
        bizTransactionRef(event) ?? null,
        this.header.statement?.affirmed === true ? 1 : 0,
        this.header.statement?.text ?? null,
      ).lastInsertRowid,
    );
    for (const r of le.epcs) {
      const row = this.st.traceGtinLot!.get(r.id) as { gtin: string | null; lot: string | null };
      const info =
        row.gtin !== null ? (this.st.productInfo!.get(row.gtin) as ProductInfo | undefined) : undefined;
      const expiry = (this.st.expiryOf!.get(r.id) as string | null | undefined) ?? null;
      this.insertItem(shipmentId, r.id, row.gtin, info, row.lot, expiry, 1);
    }
    for (const q of event.quantityList ?? []) {
      const parsed = parseTraceId(q.epcClass);
      const info =
        parsed.gtin !== undefined
          ? (this.st.productInfo!.get(parsed.gtin) as ProductInfo | undefined)
          : undefined;
      this.insertItem(
        shipmentId,
        this.ids.ensure(q.epcClass),
        parsed.gtin ?? null,
        info,
        parsed.lot ?? null,
        null,
        Math.round(q.quantity ?? 0),
      );
    }
  }

  private insertItem(
    shipmentId: number,
    traceId: number | null,
    gtin: string | null,
    info: ProductInfo | undefined,
    lot: string | null,
    expiry: string | null,
    quantity: number,
  ): void {
    this.st.insertItem!.run(
      shipmentId,
      traceId,
      gtin,
      info?.ndc ?? null,
      info?.name ?? null,
      info?.strength ?? null,
      info?.dosageForm ?? null,
      info?.container ?? null,
      lot,
      expiry,
      quantity,
    );
  }

  private declareError(originalId: number, event: EpcisEvent, hash: string): void {
    const already = this.db
      .prepare('SELECT 1 FROM trace_event_errors WHERE event_id = ?')
      .pluck()
      .get(originalId);
    if (already !== undefined) {
      this.duplicates++;
      return;
    }
    const [seq] = this.writer.append([
      {
        time: this.now,
        type: INGEST_ENTRY.errorDeclaration,
        actor: this.actor,
        payload: { file: this.fileHex, hash, declaration: event.errorDeclaration },
      },
    ]);
    this.db
      .prepare(
        'INSERT INTO trace_event_errors (event_id, declared_by, reason, ledger_seq) VALUES (?, ?, ?, ?)',
      )
      .run(originalId, originalId, event.errorDeclaration?.reason ?? null, seq!);
    this.replaySerialsOf(originalId);
    this.imported++;
  }

  /**
   * After an error declaration, the serials the declared event touched get their state recomputed
   * from their remaining events in time order, so the projection reads as if it never happened.
   */
  private replaySerialsOf(eventId: number): void {
    this.writer.flush();
    const ids = this.db
      .prepare(
        "SELECT DISTINCT trace_id FROM trace_event_ids WHERE event_id = ? AND role IN ('epc', 'parent', 'child', 'input', 'output')",
      )
      .pluck()
      .all(eventId) as number[];
    const del = this.db.prepare('DELETE FROM serial_state WHERE trace_id = ?');
    const delEdges = this.db.prepare('DELETE FROM aggregation_edges WHERE child_id = ? OR parent_id = ?');
    for (const id of ids) {
      del.run(id);
      delEdges.run(id, id);
    }
    const events = this.db
      .prepare(
        `SELECT DISTINCT e.id, e.ledger_seq AS seq, e.event_time_ms FROM trace_event_ids x JOIN trace_events e ON e.id = x.event_id
         WHERE x.trace_id IN (SELECT value FROM json_each(?)) AND e.id NOT IN (SELECT event_id FROM trace_event_errors)
           AND e.id NOT IN (SELECT event_id FROM pending_events)
         ORDER BY e.event_time_ms, e.id`,
      )
      .all(JSON.stringify(ids)) as { id: number; seq: number }[];
    for (const row of events) {
      const event = loadLedgerEvent(this.db, row.seq);
      const le = this.lifecycleEvent(event, 0, '');
      const verdict = evaluateEvent(le, this.state);
      if (verdict.outcome === 'accept') this.applyAccepted(event, le, verdict, row.id, row.seq, true);
    }
  }

  /* ---------------- pending (out-of-order) events ---------------- */

  private resolvePending(): void {
    if (!this.touched) return;
    const count = this.db.prepare('SELECT count(*) FROM pending_events').pluck().get() as number;
    if (count === 0) return;
    this.writer.flush();
    for (let round = 0; round < 100; round++) {
      const rows = this.db
        .prepare(
          `SELECT p.event_id AS id, e.ledger_seq AS seq, e.file_id AS fileId, e.file_index AS fileIndex, e.event_hash AS hash
           FROM pending_events p JOIN trace_events e ON e.id = p.event_id ORDER BY e.event_time_ms, e.id`,
        )
        .all() as { id: number; seq: number; fileId: number; fileIndex: number; hash: Buffer }[];
      let progress = false;
      for (const row of rows) {
        const event = loadLedgerEvent(this.db, row.seq);
        const le = this.lifecycleEvent(event, row.fileIndex, `event ${row.fileIndex}`);
        const verdict = evaluateEvent(le, this.state);
        if (verdict.outcome === 'pending') continue;
        progress = true;
        this.st.deletePending!.run(row.id);
        this.st.deleteWaits!.run(row.id);
        const hash = `ni:///sha-256;${row.hash.toString('hex')}?ver=CBV2.0`;
        if (verdict.outcome === 'accept') {
          this.writer.append([
            {
              time: this.now,
              type: INGEST_ENTRY.pendingResolved,
              actor: 'system',
              payload: { hash, outcome: 'applied' },
            },
          ]);
          this.applyAccepted(event, le, verdict, row.id, row.seq);
          if (row.fileId === this.fileId) {
            this.pending--;
            this.imported++;
          } else this.resolved++;
        } else {
          this.writer.append([
            {
              time: this.now,
              type: INGEST_ENTRY.pendingResolved,
              actor: 'system',
              payload: { hash, outcome: 'rejected', reasons: verdict.findings },
            },
          ]);
          this.db
            .prepare(
              'INSERT OR IGNORE INTO trace_event_errors (event_id, declared_by, reason, ledger_seq) VALUES (?, ?, ?, ?)',
            )
            .run(row.id, row.id, 'rejected after waiting', row.seq);
          const file = this.db
            .prepare('SELECT name, format FROM ingest_files WHERE id = ?')
            .get(row.fileId) as { name: string; format: string } | undefined;
          if (this.replay) (this.writer as WriteTx & { skip(type: string): void }).skip('quarantine.opened');
          else
            openQuarantineItem(
              this.writer,
              {
                kind: 'event',
                fileHash: row.hash,
                fileName: file?.name ?? 'unknown file',
                format: 'canonical-event',
                source: `pending event ${row.fileIndex} of ${file?.name ?? 'an earlier file'}`,
                records: 1,
                reasons: verdict.findings,
                // The event as the ledger holds it (canonical model): its file was imported.
                raw: [Buffer.from(JSON.stringify(event))],
              },
              'system',
              this.now,
            );
          if (row.fileId === this.fileId) this.pending--;
          this.resolved++;
        }
      }
      if (!progress) return;
    }
  }

  /* ---------------- DSCSA transactions (X12 856, T3 sheets) ---------------- */

  private transaction(t: DscsaTransaction, index: number, position: string, hash: string): void {
    const hashBuf = hashBytes(hash);
    if (this.st.shipmentByHash!.get(hashBuf) !== undefined) {
      this.duplicates++;
      return;
    }
    const found = transactionFindings(t, index, position, this.dscsa);
    if (found.length > 0) {
      this.findings.push(...found);
      return;
    }
    const [seq] = this.writer.append([
      {
        time: this.now,
        type: INGEST_ENTRY.transaction,
        actor: this.actor,
        payload: { file: this.fileHex, index, hash, transaction: t },
      },
    ]);
    const shipmentId = Number(
      this.st.insertShipment!.run(
        this.fileId,
        null,
        hashBuf,
        seq!,
        t.seller.gln ?? t.seller.name ?? null,
        t.seller.name ?? null,
        t.buyer.gln ?? t.buyer.name ?? null,
        t.shipFrom?.gln ?? null,
        t.shipTo?.gln ?? t.buyer.gln ?? null,
        t.shipTo?.name ?? t.buyer.name ?? null,
        t.transactionDate ?? null,
        t.shipDate ?? null,
        t.reference,
        t.statement.affirmed ? 1 : 0,
        t.statement.text ?? null,
      ).lastInsertRowid,
    );
    for (const line of t.lines) {
      const info: ProductInfo = {
        ndc: line.ndc ?? null,
        name: line.name ?? null,
        strength: line.strength ?? null,
        dosageForm: line.dosageForm ?? null,
        container: line.containerSize ?? null,
      };
      if (line.gtin !== undefined) {
        this.st.upsertProduct!.run(
          line.gtin,
          info.ndc,
          info.name,
          info.strength,
          info.dosageForm,
          info.container,
          null,
          seq!,
        );
      }
      const lot = line.lot ?? null;
      const expiry = line.expiry ?? null;
      if (line.serials !== undefined && line.serials.length > 0 && line.gtin !== undefined) {
        for (const serial of line.serials) {
          this.insertItem(
            shipmentId,
            this.ids.ensure(canonicalSgtin(line.gtin, serial), line.lot),
            line.gtin,
            info,
            lot,
            expiry,
            1,
          );
        }
      } else if (line.sscc !== undefined) {
        this.insertItem(
          shipmentId,
          this.ids.ensure(canonicalSscc(line.sscc)),
          line.gtin ?? null,
          info,
          lot,
          expiry,
          line.quantity,
        );
      } else {
        const traceId =
          line.gtin !== undefined && line.lot !== undefined
            ? this.ids.ensure(canonicalLgtin(line.gtin, line.lot))
            : null;
        this.insertItem(shipmentId, traceId, line.gtin ?? null, info, lot, expiry, line.quantity);
      }
    }
    this.imported++;
  }

  /* ---------------- FSMA 204 KDE records ---------------- */

  private fsma(record: FsmaRecord, index: number, hash: string): void {
    const hashBuf = hashBytes(hash);
    if (this.st.fsmaByHash!.get(hashBuf) !== undefined) {
      this.duplicates++;
      return;
    }
    const [seq] = this.writer.append([
      {
        time: this.now,
        type: INGEST_ENTRY.fsma,
        actor: this.actor,
        payload: { file: this.fileHex, index, hash, record },
      },
    ]);
    const k = record.kdes;
    const from =
      k['shipFrom.businessName'] ?? k['previousSource.businessName'] ?? k['farm.businessName'] ?? null;
    const to = k['recipient.businessName'] ?? k['receivedAt.businessName'] ?? null;
    const id = Number(
      this.st.insertFsma!.run(
        this.fileId,
        seq!,
        hashBuf,
        record.cte,
        k.tlc ?? '',
        k.date ?? null,
        k['product.name'] ?? k.product ?? k.commodity ?? null,
        k.quantity !== undefined ? `${k.quantity} ${k.quantityUnit ?? ''}`.trim() : null,
        from,
        to,
        canonicalize(k),
      ).lastInsertRowid,
    );
    for (const input of record.inputs ?? [])
      if (input.tlc !== undefined) this.st.insertFsmaInput!.run(id, input.tlc);
    this.imported++;
  }
}

interface ProductInfo {
  ndc: string | null;
  name: string | null;
  strength: string | null;
  dosageForm: string | null;
  container: string | null;
}

/** The EPCIS event an ingest.event ledger entry holds (projections are rebuilt from these). */
/** Reads back a stored ledger event; inside an import, after `writer.flush()` (appendLater holds rows). */
export function loadLedgerEvent(db: Database, seq: number): EpcisEvent {
  const leaf = db.prepare('SELECT leaf FROM ledger_leaves WHERE seq = ?').pluck().get(seq) as
    Buffer | undefined;
  if (leaf === undefined) throw new Error(`ledger record ${seq} is missing`);
  return (JSON.parse(leaf.toString('utf8')) as { payload: { event: EpcisEvent } }).payload.event;
}

export function loadDscsaContext(db: Database, header: Pick<IngestHeader, 'statement'>): DscsaContext {
  const rows = db
    .prepare(
      'SELECT g.gln, p.role, p.authorized, p.name FROM trading_partners p LEFT JOIN partner_glns g ON g.partner_id = p.id',
    )
    .all() as { gln: string | null; role: string; authorized: number; name: string }[];
  const ownGlns = new Set<string>();
  const partnerGlns = new Map<string, boolean>();
  const partnerNames = new Map<string, boolean>();
  // The registrant's own GLNs (issue 6's setup) are ours too, as are partners with role "self".
  for (const gln of readRegistrant(db)?.glns ?? []) ownGlns.add(gln);
  for (const r of rows) {
    if (r.role === 'self' && r.gln !== null) ownGlns.add(r.gln);
    if (r.gln !== null) partnerGlns.set(r.gln, r.authorized === 1);
    partnerNames.set(r.name.toLowerCase(), r.authorized === 1);
  }
  return { ownGlns, partnerGlns, partnerNames, statement: header.statement };
}
