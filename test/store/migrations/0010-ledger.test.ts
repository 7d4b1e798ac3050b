import { describe, expect, it } from 'vitest';
import { columns, indexColumns, seedOwnRows, upgradeTo } from './upgrade';

/** The append-only tables, each with a column to try to change. */
const APPEND_ONLY = {
  ledger_checkpoints: 'note',
  ledger_keys: 'added_ms',
  ledger_leaves: 'type',
  ledger_nodes: 'hash',
};

describe('migration 0010 ledger', () => {
  it('adds the ledger tables beside the installation facts, append-only where the ledger is', () => {
    const { db, added, rowsBefore } = upgradeTo(10);
    expect([...rowsBefore.keys()]).toEqual(['installation_meta']);
    expect(added).toEqual({
      tables: ['ledger_checkpoints', 'ledger_keys', 'ledger_leaves', 'ledger_nodes', 'ledger_state'],
      indexes: ['ledger_checkpoints_by_size', 'ledger_leaves_by_type'],
      triggers: Object.keys(APPEND_ONLY).flatMap((t) => [`${t}_no_delete`, `${t}_no_update`]),
    });
    expect(columns(db, 'ledger_leaves')).toEqual(['seq', 'type', 'time_ms', 'leaf']);
    expect(columns(db, 'ledger_nodes')).toEqual(['level', 'idx', 'hash']);
    expect(columns(db, 'ledger_checkpoints')).toEqual(['id', 'size', 'root', 'note', 'signed_ms']);
    expect(columns(db, 'ledger_keys')).toEqual(['vkey', 'valid_from_size', 'rotation_note', 'added_ms']);
    expect(columns(db, 'ledger_state')).toEqual(['name', 'value']);
    expect(indexColumns(db, 'ledger_leaves_by_type')).toEqual(['type', 'seq']);
    expect(indexColumns(db, 'ledger_checkpoints_by_size')).toEqual(['size']);

    const rows = seedOwnRows(db, 10);
    expect(rows.get('ledger_leaves')!.map((r) => (r as { type: string }).type)).toEqual([
      'installation.created',
      'registrant.recorded',
      'users.created',
    ]);
    expect(rows.get('ledger_checkpoints')).toHaveLength(1);
    expect(rows.get('ledger_keys')).toHaveLength(1);

    // The four ledger tables refuse change and deletion, naming the rule.
    for (const [table, column] of Object.entries(APPEND_ONLY)) {
      expect(() => db.prepare(`UPDATE ${table} SET ${column} = ${column}`).run(), table).toThrow(
        `the ledger is append-only: ${table} rows cannot be changed`,
      );
      expect(() => db.prepare(`DELETE FROM ${table}`).run(), table).toThrow(
        `the ledger is append-only: ${table} rows cannot be deleted`,
      );
    }
    // ledger_state (the frontier, verification progress) does change.
    db.prepare("UPDATE ledger_state SET value = x'04' WHERE name = 'verified-frontier'").run();
    // Stored Merkle nodes are 32-byte hashes at level 8 and up; sequence numbers are never negative.
    expect(() => db.prepare('INSERT INTO ledger_nodes VALUES (7, 0, zeroblob(32))').run()).toThrow(/CHECK/);
    expect(() => db.prepare('INSERT INTO ledger_nodes VALUES (8, 1, zeroblob(31))').run()).toThrow(/CHECK/);
    expect(() => db.prepare("INSERT INTO ledger_leaves VALUES (-1, 'x', 0, x'00')").run()).toThrow(/CHECK/);
  });
});
