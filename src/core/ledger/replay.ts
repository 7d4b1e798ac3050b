import type { Database } from 'better-sqlite3-multiple-ciphers';
import { readEntries, type ProjectionSet, type Workspace } from './workspace';

export type { ProjectionSet } from './workspace';

function dump(db: Database, set: ProjectionSet): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [table, order] of Object.entries(set.tables)) {
    const rows = db.prepare(`SELECT * FROM ${table} ORDER BY ${order}`).all();
    out.set(
      table,
      rows.map((row) => JSON.stringify(row)),
    );
  }
  return out;
}

function replay(db: Database, set: ProjectionSet): number {
  for (const table of Object.keys(set.tables)) db.prepare(`DELETE FROM ${table}`).run();
  let entries = 0;
  for (const entry of readEntries(db, set.prefixes)) {
    set.project(db, entry);
    entries++;
  }
  return entries;
}

/**
 * Rebuilds every projection from the ledger inside a transaction that is then rolled back, and
 * compares it row by row with the live tables. A difference means the projections were changed
 * outside the ledger (or a projector is not deterministic): an integrity alarm, never ignored.
 */
export function verifyProjections(
  db: Database,
  set: ProjectionSet,
): { ok: boolean; entries: number; differences: string[] } {
  const live = dump(db, set);
  db.exec('BEGIN IMMEDIATE');
  let replayed: { entries: number; rebuilt: Map<string, string[]> };
  try {
    replayed = { entries: replay(db, set), rebuilt: dump(db, set) };
  } finally {
    db.exec('ROLLBACK');
  }
  const { entries, rebuilt } = replayed;
  const differences: string[] = [];
  for (const table of Object.keys(set.tables)) {
    const a = live.get(table) ?? [];
    const b = new Set(rebuilt.get(table) ?? []);
    const aSet = new Set(a);
    const missing = (rebuilt.get(table) ?? []).filter((row) => !aSet.has(row)).length;
    const extra = a.filter((row) => !b.has(row)).length;
    if (missing > 0 || extra > 0) {
      differences.push(
        `${table}: ${extra} live row(s) the ledger does not produce, ${missing} row(s) the ledger produces that are missing`,
      );
    }
  }
  return { ok: differences.length === 0, entries, differences };
}

/**
 * Drops the projections and rebuilds them from the ledger for good (after an upgrade or an alarm),
 * in one write of the workspace: nothing is appended, and an alarm refuses it like any write.
 */
export function rebuildProjections(ws: Pick<Workspace, 'write'>, set: ProjectionSet): Promise<number> {
  return ws.write((tx) => replay(tx.db, set));
}
