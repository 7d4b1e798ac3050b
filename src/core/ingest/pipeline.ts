import fs from 'node:fs';
import path from 'node:path';
import { csvMappingSchema, type CsvMapping } from '../formats/csv/mapping';
import { markReprocessed, openItemFor, openQuarantineItem, recordAttempt } from '../quarantine';
import type { RuleFinding } from '../model/findings';
import { FileApplier, INGEST_ENTRY, RejectedFile, type ApplySummary } from './apply';
import type { Workspace, WriteTx } from '../ledger/workspace';
import { detectFormat, hashSource, readRecords, type IngestSource } from './read';
import type { IngestFormat, IngestHeader } from '../model/records';
import { readRecordsThreaded, THREADED_READ_BYTES } from './read-thread';
import { RecordSpill, removeStaleSpills } from './spill';
import { noRecords } from '../formats/detect';
import { trackImport, type ImportPhase } from './running';

export type { ImportPhase } from './running';

export interface ImportRequest {
  readonly source: IngestSource;
  /** The file's name as the person knows it (never a path with a serial in it). */
  readonly name: string;
  readonly partnerId?: number;
  readonly mappingId?: number;
  readonly mapping?: CsvMapping;
  readonly format?: IngestFormat;
  /** Where the file came from: "cli", "upload", a watched folder. */
  readonly origin: string;
}

/** How long an import applies records before the event loop gets a turn (see importFile). */
const TURN_MS = 15;

/**
 * The page cache of a large import (MiB). The random-keyed indexes (blind indexes, event hashes)
 * are what misses; 256 MiB made a 200k-event import a third faster than 48, but the import's
 * resident memory must stay under 400 MB, and at a million events 64 MiB already went past it.
 */
const LARGE_FILE_CACHE_MIB = 48;

/** Files above this size get a larger page cache for their transaction. */
const LARGE_FILE_BYTES = 8 * 1024 * 1024;

export type ImportStatus = 'imported' | 'already-imported' | 'quarantined' | 'cancelled';

export interface ImportResult {
  readonly file: string;
  readonly format: IngestFormat;
  readonly status: ImportStatus;
  /** Records in the file (events, transactions or KDE records). */
  readonly events: number;
  readonly imported: number;
  readonly duplicates: number;
  readonly pending: number;
  /** 1 when the file went to quarantine, else 0. */
  readonly quarantined: number;
  readonly quarantineId?: number;
  readonly reasons: RuleFinding[];
  /** Earlier out-of-order events this file resolved (applied or rejected). */
  readonly resolved: number;
  readonly fileHash: string;
}

/** What a person sees while a file imports: records are checked as they are read, then the file commits. */
export function importPhaseLabel(phase: ImportPhase, file: string): string {
  return `${phase === 'reading' ? 'Reading and checking' : 'Committing'} ${file}`;
}

export interface ImportOptions {
  readonly actor: string;
  readonly signal?: AbortSignal;
  /** 'reading': records read and checked so far; 'committing': all read, the file is being sealed into the ledger. */
  readonly onProgress?: (phase: ImportPhase, done: number) => void;
  /** Set when this import is the reprocessing of a quarantined item. */
  readonly quarantineId?: number;
  /**
   * Runs inside the transaction that commits the file, imported or quarantined (partner sync stores
   * its pull cursor here, so a page and its cursor commit together or not at all).
   */
  readonly inCommit?: (tx: WriteTx) => void;
}

/**
 * Imports one partner file: hash it (a file imported before changes nothing), then stream-parse,
 * normalize, check and apply every record inside one ledger transaction that commits at the end
 * (cancellable throughout). A file with any rejected record is not imported at all: it goes to
 * quarantine with its raw bytes and every reason. A cancelled import leaves one ledger entry that
 * says so, and nothing else.
 */
export async function importFile(
  ctx: Workspace,
  req: ImportRequest,
  options: ImportOptions,
): Promise<ImportResult> {
  const { hash, size } = await hashSource(req.source);
  const fileHash = hash.toString('hex');
  const mapping = req.mapping ?? loadMapping(ctx, req);
  // A file that is not what it claims (empty, UTF-16, binary, JSON named .csv) is held unread (issue 18).
  const detected = req.format !== undefined ? { format: req.format } : detectFormat(req, size, mapping);
  const format = detected.format;
  const base = { file: req.name, format, fileHash, resolved: 0 };
  const alreadyImported = (): ImportResult | undefined => {
    const row = ctx.db.prepare('SELECT records FROM ingest_files WHERE file_hash = ?').get(hash) as
      { records: number } | undefined;
    if (row === undefined) return undefined;
    return {
      ...base,
      status: 'already-imported',
      events: row.records,
      imported: 0,
      duplicates: row.records,
      pending: 0,
      quarantined: 0,
      reasons: [],
    };
  };
  const done = alreadyImported();
  if (done !== undefined) return done;

  const tmp = path.join(ctx.dataDir, 'tmp');
  removeStaleSpills(tmp);
  const meta = {
    hash,
    name: req.name,
    format,
    size,
    source: req.origin,
    ...(req.partnerId !== undefined ? { partnerId: req.partnerId } : {}),
  };
  const readFindings: RuleFinding[] = [];
  let count = 0;
  const recordCount = () => count + new Set(readFindings.map((f) => f.record).filter((r) => r !== null)).size;
  let summary: ApplySummary | ImportResult;
  try {
    // Read and commit in one pass, in one transaction that stays open across the reads: records
    // are checked and applied as they are parsed, progress and cancel keep working, and a crash
    // or a rejection leaves nothing of the file.
    const value = await ctx.writeAcrossAwaits(async (writer) => {
      // Two imports of the same bytes at once: the second finds the first's row here.
      const again = alreadyImported();
      if (again !== undefined) return again;
      // A file's commit touches several indexes per record at scattered keys (blind indexes,
      // hashes): with SQLCipher every page that falls out of the cache is decrypted and
      // re-encrypted again, so a large import gets a larger page cache while it holds the write,
      // then the default back.
      const cacheBefore = ctx.db.pragma('cache_size', { simple: true }) as number;
      if (size > LARGE_FILE_BYTES) ctx.db.pragma(`cache_size = -${LARGE_FILE_CACHE_MIB * 1024}`);
      let applier: FileApplier | null = null;
      // What a person whose write waits behind this one is told (ingest.running): file, progress, time left.
      const progress = trackImport(ctx.ledger, req.name, size);
      // Records read before the header (a JSON document may put it last) wait, sealed, on disk.
      const early = new RecordSpill(tmp);
      const start = (header: IngestHeader) => {
        applier = new FileApplier(writer, ctx.sealer, meta, header, options.actor, ctx.now());
        applier.begin();
        for (const record of early.records()) applier.record(record);
        early.dispose();
        return applier;
      };
      try {
        options.onProgress?.('reading', 0);
        const read = size >= THREADED_READ_BYTES ? readRecordsThreaded : readRecords;
        let lastTurn = performance.now();
        const items =
          detected.problem === undefined
            ? read(req.source, format, mapping, options.signal, progress.read)
            : [];
        for await (const item of items) {
          // The reading thread is usually ahead, so the loop could run on microtasks alone for the
          // whole file: every TURN_MS it lets the event loop take its turn (a trace, a snapshot read,
          // a cancel, a progress message) so they answer in milliseconds, not after the commit.
          if (performance.now() - lastTurn > TURN_MS) {
            await new Promise<void>((resolve) => setImmediate(resolve));
            lastTurn = performance.now();
          }
          options.signal?.throwIfAborted();
          if (item.type === 'header') applier ??= start(item.header);
          else if (item.type === 'failure') readFindings.push(...item.findings);
          else {
            if (applier === null) early.push(item.record);
            else (applier as FileApplier).record(item.record, item.canonicalEvent);
            progress.records = ++count;
            if (count % 2000 === 0) options.onProgress?.('reading', count);
          }
        }
        options.signal?.throwIfAborted();
        const applied: FileApplier = applier ?? start({ format, products: [], locations: [], notes: [] });
        if (detected.problem !== undefined) readFindings.push(detected.problem);
        // A partner file with nothing in it is held, never "imported" with 0 records (a sync page may be empty).
        else if (count === 0 && readFindings.length === 0 && !req.origin.startsWith('sync:'))
          readFindings.push(noRecords(format));
        applied.addFindings(readFindings);
        progress.committing();
        options.onProgress?.('committing', count);
        const result = applied.finish();
        const open = options.quarantineId ?? openItemFor(writer.db, hash, 'file');
        if (open !== undefined) markReprocessed(writer, open, result.fileId, options.actor, ctx.now());
        options.inCommit?.(writer);
        return result;
      } finally {
        progress.end();
        early.dispose();
        ctx.db.pragma(`cache_size = ${cacheBefore}`);
      }
    });
    summary = value;
  } catch (error) {
    if (options.signal?.aborted === true) {
      await ctx.write((writer) =>
        writer.append([
          {
            type: INGEST_ENTRY.cancelled,
            actor: options.actor,
            payload: { file: fileHash, name: req.name, format, recordsRead: count },
          },
        ]),
      );
      return {
        ...base,
        status: 'cancelled',
        events: count,
        imported: 0,
        duplicates: 0,
        pending: 0,
        quarantined: 0,
        reasons: [],
      };
    }
    if (!(error instanceof RejectedFile)) throw error;
    const reasons = error.findings;
    const records = recordCount();
    const quarantineId = await quarantine(ctx, req, {
      hash,
      format,
      records,
      reasons,
      actor: options.actor,
      ...(options.quarantineId !== undefined ? { existing: options.quarantineId } : {}),
      ...(options.inCommit !== undefined ? { inCommit: options.inCommit } : {}),
    });
    return {
      ...base,
      status: 'quarantined',
      events: records,
      imported: 0,
      duplicates: 0,
      pending: 0,
      quarantined: 1,
      quarantineId,
      reasons,
    };
  }
  if ('status' in summary) return summary;
  return {
    ...base,
    status: 'imported',
    events: recordCount(),
    imported: summary.imported,
    duplicates: summary.duplicates,
    pending: summary.pending,
    quarantined: 0,
    reasons: [],
    resolved: summary.resolved,
  };
}

function loadMapping(ctx: Workspace, req: ImportRequest): CsvMapping | undefined {
  const db = ctx.db;
  const row = (
    req.mappingId !== undefined
      ? db.prepare('SELECT mapping FROM partner_mappings WHERE id = ?').get(req.mappingId)
      : req.partnerId !== undefined
        ? db
            .prepare('SELECT mapping FROM partner_mappings WHERE partner_id = ? ORDER BY id LIMIT 1')
            .get(req.partnerId)
        : undefined
  ) as { mapping: string } | undefined;
  return row === undefined ? undefined : csvMappingSchema.parse(JSON.parse(row.mapping));
}

async function quarantine(
  ctx: Workspace,
  req: ImportRequest,
  r: {
    hash: Buffer;
    format: IngestFormat;
    records: number;
    reasons: RuleFinding[];
    actor: string;
    existing?: number;
    inCommit?: (tx: WriteTx) => void;
  },
): Promise<number> {
  const value = await ctx.write((writer) => {
    r.inCommit?.(writer);
    const existing = r.existing ?? openItemFor(writer.db, r.hash, 'file');
    if (existing !== undefined) {
      // The same bytes again (a re-drop or a reprocess that still fails): one item, a new attempt.
      recordAttempt(writer, existing, r.reasons, r.actor);
      return existing;
    }
    return openQuarantineItem(
      writer,
      {
        kind: 'file',
        fileHash: r.hash,
        fileName: req.name,
        format: r.format,
        ...(req.partnerId !== undefined ? { partnerId: req.partnerId } : {}),
        ...(req.mappingId !== undefined ? { mappingId: req.mappingId } : {}),
        source: req.origin,
        records: r.records,
        reasons: r.reasons,
        raw: rawChunks(req.source),
      },
      r.actor,
      ctx.now(),
    ).id;
  });
  return value;
}

function* rawChunks(source: IngestSource): Generator<Uint8Array> {
  if ('bytes' in source) {
    yield source.bytes;
    return;
  }
  const fd = fs.openSync(source.path, 'r');
  try {
    const buf = Buffer.alloc(1024 * 1024);
    for (;;) {
      const n = fs.readSync(fd, buf, 0, buf.length, null);
      if (n === 0) return;
      yield Buffer.from(buf.subarray(0, n));
    }
  } finally {
    fs.closeSync(fd);
  }
}
