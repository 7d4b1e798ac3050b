import { describe, expect, it } from 'vitest';
import { columns, seedOwnRows, upgradeTo } from './upgrade';

describe('migration 0260 form3911', () => {
  it('upgrades a ledger made before Form FDA 3911 notifications, keeping its investigations', () => {
    const { db, added, rowsBefore } = upgradeTo(260);
    expect(rowsBefore.get('investigations')).toEqual([expect.objectContaining({ id: 1, status: 'cleared' })]);
    expect(rowsBefore.get('records_requests')).toHaveLength(1);
    expect(added).toEqual({
      tables: ['form3911_incidents', 'form3911_notifications'],
      indexes: [],
      triggers: [],
    });
    expect(columns(db, 'form3911_notifications')).toEqual([
      'investigation_id',
      'notification',
      'type',
      'notified_ms',
      'seq',
      'recorded_by',
      'record',
    ]);
    expect(columns(db, 'form3911_incidents')).toEqual([
      'investigation_id',
      'incident_number',
      'received_ms',
      'seq',
    ]);

    const rows = seedOwnRows(db, 260);
    expect(rows.get('form3911_incidents')).toEqual([
      expect.objectContaining({ investigation_id: 1, incident_number: 'DN-2026-00417' }),
    ]);

    const insert = db.prepare(
      "INSERT INTO form3911_notifications (investigation_id, notification, type, notified_ms, seq, recorded_by, record) VALUES (1, ?, ?, 0, 30, 'u', '{}')",
    );
    insert.run(2, 'follow-up');
    // One row per notification of an investigation; only the form's three report types; counted from 1.
    expect(() => insert.run(2, 'termination')).toThrow(/UNIQUE|PRIMARY KEY/);
    expect(() => insert.run(3, 'amendment')).toThrow(/CHECK/);
    expect(() => insert.run(0, 'termination')).toThrow(/CHECK/);
    // One incident number per investigation.
    expect(() =>
      db
        .prepare(
          "INSERT INTO form3911_incidents (investigation_id, incident_number, received_ms, seq) VALUES (1, 'X', 0, 31)",
        )
        .run(),
    ).toThrow(/UNIQUE|PRIMARY KEY/);
  });
});
