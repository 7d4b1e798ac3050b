import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openEncryptedDatabase } from '../../src/core/store/database';
import { migrations, runMigrations } from '../../src/core/store/migrations';
import { randomKey, tempDir } from '../store/helpers';

function migrated() {
  const db = openEncryptedDatabase(path.join(tempDir('custodia-people-schema-'), 'ledger.db'), {
    key: randomKey(),
    create: true,
  });
  runMigrations(db, migrations);
  return db;
}

const MINE = [
  'registrant',
  'settings',
  'users',
  'user_lockout',
  'credentials',
  'products',
  'inv_transactions',
  'signatures',
  'inv_balances',
  'inv_lot_balances',
  'counts',
  'discrepancies',
  'form106_drafts',
  'sealed_inventories',
];

describe('migrations 0100-0120 (people, products, inventory)', () => {
  it('creates STRICT tables', () => {
    const db = migrated();
    for (const name of MINE) {
      const sql = (
        db.prepare("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ?").get(name) as {
          sql: string;
        }
      ).sql;
      expect(sql, name).toMatch(/\)\s*STRICT$/);
    }
    db.close();
  });

  it('refuses a negative balance in the table itself', () => {
    const db = migrated();
    db.prepare("INSERT INTO inv_balances (ndc, qty_milli) VALUES ('0555-0767-02', 5000)").run();
    expect(() =>
      db.prepare("UPDATE inv_balances SET qty_milli = qty_milli - 6000 WHERE ndc = '0555-0767-02'").run(),
    ).toThrow(/CHECK/);
    expect(() =>
      db
        .prepare(
          "INSERT INTO products (ndc, ndc11, name, strength, dosage_form, package_size, unit, schedule, source, added_seq) VALUES ('1-1-1', '1', 'x', '', 'x', NULL, 'x', 'C6', 'manual', 1)",
        )
        .run(),
    ).toThrow(/CHECK/);
    db.close();
  });

  it('answers the per-NDC history and the approvals queue from indexes', () => {
    const db = migrated();
    const plan = (sql: string) =>
      (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[])
        .map((r) => r.detail)
        .join(' | ');
    expect(plan("SELECT * FROM inv_transactions WHERE ndc = '1' ORDER BY seq DESC")).toMatch(
      /USING INDEX inv_transactions_by_ndc/,
    );
    expect(plan("SELECT * FROM inv_transactions WHERE status = 'pending' ORDER BY seq")).toMatch(
      /USING INDEX inv_transactions_by_status/,
    );
    expect(plan("SELECT * FROM counts WHERE ndc = '1' ORDER BY seq DESC LIMIT 1")).toMatch(
      /USING INDEX counts_by_ndc/,
    );
    db.close();
  });
});
