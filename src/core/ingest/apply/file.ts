import { canonicalId } from '../../epcis/identifier-form';
import { canonicalize } from '../../ledger/jcs';
import type { WriteTx } from '../../ledger/workspace';
import type { RuleFinding } from '../../model/findings';
import type { IngestHeader, IngestRecord } from '../../model/records';
import { parseTraceId } from '../../model/trace-id';
import { TraceIds } from '../../trace/ids';
import { SerialStateStore } from '../../trace/state';
import { INGEST_ENTRY, type FileContext, type FileMeta } from './context';
import { loadDscsaContext } from './dscsa-context';
import { TransactionApplier } from './dscsa';
import { EventApplier } from './epcis';
import { FsmaApplier } from './fsma';
import { ShipmentStore } from './shipments';

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

/**
 * The checking half of an import, inside its ONE ledger write transaction, fed each record as it is
 * read: the file's ledger entry and row first, then each record to the applier of its kind (EPCIS
 * events, DSCSA transactions, FSMA KDE records). If any record is rejected, finish() throws
 * RejectedFile after every record was checked, so the caller can roll back and quarantine the file
 * with all its reasons.
 */
export class FileApplier {
  private readonly file: FileContext;
  private readonly shipments: ShipmentStore;
  private readonly events: EventApplier;
  private readonly transactions: TransactionApplier;
  private readonly fsmaRecords: FsmaApplier;

  constructor(
    writer: WriteTx,
    sealer: ConstructorParameters<typeof TraceIds>[1],
    meta: FileMeta,
    header: IngestHeader,
    actor: string,
    now: number,
    /** Rebuilding projections from the ledger (ingest/rebuild.ts): quarantine rows are not recreated. */
    replay = false,
  ) {
    const db = writer.db;
    this.file = {
      writer,
      db,
      meta,
      fileHex: meta.hash.toString('hex'),
      header,
      actor,
      now,
      replay,
      fileId: 0,
      tally: { records: 0, imported: 0, duplicates: 0, pending: 0, resolved: 0 },
      findings: [],
    };
    const ids = new TraceIds(db, sealer);
    const dscsa = loadDscsaContext(db, header);
    this.shipments = new ShipmentStore(db);
    this.events = new EventApplier(this.file, this.shipments, ids, new SerialStateStore(db), dscsa);
    this.transactions = new TransactionApplier(this.file, this.shipments, ids, dscsa);
    this.fsmaRecords = new FsmaApplier(this.file);
  }

  begin(): void {
    const { header: h, meta, writer, db } = this.file;
    const [seq] = writer.append([
      {
        time: this.file.now,
        type: INGEST_ENTRY.file,
        actor: this.file.actor,
        payload: {
          file: this.file.fileHex,
          name: meta.name,
          format: meta.format,
          size: meta.size,
          source: meta.source,
          partner: meta.partnerId ?? null,
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
    const result = db
      .prepare(
        `INSERT INTO ingest_files (file_hash, name, format, partner_id, size, ledger_seq, records, imported, duplicates, pending, header, imported_ms)
         VALUES (?, ?, ?, ?, ?, ?, 0, 0, 0, 0, ?, ?)`,
      )
      .run(
        meta.hash,
        meta.name,
        meta.format,
        meta.partnerId ?? null,
        meta.size,
        seq!,
        canonicalize({ statement: h.statement ?? null, sbdh: h.sbdh ?? null, notes: h.notes }),
        this.file.now,
      );
    this.file.fileId = Number(result.lastInsertRowid);
    for (const p of h.products) {
      const gtin = parseTraceId(canonicalId(p.epcClass).value).gtin;
      if (gtin === undefined) continue;
      this.shipments.saveProduct(
        gtin,
        {
          ndc: p.ndc ?? null,
          name: p.regulatedProductName ?? null,
          strength: p.strengthDescription ?? null,
          dosageForm: p.dosageFormType ?? null,
          container: p.netContentDescription ?? null,
        },
        p.manufacturerOfTradeItemPartyName ?? null,
        seq!,
      );
    }
  }

  /** Findings of the reader (unreadable or malformed records) join the rule findings, first. */
  addFindings(findings: readonly RuleFinding[]): void {
    if (findings.length === 0) return;
    const rules = this.file.findings.splice(0);
    // One at a time: a file of a million bad records must not overflow a spread's argument list.
    for (const f of findings) this.file.findings.push(f);
    for (const f of rules) this.file.findings.push(f);
  }

  /** One record; an EPCIS event may come with its canonical text, made by the reading thread. */
  record(record: IngestRecord, canonicalEvent?: string): void {
    this.file.tally.records++;
    switch (record.kind) {
      case 'epcis-event':
        this.events.record(record.event, record.index, record.position, record.hash, canonicalEvent);
        break;
      case 'dscsa-transaction':
        this.transactions.record(record.transaction, record.index, record.position, record.hash);
        break;
      case 'fsma-record':
        this.fsmaRecords.record(record.record, record.index, record.hash, record.received);
        break;
    }
  }

  finish(): ApplySummary {
    const { findings, tally, db } = this.file;
    if (findings.length > 0) throw new RejectedFile(findings);
    this.events.finish();
    db.prepare(
      'UPDATE ingest_files SET records = ?, imported = ?, duplicates = ?, pending = ? WHERE id = ?',
    ).run(tally.records, tally.imported, tally.duplicates, tally.pending, this.file.fileId);
    return { fileId: this.file.fileId, ...tally };
  }
}
