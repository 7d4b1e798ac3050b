import { describe, expect, it } from 'vitest';
import { columns, seedOwnRows, upgradeTo } from './upgrade';

describe('migration 0330 investigation-findings', () => {
  it('upgrades a ledger made before investigation findings, keeping its investigations', () => {
    const { db, added, rowsBefore } = upgradeTo(330);
    expect(rowsBefore.get('investigations')).toEqual([expect.objectContaining({ id: 1, status: 'cleared' })]);
    expect(added).toEqual({
      tables: ['investigation_findings'],
      indexes: ['investigation_findings_by_investigation'],
      triggers: [],
    });
    expect(columns(db, 'investigation_findings')).toEqual([
      'seq',
      'investigation_id',
      'recorded_by',
      'recorded_ms',
      'checked',
      'photos',
      'verifications',
      'notes',
    ]);
    const rows = seedOwnRows(db, 330);
    expect(rows.get('investigation_findings')).toEqual([
      expect.objectContaining({ seq: 23, investigation_id: 1, recorded_by: 'u-tess' }),
    ]);
    const insert = db.prepare(
      "INSERT INTO investigation_findings (seq, investigation_id, recorded_by, recorded_ms, checked, photos, verifications) VALUES (?, 1, 'u', 0, ?, '[]', '[]')",
    );
    // One row per ledger entry; the lists are JSON arrays, never free text.
    expect(() => insert.run(23, '[]')).toThrow(/UNIQUE|PRIMARY KEY/);
    expect(() => insert.run(24, 'seal intact')).toThrow(/CHECK|JSON/);
    expect(() => insert.run(25, '{"a":1}')).toThrow(/CHECK/);
  });
});
