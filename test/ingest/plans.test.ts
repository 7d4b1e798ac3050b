import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openEncryptedDatabase } from '../../src/core/store/database';
import { migrations, runMigrations } from '../../src/core/store/migrations';

/*
 * The statements an import runs per event, held to the indexes they rely on (EXPLAIN QUERY PLAN):
 * a full scan of serial_state or trace_ids per event would grow an import quadratically.
 */

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custodia-import-plans-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const db = openEncryptedDatabase(path.join(dir, 'ledger.db'), { key: crypto.randomBytes(32), create: true });
runMigrations(db, migrations);
afterAll(() => db.close());

const plan = (sql: string) =>
  (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail).join(' | ');

describe('query plans of the import (trace/state.ts, ingest/apply/events.ts)', () => {
  it("a container's contents move through the parent index (cascadeOne, nested)", () => {
    expect(
      plan(
        `UPDATE serial_state SET state = 'shipped' WHERE parent_id = 1 AND state NOT IN ('dispensed', 'decommissioned', 'destroyed')`,
      ),
    ).toMatch(/SEARCH serial_state USING INDEX serial_state_by_parent \(parent_id=\?\)/);
    const nested = plan(
      'SELECT 1 FROM serial_state WHERE parent_id IN (SELECT trace_id FROM serial_state WHERE parent_id = 1) LIMIT 1',
    );
    expect(nested).not.toMatch(/SCAN serial_state/);
    expect(nested.match(/serial_state_by_parent/g)?.length).toBe(2);
  });

  it('a pallet packs its children by row id (packMany, edgeAddMany)', () => {
    const pack = plan(
      "UPDATE serial_state SET parent_id = 1 WHERE trace_id IN (SELECT value FROM json_each('[2,3]'))",
    );
    expect(pack).toMatch(/SEARCH serial_state USING INTEGER PRIMARY KEY \(rowid=\?\)/);
    expect(pack).not.toMatch(/SCAN serial_state/);
  });
});
