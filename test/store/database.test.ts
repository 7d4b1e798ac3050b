import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { openEncryptedDatabase, StoreError, transaction } from '../../src/core/store/database';
import { randomKey, tempDir } from './helpers';

// A DSCSA-style serial number and a Schedule II drug name that must never appear on disk.
const SERIAL = 'SN7Q4Z9X2K1M58';
const DRUG = 'Oxycodone Hydrochloride 5 mg tablet';

function fill(db: Database.Database): void {
  db.exec('CREATE TABLE packages (id INTEGER PRIMARY KEY, serial TEXT NOT NULL, drug TEXT NOT NULL) STRICT');
  const insert = db.prepare('INSERT INTO packages (serial, drug) VALUES (?, ?)');
  transaction(db, () => {
    for (let i = 0; i < 200; i++) insert.run(`${SERIAL}`, `${DRUG} #${i}`);
  });
}

function rawBytes(file: string): Buffer {
  return fs.existsSync(file) ? fs.readFileSync(file) : Buffer.alloc(0);
}

function containsText(bytes: Buffer, text: string): boolean {
  return bytes.includes(Buffer.from(text, 'utf8')) || bytes.includes(Buffer.from(text, 'utf16le'));
}

describe('encrypted database', () => {
  it('leaves no plaintext in the database file or its WAL', () => {
    const dir = tempDir();
    const file = path.join(dir, 'ledger.db');
    const db = openEncryptedDatabase(file, { key: randomKey(), create: true });
    fill(db);
    // While open, the committed rows sit in the WAL; read both files as a copier would.
    const wal = rawBytes(`${file}-wal`);
    expect(wal.length).toBeGreaterThan(0);
    for (const bytes of [rawBytes(file), wal]) {
      expect(containsText(bytes, SERIAL)).toBe(false);
      expect(containsText(bytes, 'Oxycodone')).toBe(false);
    }
    db.close();
    expect(containsText(rawBytes(file), SERIAL)).toBe(false);
    expect(containsText(rawBytes(file), 'Oxycodone')).toBe(false);

    // Control: the same scan does find the strings in an unencrypted database, so the check can fail.
    const plainFile = path.join(dir, 'plain.db');
    const plain = new Database(plainFile);
    plain.pragma('journal_mode = WAL');
    fill(plain);
    expect(containsText(Buffer.concat([rawBytes(plainFile), rawBytes(`${plainFile}-wal`)]), SERIAL)).toBe(
      true,
    );
    plain.close();
  });

  it('reopens with the right key and applies WAL, foreign keys and an in-memory temp store', () => {
    const file = path.join(tempDir(), 'ledger.db');
    const key = randomKey();
    fill(openEncryptedDatabase(file, { key, create: true }));
    const db = openEncryptedDatabase(file, { key });
    expect(db.prepare('SELECT count(*) AS n FROM packages').get()).toEqual({ n: 200 });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('temp_store', { simple: true })).toBe(2);
    db.close();
  });

  it('reports a wrong key as wrong-key', () => {
    const file = path.join(tempDir(), 'ledger.db');
    const db = openEncryptedDatabase(file, { key: randomKey(), create: true });
    fill(db);
    db.close();
    expect(() => openEncryptedDatabase(file, { key: randomKey() })).toThrow(
      expect.objectContaining({ name: 'StoreError', kind: 'wrong-key' }),
    );
  });

  it('reports garbage, an empty file and a plaintext SQLite file as corrupted', () => {
    const dir = tempDir();
    const cases: Record<string, Buffer> = {
      'garbage.db': crypto.randomBytes(10_000),
      'empty.db': Buffer.alloc(0),
      'text.db': Buffer.from('this is not a database\n'.repeat(500)),
    };
    const plain = new Database(path.join(dir, 'plain.db'));
    plain.exec('CREATE TABLE t (a TEXT) STRICT');
    plain.close();
    for (const [name, bytes] of Object.entries(cases)) fs.writeFileSync(path.join(dir, name), bytes);
    for (const name of [...Object.keys(cases), 'plain.db']) {
      expect(() => openEncryptedDatabase(path.join(dir, name), { key: randomKey() }), name).toThrow(
        expect.objectContaining({ kind: 'corrupted' }),
      );
    }
    // Whole pages of random bytes look like a ledger under another key, unless the key is known
    // to be right (the installation's key check matched): then the file is damaged.
    const pages = path.join(dir, 'pages.db');
    fs.writeFileSync(pages, crypto.randomBytes(8192));
    expect(() => openEncryptedDatabase(pages, { key: randomKey(), keyVerified: true })).toThrow(
      expect.objectContaining({ kind: 'corrupted' }),
    );
  });

  it('detects a damaged page of a real ledger under the right key', () => {
    const file = path.join(tempDir(), 'ledger.db');
    const key = randomKey();
    const db = openEncryptedDatabase(file, { key, create: true });
    fill(db);
    db.close();
    const bytes = fs.readFileSync(file);
    bytes[100] = bytes[100]! ^ 0x01; // inside page 1: its HMAC no longer matches
    fs.writeFileSync(file, bytes);
    expect(() => openEncryptedDatabase(file, { key, keyVerified: true })).toThrow(
      expect.objectContaining({ kind: 'corrupted' }),
    );
  });

  it('reports a missing file as not-found and never creates one unasked', () => {
    const file = path.join(tempDir(), 'missing.db');
    expect(() => openEncryptedDatabase(file, { key: randomKey() })).toThrow(
      expect.objectContaining({ kind: 'not-found' }),
    );
    expect(fs.existsSync(file)).toBe(false);
  });

  it('rolls back a transaction that throws and keeps StoreError for busy databases', () => {
    const file = path.join(tempDir(), 'ledger.db');
    const db = openEncryptedDatabase(file, { key: randomKey(), create: true });
    db.exec('CREATE TABLE t (n INTEGER NOT NULL) STRICT');
    expect(() =>
      transaction(db, (tx) => {
        tx.prepare('INSERT INTO t VALUES (1)').run();
        throw new Error('business rule');
      }),
    ).toThrow('business rule');
    expect(db.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 0 });
    expect(transaction(db, (tx) => tx.prepare('INSERT INTO t VALUES (2)').run().changes)).toBe(1);
    expect(new StoreError('io', 'x')).toBeInstanceOf(Error);
    db.close();
  });
});
