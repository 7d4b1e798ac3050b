import fs from 'node:fs';
import path from 'node:path';
import type { Database } from 'better-sqlite3-multiple-ciphers';
import type { Workspace } from '../ledger/workspace';

/*
 * Watched import folders: registration (a ledger entry and its projection) and the list the page
 * shows. Scanning is in folders-scan.ts, the timer in folders-watcher.ts.
 */

export const FOLDER_ENTRY = { added: 'folders.added', removed: 'folders.removed' } as const;

/**
 * The extensions a scan picks up: what partners send (EPCIS XML / JSON-LD, X12 856, CSV sheets).
 * read.ts detects the format from the first bytes, so the extension only keeps out what is not a
 * partner file at all: a browser's half-downloaded ".crdownload" or ".part", a "~" backup, a PDF.
 */
export const WATCHED_EXTENSIONS = ['.xml', '.json', '.jsonld', '.csv', '.txt', '.edi', '.856', '.x12'];

export type FolderStatus =
  'waiting' | 'ok' | 'missing' | 'unreadable' | 'not-a-folder' | 'unreachable' | 'error';
export type FolderFileOutcome = 'imported' | 'already-imported' | 'quarantined' | 'failed';

export class FolderError extends Error {
  constructor(
    readonly kind: 'invalid-input' | 'not-found' | 'conflict',
    message: string,
  ) {
    super(message);
    this.name = 'FolderError';
  }
}

export interface FolderRow {
  readonly id: number;
  readonly name: string;
  readonly path: string;
  readonly partnerId: number | null;
  readonly mappingId: number | null;
  readonly addedBy: string;
  readonly addedMs: number;
  readonly status: FolderStatus;
  readonly message: string;
  readonly lastScanMs: number | null;
}

const FOLDER_COLUMNS =
  'id, name, path, partner_id AS partnerId, mapping_id AS mappingId, added_by AS addedBy, added_ms AS addedMs, status, status_message AS message, last_scan_ms AS lastScanMs';

export function folderRows(db: Database): FolderRow[] {
  return db.prepare(`SELECT ${FOLDER_COLUMNS} FROM watched_folders ORDER BY name`).all() as FolderRow[];
}

export function folderRow(db: Database, id: number): FolderRow | undefined {
  return db.prepare(`SELECT ${FOLDER_COLUMNS} FROM watched_folders WHERE id = ?`).get(id) as
    FolderRow | undefined;
}

/** How long a folder may take to list before the scan says it is unreachable and moves on. */
export const LIST_TIMEOUT_MS = 20_000;

const listings = new Map<string, Promise<fs.Dirent[]>>();

/**
 * Lists a folder off the main thread (a hung network share must not freeze the app), giving up after
 * LIST_TIMEOUT_MS. A listing still hanging from an earlier scan is waited for again rather than
 * started twice, so a dead share cannot take every thread of Node's file-system pool.
 */
export function listFolder(dir: string, timeoutMs = LIST_TIMEOUT_MS): Promise<fs.Dirent[]> {
  let listing = listings.get(dir);
  if (listing === undefined) {
    listing = fs.promises.readdir(dir, { withFileTypes: true }).finally(() => listings.delete(dir));
    listings.set(dir, listing);
  }
  return withTimeout(listing, timeoutMs);
}

export function withTimeout<T>(work: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(Object.assign(new Error('the folder did not answer in time'), { code: 'ETIMEDOUT' })),
      timeoutMs,
    );
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/** What a problem reading the folder itself means, and what the person can do about it. */
export function folderProblem(
  error: unknown,
  folderPath: string,
): { status: Exclude<FolderStatus, 'waiting' | 'ok' | 'error'>; message: string } {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return {
        status: 'missing',
        message: `The folder ${folderPath} is not there: a network share that is not connected, or a folder renamed or deleted. Reconnect the share or recreate the folder; or remove it from the watched folders.`,
      };
    case 'EACCES':
    case 'EPERM':
      return {
        status: 'unreadable',
        message: `Custodia may not read ${folderPath}. Give the account Custodia runs as permission to read that folder (and its files).`,
      };
    case 'ETIMEDOUT':
      return {
        status: 'unreachable',
        message: `${folderPath} did not answer within ${Math.round(LIST_TIMEOUT_MS / 1000)} seconds: a network share that is slow or disconnected. Check this computer's connection to it; the next scan tries again.`,
      };
    case 'ENOTDIR':
      return {
        status: 'not-a-folder',
        message: `${folderPath} is a file now, not a folder. Remove it here and add the folder the partner's files arrive in.`,
      };
    default:
      return {
        status: 'unreachable',
        message: `${folderPath} could not be read (${code ?? 'unknown error'}). If it is on a network share, check that this computer is connected to it; the next scan tries again.`,
      };
  }
}

/**
 * The path as it is stored: absolute, normalized (no "..", no trailing separator), an existing folder
 * Custodia can list, and not the data folder (whose spill files and exports are not partner files).
 */
export async function checkFolderPath(raw: string, dataDir: string): Promise<string> {
  if (!path.isAbsolute(raw)) {
    throw new FolderError(
      'invalid-input',
      `"${raw}" is not a full path. Give the whole path of the folder, from the root (/…) or the drive (C:\\…).`,
    );
  }
  const normalized = path.resolve(raw);
  let stat: fs.Stats;
  try {
    stat = await withTimeout(fs.promises.stat(normalized), LIST_TIMEOUT_MS);
    if (stat.isDirectory()) await listFolder(normalized);
  } catch (error) {
    const problem = folderProblem(error, normalized);
    throw new FolderError(
      problem.status === 'missing' ? 'not-found' : 'invalid-input',
      problem.status === 'missing'
        ? `There is no folder ${normalized}. Check the path (a network share must be connected), or create the folder first.`
        : problem.message,
    );
  }
  if (!stat.isDirectory()) {
    throw new FolderError(
      'invalid-input',
      `${normalized} is a file, not a folder. Give the folder it is in.`,
    );
  }
  const data = path.resolve(dataDir);
  const fromData = path.relative(data, normalized);
  const outside = fromData === '..' || fromData.startsWith(`..${path.sep}`) || path.isAbsolute(fromData);
  if (!outside) {
    throw new FolderError(
      'invalid-input',
      `${normalized} is Custodia's own data folder (or inside it). Choose the folder the partner's files are downloaded into.`,
    );
  }
  return normalized;
}

export interface AddFolderInput {
  readonly path: string;
  readonly name?: string;
  readonly partnerId?: number;
  readonly mappingId?: number;
}

/** Registers a folder: one folders.added ledger entry (who, which path, which partner) and its row. */
export async function addFolder(ctx: Workspace, input: AddFolderInput, actor: string): Promise<number> {
  const folderPath = await checkFolderPath(input.path, ctx.dataDir);
  const name = input.name ?? (path.basename(folderPath) || folderPath);
  // The same folder under another path (a link, a second mount): resolved before the write, off the main thread.
  const realOf = (p: string) => withTimeout(fs.promises.realpath(p), LIST_TIMEOUT_MS).catch(() => p);
  const real = await realOf(folderPath);
  const others = new Map<number, string>();
  for (const other of folderRows(ctx.db)) others.set(other.id, await realOf(other.path));
  const value = await ctx.write((writer) => {
    const db = writer.db;
    for (const other of folderRows(db)) {
      if (other.path === folderPath || others.get(other.id) === real) {
        throw new FolderError('conflict', `${folderPath} is already watched, as "${other.name}".`);
      }
      if (other.name === name) {
        throw new FolderError(
          'conflict',
          `Another watched folder is already called "${name}". Give this one another name.`,
        );
      }
    }
    if (
      input.partnerId !== undefined &&
      db.prepare('SELECT 1 FROM trading_partners WHERE id = ?').get(input.partnerId) === undefined
    ) {
      throw new FolderError('not-found', `There is no trading partner ${input.partnerId}. Add it first.`);
    }
    if (input.mappingId !== undefined) {
      const owner = db
        .prepare('SELECT partner_id FROM partner_mappings WHERE id = ?')
        .pluck()
        .get(input.mappingId) as number | undefined;
      if (owner === undefined)
        throw new FolderError('not-found', `There is no saved column mapping ${input.mappingId}.`);
      if (input.partnerId !== undefined && owner !== input.partnerId) {
        throw new FolderError(
          'invalid-input',
          `Column mapping ${input.mappingId} belongs to another trading partner. Choose one of this partner's mappings.`,
        );
      }
    }
    const id = ((db.prepare('SELECT max(id) FROM watched_folders').pluck().get() as number | null) ?? 0) + 1;
    const payload = {
      id,
      name,
      path: folderPath,
      ...(input.partnerId !== undefined ? { partnerId: input.partnerId } : {}),
      ...(input.mappingId !== undefined ? { mappingId: input.mappingId } : {}),
    };
    // The entry's own time is the row's, so the row follows from the entry alone.
    const time = ctx.now();
    const [seq] = writer.append([{ type: FOLDER_ENTRY.added, actor, payload, time }]);
    projectFolderAdded(db, payload, actor, seq!, time);
    return id;
  });
  return value;
}

/** Stops watching a folder: one folders.removed ledger entry; the folder's files are not touched. */
export async function removeFolder(ctx: Workspace, id: number, actor: string): Promise<boolean> {
  const value = await ctx.write((writer) => {
    const row = folderRow(writer.db, id);
    if (row === undefined) return false;
    writer.append([{ type: FOLDER_ENTRY.removed, actor, payload: { id, name: row.name, path: row.path } }]);
    writer.db.prepare('DELETE FROM watched_folders WHERE id = ?').run(id);
    return true;
  });
  return value;
}

/** The projection of a folders.added entry. */
export function projectFolderAdded(
  db: Database,
  p: { id: number; name: string; path: string; partnerId?: number; mappingId?: number },
  actor: string,
  seq: number,
  timeMs: number,
): void {
  db.prepare(
    'INSERT INTO watched_folders (id, name, path, partner_id, mapping_id, added_by, added_seq, added_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  ).run(p.id, p.name, p.path, p.partnerId ?? null, p.mappingId ?? null, actor, seq, timeMs);
}

export interface FolderFileRow {
  readonly name: string;
  readonly size: number;
  readonly outcome: FolderFileOutcome | null;
  readonly message: string | null;
  readonly quarantineId: number | null;
  readonly handledMs: number | null;
}

export interface FolderView extends FolderRow {
  readonly partnerName: string | null;
  readonly files: {
    imported: number;
    alreadyImported: number;
    quarantined: number;
    failed: number;
    waiting: number;
  };
  readonly recent: FolderFileRow[];
}

/** Every watched folder with its partner's name, who added it, and what its files came to. */
export function listFolders(db: Database, recent = 10): FolderView[] {
  const counts = db.prepare(
    'SELECT outcome, count(*) AS n FROM watched_folder_files WHERE folder_id = ? GROUP BY outcome',
  );
  const latest = db.prepare(
    `SELECT name, size, outcome, message, quarantine_id AS quarantineId, handled_ms AS handledMs
     FROM watched_folder_files WHERE folder_id = ? ORDER BY coalesce(handled_ms, first_seen_ms) DESC, name LIMIT ?`,
  );
  const partner = db.prepare('SELECT name FROM trading_partners WHERE id = ?').pluck();
  const person = db.prepare('SELECT display_name FROM users WHERE user_id = ?').pluck();
  return folderRows(db).map((row) => {
    const byOutcome = new Map(
      (counts.all(row.id) as { outcome: FolderFileOutcome | null; n: number }[]).map((c) => [c.outcome, c.n]),
    );
    return {
      ...row,
      addedBy: (person.get(row.addedBy) as string | undefined) ?? row.addedBy,
      partnerName:
        row.partnerId === null ? null : ((partner.get(row.partnerId) as string | undefined) ?? null),
      files: {
        imported: byOutcome.get('imported') ?? 0,
        alreadyImported: byOutcome.get('already-imported') ?? 0,
        quarantined: byOutcome.get('quarantined') ?? 0,
        failed: byOutcome.get('failed') ?? 0,
        waiting: byOutcome.get(null) ?? 0,
      },
      recent: latest.all(row.id, recent) as FolderFileRow[],
    };
  });
}
