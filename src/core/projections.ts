import type { Database } from 'better-sqlite3-multiple-ciphers';
import { projectCounts } from '../counts/projection';
import { projectPeople } from '../people/users';
import { projectProducts } from '../products/products';
import { projectRegistrant } from '../registrant/registrant';
import { readEntries, type Entry } from '../auth/workspace';
import { projectInventory } from './projection';

/** Entry type prefixes the projections below read, in one pass in ledger order. */
export const PROJECTED_PREFIXES = [
  'registrant.',
  'settings.',
  'users.',
  'auth.',
  'products.',
  'inventory.',
  'approvals.',
  'counts.',
] as const;

/** Every projection table rebuilt from the ledger, with the order that makes a dump comparable. */
export const PROJECTION_TABLES: Record<string, string> = {
  registrant: 'id',
  settings: 'id',
  users: 'user_id',
  user_lockout: 'user_id',
  products: 'ndc',
  inv_transactions: 'id',
  signatures: 'subject_id, seq, user_id, meaning',
  inv_balances: 'ndc',
  inv_lot_balances: 'ndc, lot',
  counts: 'id',
  discrepancies: 'id',
  form106_drafts: 'id',
  sealed_inventories: 'id',
};

/** The one projector: every entry goes through each area's projector (each ignores the others' types). */
export function projectAll(db: Database, entry: Entry): void {
  projectRegistrant(db, entry);
  projectPeople(db, entry);
  projectProducts(db, entry);
  projectInventory(db, entry);
  projectCounts(db, entry);
}

function dump(db: Database): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [table, order] of Object.entries(PROJECTION_TABLES)) {
    const rows = db.prepare(`SELECT * FROM ${table} ORDER BY ${order}`).all();
    out.set(
      table,
      rows.map((row) => JSON.stringify(row)),
    );
  }
  return out;
}

function replay(db: Database): number {
  for (const table of Object.keys(PROJECTION_TABLES)) db.prepare(`DELETE FROM ${table}`).run();
  let entries = 0;
  for (const entry of readEntries(db, PROJECTED_PREFIXES)) {
    projectAll(db, entry);
    entries++;
  }
  return entries;
}

/**
 * Rebuilds every projection from the ledger inside a transaction that is then rolled back, and
 * compares it row by row with the live tables. A difference means the projections were changed
 * outside the ledger (or a projector is not deterministic): an integrity alarm, never ignored.
 */
export function verifyProjections(db: Database): { ok: boolean; entries: number; differences: string[] } {
  const live = dump(db);
  db.exec('BEGIN IMMEDIATE');
  let replayed: { entries: number; rebuilt: Map<string, string[]> };
  try {
    replayed = { entries: replay(db), rebuilt: dump(db) };
  } finally {
    db.exec('ROLLBACK');
  }
  const { entries, rebuilt } = replayed;
  const differences: string[] = [];
  for (const table of Object.keys(PROJECTION_TABLES)) {
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

/** Drops the projections and rebuilds them from the ledger for good (after an upgrade or an alarm). */
export function rebuildProjections(db: Database): number {
  db.exec('BEGIN IMMEDIATE');
  try {
    const entries = replay(db);
    db.exec('COMMIT');
    return entries;
  } catch (error) {
    db.exec('ROLLBACK');
    throw error;
  }
}
