import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, describe, expect, it } from 'vitest';
import { ShipmentStore } from '../../src/core/ingest/apply/shipments';
import { TRACE_TABLES } from '../../src/core/ingest/rebuild';
import { T3_SQL } from '../../src/core/reports/kinds/dscsa-t3-data';
import { SQL as TRACE_SQL, trace } from '../../src/core/trace/query';
import { FIXTURES, freshContext, importText } from './helpers';

/*
 * Issue 16: every index on a table an import writes costs each imported event a B-tree insert, so
 * each one must be used by a query the app runs. The queries are the statements an import itself
 * runs (captured as it runs them, with their arguments) and the named queries that read what it
 * wrote (trace/query.ts, the DSCSA T3 report's): each index appears in the EXPLAIN QUERY PLAN of at
 * least one of them, and the test says which.
 */

/** The tables a rebuild replays (TRACE_TABLES) but the partner ones, which people edit and an import only reads. */
const IMPORTED = TRACE_TABLES.filter((t) => !t.startsWith('partner_') && t !== 'trading_partners');

type Prepare = (this: Database.Database, sql: string) => Database.Statement;
const proto = Database.prototype as unknown as { prepare: Prepare };
const originalPrepare = proto.prepare;
afterEach(() => {
  proto.prepare = originalPrepare;
});

/** Records every statement prepared from now on with the arguments of its first run. */
function captureStatements(): Map<string, unknown[]> {
  const seen = new Map<string, unknown[]>();
  proto.prepare = function (this: Database.Database, sql: string) {
    const stmt = originalPrepare.call(this, sql);
    if (/^\s*(EXPLAIN|PRAGMA|BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE)/i.test(sql)) return stmt;
    const methods = stmt as unknown as Record<
      'run' | 'get' | 'all' | 'iterate',
      (...a: unknown[]) => unknown
    >;
    for (const m of ['run', 'get', 'all', 'iterate'] as const) {
      const run = methods[m];
      methods[m] = function (this: unknown, ...args: unknown[]) {
        if (!seen.has(sql)) seen.set(sql, args);
        return run.apply(this, args);
      };
    }
    return stmt;
  };
  return seen;
}

/** The indexes a statement's plan uses ("USING INDEX x", "USING COVERING INDEX x"). */
function indexesUsed(db: Database.Database, sql: string, args: unknown[]): string[] {
  const plan = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as { detail: string }[];
  return plan.flatMap((p) => [...p.detail.matchAll(/USING (?:COVERING )?INDEX (\w+)/g)].map((m) => m[1]!));
}

describe('indexes of the tables an import writes', () => {
  it('each is used by a query the app runs (EXPLAIN QUERY PLAN)', async () => {
    const ctx = await freshContext();
    const captured = captureStatements();
    // The GS1 US example: commissioning, packing, shipping (transaction data), receiving.
    await importText(
      ctx,
      'GS1_US_Pharma_Example_2_2_1_1.xml',
      fs.readFileSync(path.join(FIXTURES, 'GS1_US_Pharma_Example_2_2_1_1.xml')),
    );
    // The same events again in other bytes: each is found a duplicate by its hash (EventStore.idByHash).
    const again = await importText(
      ctx,
      'GS1_US_Pharma_Example_2_2_1_1 (resent).xml',
      fs.readFileSync(path.join(FIXTURES, 'GS1_US_Pharma_Example_2_2_1_1.xml'), 'utf8') + '\n',
    );
    expect(again).toMatchObject({ status: 'imported', imported: 0 });
    expect(again.duplicates).toBeGreaterThan(0);
    // FSMA 204 KDE records (the FDA's sortable spreadsheet, shipping CTE), each known by its record hash.
    const fsma = await importText(
      ctx,
      'shipping.csv',
      fs.readFileSync(path.join(FIXTURES, 'fda-fsma204-sortable-spreadsheet-sample-shipping.csv')),
    );
    expect(fsma).toMatchObject({ status: 'imported', format: 'csv-fsma' });
    // A DSCSA transaction read from an 856 or a T3 sheet is known by its record hash.
    expect(new ShipmentStore(ctx.db).known(Buffer.alloc(32))).toBe(false);
    // A trace runs its queries through cached statements, with a real identifier's row ids.
    expect(trace(ctx, 'urn:epc:id:sgtin:030001.0012345.11').found).toBe(true);
    proto.prepare = originalPrepare;
    const db = ctx.db;
    const usedBy = new Map<string, string[]>();
    const note = (index: string, query: string) => usedBy.set(index, [...(usedBy.get(index) ?? []), query]);
    for (const [sql, args] of captured) {
      for (const index of indexesUsed(db, sql, args))
        note(index, sql.trim().replace(/\s+/g, ' ').slice(0, 90));
    }
    const ones = (sql: string) => (sql.match(/\?/g) ?? []).map(() => 1);
    for (const [name, sql] of Object.entries(TRACE_SQL))
      for (const index of indexesUsed(db, sql, ones(sql))) note(index, `trace/query.ts SQL.${name}`);
    for (const [name, sql] of Object.entries(T3_SQL))
      for (const index of indexesUsed(db, sql, ones(sql))) note(index, `dscsa-t3-data.ts T3_SQL.${name}`);

    const indexes = db
      .prepare(
        `SELECT name, tbl_name AS tbl FROM sqlite_schema WHERE type = 'index' AND tbl_name IN (${IMPORTED.map(() => '?').join(', ')}) ORDER BY tbl_name, name`,
      )
      .all(...IMPORTED) as { name: string; tbl: string }[];
    expect(indexes.length).toBeGreaterThan(5);
    const unused = indexes.filter((i) => !usedBy.has(i.name)).map((i) => `${i.tbl}.${i.name}`);
    for (const i of indexes) if (usedBy.has(i.name)) console.log(`${i.name}: ${usedBy.get(i.name)![0]}`);
    expect(unused).toEqual([]);
    // The check can fail: a query by a column no index covers uses none.
    expect(indexesUsed(db, 'SELECT id FROM trace_events WHERE file_id = ?', [1])).toEqual([]);
  });
});
