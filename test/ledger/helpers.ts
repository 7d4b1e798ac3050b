import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
import { openInstallation, type Installation } from '../../src/core/installation/installation';
import {
  BUNDLE_MAGIC_V1,
  bundlePrelude,
  parseBundle,
  type BundleHeader,
} from '../../src/core/ledger/audit-verify/bundle-format';
import { Ledger, type LedgerOptions } from '../../src/core/ledger/ledger';
import { signNote } from '../../src/core/ledger/note';
import { activeSigners } from '../../src/core/ledger/signing-keys';
import { createMemorySecretStore } from '../../src/core/secrets/memory-store';
import type { SecretStore } from '../../src/core/secrets/secret-store';

export function tempDir(prefix = 'custodia-ledger-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A list of folders the tests of this file make; each is removed after its test. */
export function removedAfterEach(): string[] {
  const made: string[] = [];
  afterEach(() => {
    for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });
  return made;
}

export interface Opened {
  installation: Installation;
  ledger: Ledger;
  secrets: SecretStore;
  dataDir: string;
  close(): void;
}

/**
 * A ledger on a fresh installation with an in-memory keychain. These tests are about the ledger,
 * not the keychain (keychain behaviour is tested under scripts/with-keyring.sh).
 */
export async function openTestLedger(
  dataDir = tempDir(),
  secrets: SecretStore = createMemorySecretStore(),
  options: LedgerOptions = {},
): Promise<Opened> {
  const installation = await openInstallation({ dataDir, secrets, createIfMissing: true });
  try {
    const ledger = await Ledger.open(installation, { appVersion: 'test', ...options });
    return { installation, ledger, secrets, dataDir, close: () => installation.close() };
  } catch (error) {
    installation.close();
    throw error;
  }
}

export function sampleEntries(count: number, offset = 0) {
  return Array.from({ length: count }, (_, i) => ({
    type: 'test.event',
    actor: 'user-1',
    payload: { n: offset + i, note: `entry ${offset + i}`, nested: { seq: 999, text: ',"seq":5,' } },
  }));
}

/** The same bundle's parts as a version 1 file: the manifest inside the header, signed as v1 or not. */
export function asVersion1(bytes: Buffer, manifest: string): Buffer {
  const parsed = parseBundle(bytes);
  const header: BundleHeader = {
    format: BUNDLE_MAGIC_V1,
    manifest,
    keys: parsed.header.keys,
    checkpoints: parsed.header.checkpoints,
    prefix: parsed.header.prefix,
  };
  const leaves = Array.from(parsed.starts, (s, i) => bytes.subarray(s, parsed.ends[i]!));
  return Buffer.concat([
    bundlePrelude(header, leaves.length),
    ...leaves.flatMap((l) => [l, Buffer.from('\n')]),
    Buffer.from('end\n'),
  ]);
}

/** The bundle's manifest re-signed as a version 1 manifest (first line v1, no header digest). */
export function v1Manifest(bytes: Buffer, o: Opened): string {
  return signNote(
    parseBundle(bytes)
      .header.manifest.split('\n\n')[0]!
      .replace('custodia.app/audit-bundle/v2', 'custodia.app/audit-bundle/v1')
      .replace(/\nheader [^\n]+$/, '\n'),
    activeSigners(o.ledger.signingKeys(), Date.now()),
  );
}
