import type { Database } from 'better-sqlite3-multiple-ciphers';
import { canonicalId } from '../../epcis/identifier-form';
import type { EpcisEvent } from '../../epcis/model';
import { gtinToNdcCandidates } from '../../identifiers';
import { finding, type RuleFinding } from '../../model/findings';
import { parseTraceId } from '../../model/trace-id';
import { bizTransactionRef, cbvTerm, glnOf, ilmdValue, isDrugGtin, partyOf } from '../../model/vocabulary';
import { openQuarantineItem } from '../../quarantine';
import { shippingFindings, type DscsaContext } from '../../rules/dscsa';
import { evaluateEvent, type LifecycleEvent, type TraceRef, type Verdict } from '../../rules/lifecycle';
import type { TraceIds } from '../../trace/ids';
import type { SerialStateStore } from '../../trace/state';
import { CanonicalText } from '../../ledger/jcs';
import type { WriteTx } from '../../ledger/workspace';
import { hashBytes, INGEST_ENTRY, type FileContext } from './context';
import { EventStore } from './events';
import type { ShipmentStore } from './shipments';

/** Reads back a stored ledger event; inside an import, after `writer.flush()` (appendLater holds rows). */
export function loadLedgerEvent(db: Database, seq: number): EpcisEvent {
  return eventOfLeaf(new EventStore(db).leaf(seq), seq);
}

function eventOfLeaf(leaf: Buffer | undefined, seq: number): EpcisEvent {
  if (leaf === undefined) throw new Error(`ledger record ${seq} is missing`);
  return (JSON.parse(leaf.toString('utf8')) as { payload: { event: EpcisEvent } }).payload.event;
}

/**
 * EPCIS events: the life-cycle rules against the serial state, the DSCSA checks of commissionings
 * and shipments, one ledger entry per accepted event, and the trace projections (event rows, the
 * identifiers each names, serial state, aggregation, shipments from shipping events). Events that
 * wait for a predecessor are kept pending and retried when the file ends; error declarations undo
 * the event they name.
 */
export class EventApplier {
  private readonly events: EventStore;
  /** Whether any serial changed, so waiting events may now apply (a flag, not a set: 1M ids would not fit the budget). */
  private touched = false;
  private readonly hasDrugMasterData: boolean;
  private readonly hasProductsTable: boolean;
  private readonly known = new Map<string, boolean>();

  constructor(
    private readonly file: FileContext,
    private readonly shipments: ShipmentStore,
    private readonly ids: TraceIds,
    private readonly state: SerialStateStore,
    private readonly dscsa: DscsaContext,
  ) {
    this.events = new EventStore(file.db);
    this.hasDrugMasterData = file.header.products.some((p) => p.ndc !== undefined);
    this.hasProductsTable =
      file.db
        .prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'products'")
        .pluck()
        .get() !== undefined;
  }

  private get writer(): WriteTx {
    return this.file.writer;
  }

  record(event: EpcisEvent, index: number, position: string, hash: string, canonicalEvent?: string): void {
    const f = this.file;
    const hashBuf = hashBytes(hash);
    const le = this.lifecycleEvent(event, index, position);
    // The row goes in first, under the seq its ledger entry will get: a known hash inserts nothing.
    // A row of an event the rules then reject stays only until the file rolls back.
    const seq = this.writer.peekSeq();
    const eventId = this.events.insert({
      hash: hashBuf,
      fileId: f.fileId,
      index,
      seq,
      type: event.type,
      timeMs: le.timeMs,
      action: event.action ?? null,
      // The CBV terms as lifecycleEvent read them: once per event.
      bizStep: le.bizStep ?? null,
      disposition: le.disposition ?? null,
      bizLocation: glnOf(event.bizLocation?.id) ?? event.bizLocation?.id ?? null,
      sourceParty: glnOf(partyOf(event, 'source', 'owning_party')) ?? null,
      destParty: glnOf(partyOf(event, 'destination', 'owning_party')) ?? null,
    });
    if (eventId === undefined) {
      const existing = this.events.idByHash(hashBuf)!;
      if (event.errorDeclaration !== undefined) this.declareError(existing, event, hash);
      else f.tally.duplicates++;
      return;
    }
    const verdict: Verdict =
      event.errorDeclaration !== undefined
        ? { outcome: 'accept', findings: [], waits: [], effects: [] }
        : evaluateEvent(le, this.state);
    const extra = this.dscsaFindings(event, le, index, position);
    if (verdict.outcome === 'reject' || extra.length > 0) {
      f.findings.push(...verdict.findings, ...extra);
      return;
    }
    this.writer.appendLater({
      time: f.now,
      type: INGEST_ENTRY.event,
      actor: f.actor,
      // The same bytes either way: the reading thread's canonical text saves this thread the work.
      payload: {
        file: f.fileHex,
        index,
        hash,
        event: canonicalEvent !== undefined ? new CanonicalText(canonicalEvent) : event,
      },
    });
    this.linkIds(event, eventId, le);
    if (event.errorDeclaration !== undefined) {
      // A declaration whose original has not arrived: kept, and it marks itself (EPCIS 2.0 §7.4.1.2).
      this.events.declare(eventId, eventId, event.errorDeclaration.reason ?? null, seq);
      f.tally.imported++;
      return;
    }
    if (verdict.outcome === 'pending') {
      this.events.wait(
        eventId,
        verdict.waits.map((w) => w.why).join('; '),
        f.now,
        verdict.waits.map((w) => w.id),
      );
      f.tally.pending++;
      return;
    }
    this.applyAccepted(event, le, verdict, eventId, seq);
    f.tally.imported++;
  }

  /** After the last record: events still waiting are tried again against the state the file left. */
  finish(): void {
    this.events.flushLinks();
    this.resolvePending();
    this.events.flushLinks();
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
      ...(le.disposition !== undefined ? { disposition: le.disposition } : {}),
      ...(owner !== undefined ? { owner } : {}),
      ...(location !== undefined ? { location } : {}),
      ...(lot !== undefined ? { lot } : {}),
      ...(expiry !== undefined ? { expiry } : {}),
      lotWritten: this.ids.insertedWithLot,
    });
    if (touched.length > 0) this.touched = true;
    if (!replay && le.bizStep === 'shipping' && event.destinationList !== undefined)
      this.shipmentFromEvent(event, le, eventId, seq);
  }

  private linkIds(event: EpcisEvent, id: number, le: LifecycleEvent): void {
    const role = (refs: readonly TraceRef[], name: string) => {
      for (const r of refs) this.events.link(r.id, id, name);
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
      for (const q of list ?? []) this.events.link(this.ids.ensure(q.epcClass), id, name);
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
    if (le.bizStep === 'shipping') {
      const drug =
        drugRefs.length > 0 ||
        this.hasDrugMasterData ||
        le.epcs.some((r) => r.kind === 'sscc' && this.events.holdsDrug(r.id));
      out.push(...shippingFindings(event, index, position, drug, this.dscsa));
    }
    return out;
  }

  /** Product master data for a GTIN: from partner files, or issue 6's product list by NDC. */
  private knownProduct(gtin: string): boolean {
    const cached = this.known.get(gtin);
    if (cached !== undefined) return cached;
    let known = this.shipments.hasProduct(gtin);
    if (!known && this.hasProductsTable) {
      const candidates = gtinToNdcCandidates(gtin);
      const stmt = this.file.db.prepare('SELECT 1 FROM products WHERE ndc = ? LIMIT 1').pluck();
      known = candidates.ok && candidates.value.some((c) => stmt.get(c.ndc10) !== undefined);
    }
    this.known.set(gtin, known);
    return known;
  }

  private shipmentFromEvent(event: EpcisEvent, le: LifecycleEvent, eventId: number, seq: number): void {
    const f = this.file;
    const loc = (id: string | undefined) =>
      f.header.locations.find((l) => l.id === id || canonicalId(l.id).value === id);
    const shipTo = partyOf(event, 'destination', 'location');
    const seller = partyOf(event, 'source', 'owning_party');
    const date = event.eventTime.slice(0, 10);
    const shipmentId = this.shipments.add({
      fileId: f.fileId,
      eventId,
      hash: null,
      seq,
      seller: glnOf(seller) ?? seller ?? null,
      sellerName: loc(seller)?.name ?? null,
      buyer: glnOf(partyOf(event, 'destination', 'owning_party')) ?? null,
      shipFrom: glnOf(partyOf(event, 'source', 'location')) ?? null,
      shipTo: glnOf(shipTo) ?? shipTo ?? null,
      shipToName: loc(shipTo)?.name ?? null,
      transactionDate: date,
      shipDate: date,
      reference: bizTransactionRef(event) ?? null,
      statement: f.header.statement?.affirmed === true ? 1 : 0,
      statementText: f.header.statement?.text ?? null,
    });
    for (const r of le.epcs) {
      const row = this.events.gtinLot(r.id);
      this.shipments.addItem(shipmentId, {
        traceId: r.id,
        gtin: row.gtin,
        info: row.gtin !== null ? this.shipments.productOf(row.gtin) : undefined,
        lot: row.lot,
        expiry: this.state.expiryOf(r.id),
        quantity: 1,
      });
    }
    for (const q of event.quantityList ?? []) {
      const parsed = parseTraceId(q.epcClass);
      this.shipments.addItem(shipmentId, {
        traceId: this.ids.ensure(q.epcClass),
        gtin: parsed.gtin ?? null,
        info: parsed.gtin !== undefined ? this.shipments.productOf(parsed.gtin) : undefined,
        lot: parsed.lot ?? null,
        expiry: null,
        quantity: Math.round(q.quantity ?? 0),
      });
    }
  }

  private declareError(originalId: number, event: EpcisEvent, hash: string): void {
    const f = this.file;
    if (this.events.isDeclared(originalId)) {
      f.tally.duplicates++;
      return;
    }
    const [seq] = this.writer.append([
      {
        time: f.now,
        type: INGEST_ENTRY.errorDeclaration,
        actor: f.actor,
        payload: { file: f.fileHex, hash, declaration: event.errorDeclaration },
      },
    ]);
    this.events.declare(originalId, originalId, event.errorDeclaration?.reason ?? null, seq!);
    this.replaySerialsOf(originalId);
    f.tally.imported++;
  }

  /**
   * After an error declaration, the serials the declared event touched get their state recomputed
   * from their remaining events in time order, so the projection reads as if it never happened.
   */
  private replaySerialsOf(eventId: number): void {
    this.writer.flush();
    const ids = this.events.serialsOf(eventId);
    for (const id of ids) this.state.forget(id);
    for (const row of this.events.liveEventsOf(ids)) {
      const event = eventOfLeaf(this.events.leaf(row.seq), row.seq);
      const le = this.lifecycleEvent(event, 0, '');
      const verdict = evaluateEvent(le, this.state);
      if (verdict.outcome === 'accept') this.applyAccepted(event, le, verdict, row.id, row.seq, true);
    }
  }

  /* ---------------- pending (out-of-order) events ---------------- */

  private resolvePending(): void {
    if (!this.touched) return;
    if (this.events.pendingCount() === 0) return;
    const f = this.file;
    this.writer.flush();
    for (let round = 0; round < 100; round++) {
      let progress = false;
      for (const row of this.events.pending()) {
        const event = eventOfLeaf(this.events.leaf(row.seq), row.seq);
        const le = this.lifecycleEvent(event, row.fileIndex, `event ${row.fileIndex}`);
        const verdict = evaluateEvent(le, this.state);
        if (verdict.outcome === 'pending') continue;
        progress = true;
        this.events.stopWaiting(row.id);
        const hash = `ni:///sha-256;${row.hash.toString('hex')}?ver=CBV2.0`;
        if (verdict.outcome === 'accept') {
          this.writer.append([
            {
              time: f.now,
              type: INGEST_ENTRY.pendingResolved,
              actor: 'system',
              payload: { hash, outcome: 'applied' },
            },
          ]);
          this.applyAccepted(event, le, verdict, row.id, row.seq);
          if (row.fileId === f.fileId) {
            f.tally.pending--;
            f.tally.imported++;
          } else f.tally.resolved++;
          continue;
        }
        this.writer.append([
          {
            time: f.now,
            type: INGEST_ENTRY.pendingResolved,
            actor: 'system',
            payload: { hash, outcome: 'rejected', reasons: verdict.findings },
          },
        ]);
        this.events.declare(row.id, row.id, 'rejected after waiting', row.seq);
        const file = this.events.fileOf(row.fileId);
        if (f.replay) (this.writer as WriteTx & { skip(type: string): void }).skip('quarantine.opened');
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
            f.now,
          );
        if (row.fileId === f.fileId) f.tally.pending--;
        f.tally.resolved++;
      }
      if (!progress) return;
    }
  }
}
