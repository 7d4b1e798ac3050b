import fs from 'node:fs';
import path from 'node:path';
import type { Workspace } from '../ledger/workspace';
import {
  folderProblem,
  folderRow,
  LIST_TIMEOUT_MS,
  listFolder,
  WATCHED_EXTENSIONS,
  withTimeout,
  type FolderFileOutcome,
  type FolderRow,
  type FolderStatus,
} from './store';
import { importFile, importPhaseLabel, type ImportResult } from '../ingest';

/*
 * One scan of one watched folder. A file is imported only once it has stopped changing: the same
 * size and modification time seen by a scan at least `settleMs` earlier, or a modification time
 * older than `oldAfterMs`. What was seen is remembered by (name, size, mtime), so an unchanged file
 * is never read again: not hashed, not re-imported, and a quarantined file not retried until it
 * changes. The partner's files are only read.
 */

export interface ScanTiming {
  /** How long a file must keep the same size and modification time between two scans. */
  readonly settleMs: number;
  /** A file last modified this long ago is complete, even on its first sighting. */
  readonly oldAfterMs: number;
}

export interface FolderScanResult {
  readonly folderId: number;
  readonly name: string;
  readonly status: FolderStatus;
  readonly message: string;
  readonly imported: number;
  readonly alreadyImported: number;
  readonly quarantined: number;
  readonly failed: number;
  /** Files seen that are still changing (or just appeared): the next scan looks again. */
  readonly waiting: number;
}

export interface ScanOptions {
  /** Who the imports are recorded as: the person who pressed "Scan now", or "system" for the timer. */
  readonly actor: string;
  readonly timing: ScanTiming;
  readonly signal?: AbortSignal;
  /** Try files whose last import failed (not quarantined ones) again though they did not change. */
  readonly retryFailed?: boolean;
  readonly onProgress?: (label: string, done: number) => void;
}

/** A failure of the ledger or the database, not of one file: the scan stops and says so. */
export class ScanAborted extends Error {
  constructor(
    message: string,
    override readonly cause: unknown,
  ) {
    super(message);
    this.name = 'ScanAborted';
  }
}

interface SeenRow {
  size: number;
  mtimeMs: number;
  firstSeenMs: number;
  outcome: FolderFileOutcome | null;
}

interface Candidate {
  readonly name: string;
  readonly size: number;
  readonly mtimeMs: number;
}

export async function scanFolder(
  ctx: Workspace,
  folder: FolderRow,
  options: ScanOptions,
): Promise<FolderScanResult> {
  const now = ctx.now();
  const tally = { imported: 0, alreadyImported: 0, quarantined: 0, failed: 0, waiting: 0 };
  const finish = async (status: FolderStatus, message: string): Promise<FolderScanResult> => {
    await writeState(ctx, (db) =>
      db
        .prepare('UPDATE watched_folders SET status = ?, status_message = ?, last_scan_ms = ? WHERE id = ?')
        .run(status, message, now, folder.id),
    );
    return { folderId: folder.id, name: folder.name, status, message, ...tally };
  };

  let entries: fs.Dirent[];
  try {
    entries = await listFolder(folder.path);
  } catch (error) {
    const problem = folderProblem(error, folder.path);
    return finish(problem.status, problem.message);
  }

  // Regular files only: a symbolic link could lead out of the folder the person chose.
  const candidates: Candidate[] = [];
  for (const entry of entries) {
    if (!entry.isFile() || entry.name.startsWith('.')) continue;
    if (!WATCHED_EXTENSIONS.includes(path.extname(entry.name).toLowerCase())) continue;
    try {
      const stat = await withTimeout(fs.promises.stat(path.join(folder.path, entry.name)), LIST_TIMEOUT_MS);
      // An empty file is never a partner file yet: download tools create the file, then fill it.
      if (stat.size === 0) continue;
      candidates.push({ name: entry.name, size: stat.size, mtimeMs: Math.floor(stat.mtimeMs) });
    } catch {
      // Gone between the listing and the stat (moved away by the partner's tool), or not answering:
      // not a file to take now; the next scan looks again.
    }
  }

  const settled = (c: Candidate, firstSeenMs: number) =>
    now - firstSeenMs >= options.timing.settleMs || now - c.mtimeMs >= options.timing.oldAfterMs;

  // Remember every new or changed file in one transaction, and pick those ready to import.
  const ready = await writeState(ctx, (db) => {
    const seenStmt = db.prepare(
      'SELECT size, mtime_ms AS mtimeMs, first_seen_ms AS firstSeenMs, outcome FROM watched_folder_files WHERE folder_id = ? AND name = ?',
    );
    const upsert = db.prepare(
      `INSERT INTO watched_folder_files (folder_id, name, size, mtime_ms, first_seen_ms) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (folder_id, name) DO UPDATE SET size = excluded.size, mtime_ms = excluded.mtime_ms,
         first_seen_ms = excluded.first_seen_ms, outcome = NULL, message = NULL, file_hash = NULL,
         quarantine_id = NULL, handled_ms = NULL`,
    );
    // A file that went away before it was taken is no longer waiting (the handled ones stay: history).
    const present = new Set(candidates.map((c) => c.name));
    const unhandled = db
      .prepare('SELECT name FROM watched_folder_files WHERE folder_id = ? AND outcome IS NULL')
      .pluck()
      .all(folder.id) as string[];
    const forget = db.prepare('DELETE FROM watched_folder_files WHERE folder_id = ? AND name = ?');
    for (const name of unhandled) if (!present.has(name)) forget.run(folder.id, name);
    const out: Candidate[] = [];
    for (const c of candidates) {
      const seen = seenStmt.get(folder.id, c.name) as SeenRow | undefined;
      const unchanged = seen !== undefined && seen.size === c.size && seen.mtimeMs === c.mtimeMs;
      if (!unchanged) {
        upsert.run(folder.id, c.name, c.size, c.mtimeMs, now);
        if (settled(c, now)) out.push(c);
        else tally.waiting++;
        continue;
      }
      if (seen.outcome === null || (seen.outcome === 'failed' && options.retryFailed === true)) {
        if (settled(c, seen.firstSeenMs)) out.push(c);
        else tally.waiting++;
      }
    }
    return out.sort((a, b) => a.mtimeMs - b.mtimeMs || a.name.localeCompare(b.name));
  });

  for (const [i, c] of ready.entries()) {
    if (options.signal?.aborted === true) break;
    // Removed while this scan ran: its remaining files are no longer wanted.
    if (folderRow(ctx.db, folder.id) === undefined) break;
    const label = `${folder.name}: ${c.name} (${i + 1} of ${ready.length})`;
    options.onProgress?.(`Reading ${label}`, 0);
    const outcome = await importOne(ctx, folder, c, options, label);
    if (outcome === 'cancelled') break;
    if (outcome === 'vanished') continue;
    if (outcome.outcome === 'imported') tally.imported++;
    else if (outcome.outcome === 'already-imported') tally.alreadyImported++;
    else if (outcome.outcome === 'quarantined') tally.quarantined++;
    else tally.failed++;
    await writeState(ctx, (db) =>
      // Keyed by the size and time seen before reading: if the file changed meanwhile, the next
      // scan sees a different file and takes it again.
      db
        .prepare(
          'UPDATE watched_folder_files SET outcome = ?, message = ?, file_hash = ?, quarantine_id = ?, handled_ms = ? WHERE folder_id = ? AND name = ? AND size = ? AND mtime_ms = ?',
        )
        .run(
          outcome.outcome,
          outcome.message,
          outcome.fileHash,
          outcome.quarantineId,
          ctx.now(),
          folder.id,
          c.name,
          c.size,
          c.mtimeMs,
        ),
    );
  }

  if (folderRow(ctx.db, folder.id) === undefined) {
    return { folderId: folder.id, name: folder.name, status: 'ok', message: 'No longer watched.', ...tally };
  }
  return finish('ok', summary(tally, options.signal?.aborted === true));
}

type FileOutcome =
  | {
      outcome: FolderFileOutcome;
      message: string | null;
      fileHash: Buffer | null;
      quarantineId: number | null;
    }
  | 'cancelled'
  | 'vanished';

async function importOne(
  ctx: Workspace,
  folder: FolderRow,
  c: Candidate,
  options: ScanOptions,
  label: string,
): Promise<FileOutcome> {
  const full = path.join(folder.path, c.name);
  let result: ImportResult;
  try {
    result = await importFile(
      ctx,
      {
        source: { path: full },
        name: c.name,
        origin: `folder:${folder.name}`,
        ...(folder.partnerId !== null ? { partnerId: folder.partnerId } : {}),
        ...(folder.mappingId !== null ? { mappingId: folder.mappingId } : {}),
      },
      {
        actor: options.actor,
        ...(options.signal ? { signal: options.signal } : {}),
        onProgress: (phase, done) => options.onProgress?.(importPhaseLabel(phase, label), done),
      },
    );
  } catch (error) {
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    if (code === 'ENOENT') return 'vanished';
    if (code === 'EACCES' || code === 'EPERM') {
      return {
        outcome: 'failed',
        message: `Custodia may not read this file. Give the account Custodia runs as permission to read it; "Scan now" tries it again.`,
        fileHash: null,
        quarantineId: null,
      };
    }
    if (isStorageFailure(error)) {
      throw new ScanAborted('the ledger refused the import', error);
    }
    return {
      outcome: 'failed',
      message: `The file could not be read${error instanceof Error && error.name !== 'Error' ? ` (${error.name})` : ''}. Nothing of it was kept. Check that it is a complete partner file; "Scan now" tries it again, and a changed file is tried by itself.`,
      fileHash: null,
      quarantineId: null,
    };
  }
  if (result.status === 'cancelled') return 'cancelled';
  const fileHash = Buffer.from(result.fileHash, 'hex');
  switch (result.status) {
    case 'imported':
      return {
        outcome: 'imported',
        message: `${result.imported} record(s) added${result.duplicates > 0 ? `, ${result.duplicates} already there` : ''}${result.pending > 0 ? `, ${result.pending} waiting for an earlier event` : ''}.`,
        fileHash,
        quarantineId: null,
      };
    case 'already-imported':
      return {
        outcome: 'already-imported',
        message: 'This exact file was imported before.',
        fileHash,
        quarantineId: null,
      };
    case 'quarantined':
      return {
        outcome: 'quarantined',
        message: `Rejected: ${result.reasons[0]?.message ?? 'see the quarantine item'}${result.reasons.length > 1 ? ` (and ${result.reasons.length - 1} more reason(s))` : ''}. It is not tried again unless the file changes; reprocess it from Quarantine.`,
        fileHash,
        quarantineId: result.quarantineId ?? null,
      };
  }
}

/** The ledger (or its database) refused: every other file would fail the same way. */
function isStorageFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return (
    error.name === 'LedgerError' ||
    error.name === 'StoreError' ||
    error.name === 'SqliteError' ||
    error.name === 'ApiError'
  );
}

/**
 * Scan bookkeeping goes through the ledger's one writer (no entry appended: it is not a record),
 * after any long import transaction open elsewhere (a person's upload) has committed.
 */
async function writeState<T>(ctx: Workspace, fn: (db: Workspace['db']) => T): Promise<T> {
  return ctx.write((tx) => fn(tx.db));
}

function summary(
  t: { imported: number; alreadyImported: number; quarantined: number; failed: number; waiting: number },
  cancelled: boolean,
): string {
  const parts: string[] = [];
  if (t.imported > 0) parts.push(`${t.imported} file(s) imported`);
  if (t.alreadyImported > 0) parts.push(`${t.alreadyImported} already imported before`);
  if (t.quarantined > 0) parts.push(`${t.quarantined} rejected into quarantine`);
  if (t.failed > 0) parts.push(`${t.failed} could not be read`);
  if (t.waiting > 0) parts.push(`${t.waiting} still changing, taken once they stop`);
  const what = parts.length > 0 ? `${parts.join(', ')}.` : 'No new files.';
  return cancelled ? `Scan stopped before the end. ${what}` : what;
}
