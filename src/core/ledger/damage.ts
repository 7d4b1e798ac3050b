import fs from 'node:fs';
import path from 'node:path';
import { LEDGER_FILE } from '../installation/installation-file';
import { sqliteCode } from '../store/errors';
import { LedgerError } from './ledger-error';

/** Space below which the app warns before a write runs out of it (issue 17 scope 2). */
export const LOW_SPACE_BYTES = 512 * 1024 * 1024;

export function isDamage(error: unknown): boolean {
  const code = sqliteCode(error) ?? '';
  return code === 'SQLITE_CORRUPT' || code.startsWith('SQLITE_CORRUPT_') || code === 'SQLITE_NOTADB';
}

export function isDiskFull(error: unknown): boolean {
  return sqliteCode(error) === 'SQLITE_FULL';
}

/** What a damaged ledger file is called everywhere (open, write, verify), never the raw SQLite text. */
export function damageMessage(dataDir: string): string {
  return (
    `The ledger file ${path.join(dataDir, LEDGER_FILE)} is damaged: do not write to it. Restore the latest backup ` +
    '("custodia backup restore FILE"), then run "custodia ledger verify"; keep the damaged file for the investigation.'
  );
}

/** Free bytes on the volume holding dir, or null where the platform cannot say. */
export function freeBytes(dir: string): number | null {
  try {
    const s = fs.statfsSync(dir);
    return s.bavail * s.bsize;
  } catch {
    return null;
  }
}

const mib = (bytes: number) => `${Math.ceil(bytes / (1024 * 1024))} MB`;

/**
 * A full disk: where, how much is free, and how much the work needs (the write's own size plus the
 * journal SQLite keeps until it is folded into the file: about twice what is written).
 */
export function diskFullMessage(dataDir: string, needBytes: number): string {
  const free = freeBytes(dataDir);
  return (
    `The disk holding ${dataDir} is full${free === null ? '' : ` (${mib(free)} free)`}: nothing was recorded and the ledger is whole. ` +
    `This work needs about ${mib(Math.max(needBytes, LOW_SPACE_BYTES / 8))} free there; free space on that disk, then try again.`
  );
}

/** A storage failure of a ledger read or write as the named ledger error, or the error itself. */
export function nameStorageFailure(error: unknown, dataDir: string, needBytes = 0): unknown {
  if (isDamage(error)) return new LedgerError('damaged', damageMessage(dataDir));
  if (isDiskFull(error)) return new LedgerError('disk-full', diskFullMessage(dataDir, needBytes));
  return error;
}
