import { describe, expect, it } from 'vitest';
import { columns, indexColumns, seedOwnRows, upgradeTo } from './upgrade';

describe('migration 0210 quarantine', () => {
  it('adds quarantined items with their raw bytes in chunks beside the imported data', () => {
    const { db, added, rowsBefore } = upgradeTo(210);
    expect(rowsBefore.get('ingest_files')).toHaveLength(1);
    expect(rowsBefore.get('shipments')).toHaveLength(1);
    expect(added).toEqual({
      tables: ['quarantine_chunks', 'quarantine_items'],
      indexes: ['quarantine_items_by_hash', 'quarantine_items_by_status'],
      triggers: [],
    });
    expect(columns(db, 'quarantine_items')).toEqual([
      'id',
      'kind',
      'file_hash',
      'file_name',
      'format',
      'partner_id',
      'mapping_id',
      'source',
      'size',
      'records',
      'reasons',
      'suspect',
      'status',
      'opened_seq',
      'opened_ms',
      'attempts',
      'resolved_seq',
      'resolution',
    ]);
    expect(columns(db, 'quarantine_chunks')).toEqual(['item_id', 'n', 'bytes']);
    expect(indexColumns(db, 'quarantine_items_by_status')).toEqual(['status', 'id']);
    expect(indexColumns(db, 'quarantine_items_by_hash')).toEqual(['file_hash']);

    const rows = seedOwnRows(db, 210);
    // The bytes come back exactly as received.
    const [chunk] = rows.get('quarantine_chunks') as { bytes: Buffer }[];
    expect(chunk!.bytes.toString('utf8')).toBe('NDC,Lot,Qty\n0001-0123-45,A123,1\n');
    // An item from a known partner refers to the trading partner 0200 made.
    db.prepare(
      `INSERT INTO quarantine_items (id, kind, file_hash, file_name, format, partner_id, source, size, records,
         reasons, suspect, status, opened_seq, opened_ms)
       VALUES (2, 'event', x'00', 'x.xml', 'epcis-xml', 1, 'watched-folder', 10, 1, '[]', 1, 'open', 30, 0)`,
    ).run();
    expect(
      db
        .prepare(
          'SELECT p.name, q.attempts FROM quarantine_items q JOIN trading_partners p ON p.id = q.partner_id',
        )
        .get(),
    ).toEqual({ name: 'Keystone Wholesale', attempts: 0 });
    expect(() => db.prepare("INSERT INTO quarantine_chunks VALUES (9, 0, x'00')").run()).toThrow(
      /FOREIGN KEY/,
    );
    expect(() => db.prepare("UPDATE quarantine_items SET status = 'deleted' WHERE id = 1").run()).toThrow(
      /CHECK/,
    );
    expect(() => db.prepare("UPDATE quarantine_items SET kind = 'row' WHERE id = 1").run()).toThrow(/CHECK/);
    expect(() => db.prepare("INSERT INTO quarantine_chunks VALUES (1, 0, x'01')").run()).toThrow(/UNIQUE/);
  });
});
