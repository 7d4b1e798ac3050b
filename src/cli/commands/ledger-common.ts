import fs from 'node:fs';
import path from 'node:path';
import { INSTALLATION_FILE, LEDGER_FILE } from '../../core/installation/installation-file';
import type { Ledger } from '../../core/ledger/ledger';
import { openLedger, openLedgerReadOnly, type OpenLedger } from '../../core/ledger/open';
import { defaultDataDir } from '../../core/platform/data-dir';
import { StoreError } from '../../core/store/errors';
import { UsageError, type ParsedArgs } from '../command';
import { packageVersion } from '../version';
import { dataDirOf } from './keys-common';

/**
 * The ledger in --data DIR. Only the commands that bring records in may create one there
 * (`import`; the app's setup and `custodia call` through the core); every other command refuses a
 * folder that holds no ledger instead of creating an empty one and reporting it as consistent.
 */
export async function openCliLedger(
  args: ParsedArgs,
  options: { create?: boolean } = {},
): Promise<OpenLedger> {
  const dataDir = dataDirOf(args);
  try {
    return await openLedger({
      dataDir,
      createIfMissing: options.create === true,
      appVersion: packageVersion(),
    });
  } catch (error) {
    if (error instanceof StoreError && error.kind === 'not-found' && !hasLedger(dataDir)) {
      throw new UsageError(`no Custodia ledger in ${dataDir}${didYouMean(dataDir)}; check --data.`);
    }
    throw error;
  }
}

/** Refuses a --data folder that holds no ledger, naming a near one (before anyone types a password). */
export function requireLedger(args: ParsedArgs): void {
  const dataDir = dataDirOf(args);
  if (!hasLedger(dataDir))
    throw new UsageError(`no Custodia ledger in ${dataDir}${didYouMean(dataDir)}; check --data.`);
}

/**
 * The ledger for a command that only reads and verifies: the writer connection when it is free,
 * else a read-only second connection while the app or `custodia serve` holds it (issue 17).
 */
export async function openCliLedgerForReading(args: ParsedArgs): Promise<{ ledger: Ledger; close(): void }> {
  try {
    return await openCliLedger(args);
  } catch (error) {
    if (!(error instanceof StoreError && error.kind === 'locked')) throw error;
    return openLedgerReadOnly({ dataDir: dataDirOf(args) });
  }
}

/** Does dir hold a Custodia ledger (or the start of one)? */
export function hasLedger(dir: string): boolean {
  return fs.existsSync(path.join(dir, INSTALLATION_FILE)) || fs.existsSync(path.join(dir, LEDGER_FILE));
}

/** A folder next to the one given (a typo) or the default data folder that does hold a ledger. */
function didYouMean(dataDir: string): string {
  const candidates: string[] = [];
  const parent = path.dirname(dataDir);
  try {
    for (const name of fs.readdirSync(parent)) {
      const dir = path.join(parent, name);
      if (dir !== dataDir && close(name, path.basename(dataDir)) && hasLedger(dir)) candidates.push(dir);
    }
  } catch {
    // the parent folder is missing or unreadable: nothing to suggest from it
  }
  const fallback = defaultDataDir();
  if (fallback !== dataDir && hasLedger(fallback)) candidates.push(fallback);
  return candidates.length === 0 ? '' : ` (did you mean ${candidates.slice(0, 3).join(' or ')}?)`;
}

/** Two names one or two edits apart (Levenshtein), or one the other's prefix. */
function close(a: string, b: string): boolean {
  if (a.startsWith(b) || b.startsWith(a)) return true;
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]! <= 2;
}

/** Exit status of a verdict: 0 only for consistent. */
export function verdictExit(status: 'consistent' | 'inconsistent' | 'unknown'): number {
  return status === 'consistent' ? 0 : status === 'inconsistent' ? 1 : 3;
}
