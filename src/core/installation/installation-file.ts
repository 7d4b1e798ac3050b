import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { StoreError } from '../store/errors';

export const INSTALLATION_FILE = 'installation.json';
export const LEDGER_FILE = 'ledger.db';
export const LOCK_FILE = 'ledger.lock';

/**
 * installation.json: which installation this folder is, and nothing secret. `dbKeyCheck` is
 * HMAC-SHA-256(db key, "custodia/db-key-check/v1") cut to 16 bytes: it reveals nothing about a
 * random 256-bit key, and lets us tell "the keychain holds another installation's key" (wrong
 * key) from "the file is damaged" (corrupted), which SQLCipher alone cannot.
 */
export const installationFileSchema = z.object({
  format: z.literal('custodia-installation'),
  version: z.literal(1),
  installId: z.uuid(),
  createdAt: z.iso.datetime(),
  dbKeyCheck: z.string().regex(/^[0-9a-f]{32}$/),
  /** Secret names other modules stored beyond the built-in ones, so the recovery kit carries them. */
  secretNames: z.array(z.string()).default([]),
});

export type InstallationFile = z.infer<typeof installationFileSchema>;

export function dbKeyCheck(dbKey: Uint8Array): string {
  return crypto
    .createHmac('sha256', dbKey)
    .update('custodia/db-key-check/v1')
    .digest()
    .subarray(0, 16)
    .toString('hex');
}

export function readInstallationFile(dataDir: string): InstallationFile | undefined {
  const file = path.join(dataDir, INSTALLATION_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new StoreError('io', `${file} could not be read: check the folder's permissions.`, {
      cause: error,
    });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw damaged(file, error);
  }
  const result = installationFileSchema.safeParse(parsed);
  if (!result.success) throw damaged(file, result.error);
  return result.data;
}

function damaged(file: string, cause: unknown): StoreError {
  return new StoreError(
    'corrupted',
    `${file} is damaged. Restore the folder from a backup, or restore the recovery kit into it ` +
      '("custodia keys restore KIT --data DIR"), which rewrites this file.',
    { cause },
  );
}

/** Write-then-rename, so a crash leaves either the old file or the new one, never half of one. */
export function writeInstallationFile(dataDir: string, content: InstallationFile): void {
  const file = path.join(dataDir, INSTALLATION_FILE);
  const temp = `${file}.${process.pid}.tmp`;
  try {
    const fd = fs.openSync(temp, 'w', 0o600);
    try {
      fs.writeSync(fd, JSON.stringify(content, null, 2) + '\n');
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temp, file);
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw new StoreError('io', `${file} could not be written: check free disk space and permissions.`, {
      cause: error,
    });
  }
}
