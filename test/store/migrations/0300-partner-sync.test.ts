import { describe, expect, it } from 'vitest';
import { columns, seedOwnRows, upgradeTo } from './upgrade';

describe('migration 0300 partner-sync', () => {
  it('upgrades a ledger made before partner sync, in place, keeping its partners', () => {
    const { db, added, rowsBefore } = upgradeTo(300);
    expect(rowsBefore.get('trading_partners')).toEqual([
      expect.objectContaining({ id: 1, name: 'Keystone Wholesale' }),
    ]);
    expect(added).toEqual({
      tables: ['sync_endpoints', 'sync_outbox', 'sync_pages', 'sync_state', 'sync_verifications'],
      indexes: ['sync_outbox_due'],
      triggers: [],
    });
    // No column can hold a secret: the keychain holds tokens, passwords and private keys.
    for (const table of added.tables) {
      expect(columns(db, table).filter((c) => /secret|password|token$|private|key_pem/.test(c))).toEqual([]);
    }
    const rows = seedOwnRows(db, 300);
    expect(rows.get('sync_state')).toEqual([
      expect.objectContaining({ partner_id: 1, cursor_record_time: '2026-03-16T08:00:00.000Z' }),
    ]);
    // Only the known authentication kinds and outbox states.
    expect(() => db.prepare("UPDATE sync_endpoints SET auth = 'kerberos'").run()).toThrow(/CHECK/);
    expect(() => db.prepare("UPDATE sync_outbox SET state = 'lost'").run()).toThrow(/CHECK/);
    // A page is committed once per identity.
    expect(() =>
      db
        .prepare(
          "INSERT INTO sync_pages (partner_id, page_key, file_hash, events, outcome, committed_ms) SELECT partner_id, page_key, file_hash, 1, 'imported', 0 FROM sync_pages",
        )
        .run(),
    ).toThrow(/UNIQUE|PRIMARY/);
    // One answer per correlation id: a retry re-asks with the same corrUUID, never a second row.
    expect(() =>
      db
        .prepare(
          'INSERT INTO sync_verifications (outbox_id, partner_id, gtin, lot, expiry, serial_sealed, context, corr_uuid) SELECT 2, partner_id, gtin, lot, expiry, serial_sealed, context, corr_uuid FROM sync_verifications',
        )
        .run(),
    ).toThrow(/UNIQUE|FOREIGN KEY/);
  });
});
