import { describe, expect, it } from 'vitest';
import { columns, seedOwnRows, upgradeTo } from './upgrade';

describe('migration 0100 people', () => {
  it('adds the registrant, settings, users, lockouts and credentials beside the ledger', () => {
    const { db, added, rowsBefore } = upgradeTo(100);
    expect([...rowsBefore.keys()].sort()).toEqual([
      'installation_meta',
      'ledger_checkpoints',
      'ledger_keys',
      'ledger_leaves',
      'ledger_nodes',
      'ledger_state',
    ]);
    expect(added).toEqual({
      tables: ['credentials', 'registrant', 'settings', 'user_lockout', 'users'],
      indexes: [],
      triggers: [],
    });
    expect(columns(db, 'users')).toEqual([
      'user_id',
      'username',
      'display_name',
      'roles',
      'active',
      'created_ms',
      'created_seq',
    ]);
    expect(columns(db, 'user_lockout')).toEqual([
      'user_id',
      'failures',
      'first_failure_ms',
      'locked_until_ms',
    ]);
    expect(columns(db, 'credentials')).toEqual(['user_id', 'record', 'set_seq']);
    expect(columns(db, 'registrant')).toEqual(['id', 'record', 'seq']);
    expect(columns(db, 'settings')).toEqual(['id', 'record', 'seq']);

    const rows = seedOwnRows(db, 100);
    expect(rows.get('users')!.map((u) => (u as { username: string }).username)).toEqual(['sam', 'tess']);
    expect(rows.get('credentials')).toHaveLength(1);

    // One registrant and one settings row; usernames unique; active is a flag.
    expect(() => db.prepare("INSERT INTO registrant VALUES (2, '{}', 9)").run()).toThrow(/CHECK/);
    expect(() => db.prepare("INSERT INTO settings VALUES (2, '{}', 9)").run()).toThrow(/CHECK/);
    expect(() =>
      db.prepare("INSERT INTO users VALUES ('u-other', 'tess', 'Other', '[]', 1, 0, 9)").run(),
    ).toThrow(/UNIQUE/);
    expect(() => db.prepare("INSERT INTO users VALUES ('u-x', 'x', 'X', '[]', 2, 0, 9)").run()).toThrow(
      /CHECK/,
    );
    // STRICT: a sequence number is an integer, never text.
    expect(() => db.prepare("INSERT INTO credentials VALUES ('u-sam', '{}', 'three')").run()).toThrow(
      /cannot store TEXT value in INTEGER column/,
    );
  });
});
