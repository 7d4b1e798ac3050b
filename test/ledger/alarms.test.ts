import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/core/api/errors';
import { openCheckpoint } from '../../src/core/ledger/checkpoint';
import type { NoteVerifier } from '../../src/core/ledger/note';
import { verifyLedger } from '../../src/core/ledger/verify';
import { createWorkspace, type Workspace } from '../../src/core/ledger/workspace';
import { createFieldSealer } from '../../src/core/sealing/field-sealer';
import { createMemorySecretStore } from '../../src/core/secrets/memory-store';
import { SECRET_NAMES } from '../../src/core/secrets/names';
import type { SecretStore } from '../../src/core/secrets/secret-store';
import { openTestLedger, removedAfterEach, sampleEntries, tempDir, type Opened } from './helpers';

/**
 * Issue 17 scope 1: every alarm fails verification, turns the ledger read-only with the alarm's
 * text, and no checkpoint of a smaller or different tree is ever signed or copied to the keychain.
 * Each test watches every checkpoint the keychain copy was set to and every one stored in any
 * database it opened, and asserts they all belong to one growing history.
 */

const made = removedAfterEach();

/** A memory keychain that remembers every value the checkpoint copy was given. */
function watchedKeychain(): { secrets: SecretStore; copies: string[] } {
  const root = createMemorySecretStore();
  const copies: string[] = [];
  return {
    copies,
    secrets: {
      get: root.get,
      delete: root.delete,
      set: async (name, value) => {
        if (name.endsWith(SECRET_NAMES.ledgerCheckpoint)) copies.push(value);
        await root.set(name, value);
      },
    },
  };
}

function workspaceOf(x: Opened): Workspace {
  return createWorkspace({
    ledger: x.ledger,
    sealer: createFieldSealer(x.installation.keys),
    dataDir: x.dataDir,
    projections: { project: () => undefined, prefixes: [] },
  });
}

/** Every checkpoint note stored in the open database. */
const storedNotes = (x: Opened) =>
  x.installation.db.prepare('SELECT note FROM ledger_checkpoints ORDER BY id').pluck().all() as string[];

/**
 * All notes one key signed form one history: sizes never repeat with two roots, and every
 * checkpoint copy given to the keychain is at least as large as the one before it.
 */
function expectNoFork(notes: readonly string[], copies: readonly string[], verifiers: NoteVerifier[]) {
  const rootBySize = new Map<number, string>();
  for (const note of [...notes, ...copies]) {
    const opened = openCheckpoint(note, verifiers);
    expect(opened.ok).toBe(true);
    if (!opened.ok) continue;
    const root = opened.checkpoint.root.toString('base64');
    const seen = rootBySize.get(opened.checkpoint.size);
    if (seen !== undefined) expect(root, `two trees of size ${opened.checkpoint.size}`).toBe(seen);
    rootBySize.set(opened.checkpoint.size, root);
  }
  let last = -1;
  for (const copy of copies) {
    const opened = openCheckpoint(copy, verifiers);
    if (!opened.ok) continue;
    expect(opened.checkpoint.size, 'the keychain copy went backwards').toBeGreaterThanOrEqual(last);
    last = opened.checkpoint.size;
  }
}

async function expectReadOnly(x: Opened, words: string) {
  const size = x.ledger.size;
  const ws = workspaceOf(x);
  const refusal = await ws
    .write((tx) => tx.record('test.event', 'user-1', { n: 1 }))
    .then(
      () => null,
      (error: unknown) => error,
    );
  expect(refusal).toBeInstanceOf(ApiError);
  expect((refusal as ApiError).code).toBe('integrity-alarm');
  expect((refusal as ApiError).message).toContain(words);
  expect((refusal as ApiError).message).toContain('read-only');
  await expect(ws.checkpoint({ type: 'audit.exported', actor: 'u', payload: {} })).rejects.toThrow(words);
  expect(x.ledger.size).toBe(size);
  const verdict = await verifyLedger(x.ledger);
  expect(verdict.status).toBe('inconsistent');
  expect(verdict.message).toContain(words);
}

/** A ledger of 1 + 5 records, its closed file, then 5 more records: the first file is an older copy. */
async function ledgerWithOlderCopy(secrets: SecretStore) {
  const dataDir = tempDir();
  made.push(dataDir);
  const a = await openTestLedger(dataDir, secrets);
  await a.ledger.transactEntries(sampleEntries(5));
  const verifiers = a.ledger.keychainVerifiers();
  a.close();
  const dbFile = path.join(dataDir, 'ledger.db');
  const older = fs.readFileSync(dbFile);
  const b = await openTestLedger(dataDir, secrets);
  await b.ledger.transactEntries(sampleEntries(5, 5));
  const notes = storedNotes(b);
  b.close();
  return { dataDir, dbFile, older, notes, verifiers };
}

describe('standing alarms (issue 17 scope 1)', () => {
  it('rollback to an older copy, the keychain copy present: named, verify fails, read-only, the copy kept', async () => {
    const { secrets, copies } = watchedKeychain();
    const { dataDir, dbFile, older, notes, verifiers } = await ledgerWithOlderCopy(secrets);
    const newest = copies.at(-1)!;
    fs.writeFileSync(dbFile, older);
    for (let round = 0; round < 2; round++) {
      // Twice: the alarm stands across restarts without any entry recording it.
      const x = await openTestLedger(dataDir, secrets);
      try {
        expect(x.ledger.blocked).toContain('records 6..10 are gone');
        expect(x.ledger.alarms().map((a) => a.kind)).toEqual(['rollback']);
        await expectReadOnly(x, 'records 6..10 are gone');
        expect(x.ledger.size).toBe(6);
        expectNoFork([...notes, ...storedNotes(x)], copies, verifiers);
      } finally {
        x.close();
      }
      expect(copies.at(-1)).toBe(newest);
    }
  });

  it('rollback with the keychain copy deleted too: still an alarm, never silent', async () => {
    const { secrets, copies } = watchedKeychain();
    const { dataDir, dbFile, older, notes, verifiers } = await ledgerWithOlderCopy(secrets);
    const opened = await openTestLedger(dataDir, secrets);
    await opened.installation.secrets.delete(SECRET_NAMES.ledgerCheckpoint);
    opened.close();
    fs.writeFileSync(dbFile, older);
    const x = await openTestLedger(dataDir, secrets);
    try {
      expect(x.ledger.alarms().map((a) => a.kind)).toEqual(['copy-missing']);
      await expectReadOnly(x, 'checkpoint kept in this computer');
      expect(await x.installation.secrets.get(SECRET_NAMES.ledgerCheckpoint)).toBeNull();
      expectNoFork([...notes, ...storedNotes(x)], copies, verifiers);
    } finally {
      x.close();
    }
  });

  it('a cut tail: named with the records gone, verify fails, read-only', async () => {
    const { secrets, copies } = watchedKeychain();
    const x = await openTestLedger(undefined, secrets);
    made.push(x.dataDir);
    await x.ledger.transactEntries(sampleEntries(8));
    const verifiers = x.ledger.keychainVerifiers();
    x.installation.db.exec('DROP TRIGGER ledger_leaves_no_delete; DELETE FROM ledger_leaves WHERE seq >= 6;');
    x.close();
    const y = await openTestLedger(x.dataDir, secrets);
    try {
      expect(y.ledger.alarms().map((a) => a.kind)).toEqual(['truncation']);
      await expectReadOnly(y, 'records 6..8 are gone');
      expectNoFork(storedNotes(y), copies, verifiers);
    } finally {
      y.close();
    }
  });

  it('damaged pages: named as damage (never the raw SQLite text), verify fails, read-only', async () => {
    const { secrets } = watchedKeychain();
    const x = await openTestLedger(undefined, secrets);
    made.push(x.dataDir);
    for (let i = 0; i < 20; i++) await x.ledger.transactEntries(sampleEntries(100, i * 100));
    x.close();
    const dbFile = path.join(x.dataDir, 'ledger.db');
    const bytes = fs.readFileSync(dbFile);
    // Scribble over a few pages in the middle of the file (leaf pages, far from page 1).
    for (const at of [0.4, 0.5, 0.6]) {
      const page = Math.floor((bytes.length * at) / 4096) * 4096;
      for (let i = 200; i < 264; i++) bytes[page + i] = bytes[page + i]! ^ 0x5a;
    }
    fs.writeFileSync(dbFile, bytes);
    let y: Opened;
    try {
      y = await openTestLedger(x.dataDir, secrets);
    } catch (error) {
      // Found while opening: the same named message, and nothing was opened to write to.
      expect((error as Error).message).toContain('is damaged: do not write to it');
      return;
    }
    try {
      const verdict = await verifyLedger(y.ledger);
      expect(verdict.status).toBe('inconsistent');
      expect(verdict.message).toContain('is damaged: do not write to it');
      expect(verdict.message).not.toMatch(/SQLITE_|malformed/);
      await expectReadOnly(y, 'is damaged: do not write to it');
    } finally {
      y.close();
    }
  });

  it("another installation's database put in place of this one's: refused with the cause", async () => {
    const secrets = createMemorySecretStore();
    const a = await openTestLedger(undefined, secrets);
    const b = await openTestLedger(undefined, secrets);
    made.push(a.dataDir, b.dataDir);
    await b.ledger.transactEntries(sampleEntries(3));
    a.close();
    b.close();
    fs.copyFileSync(path.join(b.dataDir, 'ledger.db'), path.join(a.dataDir, 'ledger.db'));
    await expect(openTestLedger(a.dataDir, secrets)).rejects.toThrow(
      /another installation|does not belong|damaged/,
    );
  });

  it('a second copy of the database moving the keychain copy on: the first refuses to sign a fork', async () => {
    const { secrets, copies } = watchedKeychain();
    const first = await openTestLedger(undefined, secrets);
    made.push(first.dataDir);
    await first.ledger.transactEntries(sampleEntries(3));
    const verifiers = first.ledger.keychainVerifiers();
    first.installation.db.pragma('wal_checkpoint(TRUNCATE)');
    const twinDir = tempDir();
    made.push(twinDir);
    for (const f of ['installation.json', 'ledger.db']) {
      fs.copyFileSync(path.join(first.dataDir, f), path.join(twinDir, f));
    }
    const twin = await openTestLedger(twinDir, secrets);
    try {
      await twin.ledger.transactEntries(sampleEntries(2, 100));
      const twinCopy = copies.at(-1)!;
      const before = first.ledger.size;
      await expect(first.ledger.transactEntries(sampleEntries(1, 200))).rejects.toThrow();
      expect(first.ledger.size).toBe(before);
      expect(first.ledger.blocked).not.toBeNull();
      expect(copies.at(-1)).toBe(twinCopy);
      expectNoFork([...storedNotes(first), ...storedNotes(twin)], copies, verifiers);
    } finally {
      twin.close();
      first.close();
    }
  });

  it('writes wait for the check after opening, and one that finds a fault refuses them', async () => {
    const x = await openTestLedger();
    made.push(x.dataDir);
    try {
      let finish!: () => void;
      x.ledger.holdWritesUntil(new Promise<void>((resolve) => (finish = resolve)));
      const size = x.ledger.size;
      const write = x.ledger.transactEntries(sampleEntries(1));
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(x.ledger.size).toBe(size);
      x.ledger.block('the check after opening found record 3 changed', 'integrity');
      finish();
      await expect(write).rejects.toThrow('record 3 changed');
      expect(x.ledger.size).toBe(size);
    } finally {
      x.close();
    }
  });

  it('damage in the checkpoint table is found at open by the page check, before anything is read from it', async () => {
    const x = await openTestLedger();
    made.push(x.dataDir);
    for (let i = 0; i < 30; i++) await x.ledger.transactEntries(sampleEntries(2, i * 2));
    const pages = x.installation.db
      .prepare("SELECT pageno FROM dbstat WHERE name = 'ledger_checkpoints' AND pagetype = 'leaf'")
      .pluck()
      .all() as number[];
    x.close();
    const dbFile = path.join(x.dataDir, 'ledger.db');
    const bytes = fs.readFileSync(dbFile);
    const page = pages[0]! - 1;
    for (let i = 100; i < 200; i++) bytes[page * 4096 + i] = bytes[page * 4096 + i]! ^ 0xff;
    fs.writeFileSync(dbFile, bytes);
    let opened: Opened | null = null;
    try {
      opened = await openTestLedger(x.dataDir, x.secrets);
      expect(opened.ledger.blocked).toContain('is damaged: do not write to it');
    } catch (error) {
      expect((error as Error).message).toContain('is damaged: do not write to it');
    } finally {
      opened?.close();
    }
  });
});
