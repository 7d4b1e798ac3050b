import fs from 'node:fs';
import path from 'node:path';
import { INSTALLATION_FILE, LEDGER_FILE, LOCK_FILE } from '../installation/installation-file';
import type { SecretStore } from '../secrets/secret-store';
import { acquireWriterLock } from '../store/lock';
import { nameStorageFailure } from './damage';
import { LedgerError, type Ledger } from './ledger';
import { openLedger } from './open';
import { verifyLedger } from './verify';

/**
 * Backups of the ledger (issue 17 scope 1a): the way on after an alarm that does not lose records.
 * A backup is `custodia-backup-<time>-<records>.db`, the ledger copied by SQLite's VACUUM INTO on
 * the ledger's own connection (so it is encrypted with the ledger's key, and opens only with this
 * installation's keychain or recovery kit), plus `<same>.checkpoint`, the signed checkpoint it
 * holds, which anyone can check with the public key before restoring.
 */
export const BACKUP_PREFIX = 'custodia-backup-';
/** Backups kept in the folder; the oldest beyond this are removed after each new one. */
export const BACKUPS_KEPT = 30;

const SETTINGS_FILE = 'backup.json';

/** The folder the person chose for backups (remembered in the data folder), or null. */
export function backupFolder(dataDir: string): string | null {
  try {
    const parsed = JSON.parse(fs.readFileSync(path.join(dataDir, SETTINGS_FILE), 'utf8')) as unknown;
    const folder = (parsed as { folder?: unknown }).folder;
    return typeof folder === 'string' && folder.length > 0 ? folder : null;
  } catch {
    return null;
  }
}

/** Remembers the backup folder: backups go there after each import and daily. */
export function setBackupFolder(dataDir: string, folder: string): void {
  const file = path.join(dataDir, SETTINGS_FILE);
  fs.writeFileSync(`${file}.partial`, JSON.stringify({ folder: path.resolve(folder) }) + '\n', {
    mode: 0o600,
  });
  fs.renameSync(`${file}.partial`, file);
}

/** When the newest backup in folder was made (from its file time), or null if there is none. */
export function lastBackupMs(folder: string): number | null {
  const newest = listBackups(folder)[0];
  return newest === undefined ? null : fs.statSync(newest).mtimeMs;
}

export interface BackupResult {
  readonly file: string;
  readonly checkpointFile: string;
  readonly size: number;
}

/**
 * Writes one backup into folder. It waits for a long write (an import) to end, then copies with
 * no await between reading the latest checkpoint and the copy, so the file holds exactly the state
 * that checkpoint signs. Written under a temporary name and renamed complete.
 */
export async function backupLedger(ledger: Ledger, folder: string, now = Date.now()): Promise<BackupResult> {
  await ledger.idle();
  fs.mkdirSync(folder, { recursive: true, mode: 0o700 });
  const checkpoint = ledger.latestCheckpoint();
  const stamp = new Date(now).toISOString().replace(/[:.]/g, '-');
  const file = path.join(folder, `${BACKUP_PREFIX}${stamp}-${checkpoint.size}.db`);
  const partial = `${file}.partial`;
  fs.rmSync(partial, { force: true });
  try {
    ledger.db.prepare('VACUUM INTO ?').run(partial);
  } catch (error) {
    fs.rmSync(partial, { force: true });
    throw nameStorageFailure(error, folder, ledgerBytes(ledger));
  }
  fs.chmodSync(partial, 0o600);
  const fd = fs.openSync(partial, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(partial, file);
  const checkpointFile = `${file.slice(0, -'.db'.length)}.checkpoint`;
  fs.writeFileSync(checkpointFile, checkpoint.note, { mode: 0o600 });
  prune(folder);
  return { file, checkpointFile, size: checkpoint.size };
}

/** Backup files in folder, newest first (their names sort by time). */
export function listBackups(folder: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(folder);
  } catch {
    return [];
  }
  return names
    .filter((n) => n.startsWith(BACKUP_PREFIX) && n.endsWith('.db'))
    .sort()
    .reverse()
    .map((n) => path.join(folder, n));
}

/** The newest backups in folder, for the Settings page: file, records held, when made. */
export function describeBackups(
  folder: string | null,
  most = 5,
): { file: string; records: number; madeMs: number }[] {
  if (folder === null) return [];
  return listBackups(folder)
    .slice(0, most)
    .map((file) => ({
      file,
      records: Number(/-(\d+)\.db$/.exec(file)?.[1] ?? 0),
      madeMs: fs.statSync(file).mtimeMs,
    }));
}

function prune(folder: string): void {
  for (const old of listBackups(folder).slice(BACKUPS_KEPT)) {
    fs.rmSync(old, { force: true });
    fs.rmSync(`${old.slice(0, -'.db'.length)}.checkpoint`, { force: true });
  }
}

function ledgerBytes(ledger: Ledger): number {
  try {
    return fs.statSync(path.join(ledger.host.dataDir ?? '.', LEDGER_FILE)).size;
  } catch {
    return 0;
  }
}

export interface RestoreResult {
  readonly size: number;
  /** Where the ledger it replaced was moved (kept for the investigation), or null if there was none. */
  readonly replaced: string | null;
  readonly verdict: string;
}

/**
 * Puts a backup in place of the ledger in dataDir, only if it is as new as the last checkpoint
 * this computer signed (the keychain copy) and verifies whole: it is opened and verified in a
 * staging folder first, and the ledger it replaces is kept next to it, never deleted. An older
 * backup is refused with what it would lose; only the dual-signed acceptance of the loss goes on
 * from there. The app must not hold the ledger meanwhile (its writer lock is taken here).
 */
export async function restoreBackup(options: {
  readonly dataDir: string;
  readonly file: string;
  readonly secrets?: SecretStore;
  readonly now?: number;
}): Promise<RestoreResult> {
  const dataDir = path.resolve(options.dataDir);
  if (!fs.existsSync(path.join(dataDir, INSTALLATION_FILE))) {
    throw new LedgerError('not-created', `There is no Custodia installation in ${dataDir} to restore into.`);
  }
  if (!fs.existsSync(options.file))
    throw new LedgerError('not-created', `There is no backup at ${options.file}.`);
  const lock = acquireWriterLock(path.join(dataDir, LOCK_FILE));
  const staging = fs.mkdtempSync(path.join(dataDir, 'restoring-'));
  try {
    fs.copyFileSync(path.join(dataDir, INSTALLATION_FILE), path.join(staging, INSTALLATION_FILE));
    fs.copyFileSync(options.file, path.join(staging, LEDGER_FILE));
    const opened = await openLedger({
      dataDir: staging,
      createIfMissing: false,
      ...(options.secrets ? { secrets: options.secrets } : {}),
    });
    let size: number;
    let verdict: string;
    try {
      if (opened.ledger.blocked !== null) {
        throw new LedgerError(
          'integrity-alarm',
          `This backup cannot be restored: ${opened.ledger.blocked} Restore a newer backup; if there is none, ` +
            'two people must accept the loss and start a new log.',
        );
      }
      const result = await verifyLedger(opened.ledger);
      if (result.status !== 'consistent') {
        throw new LedgerError('integrity-alarm', `This backup does not verify: ${result.message}`);
      }
      size = opened.ledger.size;
      verdict = result.message;
    } finally {
      opened.close();
    }
    const stamp = new Date(options.now ?? Date.now()).toISOString().replace(/[:.]/g, '-');
    const current = path.join(dataDir, LEDGER_FILE);
    let replaced: string | null = null;
    if (fs.existsSync(current)) {
      replaced = `${current}.before-restore-${stamp}`;
      fs.renameSync(current, replaced);
    }
    for (const side of ['-wal', '-shm']) {
      if (fs.existsSync(current + side)) fs.renameSync(current + side, `${replaced ?? current}${side}`);
    }
    fs.renameSync(path.join(staging, LEDGER_FILE), current);
    return { size, replaced, verdict };
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
    lock.release();
  }
}
