import { describe, expect, it } from 'vitest';
import { columns, indexColumns, seedOwnRows, upgradeTo } from './upgrade';

describe('migration 0200 ingest', () => {
  it('adds partners, imported files, the traceability index and DSCSA / FSMA records beside inventory', () => {
    const { db, added, rowsBefore } = upgradeTo(200);
    expect(rowsBefore.get('inv_transactions')).toHaveLength(1);
    expect(rowsBefore.get('ledger_leaves')).toHaveLength(3);
    expect(added).toEqual({
      tables: [
        'aggregation_edges',
        'fsma_inputs',
        'fsma_records',
        'ingest_files',
        'partner_glns',
        'partner_mappings',
        'pending_events',
        'pending_waits',
        'serial_state',
        'shipment_items',
        'shipments',
        'trace_event_errors',
        'trace_event_ids',
        'trace_events',
        'trace_ids',
        'trace_products',
        'trading_partners',
      ],
      indexes: [
        'aggregation_edges_by_parent',
        'fsma_inputs_by_record',
        'fsma_records_by_tlc',
        'partner_glns_by_partner',
        'serial_state_by_parent',
        'shipment_items_by_gtin_lot',
        'shipment_items_by_shipment',
        'shipment_items_by_trace',
        'shipments_by_reference',
        'shipments_by_ship_to',
        'trace_events_by_file',
        'trace_ids_by_gtin_lot',
      ],
      triggers: [],
    });
    expect(columns(db, 'trading_partners')).toEqual([
      'id',
      'name',
      'role',
      'authorized',
      'address',
      'saved_seq',
    ]);
    expect(columns(db, 'trace_ids')).toEqual(['id', 'bidx', 'kind', 'gtin', 'lot', 'sealed']);
    expect(columns(db, 'ingest_files')).toEqual([
      'id',
      'file_hash',
      'name',
      'format',
      'partner_id',
      'size',
      'ledger_seq',
      'records',
      'imported',
      'duplicates',
      'pending',
      'header',
      'imported_ms',
    ]);
    expect(columns(db, 'serial_state')).toEqual([
      'trace_id',
      'state',
      'disposition',
      'parent_id',
      'last_event_id',
      'last_event_ms',
      'owner',
      'location',
      'expiry',
      'suspect',
      'quarantined',
    ]);
    expect(columns(db, 'shipments')).toContain('statement');
    expect(columns(db, 'shipments').at(-1)).toBe('status');
    expect(indexColumns(db, 'trace_ids_by_gtin_lot')).toEqual(['gtin', 'lot']);
    expect(indexColumns(db, 'shipment_items_by_gtin_lot')).toEqual(['gtin', 'lot']);
    expect(indexColumns(db, 'fsma_records_by_tlc')).toEqual(['tlc', 'cte']);
    expect(indexColumns(db, 'aggregation_edges_by_parent')).toEqual(['parent_id', 'child_id']);
    // Partial indexes: only rows that have the value are indexed.
    const indexSql = (name: string) =>
      db
        .prepare("SELECT sql FROM sqlite_schema WHERE type = 'index' AND name = ?")
        .pluck()
        .get(name) as string;
    expect(indexSql('trace_ids_by_gtin_lot')).toMatch(/WHERE gtin IS NOT NULL$/);
    expect(indexSql('serial_state_by_parent')).toMatch(/WHERE parent_id IS NOT NULL$/);
    expect(indexSql('shipment_items_by_trace')).toMatch(/WHERE trace_id IS NOT NULL$/);

    const rows = seedOwnRows(db, 200);
    expect(rows.get('trace_events')).toHaveLength(3);
    // A lot trace: from the GTIN and lot in clear to the events, through the index.
    const lotTrace =
      'SELECT e.biz_step FROM trace_ids i JOIN trace_event_ids x ON x.trace_id = i.id JOIN trace_events e ON e.id = x.event_id WHERE i.gtin = ? AND i.lot = ? ORDER BY e.event_time_ms';
    expect(db.prepare(lotTrace).pluck().all('00300010123456', 'A123')).toEqual([
      'https://ref.gs1.org/cbv/BizStep-commissioning',
      'https://ref.gs1.org/cbv/BizStep-packing',
    ]);
    const plan = (
      db.prepare(`EXPLAIN QUERY PLAN ${lotTrace}`).all('00300010123456', 'A123') as { detail: string }[]
    )
      .map((r) => r.detail)
      .join('\n');
    expect(plan).toContain('trace_ids_by_gtin_lot');
    // New serials and shipments start neither suspect nor quarantined, and open.
    db.prepare(
      "INSERT INTO serial_state (trace_id, state, last_event_id, last_event_ms) VALUES (2, 'commissioned', 2, 0)",
    ).run();
    expect(db.prepare('SELECT suspect, quarantined FROM serial_state WHERE trace_id = 2').get()).toEqual({
      suspect: 0,
      quarantined: 0,
    });
    db.prepare('INSERT INTO shipments (id, file_id, ledger_seq, statement) VALUES (2, 1, 16, 0)').run();
    expect(db.prepare('SELECT status FROM shipments WHERE id = 2').pluck().get()).toBe('open');

    // References hold, hashes are 32 bytes, roles and states are closed sets.
    expect(() => db.prepare("INSERT INTO partner_glns VALUES ('0614141000999', 7)").run()).toThrow(
      /FOREIGN KEY/,
    );
    expect(() =>
      db.prepare('INSERT INTO shipment_items (shipment_id, quantity) VALUES (99, 1)').run(),
    ).toThrow(/FOREIGN KEY/);
    expect(() => db.prepare("UPDATE trading_partners SET role = 'broker' WHERE id = 1").run()).toThrow(
      /CHECK/,
    );
    expect(() => db.prepare("UPDATE serial_state SET state = 'lost' WHERE trace_id = 1").run()).toThrow(
      /CHECK/,
    );
    expect(() => db.prepare("UPDATE trace_ids SET kind = 'giai' WHERE id = 1").run()).toThrow(/CHECK/);
    expect(() => db.prepare('UPDATE ingest_files SET file_hash = zeroblob(20) WHERE id = 1').run()).toThrow(
      /CHECK/,
    );
    expect(() => db.prepare("UPDATE shipments SET status = 'lost' WHERE id = 1").run()).toThrow(/CHECK/);
    // The same file or event cannot be recorded twice.
    expect(() =>
      db
        .prepare(
          "INSERT INTO ingest_files (file_hash, name, format, size, ledger_seq, records, imported, duplicates, pending, header, imported_ms) SELECT file_hash, 'copy.xml', format, size, 30, 0, 0, 0, 0, '{}', 0 FROM ingest_files WHERE id = 1",
        )
        .run(),
    ).toThrow(/UNIQUE/);
  });
});
